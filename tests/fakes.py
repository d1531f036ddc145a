"""In-memory fakes of the ports (core/ports.py) for unit tests of the use cases: no database, no models, milliseconds.

The rules under test (access, audit, the request check, the grammar and limits) are the real ones; only storage and
ranking are faked. The contract suite (tests/contract) holds the real stores to the same behaviour.
"""
from __future__ import annotations

import itertools
from dataclasses import replace

from core import audit
from core.access import visible_filters
from core.domain import Candidate, Employee, ScoreParts, SearchFilters, SearchPage
from core.ports import AuditEntry

LOCATION_ALIASES = {"서울": "seoul", "부산": "busan"}


class InMemoryStore:
    """The slice of EmployeeStore the search use case touches."""

    backend_name = "memory"

    def __init__(self, employees: list[Employee] = ()):
        self.employees = {e.id: e for e in employees}
        self.audit: list[AuditEntry] = []
        self.searches: dict[str, tuple[str, str, dict]] = {}
        self.shortlists: dict[str, list[str]] = {}
        self._ids = itertools.count(1)

    def get_employee(self, employee_id: str) -> Employee | None:
        return self.employees.get(employee_id)

    def get_employees(self, ids) -> dict[str, Employee]:
        return {i: self.employees[i] for i in ids if i in self.employees}

    def find_employee(self, key: str) -> Employee | None:
        key = (key or "").strip().lower()
        return next((e for e in self.employees.values() if key in (e.id.lower(), e.email.lower(),
                                                                     e.display_name.lower())), None)

    def list_employees(self) -> list[Employee]:
        return list(self.employees.values())

    def add_audit(self, actor_id, action, query, shown_ids, details=None) -> None:
        self.audit.append(AuditEntry(next(self._ids), "now", actor_id, action, query, tuple(shown_ids),
                                     dict(details or {})))

    def list_audit(self, limit=None) -> list[AuditEntry]:
        return list(reversed(self.audit))[:limit]

    def save_search(self, search_id, actor_id, query, filters) -> None:
        self.searches[search_id] = (actor_id, query, dict(filters))

    def load_search(self, search_id):
        return self.searches.get(search_id)

    def add_to_shortlist(self, owner_id, employee_id, note="") -> bool:
        kept = self.shortlists.setdefault(owner_id, [])
        if employee_id in kept:
            return False
        kept.append(employee_id)
        return True

    def shortlist(self, owner_id) -> list[str]:
        return list(self.shortlists.get(owner_id, ()))


class FakeMatching:
    """CandidateSearch over InMemoryStore: a person matches when a query word is in their title or resume; the
    access rule and the audit row are the product's own (core.access, core.audit)."""

    extractor = None

    def __init__(self, store: InMemoryStore):
        self.store = store

    def departments(self) -> list[str]:
        return sorted({e.department for e in self.store.employees.values() if e.department})

    def unknown_departments(self, names) -> list[str]:
        known = {d.lower() for d in self.departments()}
        return [n for n in names if n.strip().lower() not in known]

    def locations(self) -> list[str]:
        return sorted({e.location.lower() for e in self.store.employees.values() if e.location})

    def resolve_locations(self, names):
        found, unknown = [], []
        for name in names:
            key = LOCATION_ALIASES.get(name.strip().lower(), name.strip().lower())
            (found if key in self.locations() else unknown).append(key if key in self.locations() else name)
        return tuple(found), unknown

    def search_as(self, actor, query, filters=SearchFilters(), limit=5, offset=0, lang=None, action="search"):
        effective = visible_filters(actor, filters)
        words = [w.lower() for w in query.split()]
        hits = [e for e in self.store.employees.values() if self._eligible(e, effective)
                and any(w in f"{e.title} {e.resume_text}".lower() for w in words)]
        shown = hits[offset:offset + limit]
        page = SearchPage(query=query, filters=effective, offset=offset, total_eligible=len(hits), query_skills=(),
                          candidates=tuple(Candidate(
                              employee_id=e.id, display_name=e.display_name, department=e.department,
                              title=e.title, level=e.level, location=e.location, open_to_moves=e.open_to_moves,
                              score=50, band="good", parts=ScoreParts(0.5, 0.5, 0.0, 1.0), matched=(), missing=(),
                              thin_profile=False) for e in shown))
        audit.record(self.store, actor, action, query, [c.employee_id for c in page.candidates],
                     filters=effective.describe(), offset=offset)
        return page

    @staticmethod
    def _eligible(e: Employee, f: SearchFilters) -> bool:
        if f.open_only and not e.open_to_moves or e.id in f.exclude_ids:
            return False
        if f.departments and e.department.lower() not in {d.lower() for d in f.departments}:
            return False
        if e.department.lower() in {d.lower() for d in f.exclude_departments}:
            return False
        return not f.locations or e.location.lower() in f.locations


def with_open(employee: Employee, open_to_moves: bool) -> Employee:
    return replace(employee, open_to_moves=open_to_moves)
