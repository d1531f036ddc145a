"""The weekly digest job: claim -> deliver -> mark sent across two schedulers on one database, a run stopped in the
middle (nobody twice, nobody missed), failures retried by the retry run without blocking others, opt-out respected,
the employee digest (openings that fit, only for people who turned alerts on), and the signed chart links."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest

from bot.digests import ChartLinks, DigestJob, DigestSender, local_now
from core.digest import NotReachable, week_start
from core.domain import Role
from core.importer import ImportReport
from scheduler.jobs import DIGEST_JOB, LeasedJobs
from tests.conftest import make_app, person


class Recorder(DigestSender):
    """A delivery that records who got what; `fail` raises for those people, `crash_at` stops the process."""

    def __init__(self, store, fail=(), unreachable=(), crash_at=None, pause=0.0):
        super().__init__(store)
        self.got: list[str] = []
        self.fail, self.unreachable, self.crash_at, self.pause = set(fail), set(unreachable), crash_at, pause
        self.lock = threading.Lock()

    async def deliver(self, person, digest) -> str:
        if person.id == self.crash_at:
            raise SystemExit("the instance stopped")        # like a kill: nothing after this runs
        if person.id in self.unreachable:
            raise NotReachable("no chat account")
        if person.id in self.fail:
            raise ConnectionError("Slack answered 500")
        time.sleep(self.pause)
        with self.lock:
            self.got.append(person.id)
        return "local"


@pytest.fixture
def org(tmp_path):
    app = make_app(tmp_path / "org")
    managers = [person(f"M{i:02d}", "Engineering manager", role=Role.MANAGER, open_to_moves=False)
                for i in range(12)]
    staff = [person("E01", "Python and Kubernetes platform engineer"), person("E02", "Kafka streams operator")]
    app.importer.upsert(managers + staff, ImportReport())
    for i in range(12):
        app.store.add_to_shortlist(f"M{i:02d}", "E01")        # every manager has something to read
    yield app
    app.close()


def managers(app):
    return sorted(e.id for e in app.store.list_employees() if e.role == Role.MANAGER)


def test_two_schedulers_fire_the_same_slot_and_one_sends(org):
    slot = "2026-12-07T00:00:00Z"
    senders = [Recorder(org.store, pause=0.01), Recorder(org.store, pause=0.01)]
    jobs = [DigestJob(org, s, "Asia/Seoul") for s in senders]
    ran = []
    barrier = threading.Barrier(2)

    def fire(n):
        barrier.wait()
        ran.append(LeasedJobs(org.store, holder=f"node-{n}").run_slot(DIGEST_JOB, slot, jobs[n].run))

    threads = [threading.Thread(target=fire, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(ran) == [False, True]
    everyone = senders[0].got + senders[1].got
    assert sorted(everyone) == managers(org) and len(everyone) == len(set(everyone))


def test_a_run_stopped_in_the_middle_is_finished_by_the_retry_run_nobody_twice_nobody_missed(org):
    order = [e.id for e in org.store.list_employees()]
    victim = [i for i in order if i.startswith("M")][5]
    first = Recorder(org.store, crash_at=victim)
    crashed = DigestJob(org, first, holder="node-a", claim_ttl=0.5)
    with pytest.raises(SystemExit):
        LeasedJobs(org.store, holder="node-a").run_slot(DIGEST_JOB, "2026-12-07T00:00:00Z", crashed.run)
    assert len(first.got) == 5 and victim not in first.got
    # the restarted instance's retry run: the weekly run never finished, so everyone not sent yet (the victim's
    # claim is still live: nobody sends it while it might be on its way)
    second = Recorder(org.store)
    restarted = DigestJob(org, second, holder="node-b", claim_ttl=0.5)
    report = restarted.run(retry_only=True)
    assert victim not in second.got and report.claimed_elsewhere == 1
    assert not set(first.got) & set(second.got)
    time.sleep(0.6)                                              # the claim expires
    report = restarted.run(retry_only=True)                      # now only the attempts that did not end in "sent"
    assert second.got[-1] == victim and report.sent == [victim]
    assert sorted(first.got + second.got) == managers(org)
    assert restarted.run(retry_only=True).sent == []             # and nothing more


def test_failures_and_unreachable_people_are_retried_without_blocking_others_and_opt_out_holds(org):
    org.store.set_digests_off("M03", True)
    sender = Recorder(org.store, fail={"M01"}, unreachable={"M02"})
    job = DigestJob(org, sender, holder="node-a")
    report = job.run()
    assert list(report.failed) == ["M01"] and report.not_reachable == ["M02"] and report.off == 1
    assert sorted(sender.got) == sorted(set(managers(org)) - {"M01", "M02", "M03"})
    attempts = org.store.digest_attempts(week_start(local_now("Asia/Seoul")))
    assert attempts["M01"]["status"] == "failed" and "500" in attempts["M01"]["error"]
    assert attempts["M02"]["status"] == "unreachable"
    sender.fail.clear()
    sender.unreachable.clear()
    before = len(sender.got)
    retry = job.run(retry_only=True)
    assert sorted(retry.sent) == ["M01", "M02"] and sorted(sender.got[before:]) == ["M01", "M02"]
    assert "M03" not in sender.got
    assert job.run().sent == []                                  # the weekly run again: everyone had theirs


def test_the_retry_run_does_nothing_before_the_weeks_run(org):
    sender = Recorder(org.store)
    assert DigestJob(org, sender).run(retry_only=True).sent == [] and sender.got == []


def test_employees_who_turned_alerts_on_get_openings_that_fit_and_others_get_nothing(tmp_path):
    from bot.digests import make_builder
    from handlers.digest import render_markdown
    from tests.openings_helpers import publish_opening

    app = make_app(tmp_path / "demo", autoload=True)
    try:
        opening = publish_opening(app, "Senior Backend Engineer (Payments)",
                                  ["5+ years building APIs with Java and Spring Boot", "Kafka and event streaming"])
        ranked = app.matching.search("backend engineer Kafka Spring Boot Java", limit=10).candidates
        fit = next(app.store.get_employee(c.employee_id) for c in ranked
                   if app.store.get_employee(c.employee_id).role == Role.EMPLOYEE)
        builder = make_builder(app)
        assert builder.build(fit) is None                        # alerts off: no employee digest
        app.router.openings.openings.set_alerts(fit, True)
        builder.forget_run_state()
        digest = builder.build(fit, lang="en")
        assert digest is not None and [o.opening_id for o in digest.openings][:1] == [opening.id]
        text = render_markdown(digest)
        assert "Internal openings that fit you" in text and opening.id in text and "fit " in text
        assert "Person" not in text and "(E0" not in text          # never another employee's profile
        app.store.set_interest(opening.id, fit.id, "interested")  # already interested: not suggested again
        builder.forget_run_state()
        again = builder.build(fit, lang="ko")
        assert again is None or opening.id not in [o.opening_id for o in again.openings]
    finally:
        app.close()


def test_chart_links_are_signed_and_expire(tmp_path):
    now = [1000.0]
    links = ChartLinks(tmp_path, "https://hire.example.com/", b"secret", ttl_s=60, clock=lambda: now[0])
    url = links.publish("digest-H1-2026-12-07-supply-en.png", b"\x89PNG...")
    token = url.rsplit("/", 1)[1]
    assert url.startswith("https://hire.example.com/digest/charts/") and links.open(token) == b"\x89PNG..."
    body, signature = token.split(".")
    assert links.open(body + "." + signature[::-1]) is None                     # forged signature
    other = ChartLinks(tmp_path, "https://x", b"other-secret", clock=lambda: now[0])
    assert other.open(token) is None                                          # another secret
    assert links.open("not-a-token") is None and links.open("") is None
    now[0] += 61
    assert links.open(token) is None                                          # expired


def test_the_scheduler_runs_the_digest_monday_9_seoul_time_and_the_retry_under_the_same_lease(org):
    from zoneinfo import ZoneInfo

    from bot.settings import load_settings
    from scheduler.jobs import DIGEST_RETRY_JOB, build_scheduler

    settings = load_settings(INTERNAL_HIRE_DATA_DIR=org.settings.data_dir)
    assert (settings.digest_cron, settings.timezone) == ("0 9 * * mon", "Asia/Seoul")
    scheduler, _ = build_scheduler(org, reindex_cron="", digest=DigestJob(org, Recorder(org.store)),
                                   digest_cron=settings.digest_cron, digest_retry_cron=settings.digest_retry_cron,
                                   digest_timezone=settings.timezone)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {DIGEST_JOB, DIGEST_RETRY_JOB}
    seoul = ZoneInfo("Asia/Seoul")
    after = datetime(2026, 12, 8, 12, 0, tzinfo=seoul)            # a Tuesday
    fires = jobs[DIGEST_JOB].trigger.get_next_fire_time(None, after)
    assert fires.astimezone(seoul).strftime("%a %H:%M") == "Mon 09:00" and fires.date().isoformat() == "2026-12-14"
    assert fires.astimezone(timezone.utc).strftime("%a %H:%M") == "Mon 00:00"
    with pytest.raises(ValueError, match="time zone"):
        load_settings(INTERNAL_HIRE_TIMEZONE="Mars/Olympus")
    with pytest.raises(ValueError, match="cron"):
        load_settings(INTERNAL_HIRE_DIGEST_CRON="every monday")


def test_in_a_run_each_manager_hears_of_interest_in_their_own_openings_only(tmp_path):
    from bot.digests import make_builder
    from core.digest import run_weekly
    from handlers.digest import render_markdown
    from tests.openings_helpers import publish_opening

    app = make_app(tmp_path / "demo", autoload=True)
    try:
        owner, other = sorted(app.store.employees_with_role(Role.MANAGER.value), key=lambda e: e.id)[:2]
        opening = publish_opening(app, "Senior Backend Engineer (Payments)", ["Java and Spring Boot APIs", "Kafka"],
                                  origin={"hiring_manager": owner.id})
        keen = next(e for e in app.store.list_employees() if e.role == Role.EMPLOYEE)
        app.store.set_interest(opening.id, keen.id, "interested")
        now = datetime.now(timezone.utc)
        alone = make_builder(app).build(owner, now=now, lang="en")
        got = {}
        run_weekly(app.store, make_builder(app), lambda p, d: got.setdefault(p.id, d) and "local", now=now)
        assert [(i.opening_id, i.person.employee_id) for i in got[owner.id].interest] == [(opening.id, keen.id)]
        assert got[owner.id] == alone                                 # the run's shared work changes nothing
        assert other.id not in got or got[other.id].interest == []
        assert "Interest in your openings this week (1)" in render_markdown(got[owner.id])
    finally:
        app.close()


def test_a_run_hands_the_lock_over_faster_while_it_builds_and_restores_it_after(org):
    import sys

    before = sys.getswitchinterval()
    seen = []

    class Watching(Recorder):
        async def deliver(self, person, digest) -> str:
            seen.append(sys.getswitchinterval())
            return await super().deliver(person, digest)

    report = DigestJob(org, Watching(org.store), switch_interval=0.001).run()
    assert report.sent and set(seen) == {min(before, 0.001)} and sys.getswitchinterval() == before
