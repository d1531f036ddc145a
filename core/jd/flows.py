"""The JD flows as use cases: each takes the acting person and what they pressed or typed, applies the rule (HR only,
the request check, versions), writes what must be kept (draft sets, edits in progress, briefs, audit rows) and
returns a typed outcome. handlers/jd.py turns the outcomes into cards; it never touches the store.

    flows = JdFlows(service)                                   # service: core.jd.service.JdService
    flows.offer_drafts(hr, "hanbit-pay", "1000229", "L4", "Kafka 필수", "ko")   -> DraftsOffered | Refused | NoDrafts
    flows.use_draft(hr, set_id, "0")                           -> JdCreated | Gone("set")
    flows.save(hr, record, version, draft)                     -> JdChanged | Unchanged
    flows.submit(hr, record, version, draft)                   -> JdSubmitted | JdChanged | Decision
    flows.decide(hr, record, version, "approve", reason="")    -> Decided | ConfirmReject | ReasonRequired | Decision

Every call refuses a person who is not an HR admin (core.access.can_write_jds) with `NotAllowed`. A discriminatory
request or instruction is written to the audit log as a refusal (core.audit) before the outcome is returned.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Callable

from core import audit
from core.access import can_write_jds
from core.domain import Employee, Role
from core.jd.custom import CUSTOM_JD_KIND, Brief
from core.jd.guardrails import Finding, check_draft, check_request
from core.jd.model import EDITABLE_STATUSES, SECTIONS, Company, JdDecision, JdDraft, JdRecord, JdStatus, JdVersion, \
    Opening, Posting
from core.jd.prepare import DraftChange, InstantDrafts
from core.jd.queue import Submitted
from core.jd.service import JdService, UnknownPosting
from core.jd.workflow import Outcome, WorkflowResult

# Kinds of rows in the store's drafts table (kept until the person confirms or moves on)
DRAFT_SET = "jd_drafts"        # instant drafts (or an updated past posting) the user may pick
WORK = "jd_work"               # unsaved edits and a proposed section rewrite, until Accept / Discard
BRIEF = "jd_brief"             # a checked custom request, until Generate
JOB_USED = "jd_job_used"       # which JD a finished custom job became (a second press opens it)

log = logging.getLogger(__name__)


def _new_id() -> str:
    return uuid.uuid4().hex[:16]


# ---- typed outcomes -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NotAllowed:
    """The person's role may not write or approve JDs."""
    reason: str = "jd_hr_only"


@dataclass(frozen=True)
class Gone:
    """What the card pointed at is no longer there: "set", "posting", "brief", "work", "job" or "jd" (with its id)."""
    what: str
    id: str = ""


@dataclass(frozen=True)
class Refused:
    """The request check refused `text` (a discriminatory one is already in the audit log)."""
    verdict: object
    text: str
    section: str = ""
    fields: dict = field(default_factory=dict)    # company, family, level as the refused request had them

    @property
    def lawful_fill(self) -> str:
        """What an input shows again: the lawful rewording of a discriminatory text, nothing for an injection, the
        text as typed otherwise."""
        if self.verdict.kind == "discriminatory":
            return self.verdict.rewrite
        return "" if self.verdict.kind == "injection" else self.text


@dataclass(frozen=True)
class NoDrafts:
    error: str


@dataclass(frozen=True)
class DraftsOffered:
    set_id: str
    instant: InstantDrafts
    company: Company | None


@dataclass(frozen=True)
class JdCreated:
    """A JD made from a draft (`already`: a second press; the JD the first one made)."""
    record: JdRecord
    style: str = ""
    findings: list[Finding] = field(default_factory=list)
    already: bool = False


@dataclass(frozen=True)
class PastPostings:
    company: Company
    postings: list[Posting]
    family: str
    other_families: bool = False      # none of the family: the company's other postings instead


@dataclass(frozen=True)
class NotUnderstood:
    change: DraftChange
    instruction: str
    section: str = ""


@dataclass(frozen=True)
class PostingUpdated:
    posting: Posting
    change: DraftChange
    set_id: str


@dataclass(frozen=True)
class GenerationMode:
    """How custom JDs are written now: templates only past the daily token budget (or with no model configured)."""
    over_budget: bool
    used: int
    budget: int
    offline: bool

    @property
    def template_only(self) -> bool:
        return self.over_budget


@dataclass(frozen=True)
class BriefChecked:
    """A checked custom request to confirm (kept under `brief_id` until Generate)."""
    brief: Brief
    brief_id: str
    mode: GenerationMode


@dataclass(frozen=True)
class JobQueued:
    submitted: Submitted
    mode: GenerationMode


@dataclass(frozen=True)
class NotEditable:
    record: JdRecord


@dataclass(frozen=True)
class InvalidForm:
    """The card's inputs could not be read (the handler words the problem)."""


@dataclass(frozen=True)
class RewriteOpened:
    work_id: str


@dataclass(frozen=True)
class RewriteInput:
    """The rewrite form is missing something: `problem` is a message key."""
    problem: str
    section: str


@dataclass(frozen=True)
class RewriteProposed:
    work_id: str
    section: str
    change: DraftChange


@dataclass(frozen=True)
class RewriteDiscarded:
    record: JdRecord
    base: JdDraft
    stale: bool


@dataclass(frozen=True)
class Unchanged:
    record: JdRecord


@dataclass(frozen=True)
class JdChanged:
    """An edit went through the workflow (saved, or refused: stale, not editable…). `retry`: the same Save arrived
    twice and the first one saved exactly this. `section`: the rewritten section, for an accepted rewrite."""
    result: WorkflowResult
    record: JdRecord
    retry: bool = False
    section: str = ""


@dataclass(frozen=True)
class PendingSaved:
    """Unsaved edits to a JD waiting for approval were saved; it still waits."""
    record: JdRecord
    version: int


@dataclass(frozen=True)
class JdSubmitted:
    record: JdRecord
    version: int
    approvers: list[str]                 # ids of the HR admins who get the approval card
    no_other_approver: bool


@dataclass(frozen=True)
class Decision:
    """A decision the workflow did not carry out (stale, not found, own work, not allowed)."""
    result: WorkflowResult
    record: JdRecord


@dataclass(frozen=True)
class OutOfDate:
    """A press from a card whose state has changed: nothing happened."""
    record: JdRecord


@dataclass(frozen=True)
class ConfirmReject:
    record: JdRecord
    reason: str


@dataclass(frozen=True)
class ReasonRequired:
    record: JdRecord
    action: str


@dataclass(frozen=True)
class Decided:
    record: JdRecord
    action: str                          # approve, reject, request_changes, close
    opening: Opening | None = None


@dataclass(frozen=True)
class ConfirmClose:
    record: JdRecord
    opening: Opening


# ---- views: what the cards show --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EditView:
    record: JdRecord
    draft: JdDraft
    company: Company | None
    findings: list[Finding]
    owner_name: str


@dataclass(frozen=True)
class ApprovalView:
    record: JdRecord
    company: Company | None
    findings: list[Finding]
    opening: Opening | None
    decisions: list[JdDecision]
    names: Callable[[str], str]
    authors: set[str]
    self_approval: bool


@dataclass(frozen=True)
class HistoryView:
    record: JdRecord
    versions: list[JdVersion]
    decisions: list[JdDecision]
    names: Callable[[str], str]
    authors: set[str]


@dataclass(frozen=True)
class PendingView:
    records: list[JdRecord]
    companies: dict[str, Company]
    names: Callable[[str], str]


@dataclass(frozen=True)
class StaleView:
    """The JD as it is now and the last decision on it (None: no decision yet)."""
    record: JdRecord
    last_decision: JdDecision | None
    names: Callable[[str], str]


class JdFlows:
    def __init__(self, service: JdService):
        self.service = service
        self._store = service.store
        self.workflow = service.workflow

    # ---- access -----------------------------------------------------------------------------------------------------
    @staticmethod
    def permits(actor: Employee | None) -> bool:
        return can_write_jds(actor)

    def _audit(self, actor: Employee, verdict, text: str) -> None:
        """A discriminatory JD request is audited as a refusal, like a search (injection and off-topic are not)."""
        if verdict.kind == "discriminatory":
            audit.refusal(self._store, actor, verdict, text)

    def _refused(self, actor: Employee, verdict, text: str, section: str = "", fields: dict | None = None) -> Refused:
        self._audit(actor, verdict, text)
        return Refused(verdict, text, section, dict(fields or {}))

    # ---- kept rows ----------------------------------------------------------------------------------------------------
    def _load(self, draft_id: str, kind: str) -> tuple[str, dict] | None:
        stored = self._store.load_draft(draft_id) if draft_id else None
        if stored is None or stored[1] != kind:
            return None
        return stored[0], stored[2]

    def draft_set(self, set_id: str) -> dict | None:
        """The kept draft set (company, family, level, notes…), or None."""
        loaded = self._load(set_id, DRAFT_SET)
        return loaded[1] if loaded else None

    # ---- reads for the cards ----------------------------------------------------------------------------------------
    def companies(self) -> list[Company]:
        return self.service.companies()

    def company(self, company_id: str) -> Company | None:
        return self._store.get_company(company_id) if company_id else None

    def posting(self, posting_id: str) -> Posting | None:
        return self._store.get_posting(posting_id) if posting_id else None

    def get(self, jd_id: str) -> JdRecord | None:
        return self.workflow.get(jd_id) if jd_id else None

    def names(self) -> Callable[[str], str]:
        """Display names by employee id, each read once."""
        seen: dict[str, str] = {}

        def name(employee_id: str) -> str:
            if employee_id not in seen:
                person = self._store.get_employee(employee_id) if employee_id else None
                seen[employee_id] = person.display_name if person else (employee_id or "—")
            return seen[employee_id]
        return name

    def last_editor(self, jd_id: str) -> str:
        last = self._store.jd_versions(jd_id)[-1:]
        return self.names()(last[0].editor_id) if last else "—"

    def review_findings(self, record: JdRecord, draft: JdDraft | None = None,
                        earlier: list[Finding] = ()) -> list[Finding]:
        """What was removed on the last save (`earlier`) plus what the reviewer should check in the text as it is:
        coded wording, and skills or claims the company's material, past postings and the request do not support."""
        draft = draft or record.draft
        company = self.company(record.company_id)
        flagged: list[Finding] = []
        if company is not None:
            origin = record.origin or {}
            request_text = " ".join(str(origin.get(k) or "") for k in ("notes", "brief", "instruction")).strip()
            index = self.service.source_index(company)
            if request_text:
                index = index.extended(request_text, self.service.extractor)
            flagged = check_draft(draft, company, index, self.service.extractor)
        return [f for f in earlier if f.blocking or f.kind == "catalog_skill"] + flagged

    def edit_view(self, record: JdRecord, earlier: list[Finding] = (), draft: JdDraft | None = None) -> EditView:
        draft = draft or record.draft
        return EditView(record, draft, self.company(record.company_id), self.review_findings(record, draft, earlier),
                        self.names()(record.owner_id))

    def approval_view(self, jd_id: str) -> ApprovalView | None:
        record = self.get(jd_id)
        if record is None:
            return None
        return ApprovalView(record, self.company(record.company_id), self.review_findings(record),
                            self._store.opening_for_jd(record.id), self._store.jd_decisions(record.id), self.names(),
                            self.workflow.authors(record.id, record), self.workflow.allow_self_approval)

    def history(self, record: JdRecord) -> HistoryView:
        versions, decisions = self.workflow.history(record.id)
        return HistoryView(record, versions, decisions, self.names(),
                           {record.owner_id} | {v.editor_id for v in versions})

    def pending(self) -> PendingView:
        return PendingView(self._store.list_jds(status="pending_approval"),
                           {c.id: c for c in self.companies()}, self.names())

    def stale_view(self, record: JdRecord) -> StaleView:
        current = self.get(record.id) or record
        decisions = [d for d in self._store.jd_decisions(current.id) if d.action != "submit"]
        return StaleView(current, decisions[-1] if decisions else None, self.names())

    def approvers(self, record: JdRecord) -> list[Employee]:
        """The HR admins who may approve this JD now (four eyes: not its authors, unless self-approval is allowed)."""
        authors = set() if self.workflow.allow_self_approval else self.workflow.authors(record.id, record)
        return [e for e in self._store.employees_with_role(Role.HR_ADMIN.value) if e.id not in authors]

    def generation_mode(self) -> GenerationMode:
        budget = self.service.budget()
        return GenerationMode(budget.exceeded, budget.used, budget.limit, not self.service.uses_model)

    # ---- the instant drafts -------------------------------------------------------------------------------------------
    def offer_drafts(self, actor: Employee, company_id: str, family: str, level: str, notes: str,
                     lang: str) -> DraftsOffered | Refused | NoDrafts | NotAllowed:
        if not self.permits(actor):
            return NotAllowed()
        instant = self.service.instant_drafts(company_id, family, level, notes, lang=lang)
        if instant.verdict is not None:          # the notes asked for something unlawful or off-topic
            return self._refused(actor, instant.verdict, notes)
        if not instant.ok:
            return NoDrafts(instant.error or "—")
        set_id = _new_id()
        self._store.save_draft(set_id, actor.id, DRAFT_SET, {
            "company_id": company_id, "family": family, "level": level, "notes": notes, "lang": lang,
            "drafts": [d.to_dict() for d in instant.drafts],
            "findings": {style: [f.to_dict() for f in found] for style, found in instant.findings.items()},
            "origin": {"notes": notes} if notes else {}, "used": {}})
        return DraftsOffered(set_id, instant, self.company(company_id))

    def use_draft(self, actor: Employee, set_id: str, index: str) -> JdCreated | Gone | NotAllowed:
        if not self.permits(actor):
            return NotAllowed()
        loaded = self._load(set_id, DRAFT_SET)
        if loaded is None or not index.isdigit() or int(index) >= len(loaded[1]["drafts"]):
            return Gone("set")
        owner, payload = loaded
        used = payload.get("used", {}).get(index)
        existing = self.get(used) if used else None
        if existing is not None:            # a second press opens the JD the first one made
            return JdCreated(existing, already=True)
        draft = JdDraft.from_dict(payload["drafts"][int(index)])
        created = self.workflow.create(draft, actor, origin={"style": draft.style, **payload.get("origin", {})})
        payload.setdefault("used", {})[index] = created.record.id
        self._store.save_draft(set_id, owner, DRAFT_SET, payload)
        prepared = [Finding.from_dict(f) for f in payload.get("findings", {}).get(draft.style, [])]
        return JdCreated(created.record, draft.style, prepared + created.findings)

    # ---- past postings ----------------------------------------------------------------------------------------------
    def past_postings(self, actor: Employee, set_id: str) -> PastPostings | Gone | NotAllowed:
        if not self.permits(actor):
            return NotAllowed()
        payload = self.draft_set(set_id)
        company = self.company(payload["company_id"]) if payload else None
        if company is None:
            return Gone("set")
        postings = self.service.postings(company.id, payload["family"])
        if postings:
            return PastPostings(company, postings, payload["family"])
        others = self.service.postings(company.id)
        return PastPostings(company, others, payload["family"], other_families=bool(others))

    def update_posting(self, actor: Employee, posting: Posting, instruction: str,
                       lang: str) -> PostingUpdated | Refused | NotUnderstood | Gone | NotAllowed:
        if not self.permits(actor):
            return NotAllowed()
        verdict = check_request(instruction, context="instruction")
        if not verdict.ok:
            return self._refused(actor, verdict, instruction)
        try:
            change = self.service.update_posting(posting.id, instruction)
        except UnknownPosting:
            return Gone("posting")
        if not change.understood:
            return NotUnderstood(change, instruction)
        set_id = _new_id()
        self._store.save_draft(set_id, actor.id, DRAFT_SET, {
            "company_id": posting.company_id, "family": posting.family, "level": change.after.level, "notes": "",
            "lang": lang, "drafts": [change.after.to_dict()],
            "findings": {change.after.style: [f.to_dict() for f in change.findings]},
            "origin": {"posting_id": posting.id, "instruction": instruction}, "used": {}})
        return PostingUpdated(posting, change, set_id)

    # ---- custom JDs ---------------------------------------------------------------------------------------------------
    def check_custom(self, actor: Employee, text: str, company: str, family: str, level: str, lang: str,
                     brief_id: str = "") -> BriefChecked | Refused | NotAllowed:
        """Check a free-text request and keep the brief to confirm (or refuse it, audited)."""
        if not self.permits(actor):
            return NotAllowed()
        brief = self.service.brief(text, company, family, level, lang=lang)
        if not brief.verdict.ok:
            return self._refused(actor, brief.verdict, text)
        return self._keep_brief(actor, brief, brief_id)

    def _keep_brief(self, actor: Employee, brief: Brief, brief_id: str) -> BriefChecked:
        brief_id = brief_id or _new_id()
        # The checked brief is kept as it will be queued: Generate with nothing changed reuses it (no second check,
        # and no second model call when a model extracted it).
        self._store.save_draft(brief_id, actor.id, BRIEF, {"text": brief.text, "company_id": brief.company_id,
                                                          "family": brief.family, "level": brief.level,
                                                          "ready": brief.ready, "payload": brief.payload()})
        return BriefChecked(brief, brief_id, self.generation_mode())

    def generate(self, actor: Employee, brief_id: str, text: str, company: str, family: str, level: str,
                 lang: str) -> JobQueued | BriefChecked | Refused | Gone | NotAllowed:
        """Queue the kept brief (or, when the form changed it, the brief checked again: a brief still missing
        something comes back to confirm). A second press finds the brief gone."""
        if not self.permits(actor):
            return NotAllowed()
        loaded = self._load(brief_id, BRIEF)
        if loaded is None:
            return Gone("brief")
        _, stored = loaded
        text = (text or stored["text"]).strip()
        company, family, level = company or stored["company_id"], family or stored["family"], level or stored["level"]
        unchanged = (text, company, family, level) == (stored["text"], stored["company_id"], stored["family"],
                                                       stored["level"])
        if unchanged and stored.get("ready"):
            payload = dict(stored["payload"])
        else:
            brief = self.service.brief(text, company, family, level, lang=lang)
            if not brief.verdict.ok:
                return self._refused(actor, brief.verdict, text,
                                     fields={"company": company, "family": family, "level": level})
            if not brief.ready:
                return self._keep_brief(actor, brief, brief_id)
            payload = brief.payload()
        if not self._store.delete_draft(brief_id):      # a second press of Generate: the first one queued it
            return Gone("brief")
        mode = self.generation_mode()
        payload["reply_lang"] = lang
        if mode.template_only:
            # Marked so the completion card can say why; the model handler re-checks the budget when the job runs.
            payload.update(template_only=True, degraded="token_budget")
        return JobQueued(self.service.queue.submit(CUSTOM_JD_KIND, payload, actor.id), mode)

    def use_job(self, actor: Employee, job_id: str) -> JdCreated | Gone | NotAllowed:
        """A finished custom JD becomes a stored JD (once: a second press opens the one the first made)."""
        if not self.permits(actor):
            return NotAllowed()
        job = self.service.queue.get(job_id) if job_id else None
        if job is None or job.status != "done" or not (job.result or {}).get("draft"):
            return Gone("job")
        used = self._load(f"job-{job.id}", JOB_USED)
        existing = self.get(used[1]["jd_id"]) if used else None
        if existing is not None:
            return JdCreated(existing, already=True)
        draft = JdDraft.from_dict(job.result["draft"])
        created = self.workflow.create(draft, actor, origin={"style": "custom", "job_id": job.id,
                                                             "brief": job.payload.get("brief", "")})
        self._store.save_draft(f"job-{job.id}", actor.id, JOB_USED, {"jd_id": created.record.id})
        earlier = [Finding.from_dict(f) for f in job.result.get("findings", [])] + created.findings
        return JdCreated(created.record, "custom", earlier)

    # ---- editing ----------------------------------------------------------------------------------------------------
    def save(self, actor: Employee, record: JdRecord, version: int,
             draft: JdDraft) -> JdChanged | Unchanged | NotAllowed:
        if not self.permits(actor):
            return NotAllowed()
        if draft == record.draft and version == record.version:
            return Unchanged(record)
        result = self.workflow.edit(record.id, version, draft, actor, "edited on the card")
        retry = (result.outcome == Outcome.STALE and result.record.draft == draft
                 and self._store.jd_versions(record.id)[-1].editor_id == actor.id)
        return JdChanged(result, record, retry=retry)

    def start_rewrite(self, actor: Employee, record: JdRecord, version: int,
                      base: JdDraft | None) -> RewriteOpened | NotEditable | InvalidForm | NotAllowed:
        """Keep the card's draft (`base`, None when its inputs could not be read) while one section is rewritten."""
        if not self.permits(actor):
            return NotAllowed()
        if record.status not in EDITABLE_STATUSES:
            return NotEditable(record)
        if base is None:
            return InvalidForm()
        work_id = _new_id()
        self._store.save_draft(work_id, actor.id, WORK, {"jd_id": record.id, "version": version,
                                                        "base": base.to_dict()})
        return RewriteOpened(work_id)

    def _material(self, draft: JdDraft) -> dict:
        """The prepared lines "longer" may draw on (one read of the prepared set; none for unknown combinations)."""
        try:
            return self.service.instant_drafts(draft.company_id, draft.family, draft.level, lang=draft.lang).material
        except Exception:        # noqa: BLE001 - "longer" is a nicety; the rewrite works without it
            log.warning("no prepared material for %s/%s/%s", draft.company_id, draft.family,
                        draft.level)
            return {}

    def rewrite(self, actor: Employee, action: str, work_id: str, section: str = "", instruction: str = ""):
        """One step of a section rewrite: "preview" (the change as a diff, kept), "accept" (saved as a version) or
        "discard". Returns RewriteProposed | RewriteInput | Refused | NotUnderstood | RewriteOpened | JdChanged |
        RewriteDiscarded | Gone | NotAllowed."""
        if not self.permits(actor):
            return NotAllowed()
        loaded = self._load(work_id, WORK)
        if loaded is None:
            return Gone("work")
        owner, work = loaded
        record = self.get(work["jd_id"])
        if record is None:
            return Gone("jd", work["jd_id"])
        base = JdDraft.from_dict(work["base"])
        if action == "discard":
            self._store.delete_draft(work_id)
            return RewriteDiscarded(record, base, stale=record.version != work["version"])
        if action == "preview":
            return self._preview(actor, work_id, owner, work, base, section or work.get("section") or "",
                                 instruction.strip())
        if "after" not in work:
            return RewriteOpened(work_id)
        if not self._store.delete_draft(work_id):       # a second Accept: the first one applied it
            return Gone("work")
        section = work["section"]
        note = f"rewrote {section}: {work.get('instruction', '')}"[:200]
        result = self.workflow.edit(record.id, work["version"], JdDraft.from_dict(work["after"]), actor, note)
        return JdChanged(result, record, section=section)

    def _preview(self, actor: Employee, work_id: str, owner: str, work: dict, base: JdDraft, section: str,
                 instruction: str):
        if section not in SECTIONS:
            return RewriteInput("jd_unknown_section", section)
        if not instruction:
            return RewriteInput("jd_instruction_missing", section)
        verdict = check_request(instruction, context="instruction")
        if not verdict.ok:
            return self._refused(actor, verdict, instruction, section)
        change = self.service.rewrite_section(base, section, instruction, material=self._material(base))
        if not change.understood:
            return NotUnderstood(change, instruction, section)
        self._store.save_draft(work_id, owner, WORK, {**work, "section": section, "instruction": instruction,
                                                      "after": change.after.to_dict()})
        return RewriteProposed(work_id, section, change)

    # ---- approval ---------------------------------------------------------------------------------------------------
    def submit(self, actor: Employee, record: JdRecord, version: int,
               draft: JdDraft) -> JdSubmitted | PendingSaved | JdChanged | Decision | NotAllowed:
        """Submit for approval (unsaved edits from the card are saved first). Every HR admin who may approve it
        (four eyes: not its authors) is named in `approvers`."""
        if not self.permits(actor):
            return NotAllowed()
        if draft != record.draft and record.status in EDITABLE_STATUSES:    # unsaved edits are saved first
            saved = self.workflow.edit(record.id, version, draft, actor, "edited before submitting")
            if not saved.ok:
                return JdChanged(saved, record)
            version = saved.record.version
            if saved.record.status == JdStatus.PENDING_APPROVAL:     # edited while waiting: it still waits
                return PendingSaved(saved.record, version)
        result = self.workflow.decide(record.id, version, "submit", actor)
        if not result.ok:
            return Decision(result, record)
        approvers = [e.id for e in self.approvers(result.record) if e.id != actor.id]
        return JdSubmitted(result.record, version, approvers,
                           not approvers and not self.workflow.may_approve(result.record, actor))

    def decide(self, actor: Employee, record: JdRecord, version: int, action: str,
               reason: str = "") -> Decided | ConfirmReject | ReasonRequired | OutOfDate | Decision | NotAllowed:
        """approve (and publish), reject, request_changes; "reject_confirm" is the second step of a reject."""
        if not self.permits(actor):
            return NotAllowed()
        reason = (reason or "").strip()
        confirmed = action == "reject_confirm"
        action = action.removesuffix("_confirm")
        if action == "reject" and reason and not confirmed:
            # Rejecting is final: a second step shows what will be recorded (version and reason) before it happens.
            if record.status != JdStatus.PENDING_APPROVAL or record.version != version:
                return OutOfDate(record)
            return ConfirmReject(record, reason)
        if action == "approve":
            result = self.workflow.approve_and_publish(record.id, version, actor)
        else:
            result = self.workflow.decide(record.id, version, action, actor, reason)
        if result.outcome == Outcome.REASON_REQUIRED:
            return ReasonRequired(record, action)
        if not result.ok:
            return Decision(result, record)
        opening = (result.opening or self._store.opening_for_jd(record.id)) if action == "approve" else None
        return Decided(result.record, action, opening)

    def close_opening(self, actor: Employee, record: JdRecord, seen: list[str],
                      confirmed: bool) -> Decided | ConfirmClose | OutOfDate | Decision | NotAllowed:
        """First press: the confirmation step; the confirmation: close exactly the opening the card showed, if it is
        still open. `seen`: [opening id, its status] as the card showed them."""
        if not self.permits(actor):
            return NotAllowed()
        opening = self._store.opening_for_jd(record.id)
        seen_id = seen[0] if seen else (opening.id if opening else "")
        seen_status = seen[1] if len(seen) > 1 else "open"
        if opening is None or opening.id != seen_id or opening.status.value != "open" or seen_status != "open":
            return OutOfDate(record)
        if not confirmed:
            return ConfirmClose(record, opening)
        result = self.workflow.set_opening_status(opening.id, "closed", actor)
        if result.ok:
            return Decided(result.record, "close", result.opening)
        if result.outcome == Outcome.STALE:                              # closed by someone else a moment ago
            return OutOfDate(record)
        return Decision(result, record)
