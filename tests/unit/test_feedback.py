"""The feedback loop's use case (core.feedback) and presenter (handlers.feedback) against in-memory fakes: who may vote
on what, one vote per presser/item/search that a new press changes, outcomes by HR admins only, every change audited,
the acknowledgement in the presser's language, the outcome command in English and Korean, the week's numbers and the
judgements the quality bench uses."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from core.domain import Employee, Role
from core.feedback import (DOWN, MOVED, UP, Feedback, FeedbackRefusal, OutcomeRecorded, VoteRecorded, export_rows,
                           judged_queries, weekly_feedback)
from core.jd.model import Opening, OpeningStatus
from core.ports import AuditEntry, FeedbackVote, MobilityOutcome
from handlers.feedback import FeedbackHandler, parse_outcome
from handlers.feedback_buttons import opening_vote_buttons, result_vote_buttons
from handlers.requests import Request
from tests.fakes import InMemoryStore

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
HR = Employee(id="H1", display_name="Hana HR", role=Role.HR_ADMIN, languages=["en"])
MANAGER = Employee(id="M1", display_name="Min Manager", role=Role.MANAGER, languages=["ko"])
EMPLOYEE = Employee(id="P9", display_name="Pat Employee", role=Role.EMPLOYEE, title="backend engineer")
OPEN = Employee(id="E1", display_name="김하늘", title="backend engineer", open_to_moves=True, email="sky@x.example")
HIDDEN = Employee(id="E2", display_name="Lee Hidden", title="backend engineer", open_to_moves=False)
OPENING = Opening("op-abc123", "jd-1", "hanbit-pay", "1000001", "L4", "Backend Engineer (Payments)",
                  OpeningStatus.OPEN, "H1", "2026-11-30T00:00:00+00:00")


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class FeedbackFakeStore(InMemoryStore):
    """InMemoryStore plus the FeedbackStore port, openings and interests, with a settable clock."""

    def __init__(self, employees):
        super().__init__(employees)
        self.clock = NOW
        self.votes_by_key: dict[tuple, FeedbackVote] = {}
        self.outcome_rows: dict[tuple, MobilityOutcome] = {}
        self.openings = {OPENING.id: OPENING}
        self.interests: dict[tuple[str, str], str] = {}
        self.shortlist_at: list[tuple[str, str]] = []

    def add_audit(self, actor_id, action, query, shown_ids, details=None) -> None:
        self.audit.append(AuditEntry(len(self.audit) + 1, iso(self.clock), actor_id, action, query, tuple(shown_ids),
                                     dict(details or {})))

    def add_to_shortlist(self, owner_id, employee_id, note="") -> bool:
        added = super().add_to_shortlist(owner_id, employee_id, note)
        if added:
            self.shortlist_at.append((employee_id, iso(self.clock)))
        return added

    def record_vote(self, presser_id, item_kind, item_id, search_id, query, vote, platform):
        key = (presser_id, item_kind, item_id, search_id)
        old = self.votes_by_key.get(key)
        at = iso(self.clock)
        if old is None:
            self.votes_by_key[key] = FeedbackVote(*key, query, vote, platform, at, at)
            return None
        if old.vote != vote:
            self.votes_by_key[key] = FeedbackVote(*key, query, vote, platform, old.at, at)
        return old.vote

    def vote_of(self, presser_id, item_kind, item_id, search_id):
        found = self.votes_by_key.get((presser_id, item_kind, item_id, search_id))
        return found.vote if found else None

    def votes(self, since=None, until=None):
        return sorted((v for v in self.votes_by_key.values() if (not since or v.updated_at >= since)
                       and (not until or v.updated_at < until)), key=lambda v: v.updated_at)

    def add_outcome(self, employee_id, opening_id, kind, recorded_by, via):
        key = (employee_id, opening_id, kind)
        if key in self.outcome_rows:
            return False
        self.outcome_rows[key] = MobilityOutcome(*key, recorded_by, via, iso(self.clock))
        return True

    def outcomes(self, since=None, until=None):
        return [o for o in self.outcome_rows.values() if (not since or o.at >= since) and (not until or o.at < until)]

    def audit_counts(self, since, until, actions):
        counts = dict.fromkeys(actions, 0)
        for row in self.audit:
            if row.action in actions and since <= row.at < until:
                counts[row.action] += 1
        return counts

    def shortlisted_between(self, since, until):
        return [e for e, at in self.shortlist_at if since <= at < until]

    def get_opening(self, opening_id):
        return self.openings.get(opening_id)

    def interests_in(self, opening_id, state="interested"):
        return [(e, s, "") for (o, e), s in self.interests.items() if o == opening_id and (state is None or s == state)]


@pytest.fixture
def store():
    s = FeedbackFakeStore([HR, MANAGER, EMPLOYEE, OPEN, HIDDEN])
    s.save_search("s1", "M1", "backend Kafka", {"filters": {}, "limit": 5, "lang": "ko"})
    s.save_search("s2", "H1", "백엔드 카프카", {"filters": {"open_only": True}, "limit": 5, "lang": "ko"})
    return s


@pytest.fixture
def feedback(store):
    return Feedback(store)


def audit_actions(store) -> list[tuple[str, str]]:
    return [(r.action, r.details.get("vote", "")) for r in store.audit]


# ---- votes ---------------------------------------------------------------------------------------------------------
def test_a_vote_on_a_result_is_stored_with_its_search_and_audited_and_a_second_press_changes_it(store, feedback):
    first = feedback.vote_on_result(MANAGER, "s1", "E1", UP, "slack")
    assert first == VoteRecorded("person", "E1", "김하늘", UP, None)
    [vote] = store.votes()
    assert (vote.presser_id, vote.item_id, vote.search_id, vote.query, vote.vote, vote.platform) == (
        "M1", "E1", "s1", "backend Kafka", UP, "slack")
    again = feedback.vote_on_result(MANAGER, "s1", "E1", UP)
    assert again.before == UP and not again.changed
    changed = feedback.vote_on_result(MANAGER, "s1", "E1", DOWN)
    assert changed.before == UP and changed.changed
    assert [v.vote for v in store.votes()] == [DOWN]                      # still one vote, now 👎
    # audited twice: the first vote and the change; pressing the same again writes nothing
    assert audit_actions(store) == [("feedback_vote", UP), ("feedback_vote", DOWN)]
    assert store.audit[-1].details["before"] == UP and store.audit[-1].shown_ids == ("E1",)


def test_the_same_person_in_another_search_is_another_vote(store, feedback):
    store.save_search("s3", "M1", "data engineer", {})
    feedback.vote_on_result(MANAGER, "s1", "E1", UP)
    feedback.vote_on_result(MANAGER, "s3", "E1", DOWN)
    assert sorted((v.search_id, v.vote) for v in store.votes()) == [("s1", UP), ("s3", DOWN)]


@pytest.mark.parametrize("actor, search_id, person, reason", [
    (HR, "s1", "E1", "not_your_search"),             # someone else's results card
    (MANAGER, "gone", "E1", "search_expired"),
    (MANAGER, "s1", "E2", "profile_not_visible"),     # a manager never judges someone not open to moves
    (MANAGER, "s1", "E404", "employee_gone"),
    (EMPLOYEE, "s1", "E1", "not_allowed_search"),
])
def test_votes_on_results_follow_the_search_rules_and_store_nothing_when_refused(store, feedback, actor, search_id,
                                                                                 person, reason):
    assert feedback.vote_on_result(actor, search_id, person, UP) == FeedbackRefusal(reason)
    assert store.votes() == [] and store.audit == []


def test_a_vote_on_an_opening_is_one_per_person_and_opening(store, feedback):
    result = feedback.vote_on_opening(EMPLOYEE, OPENING.id, UP, "level:L4")
    assert result == VoteRecorded("opening", OPENING.id, OPENING.title, UP, None)
    feedback.vote_on_opening(EMPLOYEE, OPENING.id, DOWN, "")
    [vote] = store.votes()
    assert (vote.item_kind, vote.search_id, vote.vote) == ("opening", "", DOWN)
    assert feedback.vote_on_opening(EMPLOYEE, "op-nope", UP) == FeedbackRefusal("opening_gone")


# ---- outcomes ------------------------------------------------------------------------------------------------------
def test_only_hr_admins_record_outcomes_and_twice_is_once(store, feedback):
    assert feedback.record_outcome(MANAGER, "E1", OPENING.id) == FeedbackRefusal("feedback_hr_only")
    recorded = feedback.record_outcome(HR, "sky@x.example", OPENING.id)      # an e-mail finds the person too
    assert isinstance(recorded, OutcomeRecorded) and recorded.added and recorded.employee.id == "E1"
    assert not feedback.record_outcome(HR, "E1", OPENING.id).added
    assert [(o.employee_id, o.opening_id, o.kind, o.recorded_by) for o in store.outcomes()] == [
        ("E1", OPENING.id, MOVED, "H1")]
    assert [(r.action, r.shown_ids) for r in store.audit] == [("mobility_moved", ("E1",))]
    assert feedback.record_outcome(HR, "E9999", OPENING.id) == FeedbackRefusal("feedback_unknown_person", "E9999")
    assert feedback.record_outcome(HR, "E1", "op-zzz") == FeedbackRefusal("feedback_unknown_opening", "op-zzz")


def test_fill_choices_are_the_interested_and_the_shortlisted_once_each(store, feedback):
    store.interests[(OPENING.id, "E1")] = "interested"
    store.interests[(OPENING.id, "E2")] = "withdrawn"
    store.add_to_shortlist("H1", "E1")
    store.add_to_shortlist("H1", "P9")
    choices = feedback.fill_choices(HR, OPENING.id)
    assert [e.id for e in choices.people] == ["E1", "P9"]
    assert feedback.fill_choices(MANAGER, OPENING.id) == FeedbackRefusal("feedback_hr_only")


# ---- the command -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("moved E0123 op-1a2b3c", ("moved", "E0123", "op-1a2b3c")),
    ("Moved E0123 to op-1a2b3c.", ("moved", "E0123", "op-1a2b3c")),
    ("approved E0123 for op-1a2b3c", ("approved", "E0123", "op-1a2b3c")),
    ('moved "Kim Ha-neul" op-1a2b3c', ("moved", "Kim Ha-neul", "op-1a2b3c")),
    ("filled op-1a2b3c by E0123", ("moved", "E0123", "op-1a2b3c")),
    ("E0123 op-1a2b3c 이동 완료", ("moved", "E0123", "op-1a2b3c")),
    ("E0123을 op-1a2b3c로 이동완료", ("moved", "E0123", "op-1a2b3c")),
    ("E0123 op-1a2b3c 이동 승인", ("approved", "E0123", "op-1a2b3c")),
    ("이동 완료 E0123 op-1a2b3c", ("moved", "E0123", "op-1a2b3c")),
])
def test_the_outcome_command_in_english_and_korean(text, expected):
    assert parse_outcome(text) == expected


@pytest.mark.parametrize("text", ["moved to Seoul office last year, who knows Kafka?", "backend engineer moved",
                                  "이동 희망자 찾아줘", "E0123 op-1a2b3c", "moved E0123"])
def test_other_sentences_are_not_outcome_commands(text):
    assert parse_outcome(text) is None


def request(actor, action_id="", value="", text="", form=None, lang=None) -> Request:
    return Request(actor=actor, platform="local", text=text, action_id=action_id or None, action_value=value,
                   form=form or {}, lang=lang)


def test_a_press_is_acknowledged_in_the_cards_language(store, feedback):
    handler = FeedbackHandler(feedback)
    up, down = result_vote_buttons("s1", "E1", "ko")
    reply = handler.handle_action(request(MANAGER, up.action_id, up.value), "en")
    assert "👍 기록했어요" in reply.text and "김하늘" in reply.text and reply.ephemeral
    reply = handler.handle_action(request(MANAGER, down.action_id, down.value), "en")
    assert reply.text.startswith("👎로 바꿨어요")
    up, _ = opening_vote_buttons(OPENING.id, "en", "level:L4")
    reply = handler.handle_action(request(EMPLOYEE, up.action_id, up.value), "en")
    assert reply.text.startswith("👍 Noted") and OPENING.id in reply.text
    assert store.vote_of("P9", "opening", OPENING.id, "") == UP


def test_the_command_refuses_non_hr_clearly_and_records_for_hr(store, feedback):
    handler = FeedbackHandler(feedback)
    refused = handler.handle_text(request(MANAGER, text="E1 op-abc123 이동 완료"), "E1 op-abc123 이동 완료", "ko")
    assert "HR 관리자만" in refused.text and store.outcomes() == []
    done = handler.handle_text(request(HR, text="moved E1 op-abc123"), "moved E1 op-abc123", "en")
    assert done.text.startswith("Recorded: 김하늘 (E1) moved into") and len(store.outcomes()) == 1
    usage = handler.handle_text(request(HR, text="moved"), "moved", "en")
    assert "moved E0123 op-" in usage.text
    assert handler.handle_text(request(HR, text="backend Kafka"), "backend Kafka", "en") is None


def test_the_filled_button_offers_the_people_and_records_the_chosen_one(store, feedback):
    handler = FeedbackHandler(feedback)
    store.interests[(OPENING.id, "E1")] = "interested"
    card = handler.handle_action(request(HR, "opening_filled", f"{OPENING.id}|en"), "en").cards[0]
    [field] = card.inputs
    assert [v for v, _ in field.options] == ["E1"]
    [confirm] = card.buttons
    nothing = handler.handle_action(request(HR, confirm.action_id, confirm.value), "en")
    assert "Choose the person" in nothing.text and store.outcomes() == []
    done = handler.handle_action(request(HR, confirm.action_id, confirm.value, form={field.id: "E1"}), "en")
    assert "moved into" in done.text and store.outcomes()[0].via == "button"
    refused = handler.handle_action(request(MANAGER, "opening_filled", f"{OPENING.id}|ko"), "ko")
    assert "HR 관리자만" in refused.text


# ---- numbers -------------------------------------------------------------------------------------------------------
def test_the_week_numbers_count_votes_and_the_funnel_week_over_week(store, feedback):
    store.clock = NOW - timedelta(days=10)                 # the week before
    feedback.vote_on_result(MANAGER, "s1", "E1", DOWN)
    store.add_audit("P9", "opening_interest", OPENING.id, [], {})
    store.clock = NOW - timedelta(days=2)                  # this week
    feedback.vote_on_result(HR, "s2", "E1", UP)
    feedback.vote_on_result(HR, "s2", "E2", UP)
    feedback.vote_on_result(HR, "s2", "P9", DOWN)
    store.add_audit("E1", "opening_interest", OPENING.id, [], {})
    store.add_audit("E2", "opening_interest", OPENING.id, [], {})
    store.add_to_shortlist("H1", "E1")
    feedback.record_outcome(HR, "E1", OPENING.id, "approved")
    feedback.record_outcome(HR, "E1", OPENING.id, "moved")
    week = weekly_feedback(store, NOW)
    assert (week.this_week.up, week.this_week.down) == (2, 1) and week.this_week.ratio == pytest.approx(2 / 3)
    assert vars(week.this_week.funnel) == {"interested": 2, "shortlisted": 1, "approved": 1, "moved": 1}
    assert (week.last_week.up, week.last_week.down, week.last_week.funnel.interested) == (0, 1, 1)
    assert week.says_something()
    assert not weekly_feedback(FeedbackFakeStore([]), NOW).says_something()


def test_judged_queries_grade_moved_above_up_above_down_and_export_has_every_record(store, feedback):
    feedback.vote_on_result(HR, "s2", "E1", UP)
    feedback.vote_on_result(HR, "s2", "E2", UP)
    feedback.vote_on_result(HR, "s2", "P9", DOWN)
    feedback.vote_on_opening(EMPLOYEE, OPENING.id, UP)          # openings are not people-search judgements
    feedback.record_outcome(HR, "E2", OPENING.id)
    [judged] = judged_queries(store)
    assert (judged.query, judged.filters, judged.judgements) == ("백엔드 카프카", {"open_only": True},
                                                                 {"E1": 1, "E2": 3, "P9": 0})
    rows = export_rows(store)
    assert [r["record"] for r in rows] == ["vote"] * 4 + ["outcome"]
    assert rows[-1]["value"] == "moved" and rows[-1]["item_id"] == "E2"


def test_the_hr_digest_carries_the_weeks_feedback_numbers_and_a_managers_does_not(tmp_path):
    from core.digest import DigestBuilder
    from core.importer import ImportReport
    from tests.conftest import make_app, person

    app = make_app(tmp_path / "org")
    app.importer.upsert([person("E01", "Python platform engineer", dept="Platform"),
                         person("H1", "HR partner", dept="People", role=Role.HR_ADMIN, open_to_moves=False),
                         person("M1", "Engineering manager", dept="Platform", role=Role.MANAGER,
                                open_to_moves=False)], ImportReport())
    app.store.save_search("s1", "M1", "python platform", {"filters": {}, "limit": 5, "lang": "en"})
    feedback = Feedback(app.store)
    assert feedback.vote_on_result(app.store.get_employee("M1"), "s1", "E01", UP).vote == UP
    builder = DigestBuilder(app.store, app.taxonomy)
    now = datetime.now(timezone.utc) + timedelta(minutes=1)
    hr = builder.build(app.store.get_employee("H1"), now=now, lang="en")
    assert (hr.feedback.this_week.up, hr.feedback.this_week.down, hr.feedback.this_week.ratio) == (1, 0, 1.0)
    manager = builder.build(app.store.get_employee("M1"), now=now)
    assert manager is None or manager.feedback is None
