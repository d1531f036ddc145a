"""The weekly talent digest as typed data: what one person would read this week, and the run that sends it.

HR admins get the talent pool (skills open openings ask for vs how many people show them, opt-in rate by department,
JDs waiting for approval and for how long, AI usage against the daily token budget, and the week's 👍/👎 ratio and
mobility funnel from core/feedback.py). Managers get people who newly rank strong for their saved searches, people
newly open to moves, interest expressed in their openings and their shortlist's changes this week, only people they
may see (core.access). Employees who turned openings alerts on get the open openings
that fit them (core.openings ranking). A digest that would say nothing is None, so nobody gets an empty message.

Wording, Markdown and charts live in the presenter (handlers/digest.py); delivery (Slack, Teams, the local chat)
lives in bot/. This module returns data only.

Exactly once: `run_weekly` claims each person's digest for the week in the database before delivering it, and marks
it sent after the delivery succeeded. A claim expires (`CLAIM_TTL_S`): an instance that died between delivering and
marking leaves a claim the next run takes over; while a claim lives nobody else sends that digest. A failed delivery
ends its claim at once, so the next run (the retry job, or `internal-hire digest send`) tries that person again.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from itertools import islice
from typing import Callable

from core.access import AccessDenied, visible_among, visible_filters
from core.domain import Employee, Role
from core.feedback import FeedbackWeek, weekly_feedback
from core.jd.generation import tokens_used
from core.text import person_language

WEEK = timedelta(days=7)
CLAIM_TTL_S = 15 * 60       # longer than one delivery can take (charts, uploads, Slack's Retry-After waits)
RENEW_EVERY_S = 30.0        # the run renews its lease this often (far inside the lease); the claims stop doubles
EMPLOYEE_OPENINGS = 5       # openings listed in an employee's digest at most
MANAGER_PEOPLE = 20         # people listed per manager section at most
SAVED_SEARCHES = 3          # a manager's latest distinct searches checked for newly strong people
STRONG_PER_SEARCH = 5       # newly strong people listed per saved search at most
SEARCH_DEPTH = 30           # how deep each saved search is read (the top of the list is what "ranks well" means)


class NotReachable(Exception):
    """The person has no chat account the bot can message (no Slack id, no Teams conversation reference)."""


@dataclass(frozen=True)
class SkillDemand:
    skill_id: str
    name: str
    openings: int       # open openings whose JD asks for it
    people: int         # people (visible to the reader) whose profile shows it


@dataclass(frozen=True)
class DeptOptIn:
    department: str
    people: int
    open_to_moves: int

    @property
    def rate(self) -> float:
        return self.open_to_moves / self.people if self.people else 0.0


@dataclass(frozen=True)
class PendingJd:
    jd_id: str
    title: str
    days_waiting: int


@dataclass(frozen=True)
class PersonLine:
    employee_id: str
    display_name: str
    title: str
    department: str


@dataclass(frozen=True)
class StrongLine:
    """Someone who now ranks strong for one of the reader's saved searches and whose profile or availability changed
    this week (they were not there, or not the same, a week ago)."""
    query: str
    score: int
    person: PersonLine


@dataclass(frozen=True)
class InterestLine:
    """Someone who said, with consent, that they are interested in one of the reader's openings this week."""
    opening_id: str
    opening_title: str
    person: PersonLine


@dataclass(frozen=True)
class OpeningLine:
    """An open opening that fits the reader (an employee), with the skills of theirs it asks for."""
    opening_id: str
    title: str
    company: str
    level: str
    score: int
    band: str
    skills: tuple[str, ...]          # the reader's skills the opening asks for (names in the reader's language)
    missing: tuple[str, ...]         # required skills the profile does not show


@dataclass
class Digest:
    person_id: str
    role: Role
    lang: str
    week_of: str                                       # ISO date of the week's Monday
    skills: list[SkillDemand] = field(default_factory=list)
    optin: list[DeptOptIn] = field(default_factory=list)
    pending: list[PendingJd] = field(default_factory=list)
    ai_week_tokens: int = 0
    ai_today_tokens: int = 0
    ai_budget: int = 0
    feedback: FeedbackWeek | None = None    # HR: the 👍/👎 ratio and mobility funnel, week over week
    newly_open: list[PersonLine] = field(default_factory=list)
    interest: list[InterestLine] = field(default_factory=list)
    newly_strong: list[StrongLine] = field(default_factory=list)
    shortlist: list[PersonLine] = field(default_factory=list)      # on the reader's shortlist and visible now
    shortlist_gone: int = 0                                         # on it but no longer visible (any time)
    shortlist_added: list[PersonLine] = field(default_factory=list)  # added this week (and visible)
    shortlist_left: int = 0                                         # no longer visible since this week
    openings: list[OpeningLine] = field(default_factory=list)

    def says_something(self) -> bool:
        return bool(self.skills or self.pending or self.ai_week_tokens or self.newly_open or self.interest
                    or self.newly_strong or self.shortlist_changed or self.openings
                    or any(d.open_to_moves for d in self.optin)
                    or (self.feedback is not None and self.feedback.says_something()))


    @property
    def shortlist_changed(self) -> bool:
        """A shortlist that stayed the same is no news: it is shown only in a week it changed."""
        return bool(self.shortlist_added or self.shortlist_left)

    @property
    def shortlist_week_ago(self) -> int:
        """How many the reader could see on their shortlist a week ago: today's, minus this week's additions, plus
        those who left it this week."""
        return len(self.shortlist) - len(self.shortlist_added) + self.shortlist_left


def week_start(now: datetime) -> str:
    """The ISO date of the Monday of `now`'s week, in `now`'s own time zone (the scheduler passes local time)."""
    return (now.date() - timedelta(days=now.weekday())).isoformat()


def _parse(at: str) -> datetime | None:
    try:
        value = datetime.fromisoformat((at or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _line(e: Employee) -> PersonLine:
    return PersonLine(e.id, e.display_name, e.title, e.department)


class _RunState:
    """What every reader of one run shares, worked out once per run instead of once per reader: the week's changed
    profiles (parsed once), the HR numbers, each opening owner's interest, the open openings, the saved searches'
    results. Valid for one list of employees and one `now`."""

    def __init__(self, employees: list[Employee], now: datetime):
        self.employees = employees
        self.now = now
        self.since = now - WEEK
        self.by_id = {e.id: e for e in employees}
        self.changed = {e.id for e in employees if (_parse(e.updated_at) or _EPOCH) >= self.since}
        self.changed_people = [e for e in employees if e.id in self.changed]
        self.hr: dict | None = None
        self.hr_names: dict[str, list[SkillDemand]] = {}
        self.interest_by_owner: dict[str, list[tuple]] | None = None
        self.open_infos: list | None = None
        self.searches: dict[tuple, list] = {}

    def fits(self, employees, now) -> bool:
        return employees is self.employees and now == self.now


_EPOCH = datetime.min.replace(tzinfo=timezone.utc)


class DigestBuilder:
    """Builds one person's digest from the store (employees, JDs, openings, AI usage), the skills taxonomy and, for
    employees, the openings ranking (core.openings.Openings; without it employees get no digest); with `matching`
    (core.matching) managers also hear who newly ranks strong for their saved searches.

    A run (`run_weekly`) passes the same employee list for every person: what readers share is then worked out once
    (see _RunState), so a manager's digest costs a pass over the week's changed people, not over everyone."""

    def __init__(self, store, taxonomy, daily_token_budget: int = 0, top_skills: int = 8, openings=None,
                 matching=None):
        self.store = store
        self.taxonomy = taxonomy
        self.daily_token_budget = daily_token_budget
        self.top_skills = top_skills
        self.openings = openings
        self.matching = matching
        self._subscribers: set[str] | None = None
        self._run: _RunState | None = None

    def build(self, person: Employee, now: datetime | None = None, lang: str | None = None,
              employees: list[Employee] | None = None) -> Digest | None:
        now = now or datetime.now(timezone.utc)
        lang = lang if lang in ("en", "ko") else person_language(person.languages, person.display_name)
        digest = Digest(person.id, person.role, lang, week_start(now))
        if person.role in (Role.HR_ADMIN, Role.MANAGER):
            run = self._state(employees, now)
            if person.role == Role.HR_ADMIN:
                self._hr(digest, run)
            else:
                self._manager(digest, person, run)
        else:
            self._employee(digest, person)
        return digest if digest.says_something() else None

    def forget_run_state(self) -> None:
        """Called at the start of a run: what readers share is read once per run, not once per person."""
        self._subscribers = None
        self._run = None

    def _state(self, employees: list[Employee] | None, now: datetime) -> _RunState:
        if employees is None:                            # one digest on its own (preview): nothing to share
            return _RunState(self.store.list_employees(), now)
        if self._run is None or not self._run.fits(employees, now):
            self._run = _RunState(employees, now)
        return self._run

    # ---- HR admins ----------------------------------------------------------------------------------------------
    def _hr(self, digest: Digest, run: _RunState) -> None:
        if run.hr is None:
            run.hr = self._hr_numbers(run)
        numbers = run.hr
        if digest.lang not in run.hr_names:
            run.hr_names[digest.lang] = [SkillDemand(sid, self.taxonomy.name(sid, digest.lang), n, people)
                                         for sid, n, people in numbers["skills"]]
        digest.skills = list(run.hr_names[digest.lang])
        digest.optin = list(numbers["optin"])
        digest.pending = list(numbers["pending"])
        digest.ai_week_tokens, digest.ai_today_tokens = numbers["ai"]
        digest.ai_budget = self.daily_token_budget
        digest.feedback = numbers["feedback"]

    def _hr_numbers(self, run: _RunState) -> dict:
        """The HR digest's numbers: the same for every HR admin of a run (they see everyone)."""
        employees, now = run.employees, run.now
        asked: Counter[str] = Counter()
        for opening in self.store.list_openings(status="open"):
            jd = self.store.get_jd(opening.jd_id)
            if jd is not None:
                asked.update(dict.fromkeys(jd.draft.required_skills + jd.draft.preferred_skills, 1))
        shown: Counter[str] = Counter()
        for e in employees:
            shown.update(set(e.skill_ids))
        skills = [(sid, n, shown.get(sid, 0))
                  for sid, n in sorted(asked.items(), key=lambda kv: (-kv[1], kv[0]))[:self.top_skills]]
        by_dept: dict[str, list[int]] = {}
        for e in employees:
            counts = by_dept.setdefault(e.department or "—", [0, 0])
            counts[0] += 1
            counts[1] += int(e.open_to_moves)
        pending = []
        for jd in self.store.list_jds(status="pending_approval", limit=1000):
            since = _parse(jd.updated_at) or now
            pending.append(PendingJd(jd.id, jd.title, max(0, (now - since).days)))
        week_tokens = today_tokens = 0
        today = now.date()
        for back in range(7):
            tokens = tokens_used(self.store, (today - timedelta(days=back)).isoformat())
            week_tokens += tokens
            if back == 0:
                today_tokens = tokens
        return {"skills": skills, "optin": [DeptOptIn(d, n, o) for d, (n, o) in sorted(by_dept.items())],
                "pending": sorted(pending, key=lambda p: (-p.days_waiting, p.jd_id)),
                "ai": (week_tokens, today_tokens),
                "feedback": weekly_feedback(self.store, now)}   # the feedback loop's numbers (core/feedback.py)

    # ---- managers ----------------------------------------------------------------------------------------------
    def _manager(self, digest: Digest, manager: Employee, run: _RunState) -> None:
        digest.newly_strong = self._newly_strong(manager, run)
        strong = {line.person.employee_id for line in digest.newly_strong}
        digest.newly_open = [_line(e) for e in islice((e for e in visible_among(manager, run.changed_people)
                                                       if e.id not in strong), MANAGER_PEOPLE)]
        listed = self.store.shortlist_entries(manager.id)
        people = [run.by_id.get(i) for i, _at in listed]
        seen = {e.id for e in visible_among(manager, people)}
        digest.shortlist = [_line(run.by_id[i]) for i, _at in listed if i in seen]
        digest.shortlist_gone = len(listed) - len(digest.shortlist)
        since = run.since.isoformat()
        digest.shortlist_added = [_line(run.by_id[i]) for i, at in listed if i in seen and _iso_at_or_after(at, since)]
        # left this week: on it since before this week, no longer visible, and their profile changed this week (they
        # stopped being open to moves); removals are not dated otherwise, so older departures are not "this week"
        digest.shortlist_left = sum(1 for i, at in listed
                                    if i not in seen and i in run.changed and not _iso_at_or_after(at, since))
        if self.openings is not None:
            digest.interest = self._interest(manager, run)

    def _newly_strong(self, manager: Employee, run: _RunState) -> list[StrongLine]:
        """People who rank strong for the manager's latest saved searches now and whose profile or availability
        changed this week. Each distinct query is searched once per run under the managers' shared scope (their
        visibility minus the per-reader exclusions); each reader's own visibility is then applied to the results."""
        if self.matching is None:
            return []
        try:
            scope = visible_filters(manager)
        except AccessDenied:
            return []
        shared = replace(scope, exclude_ids=())
        out: list[StrongLine] = []
        listed: set[str] = set()
        for query in self.store.recent_searches(manager.id, SAVED_SEARCHES):
            key = (query, shared)
            if key not in run.searches:
                page = self.matching.search(query, shared, limit=SEARCH_DEPTH)
                run.searches[key] = [c for c in page.candidates if c.band == "strong"]
            fresh = [c for c in run.searches[key] if c.employee_id in run.changed and c.employee_id not in listed]
            people = visible_among(manager, [run.by_id.get(c.employee_id) for c in fresh])
            ok = {e.id for e in people}
            for c in [c for c in fresh if c.employee_id in ok][:STRONG_PER_SEARCH]:
                listed.add(c.employee_id)
                out.append(StrongLine(query, c.score, _line(run.by_id[c.employee_id])))
        return out[:MANAGER_PEOPLE]

    def _interest(self, manager: Employee, run: _RunState) -> list[InterestLine]:
        """People who said this week they are interested in an open opening this manager owns (they consented to
        the owners seeing it, so no visibility rule hides them; withdrawn interest is not listed). Read once per
        run for every owner."""
        if run.interest_by_owner is None:
            run.interest_by_owner = {}
            for info in self._open_infos(run):
                interests = self.store.interests_in(info.id)
                for owner in info.owners:
                    run.interest_by_owner.setdefault(owner, []).append((info, interests))
        out = []
        for info, interests in run.interest_by_owner.get(manager.id, ()):
            for employee_id, _state, at in interests:
                person = run.by_id.get(employee_id)
                if person is not None and (_parse(at) or run.since) >= run.since:
                    out.append(InterestLine(info.id, info.title, _line(person)))
        return out[:MANAGER_PEOPLE]

    def _open_infos(self, run: _RunState | None) -> list:
        if run is None:
            return self.openings.catalogue.open_openings()
        if run.open_infos is None:
            run.open_infos = self.openings.catalogue.open_openings()
        return run.open_infos

    # ---- employees ---------------------------------------------------------------------------------------------
    def _employee(self, digest: Digest, person: Employee) -> None:
        if self.openings is None:
            return
        if self._subscribers is None:
            self._subscribers = set(self.store.alert_subscribers())
        if person.id not in self._subscribers:
            return                                     # only employees who asked to hear about openings
        infos = self._open_infos(self._run)
        if not infos:
            return
        seen = set(self.store.interests_of(person.id))     # interested, withdrawn or "not for me": not suggested
        fits = [f for f in self.openings.rank(person, [i for i in infos if i.id not in seen])
                if f.score is not None and f.score >= self.openings.alert_min_fit]
        name = lambda sid: self.taxonomy.name(sid, digest.lang)      # noqa: E731
        digest.openings = [OpeningLine(f.opening.id, f.opening.title, f.opening.company_name, f.opening.level,
                                       f.score, f.band or "", tuple(name(h.skill_id) for h in f.have),
                                       tuple(name(m) for m in f.missing))
                           for f in fits[:EMPLOYEE_OPENINGS]]


def _iso_at_or_after(at: str, since: str) -> bool:
    when = _parse(at)
    return when is not None and when >= datetime.fromisoformat(since)


@dataclass
class RunReport:
    week: str
    sent: list[str] = field(default_factory=list)
    quiet: int = 0                 # nothing to say this week
    off: int = 0                   # turned digests off
    already: int = 0               # this week's digest was sent before (an earlier run, another instance)
    claimed_elsewhere: int = 0     # another instance holds a live claim on it right now
    not_reachable: list[str] = field(default_factory=list)   # no chat account to reach; retried next run
    failed: dict[str, str] = field(default_factory=dict)     # person id -> reason; retried by the next run
    stopped: bool = False          # the lease was lost: another instance took over the rest
    by_channel: Counter = field(default_factory=Counter)     # "slack" / "teams" / "local" -> digests sent

    def summary(self) -> str:
        where = ", ".join(f"{n} {k}" for k, n in sorted(self.by_channel.items()))
        return (f"week of {self.week}: {len(self.sent)} sent{f' ({where})' if where else ''}, {self.already} already "
                f"sent, {self.claimed_elsewhere} being sent by another instance, {self.quiet} with nothing to say, "
                f"{self.off} turned off, {len(self.not_reachable)} not reachable, {len(self.failed)} failed "
                f"(retried next run)" + (" — stopped: another instance took over" if self.stopped else ""))


def run_weekly(store, builder: DigestBuilder, deliver, now: datetime | None = None, renew=lambda: True,
               holder: str = "digest-run", only: set[str] | None = None, claim_ttl: float = CLAIM_TTL_S,
               progress: Callable[[int, int], None] | None = None,
               breathe: Callable[[float], None] | None = None) -> RunReport:
    """Send this week's digest to everyone who has something to read, once per person and week.

    `deliver(person, digest)` sends one message and returns where it went ("slack", "teams", "local"); it raises
    NotReachable when the person has no chat account, anything else on failure. Per person: claim (skipped while
    another holds a live claim), deliver, mark sent; a failure ends the claim and is retried by the next run, and
    never stops the others. `only` restricts the run to these people (the retry run). `renew()` is the scheduler
    lease, renewed every RENEW_EVERY_S: when it returns False another instance took over, and this run stops.
    `breathe(seconds)` is called with the time each person's digest took to build: the server can pause the run as
    long (bot/digests.py PACING, off by default)."""
    now = now or datetime.now(timezone.utc)
    report = RunReport(week_start(now))
    builder.forget_run_state()
    done, off = store.digest_sent_ids(report.week), store.digests_off_ids()
    employees = store.list_employees()
    renew_at = 0.0
    for n, person in enumerate(employees, 1):
        if progress is not None and n % 100 == 0:
            progress(n, len(employees))
        if only is not None and person.id not in only:
            continue
        if person.id in done:
            report.already += 1
            continue
        if person.id in off:
            report.off += 1
            continue
        if time.monotonic() >= renew_at:          # a database write: not once per person (5,000 of them)
            if not renew():
                report.stopped = True
                break
            renew_at = time.monotonic() + RENEW_EVERY_S
        started = time.perf_counter()
        digest = builder.build(person, now=now, employees=employees)
        if breathe is not None:
            breathe(time.perf_counter() - started)
        if digest is None:
            report.quiet += 1
            continue
        if not store.claim_digest(person.id, report.week, holder, claim_ttl):
            report.claimed_elsewhere += 1   # sent already, or another instance is sending it right now
            continue
        try:
            channel = deliver(person, digest)
        except NotReachable as exc:
            store.release_digest(person.id, report.week, holder, "unreachable", str(exc))
            report.not_reachable.append(person.id)
            continue
        except Exception as exc:            # one person's failure (Slack 5xx, a closed chat) never blocks the others
            reason = f"{type(exc).__name__}: {exc}"[:300]
            store.release_digest(person.id, report.week, holder, "failed", reason)
            report.failed[person.id] = reason
            continue
        if store.mark_digest_sent(person.id, report.week):
            report.sent.append(person.id)
            report.by_channel[channel or "local"] += 1
        else:
            report.already += 1
    if progress is not None:
        progress(len(employees), len(employees))
    return report


def retry_set(store, now: datetime) -> set[str]:
    """Who the retry run tries again this week: attempts that failed, found nobody to reach, or whose claim
    expired without a sent marker (an instance stopped between delivering and marking)."""
    return set(store.digest_attempts(week_start(now)))
