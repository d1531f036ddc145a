"""The search use case (core.search) against in-memory fakes of the ports: every rule of a search request, typed
outcomes, in milliseconds (no database, no models)."""
from __future__ import annotations

import pytest

from core.domain import Employee, Role
from core.search import (BadOption, Blocked, NeedsDescription, Refusal, SearchCandidates, SearchResult,
                         Shortlisted, UnknownDepartment, UnknownLocation, outcome_dict)
from tests.fakes import FakeMatching, InMemoryStore

HR = Employee(id="H1", display_name="Hana HR", role=Role.HR_ADMIN)
MANAGER = Employee(id="M1", display_name="Min Manager", role=Role.MANAGER, title="backend engineering manager",
                   open_to_moves=True, department="Platform")
EMPLOYEE = Employee(id="P9", display_name="Pat Employee", role=Role.EMPLOYEE)
PEOPLE = [
    Employee(id="E1", display_name="Kim Open", title="backend engineer", resume_text="Kafka streams",
             department="Payments", location="Seoul", open_to_moves=True),
    Employee(id="E2", display_name="Lee Hidden", title="backend engineer", resume_text="Kafka consumer",
             department="Payments", location="Seoul", open_to_moves=False),
    Employee(id="E3", display_name="Park Busan", title="backend engineer", resume_text="Kafka",
             department="Platform", location="Busan", open_to_moves=True),
    MANAGER,
]


@pytest.fixture
def fake():
    store = InMemoryStore(PEOPLE + [HR, EMPLOYEE])
    return store, SearchCandidates(FakeMatching(store))


def ids(outcome) -> list[str]:
    assert isinstance(outcome, SearchResult), outcome
    return [c.employee_id for c in outcome.page.candidates]


def test_hr_sees_everyone_and_the_search_is_audited_with_who_was_shown(fake):
    store, search = fake
    assert ids(search.search(HR, "backend")) == ["E1", "E2", "E3", "M1"]
    row = store.audit[-1]
    assert (row.actor_id, row.action, row.shown_ids, row.details["role"]) == (
        "H1", "search", ("E1", "E2", "E3", "M1"), "hr_admin")


def test_a_manager_sees_only_people_open_to_moves_and_never_themselves(fake):
    _, search = fake
    assert ids(search.search(MANAGER, "backend")) == ["E1", "E3"]


def test_an_employee_is_refused_before_anything_is_looked_up(fake):
    store, search = fake
    assert search.search(EMPLOYEE, "backend Kafka") == Refusal("not_allowed_search", "en")
    assert store.audit == [] and store.searches == {}


def test_a_discriminatory_search_is_blocked_and_audited_as_a_refusal_never_as_a_search(fake):
    store, search = fake
    outcome = search.search(HR, "backend engineer under 30")
    assert isinstance(outcome, Blocked) and outcome.verdict.kind == "discriminatory"
    assert [(r.action, r.details["entry"]) for r in store.audit] == [("refused", "search")]
    assert store.searches == {}


def test_a_channel_is_refused_after_the_check(fake):
    _, search = fake
    assert search.search(HR, "backend", private=False) == Refusal("private_only", "en")


def test_locations_are_read_as_the_directory_writes_them_in_korean_too(fake):
    _, search = fake
    assert ids(search.search(HR, "backend Kafka loc:서울")) == ["E1", "E2"]
    assert isinstance(search.search(HR, "backend loc:Atlantis"), UnknownLocation)


def test_an_unknown_department_is_named_with_the_known_ones(fake):
    _, search = fake
    outcome = search.search(HR, "backend dept:Paymnts")
    assert outcome == UnknownDepartment(("Paymnts",), ("Payments", "Platform"), "en")


@pytest.mark.parametrize("text, limit", [("backend 21", None), ("backend limit:0", None), ("backend", 21),
                                         ("backend", 0), ("backend", "x")])
def test_the_1_to_20_limit_is_checked_in_one_place_however_it_is_given(fake, text, limit):
    _, search = fake
    outcome = search.search(HR, text, limit=limit)
    assert isinstance(outcome, BadOption) and "between 1 and 20" in outcome.why


def test_an_explicit_limit_and_the_platform_cap_bound_the_page(fake):
    _, search = fake
    assert len(ids(search.search(HR, "backend 3", limit=1))) == 1
    assert len(ids(search.search(HR, "backend 3", page_cap=2))) == 2


def test_no_role_to_search_for(fake):
    _, search = fake
    assert search.search(HR, "dept:Payments") == NeedsDescription("en", unclear=True)


def test_the_answer_is_in_the_language_of_the_words_typed_not_the_options(fake):
    _, search = fake
    assert search.search(HR, "백엔드 개발자 dept:Paymnts").lang == "ko"
    assert search.search(HR, "backend loc:서울").lang == "en"


def test_buttons_work_only_for_the_owner_of_the_saved_search(fake):
    _, search = fake
    result = search.search(MANAGER, "backend 1")
    assert search.open_saved(HR, result.search_id) == Refusal("not_your_search", "en")
    assert search.open_saved(MANAGER, "nope") == Refusal("search_expired", "en")
    saved = search.open_saved(MANAGER, result.search_id)
    assert ids(search.page(MANAGER, saved, 1)) == ["E3"]
    assert search.page(MANAGER, saved, 2) == Refusal("no_more_results", "en")


def test_details_and_shortlist_follow_the_search_visibility(fake):
    store, search = fake
    saved = search.open_saved(MANAGER, search.search(MANAGER, "backend").search_id)
    assert search.details(MANAGER, saved, "E2") == Refusal("profile_not_visible", "en")    # not open to moves
    assert search.details(MANAGER, saved, "E1").id == "E1"
    kept = search.add_to_shortlist(MANAGER, saved, "E1")
    assert isinstance(kept, Shortlisted) and kept.added and kept.count == 1
    assert not search.add_to_shortlist(MANAGER, saved, "E1").added
    assert search.add_to_shortlist(MANAGER, saved, "E2") == Refusal("profile_not_visible", "en")
    assert [r.action for r in store.audit if r.action in ("details", "shortlist")] == ["details", "shortlist"]
    store.employees["E1"] = Employee(**{**vars(store.employees["E1"]), "open_to_moves": False})
    assert search.shortlist(MANAGER, "en") == []          # opted out since: no longer shown


def test_outcomes_serialise_for_the_cli(fake):
    _, search = fake
    assert outcome_dict(search.search(HR, "backend dept:Paymnts"))["outcome"] == "unknown_department"
    data = outcome_dict(search.search(HR, "backend 1"))
    assert data["outcome"] == "results" and data["results"][0]["employee_id"] == "E1"
