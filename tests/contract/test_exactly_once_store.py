"""The store's part of "exactly once across instances" (issue 16): delivery keys and schedule slots, claimed by one
caller out of many racing threads, on every backend (SQLite file, MariaDB, TiDB with TIDB_DSN)."""
from __future__ import annotations

import threading

from tests.contract.test_store_contract import backend, store  # noqa: F401 - the contract's fixtures


def race(n: int, work) -> list:
    results, gate = [None] * n, threading.Barrier(n)

    def run(i):
        gate.wait()
        results[i] = work(i)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_delivery_is_claimed_once_by_racing_instances_until_it_expires(store):
    won = race(8, lambda i: store.claim_delivery("slack:event:Ev1", f"node-{i}", 60, now=1000.0))
    assert won.count(True) == 1
    assert not store.claim_delivery("slack:event:Ev1", "node-x", 60, now=1059.0)     # still remembered
    assert store.claim_delivery("slack:event:Ev2", "node-x", 60, now=1059.0)          # another key is new
    # expired: the next delivery of that key is handled again, by one caller only
    again = race(4, lambda i: store.claim_delivery("slack:event:Ev1", f"node-{i}", 60, now=1061.0))
    assert again.count(True) == 1


def test_expired_deliveries_are_purged(store):
    store.claim_delivery("a", "n", 10, now=100.0)
    store.claim_delivery("b", "n", 1000, now=100.0)
    assert store.purge_deliveries(now=200.0) == 1
    assert not store.claim_delivery("b", "n", 10, now=200.0)
    assert store.claim_delivery("a", "n", 10, now=200.0)


def test_a_schedule_slot_runs_once_even_when_another_instance_fires_after_it_finished(store):
    won = race(6, lambda i: store.claim_schedule_slot("nightly-reindex", "2026-12-07T03:00:00Z", f"node-{i}"))
    assert won.count(True) == 1
    winner = f"node-{won.index(True)}"
    store.finish_schedule_slot("nightly-reindex", "2026-12-07T03:00:00Z", winner, "done")
    # the late timer of another instance, after the run ended: still the same slot, still done
    assert not store.claim_schedule_slot("nightly-reindex", "2026-12-07T03:00:00Z", "node-late")
    assert store.claim_schedule_slot("nightly-reindex", "2026-12-08T03:00:00Z", "node-late")
    assert store.claim_schedule_slot("purge-unconfirmed-resumes", "2026-12-07T03:00:00Z", "node-late")
    runs = store.schedule_runs("nightly-reindex")
    assert [(r["slot"], r["status"]) for r in runs] == [("2026-12-08T03:00:00Z", "running"),
                                                         ("2026-12-07T03:00:00Z", "done")]
    assert runs[1]["holder"] == winner


# ---- scheduled jobs: once per schedule slot across instances (issue 16 item 4) ------------------------------------
def test_every_minute_slots_fired_by_two_instances_in_any_order_run_exactly_once(backend, store):
    """Two schedulers with an every-minute schedule, driven by simulated fires over 20 minutes: each instance's timer
    fires every slot, one a few milliseconds late, the other up to 50 s late (after the first run has ended); the
    fires of a slot race in two threads. Every slot runs exactly once, and the slot is recorded as done."""
    import random
    from datetime import datetime, timezone

    from scheduler.jobs import LeasedJobs, cron_trigger

    other_store = backend.reopen(store)
    trigger = cron_trigger("* * * * *")
    start = datetime(2026, 12, 7, 3, 0, tzinfo=timezone.utc).timestamp()
    ran: list[tuple[str, float]] = []
    rng = random.Random(16)

    def instance(s, name):
        clock = {"now": start}
        jobs = LeasedJobs(s, name, clock=lambda: clock["now"])
        return jobs, clock

    (a, clock_a), (b, clock_b) = instance(store, "node-a"), instance(other_store, "node-b")
    for minute in range(20):
        slot = start + 60 * minute
        clock_a["now"] = slot + rng.uniform(0, 0.05)
        clock_b["now"] = slot + (rng.uniform(0, 0.05) if minute % 2 else rng.uniform(1, 50))

        def fire(i):
            jobs, clock = (a, clock_a) if i == 0 else (b, clock_b)
            return jobs.fire("purge-unconfirmed-resumes", trigger,
                             lambda renew: ran.append((jobs.holder, clock["now"])))
        race(2, fire)
    assert len(ran) == 20
    runs = store.schedule_runs("purge-unconfirmed-resumes")
    assert len(runs) == 20 and all(r["status"] == "done" for r in runs)
    assert sorted(r["slot"] for r in runs)[:2] == ["2026-12-07T03:00:00Z", "2026-12-07T03:01:00Z"]
    assert len(a.slots) + len(b.slots) == 20 and set(a.slots).isdisjoint(b.slots)
    other_store.close()


def test_a_late_timer_after_the_run_ended_skips_the_slot_and_the_next_slot_runs(store):
    """The bug of issue 16: the lease was released when the job ended, so an instance firing a moment later ran it
    again."""
    from datetime import datetime, timezone

    from scheduler.jobs import LeasedJobs, cron_trigger

    trigger = cron_trigger("0 3 * * *")
    at = datetime(2026, 12, 7, 3, 0, tzinfo=timezone.utc).timestamp()
    runs = []
    first = LeasedJobs(store, "node-a", clock=lambda: at + 0.004)
    late = LeasedJobs(store, "node-b", clock=lambda: at + 0.090)
    assert first.fire("nightly-reindex", trigger, lambda renew: runs.append("a"))
    assert not late.fire("nightly-reindex", trigger, lambda renew: runs.append("b"))
    tomorrow = LeasedJobs(store, "node-b", clock=lambda: at + 86400 + 1)
    assert tomorrow.fire("nightly-reindex", trigger, lambda renew: runs.append("b"))
    assert runs == ["a", "b"]


def test_a_failed_run_is_recorded_and_not_repeated_in_its_slot(store):
    from scheduler.jobs import LeasedJobs

    def broken(renew):
        raise RuntimeError("embedder went away")
    try:
        LeasedJobs(store, "node-a").run_slot("nightly-reindex", "2026-12-07T03:00:00Z", broken)
    except RuntimeError:
        pass
    assert store.schedule_runs("nightly-reindex")[0]["status"] == "failed"
    assert not LeasedJobs(store, "node-b").run_slot("nightly-reindex", "2026-12-07T03:00:00Z", lambda renew: None)
    assert store.try_acquire_lease("nightly-reindex", "node-b", 60)      # the lease was released all the same


def test_slot_of_finds_the_scheduled_time_for_any_schedule():
    from datetime import datetime, timezone

    from scheduler.jobs import cron_trigger, slot_of

    def at(text):
        return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
    assert slot_of(cron_trigger("* * * * *"), at("2026-12-07T03:04:59.999")) == at("2026-12-07T03:04:00")
    assert slot_of(cron_trigger("0 3 * * *"), at("2026-12-07T03:00:00.002")) == at("2026-12-07T03:00:00")
    assert slot_of(cron_trigger("0 3 * * *"), at("2026-12-07T02:59:59")) == at("2026-12-06T03:00:00")
    assert slot_of(cron_trigger("30 3 * * mon"), at("2026-12-13T10:00:00")) == at("2026-12-07T03:30:00")   # weekly
    assert slot_of(cron_trigger("*/2 * * * * *"), at("2026-12-07T03:00:05.5")) == at("2026-12-07T03:00:04")


def test_two_real_schedulers_with_an_every_second_schedule_run_each_slot_once(backend, store):
    """The same with apscheduler's own timers (every second, for about four seconds)."""
    import time as clock
    from types import SimpleNamespace

    from scheduler.jobs import build_scheduler

    other_store = backend.reopen(store)
    ran = []
    instances = []
    for s, holder in ((store, "node-a"), (other_store, "node-b")):
        app = SimpleNamespace(store=s, embedder=None, jd_service=SimpleNamespace(
            prepare=lambda progress, holder=holder: ran.append((holder, clock.time()))))
        scheduler, jobs = build_scheduler(app, holder, reindex_cron="", jd_prepare_cron="* * * * * *")
        instances.append((scheduler, jobs))
    for scheduler, _ in instances:
        scheduler.start()
    clock.sleep(4.2)
    for scheduler, _ in instances:
        scheduler.shutdown(wait=True)
    slots = [slot for _, jobs in instances for slot in jobs.slots]
    assert len(slots) >= 3 and len(slots) == len(set(slots)) == len(ran)
    assert {r["status"] for r in store.schedule_runs("nightly-jd-prepare")} == {"done"}
    other_store.close()
