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


# ---- the JD use cases (core.jd.flows) -------------------------------------------------------------------------------
class InMemoryJdStore(InMemoryStore):
    """The slice of the store the JD flows and JdWorkflow touch: kept drafts, JDs with versions and decisions (the
    same version checks as the real stores' conditional updates), openings. No companies: nothing to review against."""

    def __init__(self, employees: list[Employee] = ()):
        super().__init__(employees)
        self.drafts: dict[str, tuple[str, str, dict]] = {}
        self.jds: dict = {}
        self.versions: dict[str, list] = {}
        self.decisions: dict[str, list] = {}
        self.openings: dict = {}

    # kept drafts
    def save_draft(self, draft_id, owner_id, kind, payload) -> None:
        import copy
        self.drafts[draft_id] = (owner_id, kind, copy.deepcopy(payload))

    def load_draft(self, draft_id):
        import copy
        return copy.deepcopy(self.drafts.get(draft_id))

    def delete_draft(self, draft_id) -> bool:
        return self.drafts.pop(draft_id, None) is not None

    # what the JDs are about
    def get_company(self, company_id):
        return None

    def get_posting(self, posting_id):
        return None

    def employees_with_role(self, role: str) -> list[Employee]:
        return [e for e in self.employees.values() if e.role.value == role]

    # JDs
    def _version(self, jd_id, version, draft, editor_id, note) -> None:
        from core.jd.model import JdVersion
        self.versions.setdefault(jd_id, []).append(JdVersion(jd_id, version, draft, editor_id, note, "now"))

    def create_jd(self, record, editor_id, note="") -> None:
        self.jds[record.id] = replace(record)
        self._version(record.id, record.version, record.draft, editor_id, note)

    def get_jd(self, jd_id):
        record = self.jds.get(jd_id)
        return replace(record) if record else None

    def list_jds(self, status=None, owner_id=None, company_id=None, limit=100) -> list:
        return [replace(r) for r in self.jds.values() if status is None or r.status.value == status][:limit]

    def update_jd_draft(self, jd_id, expected_version, draft, editor_id, note=""):
        from core.jd.model import EDITABLE_STATUSES
        record = self.jds.get(jd_id)
        if record is None or record.version != expected_version or record.status not in EDITABLE_STATUSES:
            return None
        self.jds[jd_id] = replace(record, draft=draft, title=draft.title, version=expected_version + 1)
        self._version(jd_id, expected_version + 1, draft, editor_id, note)
        return expected_version + 1

    def decide_jd(self, jd_id, expected_version, action, from_statuses, to_status, actor_id, reason="") -> bool:
        from core.jd.model import JdDecision, JdStatus
        record = self.jds.get(jd_id)
        if record is None or record.version != expected_version or record.status.value not in from_statuses:
            return False
        self.jds[jd_id] = replace(record, status=JdStatus(to_status))
        log = self.decisions.setdefault(jd_id, [])
        log.append(JdDecision(len(log) + 1, jd_id, expected_version, actor_id, action, record.status.value, to_status,
                              reason, "2026-01-01T00:00:00+00:00"))
        return True

    def publish_jd(self, jd_id, expected_version, opening, actor_id) -> bool:
        if not self.decide_jd(jd_id, expected_version, "publish", ("approved",), "published", actor_id):
            return False
        self.openings[opening.id] = opening
        return True

    def jd_versions(self, jd_id) -> list:
        return list(self.versions.get(jd_id, ()))

    def jd_decisions(self, jd_id) -> list:
        return list(self.decisions.get(jd_id, ()))

    def get_opening(self, opening_id):
        return self.openings.get(opening_id)

    def opening_for_jd(self, jd_id):
        return next((o for o in self.openings.values() if o.jd_id == jd_id), None)

    def set_opening_status(self, opening_id, status, actor_id) -> bool:
        from core.jd.model import JdDecision
        opening = self.openings.get(opening_id)
        if opening is None or opening.status == status:
            return False
        self.openings[opening_id] = replace(opening, status=status)
        log = self.decisions.setdefault(opening.jd_id, [])
        log.append(JdDecision(len(log) + 1, opening.jd_id, self.jds[opening.jd_id].version, actor_id,
                              "close" if status.value == "closed" else "reopen", opening.status.value, status.value, "",
                              "2026-01-01T00:00:00+00:00"))
        return True


class FakeJobQueue:
    def __init__(self):
        self.jobs: list[tuple[str, dict, str]] = []

    def submit(self, kind, payload, requester):
        from core.jd.queue import Submitted
        self.jobs.append((kind, dict(payload), requester))
        return Submitted(f"job-{len(self.jobs)}", len(self.jobs), 30.0 * len(self.jobs))

    def get(self, job_id):
        return None


class FakeJdService:
    """JdService for the flows' unit tests: drafts are built from the request's words (no taxonomy, no prepared
    sets), briefs come from the real request check, the workflow is the real one over InMemoryJdStore."""

    uses_model = False
    daily_token_budget = 0

    def __init__(self, store: InMemoryJdStore, tokens_used: int = 0):
        from core.jd.workflow import JdWorkflow
        self.store = store
        self.workflow = JdWorkflow(store)
        self.queue = FakeJobQueue()
        self.tokens_used = tokens_used
        self.extractor = None

    def companies(self):
        return []

    def postings(self, company_id, family=None, level=None):
        return []

    def budget(self):
        from core.jd.service import TokenBudget
        return TokenBudget(self.tokens_used, self.daily_token_budget)

    def instant_drafts(self, company_id, family, level, notes="", lang=None):
        from core.jd.guardrails import check_request
        from core.jd.model import JdDraft
        from core.jd.prepare import InstantDrafts
        lang = lang or "en"
        verdict = check_request(notes, context="notes") if notes else None
        if verdict is not None and not verdict.ok:
            return InstantDrafts(company_id, family, level, lang, verdict=verdict)
        if family == "unknown":
            return InstantDrafts(company_id, family, level, lang, error="unknown_family")
        drafts = [JdDraft(title=f"{style} {family} {level}", summary=notes, requirements=["Python"], style=style,
                          lang=lang, company_id=company_id, family=family, level=level)
                  for style in ("concise", "detailed", "past_style")]
        return InstantDrafts(company_id, family, level, lang, drafts=drafts)

    def brief(self, text, company_id="", family="", level="", lang=None):
        from core.jd.custom import Brief
        from core.jd.guardrails import check_request
        missing = [name for name, value in (("company", company_id), ("family", family), ("level", level))
                   if not value]
        return Brief(text, lang or "en", check_request(text, context="request"), company_id, family, level,
                     missing=missing)

    def rewrite_section(self, draft, section, instruction, material=None):
        from core.jd.diff import diff_sections
        from core.jd.prepare import DraftChange
        if "shorter" not in instruction:
            return DraftChange(draft, draft, [], unapplied=[instruction])
        after = draft.with_section(section, draft.section_text(section)[:10])
        return DraftChange(draft, after, diff_sections(draft, after, (section,)),
                           [{"op": "shorter", "value": instruction, "section": section}])
