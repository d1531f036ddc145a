"""The weekly talent digest: what HR admins and managers would read, only people they may see, nothing when there is
nothing to say, charts as real PNGs with Korean labels, and the CLI preview."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.cli import main
from core.digest import DigestBuilder
from handlers.digest import render_charts, render_markdown, write_preview
from core.domain import Employee, Role
from core.jd.model import Company, JdDraft
from core.jd.workflow import JdWorkflow
from tests.conftest import make_app, person

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)       # a Monday


def _org(tmp_path):
    app = make_app(tmp_path / "org")
    from core.importer import ImportReport

    people = [person("E01", "Python and Kubernetes platform engineer", dept="Platform"),
              person("E02", "Kubernetes operator, Kafka streams", dept="Platform", open_to_moves=False),
              person("E03", "Python data analyst, SQL reports", dept="Data"),
              person("E04", "Java backend developer", dept="Data", open_to_moves=False),
              person("H1", "HR partner", dept="People", role=Role.HR_ADMIN, open_to_moves=False, name="인사 담당"),
              person("M1", "Engineering manager", dept="Platform", role=Role.MANAGER, open_to_moves=False)]
    app.importer.upsert(people, ImportReport())
    app.store.upsert_company(Company("acme", "Acme"))
    flow = JdWorkflow(app.store)
    hr_admin = app.store.get_employee("H1")
    manager = app.store.get_employee("M1")
    base = dict(summary="s", responsibilities=["r"], requirements=["Python", "Kubernetes"], company_id="acme",
                family="1000229", level="L4", style="concise", required_skills=["python", "kubernetes"])
    opened = flow.create(JdDraft(title="Platform engineer", **base), manager).record
    flow.decide(opened.id, opened.version, "submit", manager)
    flow.approve_and_publish(opened.id, opened.version, hr_admin)
    waiting = flow.create(JdDraft(title="Data engineer", **base), manager).record
    flow.decide(waiting.id, waiting.version, "submit", manager)
    app.store.add_ai_usage(NOW.date().isoformat(), "gemini", "jd", 1200, 300, False)
    return app


def test_hr_digest_has_supply_vs_demand_optin_pending_and_ai(tmp_path):
    app = _org(tmp_path)
    builder = DigestBuilder(app.store, app.taxonomy, daily_token_budget=100_000)
    digest = builder.build(app.store.get_employee("H1"), now=NOW, lang="en")
    assert digest is not None and digest.week_of == "2026-12-07"
    supply = {s.skill_id: (s.openings, s.people) for s in digest.skills}
    assert supply == {"kubernetes": (1, 2), "python": (1, 2)}
    rates = {d.department: (d.open_to_moves, d.people) for d in digest.optin}
    assert rates["Platform"] == (1, 3) and rates["Data"] == (1, 2)
    assert [p.title for p in digest.pending] == ["Data engineer"]
    assert (digest.ai_week_tokens, digest.ai_today_tokens, digest.ai_budget) == (1500, 1500, 100_000)
    text = render_markdown(digest)
    assert "Data engineer" in text and "1,500 tokens this week" in text and "Platform: 1/3 (33%)" in text
    ko = builder.build(app.store.get_employee("H1"), now=NOW, lang="ko")
    assert "주간 인재 다이제스트" in render_markdown(ko) and "쿠버네티스" in render_markdown(ko)
    app.close()


def test_manager_sees_only_people_open_to_moves_and_a_quiet_week_sends_nothing(tmp_path):
    app = _org(tmp_path)
    builder = DigestBuilder(app.store, app.taxonomy)
    app.store.add_to_shortlist("M1", "E03")
    app.store.add_to_shortlist("M1", "E04")        # not open to moves: the manager may not see them any more
    digest = builder.build(app.store.get_employee("M1"), now=datetime.now(timezone.utc))
    assert {p.employee_id for p in digest.newly_open} == {"E01", "E03"}      # never E02/E04 (not open), never M1
    assert [p.employee_id for p in digest.shortlist] == ["E03"] and digest.shortlist_gone == 1
    assert "E04" not in render_markdown(digest) and "Person E04" not in render_markdown(digest)
    # a week later nobody changed and the shortlist is empty: no message at all
    quiet = DigestBuilder(app.store, app.taxonomy).build(Employee("M2", "New manager", role=Role.MANAGER),
                                                         now=datetime.now(timezone.utc) + timedelta(days=30))
    assert quiet is None
    # employees get nothing yet (their openings ranking is another issue)
    assert builder.build(app.store.get_employee("E01"), now=NOW) is None
    app.close()


def test_charts_are_pngs_with_alt_text_in_the_readers_language(tmp_path):
    app = _org(tmp_path)
    digest = DigestBuilder(app.store, app.taxonomy).build(app.store.get_employee("H1"), now=NOW, lang="ko")
    charts = render_charts(digest)
    assert [c.name for c in charts] == ["supply", "optin"] and all(c.png[:4] == b"\x89PNG" for c in charts)
    paths = write_preview(digest, tmp_path / "out")
    md = paths[0].read_text(encoding="utf-8")
    assert paths[0].suffix == ".md" and len(paths) == 3
    assert "![막대 차트: 스킬별 요구 공고 수와 보유 인원." in md and paths[1].name in md
    app.close()


def test_cli_preview_and_dry_run(tmp_path, capsys):
    app = _org(tmp_path)
    app.close()
    common = ["--data-dir", str(tmp_path / "org"), "--quiet"]
    assert main(["digest", "preview", "--as", "H1", "--out", str(tmp_path / "p"), "--lang", "en", *common]) == 0
    written = capsys.readouterr().out.split()
    assert written[0].endswith(".md") and all(p.endswith(".png") for p in written[1:]) and len(written) == 3
    assert main(["digest", "preview", "--as", "E02", "--out", str(tmp_path / "q"), *common]) == 0
    assert "nothing to say" in capsys.readouterr().out and not (tmp_path / "q").exists()
    assert main(["digest", "send", "--dry-run", *common]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines()[0].startswith(("H1", "M1")) and "nothing sent" in out.err
    assert {line.split("\t")[0] for line in out.out.splitlines()} == {"H1", "M1"}
    assert main(["digest", "send", "--out", str(tmp_path / "sent"), *common]) == 0
    out = capsys.readouterr()
    assert "2 sent" in out.err and len(list((tmp_path / "sent").glob("*.md"))) == 2
    assert main(["digest", "send", "--out", str(tmp_path / "sent"), *common]) == 0       # same week again: nobody twice
    assert "0 sent, 2 already sent" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="no employee matches"):
        main(["digest", "preview", "--as", "nobody", "--out", str(tmp_path / "r"), *common])


def test_run_weekly_sends_once_retries_failures_and_respects_opt_out(tmp_path):
    from core.digest import run_weekly

    app = _org(tmp_path)
    builder = DigestBuilder(app.store, app.taxonomy)
    extra = [person(f"M{i}", "Team lead", role=Role.MANAGER, open_to_moves=False) for i in range(2, 5)]
    from core.importer import ImportReport

    app.importer.upsert(extra, ImportReport())
    for i in range(1, 5):
        app.store.add_to_shortlist(f"M{i}", "E01")
    app.store.set_digests_off("M4", True)
    delivered, broken = [], {"M2"}

    def deliver(p, digest):
        if p.id in broken:
            raise ConnectionError("Slack said 500")
        delivered.append(p.id)

    first = run_weekly(app.store, builder, deliver, now=NOW)
    assert sorted(first.sent) == ["H1", "M1", "M3"] and list(first.failed) == ["M2"] and first.off == 1
    assert "Slack said 500" in first.failed["M2"]
    broken.clear()
    second = run_weekly(app.store, builder, deliver, now=NOW + timedelta(hours=1))     # the retry: only M2
    assert second.sent == ["M2"] and second.already == 3
    assert sorted(delivered) == ["H1", "M1", "M2", "M3"]                              # nobody twice, M4 never
    app.store.set_digests_off("M4", False)                                           # on again
    third = run_weekly(app.store, builder, deliver, now=NOW + timedelta(hours=2))
    assert third.sent == ["M4"]
    # a run whose lease was taken over stops before sending anything more
    stopped = run_weekly(app.store, builder, deliver, now=NOW + timedelta(days=7), renew=lambda: False)
    assert stopped.sent == [] and delivered.count("H1") == 1
    # next week everyone is due again
    assert sorted(run_weekly(app.store, builder, deliver, now=NOW + timedelta(days=7)).sent) == ["H1", "M1", "M2",
                                                                                               "M3", "M4"]
    app.close()


@pytest.mark.parametrize("off,on", [("stop digests", "start digests"), ("다이제스트 그만", "다이제스트 다시 받기"),
                                    ("Please stop my weekly digest.", "digests on"),
                                    ("다이제스트 그만 받을래요", "주간 다이제스트 켜 줘"),
                                    ("다이제스트 받기 싫어요", "다이제스트 다시 받을래요"), ("/digest off", "resume digests again")])
def test_chat_turns_digests_off_and_on_again(tmp_path, off, on):
    from handlers.requests import Request

    app = _org(tmp_path)
    manager = app.store.get_employee("M1")
    reply = app.router.handle(Request(actor=manager, platform="local", text=off))
    text = reply.cards[0].fallback
    assert app.store.digests_off_ids() == {"M1"}
    assert ("다이제스트를 더 보내지 않을게요" in text) if "다이제스트" in off else ("no more weekly digests" in text)
    reply = app.router.handle(Request(actor=manager, platform="local", text=on))
    assert app.store.digests_off_ids() == set()
    assert "again" in reply.cards[0].fallback or "다시 보내" in reply.cards[0].fallback
    app.close()


@pytest.mark.parametrize("text", ["digest engineer who knows kafka", "stop digests for everyone in Data and find "
                                  "a python engineer", "다이제스트 엔지니어"])
def test_other_sentences_mentioning_digests_are_not_opt_outs(tmp_path, text):
    from handlers.requests import Request

    app = _org(tmp_path)
    app.router.handle(Request(actor=app.store.get_employee("M1"), platform="local", text=text))
    assert app.store.digests_off_ids() == set()
    app.close()


def test_hr_digest_shows_the_weeks_feedback_and_funnel_week_over_week_in_both_languages():
    from core.digest import Digest
    from core.feedback import FeedbackWeek, Funnel, WeekNumbers

    week = FeedbackWeek(WeekNumbers("a", "b", 7, 3, Funnel(4, 2, 1, 1)), WeekNumbers("c", "d", 0, 0, Funnel(2, 1)))
    en = render_markdown(Digest("H1", Role.HR_ADMIN, "en", "2026-12-07", feedback=week))
    assert "👍 7 · 👎 3" in en and "70% positive" in en and "interested: 4 this week (last week 2)" in en
    ko = render_markdown(Digest("H1", Role.HR_ADMIN, "ko", "2026-12-07", feedback=week))
    assert "긍정 70%" in ko and "이동 완료: 이번 주 1건 (지난주 0건)" in ko
    quiet = FeedbackWeek(WeekNumbers("a", "b", 0, 0, Funnel()), WeekNumbers("c", "d", 0, 0, Funnel()))
    assert not Digest("H1", Role.HR_ADMIN, "en", "2026-12-07", feedback=quiet).says_something()


RICH = ("Senior platform engineer with 8 years of experience. Operated Kubernetes clusters in production, wrote Python "
        "services and Terraform modules, built CI/CD pipelines with GitHub Actions, ran Kafka, Prometheus and Grafana "
        "monitoring, on-call SRE for payments. Led migration of 40 services to Kubernetes.")
SAVED = "Python Kubernetes platform engineer"


def _team(tmp_path):
    from core.importer import ImportReport

    app = make_app(tmp_path / "team")
    app.importer.upsert([
        person("E01", RICH, title="Senior Platform Engineer", dept="Platform", level="L5", name="Kim Open"),
        person("E05", RICH, title="Senior Platform Engineer", dept="Platform", level="L5", open_to_moves=False,
               name="Lee Hidden"),
        person("E02", "Java backend developer", dept="Data"),
        person("E03", "Python data analyst, SQL reports", dept="Data", name="Park Leaving"),
        person("M1", "Engineering manager", dept="Platform", role=Role.MANAGER, open_to_moves=False),
        person("M2", "Sales manager", dept="Sales", role=Role.MANAGER, open_to_moves=False)], ImportReport())
    app.store.save_search("s1", "M1", SAVED, {"filters": {}, "limit": 5})
    return app


def _builder(app):
    return DigestBuilder(app.store, app.taxonomy, matching=app.matching)


def test_manager_hears_who_newly_ranks_strong_for_their_saved_searches_only_people_they_may_see(tmp_path):
    app = _team(tmp_path)
    now = datetime.now(timezone.utc)
    digest = _builder(app).build(app.store.get_employee("M1"), now=now, lang="en")
    # E05 ranks as well but is not open to moves: the manager may not see them
    assert [(s.person.employee_id, s.query) for s in digest.newly_strong] == [("E01", SAVED)]
    assert digest.newly_strong[0].score >= 75
    assert "E01" not in {p.employee_id for p in digest.newly_open}         # listed once, under the stronger news
    text = render_markdown(digest)
    assert "Newly strong for your searches (1)" in text and f'for "{SAVED}"' in text and "Kim Open (E01)" in text
    assert "E05" not in text and "Lee Hidden" not in text
    ko = render_markdown(_builder(app).build(app.store.get_employee("M1"), now=now, lang="ko"))
    assert "내 검색에 새로 강하게 맞는 사람 (1)" in ko and f'"{SAVED}" 적합도' in ko
    # a manager without saved searches hears about nobody as "strong"
    assert _builder(app).build(app.store.get_employee("M2"), now=now).newly_strong == []
    # a week on, nobody changed: E01 still ranks strong but is no news, and the digest says nothing
    assert _builder(app).build(app.store.get_employee("M1"), now=now + timedelta(days=8)) is None
    app.close()


def test_manager_hears_shortlist_changes_week_over_week_and_nothing_when_it_stayed_the_same(tmp_path):
    from dataclasses import replace

    import sqlalchemy as sa

    from bot.adapters.storage import schema

    app = _team(tmp_path)
    manager = app.store.get_employee("M1")
    app.store.add_to_shortlist("M1", "E01")
    app.store.add_to_shortlist("M1", "E03")
    long_ago = (datetime.now(timezone.utc) - timedelta(days=20)).isoformat()
    with app.store.engine.begin() as conn:          # both were shortlisted weeks ago
        conn.execute(sa.update(schema.shortlists).values(at=long_ago))
    app.store.add_to_shortlist("M1", "E02")          # added this week
    app.store.update_fields(replace(app.store.get_employee("E03"), open_to_moves=False))   # E03 leaves this week
    now = datetime.now(timezone.utc)
    digest = _builder(app).build(manager, now=now, lang="en")
    assert [p.employee_id for p in digest.shortlist_added] == ["E02"] and digest.shortlist_left == 1
    assert [p.employee_id for p in digest.shortlist] == ["E01", "E02"] and digest.shortlist_week_ago == 2
    text = render_markdown(digest)
    assert "Your shortlist: 2 now (a week ago 2)" in text and "added this week: Person E02 (E02)" in text
    assert "1 left this week (no longer open to moves)" in text and "Park Leaving" not in text
    ko = render_markdown(_builder(app).build(manager, now=now, lang="ko"))
    assert "내 후보 목록: 현재 2명 (일주일 전 2명)" in ko and "이번 주 1명 빠짐" in ko and "이번 주 추가: Person E02" in ko
    # next week the same shortlist is no news: no shortlist section, and no digest at all
    later = now + timedelta(days=8)
    assert _builder(app).build(manager, now=later) is None
    app.close()


def test_a_run_shares_the_managers_work_and_gives_the_same_digests_as_one_at_a_time(tmp_path):
    """The per-run shared state (changed people, saved-search results, owners' interest) changes nothing a reader
    gets: a run's digests equal those built one by one."""
    from core.digest import run_weekly

    app = _team(tmp_path)
    app.store.save_search("s2", "M2", SAVED, {"filters": {}, "limit": 5})
    app.store.add_to_shortlist("M2", "E03")
    now = datetime.now(timezone.utc)
    alone = {m: _builder(app).build(app.store.get_employee(m), now=now) for m in ("M1", "M2")}
    got = {}
    builder = _builder(app)
    searched = []
    real = app.matching.search
    app.matching.search = lambda *a, **k: searched.append(a[0]) or real(*a, **k)
    report = run_weekly(app.store, builder, lambda p, d: got.setdefault(p.id, d) and "local", now=now)
    assert sorted(report.sent) == ["M1", "M2"] and got == alone
    assert searched == [SAVED]                      # one saved query, searched once for both managers
    app.close()
