"""Search for internal candidates as one use case: every entry (Slack, Teams, the local chat, the CLI, talent chat)
calls it and gets a typed outcome back, which a presenter (handlers/find_candidates.py, the CLI) turns into words.

The use case owns the rules of a search request, in this order: who may search (core.access), the shared request
check (core.guardrails, audited as a refusal), private conversations only, the grammar and the 1-20 limit
(core.matching.query), known departments and locations, the search under the asker's visibility (audited with
exactly who was shown), the language of the answer, and the conversation state behind the results card's buttons
(the saved search, the shortlist).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from core import audit
from core.access import can_search_people, can_view
from core.domain import Employee, SearchFilters, SearchPage
from core.guardrails import Verdict, check_request
from core.matching.query import OptionError, check_limit, filters_from_dict, filters_to_dict, parse_search
from core.text import request_language

DEFAULT_LIMIT = 5


# ---- outcomes ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SearchResult:
    """A page of ranked candidates, saved under `search_id` so the card's buttons can page and expand it."""
    page: SearchPage
    search_id: str
    lang: str
    limit: int
    shortlisted: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Refusal:
    """The request may not run. `reason` is one of REFUSAL_REASONS (also the message key the presenter shows)."""
    reason: str
    lang: str


REFUSAL_REASONS = ("not_allowed_search", "private_only", "search_expired", "not_your_search", "no_more_results",
                   "profile_not_visible", "employee_gone", "unknown_action")


@dataclass(frozen=True)
class Blocked:
    """Stopped by the shared request check: discriminatory (audited as a refusal), an injection, or off-topic."""
    verdict: Verdict
    lang: str


@dataclass(frozen=True)
class NeedsDescription:
    """No role to search for: `unclear` when something was typed but it describes no role."""
    lang: str
    unclear: bool


@dataclass(frozen=True)
class BadOption:
    option: str
    why: str
    lang: str


@dataclass(frozen=True)
class UnknownDepartment:
    names: tuple[str, ...]
    known: tuple[str, ...]
    lang: str


@dataclass(frozen=True)
class UnknownLocation:
    names: tuple[str, ...]
    known: tuple[str, ...]
    lang: str


SearchOutcome = SearchResult | Refusal | Blocked | NeedsDescription | BadOption | UnknownDepartment | UnknownLocation


@dataclass(frozen=True)
class SavedSearch:
    """A search as saved for its results card: whose it is, the query, its filters, limit and language."""
    search_id: str
    owner_id: str
    query: str
    filters: SearchFilters
    limit: int
    lang: str


@dataclass(frozen=True)
class Shortlisted:
    employee: Employee
    added: bool           # False: already on the shortlist
    count: int
    result: SearchResult | Refusal


# ---- the use case ------------------------------------------------------------------------------------------------
class SearchCandidates:
    def __init__(self, matching, default_limit: int = DEFAULT_LIMIT):
        self.matching = matching
        self.store = matching.store
        self.default_limit = default_limit
        # owner -> {employee id: opening}: people interested in one of the owner's openings (core/openings.py; set by
        # the composition root). They stay on that owner's shortlist while their interest lasts, even if not open to
        # moves: consent given for that opening, not for everyone's searches.
        self.interested_in_mine = None

    def search(self, actor: Employee, text: str, *, lang: str | None = None, private: bool = True,
               page_cap: int | None = None, limit: int | str | None = None, action: str = "search") -> SearchOutcome:
        """A typed search request ("backend Kafka loc:서울 dept:Payments 10"). `limit`: an explicit count (the CLI's
        --limit) that overrides one typed in the text; `page_cap`: the most one card of the platform carries."""
        lang = lang or request_language(text)          # options and ids do not count
        if not can_search_people(actor):
            return Refusal("not_allowed_search", lang)
        verdict = check_request(text, "search", lang, self.matching.extractor)
        if not (verdict.ok or verdict.kind == "empty"):
            if verdict.kind == "discriminatory":
                audit.refusal(self.store, actor, verdict, text)
            return Blocked(verdict, lang)
        if not private:
            return Refusal("private_only", lang)
        try:
            parsed = parse_search(text)
            explicit = check_limit(limit) if limit is not None else None
        except OptionError as exc:
            return BadOption(exc.option, exc.why, lang)
        if len(parsed.text) < 2:
            return NeedsDescription(lang, unclear=bool(text.strip()))
        count = explicit or parsed.limit or self.default_limit
        if page_cap:
            count = min(count, page_cap)     # the rest is one "Next page" away, never silently dropped
        filters = self.resolve_filters(parsed.filters, lang)
        if not isinstance(filters, SearchFilters):
            return filters
        return self.run(actor, parsed.text, filters, count, lang, action=action)

    def resolve_filters(self, filters: SearchFilters, lang: str) -> SearchFilters | UnknownDepartment | UnknownLocation:
        """Departments must exist; locations are written as the directory writes them ("서울" -> "seoul")."""
        unknown = self.matching.unknown_departments(filters.departments + filters.exclude_departments)
        if unknown:
            return UnknownDepartment(tuple(unknown), tuple(self.matching.departments()[:12]), lang)
        locations, unknown = self.matching.resolve_locations(filters.locations)
        if unknown:
            return UnknownLocation(tuple(unknown), tuple(self.matching.locations()), lang)
        return replace(filters, locations=locations)

    def run(self, actor: Employee, text: str, filters: SearchFilters, limit: int, lang: str,
            action: str = "search") -> SearchResult:
        """A checked search (talent chat's interpreted question comes in here too): saved for its buttons, run under
        the actor's visibility and audited with exactly who was shown."""
        search_id = uuid.uuid4().hex[:12]
        self.store.save_search(search_id, actor.id, text, {"filters": filters_to_dict(filters), "limit": limit,
                                                            "lang": lang})
        page = self.matching.search_as(actor, text, filters, limit=limit, lang=lang, action=action)
        return SearchResult(page, search_id, lang, limit, self._shortlisted(actor))

    # ---- the results card's buttons -----------------------------------------------------------------------------
    def open_saved(self, actor: Employee, search_id: str, private: bool = True,
                   lang: str | None = None) -> SavedSearch | Refusal:
        """The asker's saved search behind a button, or why the button may not be used (not a searcher, not a
        private chat, expired, or someone else's search). The card's language comes with it."""
        saved = self.store.load_search(search_id) if search_id else None
        lang = (saved[2].get("lang") if saved else None) or lang or "en"
        if not can_search_people(actor):
            return Refusal("not_allowed_search", lang)
        if not private:
            return Refusal("private_only", lang)
        if saved is None:
            return Refusal("search_expired", lang)
        if saved[0] != actor.id:
            return Refusal("not_your_search", lang)
        owner, query, data = saved
        return SavedSearch(search_id, owner, query, filters_from_dict(data.get("filters", {})),
                           int(data.get("limit", self.default_limit)), lang)

    def page(self, actor: Employee, saved: SavedSearch, offset: int, action: str = "next_page") -> SearchResult | Refusal:
        page = self.matching.search_as(actor, saved.query, saved.filters, limit=saved.limit, offset=max(0, offset),
                                       lang=saved.lang, action=action)
        if not page.candidates:
            return Refusal("no_more_results", saved.lang)
        return SearchResult(page, saved.search_id, saved.lang, saved.limit, self._shortlisted(actor))

    def details(self, actor: Employee, saved: SavedSearch, employee_id: str) -> Employee | Refusal:
        """One candidate's full profile, when the asker could find them (audited)."""
        employee = self.store.get_employee(employee_id)
        if employee is None:
            return Refusal("employee_gone", saved.lang)
        if not can_view(actor, employee):
            return Refusal("profile_not_visible", saved.lang)
        audit.record(self.store, actor, "details", saved.query, [employee.id])
        return employee

    def add_to_shortlist(self, actor: Employee, saved: SavedSearch, employee_id: str,
                         offset: int = 0) -> Shortlisted | Refusal:
        employee = self.store.get_employee(employee_id)
        if not can_view(actor, employee):
            return Refusal("profile_not_visible", saved.lang)
        added = self.store.add_to_shortlist(actor.id, employee.id, saved.query)
        if added:
            audit.record(self.store, actor, "shortlist", saved.query, [employee.id])
        count = len(self.store.shortlist(actor.id))
        return Shortlisted(employee, added, count, self.page(actor, saved, offset, action="redraw"))

    def shortlist(self, actor: Employee, lang: str, interested: dict | None = None) -> list[Employee] | Refusal:
        """The asker's shortlist, without anyone they may no longer see (`interested`: interest_context(actor))."""
        if not can_search_people(actor):
            return Refusal("not_allowed_search", lang)
        ids = self.store.shortlist(actor.id)
        people = self.store.get_employees(ids)
        interested = self.interest_context(actor) if interested is None else interested
        return [people[i] for i in ids if people.get(i) is not None and (can_view(actor, people[i]) or i in interested)]

    def interest_context(self, actor: Employee) -> dict:
        """employee id -> the asker's opening they expressed interest in (empty without openings)."""
        return self.interested_in_mine(actor) if self.interested_in_mine is not None else {}

    def _shortlisted(self, actor: Employee) -> frozenset[str]:
        return frozenset(self.store.shortlist(actor.id))


def outcome_dict(outcome: SearchOutcome) -> dict:
    """The outcome as JSON-ready data (the CLI's --json): its kind plus its fields."""
    kind = {SearchResult: "results", Refusal: "refused", Blocked: "blocked", NeedsDescription: "needs_description",
            BadOption: "bad_option", UnknownDepartment: "unknown_department",
            UnknownLocation: "unknown_location"}[type(outcome)]
    if isinstance(outcome, SearchResult):
        page = outcome.page
        return {"outcome": kind, "query": page.query, "total_eligible": page.total_eligible,
                "query_skills": list(page.query_skills), "filters": page.filters.describe(), "results": [{
                    "employee_id": c.employee_id, "name": c.display_name, "title": c.title,
                    "department": c.department, "level": c.level, "location": c.location,
                    "open_to_moves": c.open_to_moves, "score": c.score, "band": c.band,
                    "thin_profile": c.thin_profile, "years": c.years, "seniority_rank": c.seniority_rank,
                    "score_parts": {"semantic": round(c.parts.semantic, 3), "lexical": round(c.parts.lexical, 3),
                                    "skills": round(c.parts.skills, 3),
                                    "completeness": round(c.parts.completeness, 3)},
                    "matched": [{"skill": m.name, "evidence": m.evidence, "via": m.via} for m in c.matched],
                    "missing": list(c.missing)} for c in page.candidates]}
    if isinstance(outcome, Blocked):
        v = outcome.verdict
        return {"outcome": kind, "kind": v.kind, "categories": v.categories, "rewording": v.rewrite,
                "lang": outcome.lang}
    data = {"outcome": kind}
    for name, value in vars(outcome).items():
        data[name] = list(value) if isinstance(value, tuple) else value
    return data
