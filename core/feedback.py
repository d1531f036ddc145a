"""The feedback loop as one use case with typed outcomes: 👍/👎 on a search result or an opening, the outcomes HR
records (a move approved, a person moved into an opening), the rows `feedback export` writes, the judgements the
quality bench turns into nDCG, and the week's numbers the HR digest shows.

Rules that hold here, whoever calls (Slack, Teams, the local chat, the CLI):
- a vote on a search result needs the presser's own saved search and a person they may still see (core.access); a
  vote on an opening needs the opening to exist. One vote per presser, item and search: pressing again changes it;
- outcomes are recorded by HR admins only, for a person in the directory and an opening that exists; recording the
  same outcome twice changes nothing;
- every vote, changed vote and outcome is audited (core.audit, the only audit writer).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from core import audit
from core.access import can_search_people, can_view
from core.domain import Employee, Role

UP, DOWN = "up", "down"
VOTES = (UP, DOWN)
PERSON, OPENING = "person", "opening"
APPROVED, MOVED = "approved", "moved"
OUTCOMES = (APPROVED, MOVED)
# Graded relevance of a judgement for nDCG (bench/eval_quality.py --feedback): moved beats 👍 beats 👎.
GAIN = {DOWN: 0, UP: 1, MOVED: 3}
# Audit actions counted as the funnel's first two stages (written by core/openings.py and core/search.py).
INTEREST_ACTIONS = ("opening_interest",)
WEEK = timedelta(days=7)


# ---- outcomes ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VoteRecorded:
    item_kind: str
    item_id: str
    name: str                 # the person's name or the opening's title, for the acknowledgement
    vote: str
    before: str | None        # None: the first vote on this item in this search

    @property
    def changed(self) -> bool:
        return self.vote != self.before


@dataclass(frozen=True)
class OutcomeRecorded:
    employee: Employee
    opening_id: str
    opening_title: str
    kind: str
    added: bool               # False: recorded before


@dataclass(frozen=True)
class FeedbackRefusal:
    reason: str               # a message key: feedback_hr_only, feedback_unknown_person, opening_gone, ...
    detail: str = ""


@dataclass(frozen=True)
class FillChoices:
    """Who can have filled an opening: people interested in it and people its owners shortlisted."""
    opening_id: str
    opening_title: str
    people: tuple[Employee, ...]


@dataclass(frozen=True)
class Funnel:
    interested: int = 0
    shortlisted: int = 0
    approved: int = 0
    moved: int = 0


@dataclass(frozen=True)
class WeekNumbers:
    since: str
    until: str
    up: int
    down: int
    funnel: Funnel

    @property
    def ratio(self) -> float | None:
        """Share of 👍 among the week's votes; None without votes."""
        total = self.up + self.down
        return self.up / total if total else None


@dataclass(frozen=True)
class FeedbackWeek:
    """This week's numbers beside the week before (the digest shows them week over week)."""
    this_week: WeekNumbers
    last_week: WeekNumbers

    def says_something(self) -> bool:
        return any(w.up or w.down or any(vars(w.funnel).values()) for w in (self.this_week, self.last_week))


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


# ---- the use case --------------------------------------------------------------------------------------------------
class Feedback:
    def __init__(self, store, openings=None):
        self.store = store
        self.openings = openings      # core.openings.Openings (its catalogue names an opening's owners); optional

    # ---- 👍/👎 ----------------------------------------------------------------------------------------------------
    def vote_on_result(self, actor: Employee, search_id: str, employee_id: str, vote: str,
                       platform: str = "") -> VoteRecorded | FeedbackRefusal:
        if vote not in VOTES:
            return FeedbackRefusal("unknown_action")
        if not can_search_people(actor):
            return FeedbackRefusal("not_allowed_search")
        saved = self.store.load_search(search_id) if search_id else None
        if saved is None:
            return FeedbackRefusal("search_expired")
        if saved[0] != actor.id:
            return FeedbackRefusal("not_your_search")
        employee = self.store.get_employee(employee_id)
        if employee is None:
            return FeedbackRefusal("employee_gone")
        if not can_view(actor, employee):
            return FeedbackRefusal("profile_not_visible")
        query = saved[1]
        before = self.store.record_vote(actor.id, PERSON, employee.id, search_id, query, vote, platform)
        if before != vote:
            audit.record(self.store, actor, "feedback_vote", query, [employee.id], item="person", vote=vote,
                         before=before, search_id=search_id)
        return VoteRecorded(PERSON, employee.id, employee.display_name, vote, before)

    def vote_on_opening(self, actor: Employee, opening_id: str, vote: str, context: str = "",
                        platform: str = "") -> VoteRecorded | FeedbackRefusal:
        """An opening judged against the presser's own profile: one vote per person and opening, whichever list or
        alert showed it (`context`: the list's options as typed, kept with the vote)."""
        if vote not in VOTES:
            return FeedbackRefusal("unknown_action")
        opening = self.store.get_opening(opening_id) if opening_id else None
        if opening is None:
            return FeedbackRefusal("opening_gone")
        before = self.store.record_vote(actor.id, OPENING, opening.id, "", context, vote, platform)
        if before != vote:
            audit.record(self.store, actor, "feedback_vote", context, [opening.id], item="opening", vote=vote,
                         before=before, opening=opening.id)
        return VoteRecorded(OPENING, opening.id, opening.title, vote, before)

    # ---- outcomes HR records -------------------------------------------------------------------------------------
    def record_outcome(self, actor: Employee, person: str, opening_id: str, kind: str = MOVED,
                       via: str = "command") -> OutcomeRecorded | FeedbackRefusal:
        """`person`: an employee id, e-mail or name."""
        if kind not in OUTCOMES:
            return FeedbackRefusal("unknown_action")
        if actor.role != Role.HR_ADMIN:
            return FeedbackRefusal("feedback_hr_only")
        employee = self.store.find_employee(person.strip()) if person and person.strip() else None
        if employee is None:
            return FeedbackRefusal("feedback_unknown_person", person)
        opening = self.store.get_opening(opening_id.strip()) if opening_id else None
        if opening is None:
            return FeedbackRefusal("feedback_unknown_opening", opening_id)
        added = self.store.add_outcome(employee.id, opening.id, kind, actor.id, via)
        if added:
            audit.record(self.store, actor, f"mobility_{kind}", opening.id, [employee.id], opening=opening.id,
                         employee=employee.id, via=via)
        return OutcomeRecorded(employee, opening.id, opening.title, kind, added)

    def fill_choices(self, actor: Employee, opening_id: str) -> FillChoices | FeedbackRefusal:
        """The people an HR admin may pick for "filled internally by …": interested in the opening now, or on its
        owners' shortlists (the publishing HR admin's and the hiring manager's), in that order, each once."""
        if actor.role != Role.HR_ADMIN:
            return FeedbackRefusal("feedback_hr_only")
        opening = self.store.get_opening(opening_id) if opening_id else None
        if opening is None:
            return FeedbackRefusal("feedback_unknown_opening", opening_id)
        ids = [employee_id for employee_id, _, _ in self.store.interests_in(opening.id, "interested")]
        owners = [opening.opened_by]
        if self.openings is not None:
            info = self.openings.catalogue.get(opening.id)
            if info is not None:
                owners = list(info.owners)
        for owner in dict.fromkeys(owners + [actor.id]):
            ids.extend(self.store.shortlist(owner))
        people = self.store.get_employees(list(dict.fromkeys(ids)))
        return FillChoices(opening.id, opening.title, tuple(people[i] for i in dict.fromkeys(ids) if i in people))

    # ---- numbers ---------------------------------------------------------------------------------------------------
    def week(self, now: datetime | None = None) -> FeedbackWeek:
        return weekly_feedback(self.store, now)


def week_numbers(store, since: datetime, until: datetime) -> WeekNumbers:
    """👍/👎 cast (last changed) in [since, until) and the mobility funnel of the same days: interest expressed
    (audited), people shortlisted, moves approved, people moved."""
    a, b = _iso(since), _iso(until)
    votes = store.votes(a, b)
    outcomes = store.outcomes(a, b)
    interested = sum(store.audit_counts(a, b, INTEREST_ACTIONS).values())
    funnel = Funnel(interested=interested, shortlisted=len(store.shortlisted_between(a, b)),
                    approved=sum(1 for o in outcomes if o.kind == APPROVED),
                    moved=sum(1 for o in outcomes if o.kind == MOVED))
    return WeekNumbers(a, b, sum(1 for v in votes if v.vote == UP), sum(1 for v in votes if v.vote == DOWN), funnel)


def weekly_feedback(store, now: datetime | None = None) -> FeedbackWeek:
    """The HR digest's feedback numbers: the seven days before `now` and the seven before those."""
    now = now or datetime.now(timezone.utc)
    return FeedbackWeek(week_numbers(store, now - WEEK, now), week_numbers(store, now - 2 * WEEK, now - WEEK))


# ---- export and evaluation -------------------------------------------------------------------------------------------
EXPORT_COLUMNS = ("record", "at", "updated_at", "actor_id", "item_kind", "item_id", "search_id", "query", "value",
                  "platform_or_via")


def export_rows(store) -> list[dict]:
    """Every vote and outcome as flat rows (votes first, oldest first): what `internal-hire feedback export` writes."""
    rows = [{"record": "vote", "at": v.at, "updated_at": v.updated_at, "actor_id": v.presser_id,
             "item_kind": v.item_kind, "item_id": v.item_id, "search_id": v.search_id, "query": v.query,
             "value": v.vote, "platform_or_via": v.platform} for v in store.votes()]
    rows += [{"record": "outcome", "at": o.at, "updated_at": o.at, "actor_id": o.recorded_by,
              "item_kind": PERSON, "item_id": o.employee_id, "search_id": o.opening_id, "query": "",
              "value": o.kind, "platform_or_via": o.via} for o in store.outcomes()]
    return rows


@dataclass(frozen=True)
class JudgedQuery:
    """One recorded people search with the graded judgements of the people in it (employee id -> gain)."""
    search_id: str
    query: str
    filters: dict
    judgements: dict[str, int]
    asker_id: str = ""        # whose search it was (their visibility applies when it is run again)
    lang: str | None = None


def judged_queries(store) -> list[JudgedQuery]:
    """The recorded searches whose results were judged: 👍 = relevant (1), 👎 = not (0), and a person later moved
    into an opening = highly relevant (3) in every search that judged them. Several pressers of one search: the
    highest judgement wins for a moved person, else the latest vote."""
    moved = {o.employee_id for o in store.outcomes() if o.kind == MOVED}
    by_search: dict[str, dict[str, int]] = {}
    queries: dict[str, str] = {}
    for v in store.votes():
        if v.item_kind != PERSON or not v.search_id:
            continue
        queries[v.search_id] = v.query
        by_search.setdefault(v.search_id, {})[v.item_id] = GAIN[MOVED] if v.item_id in moved else GAIN[v.vote]
    out = []
    for search_id, judgements in sorted(by_search.items()):
        saved = store.load_search(search_id)
        data = saved[2] if saved else {}
        out.append(JudgedQuery(search_id, saved[1] if saved else queries[search_id], data.get("filters", {}),
                               judgements, saved[0] if saved else "", data.get("lang")))
    return out
