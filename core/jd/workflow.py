"""A JD from draft to internal opening: create, edit (every edit a version), submit, and HR's decisions.

Every call names the version the person saw; a call on a stale version (a second click, a Slack retry, a card
opened before someone else edited or decided) changes nothing and returns `Outcome.STALE` with the JD as it is now,
so the card can be redrawn. Only the HR role approves, rejects (with a reason), requests changes (with a reason) and
publishes; an approved JD is published as an internal opening exactly once. Drafts pass the output guardrails on
every save, so a sensitive entity typed into an edit never reaches the stored JD.

Four eyes: nobody approves or publishes a JD they wrote (its owner, or anyone who saved a version of it); that returns
`Outcome.OWN_WORK`. An organisation with a single HR admin may allow self-approval (`allow_self_approval`, the
INTERNAL_HIRE_ALLOW_SELF_APPROVAL setting); such a decision stays visible as one (`self_approved`).
"""
from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from core.domain import Employee, Role
from core.jd.guardrails import Finding, enforce
from core.jd.model import (EDITABLE_STATUSES, TRANSITIONS, JdAction, JdDecision, JdDraft, JdRecord, JdStatus,
                           JdVersion, Opening, OpeningStatus)


class Outcome(str, enum.Enum):
    OK = "ok"
    STALE = "stale"                      # someone got there first, or the card shows an older version
    NOT_ALLOWED = "not_allowed"          # the actor's role may not do this
    REASON_REQUIRED = "reason_required"  # reject / request changes without a reason
    NOT_FOUND = "not_found"
    NOT_EDITABLE = "not_editable"        # approved, rejected or published JDs are frozen
    OWN_WORK = "own_work"                # four eyes: the actor wrote or edited this JD, so someone else approves


@dataclass
class WorkflowResult:
    outcome: Outcome
    record: JdRecord | None = None       # the JD as stored after the call (also when STALE: redraw the card)
    opening: Opening | None = None
    findings: list[Finding] = field(default_factory=list)   # what the guardrails removed or flagged on save

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _actor_id(actor: Employee | str) -> str:
    return actor.id if isinstance(actor, Employee) else str(actor)


def _is_hr(actor: Employee | str) -> bool:
    return isinstance(actor, Employee) and actor.role == Role.HR_ADMIN


class JdWorkflow:
    def __init__(self, store, allow_self_approval: bool = False):
        self.store = store
        self.allow_self_approval = allow_self_approval

    def authors(self, jd_id: str, record: JdRecord | None = None) -> set[str]:
        """Who wrote the JD: its owner and everyone who saved a version of it."""
        record = record or self.store.get_jd(jd_id)
        if record is None:
            return set()
        return {record.owner_id} | {v.editor_id for v in self.store.jd_versions(jd_id)}

    def may_approve(self, record: JdRecord, actor: Employee | str) -> bool:
        """An HR admin who did not write it, or anyone in HR when self-approval is allowed by setting."""
        return _is_hr(actor) and (self.allow_self_approval or _actor_id(actor) not in self.authors(record.id, record))

    @staticmethod
    def self_approved(decision: JdDecision, authors: set[str]) -> bool:
        """An approval (or publication) by one of the JD's own authors: only possible with self-approval allowed."""
        return decision.action in ("approve", "publish") and decision.actor_id in authors

    def _clean(self, draft: JdDraft) -> tuple[JdDraft, list[Finding]]:
        company = self.store.get_company(draft.company_id) if draft.company_id else None
        return enforce(draft, company, None, trace_claims=False)

    def create(self, draft: JdDraft, owner: Employee | str, origin: dict | None = None, note: str = "") -> WorkflowResult:
        """A new JD (status draft, version 1) from a chosen draft."""
        clean, findings = self._clean(draft)
        record = JdRecord(id=f"jd-{uuid.uuid4().hex[:12]}", company_id=clean.company_id, family=clean.family,
                          level=clean.level, title=clean.title, status=JdStatus.DRAFT, version=1, draft=clean,
                          owner_id=_actor_id(owner), origin=dict(origin or {"style": clean.style}))
        self.store.create_jd(record, _actor_id(owner), note or f"created from the {clean.style} draft")
        return WorkflowResult(Outcome.OK, self.store.get_jd(record.id), findings=findings)

    def get(self, jd_id: str) -> JdRecord | None:
        return self.store.get_jd(jd_id)

    def edit(self, jd_id: str, version: int, draft: JdDraft, editor: Employee | str, note: str = "") -> WorkflowResult:
        """Save an edit as a new version (the owner or HR, while nobody has decided)."""
        current = self.store.get_jd(jd_id)
        if current is None:
            return WorkflowResult(Outcome.NOT_FOUND)
        if _actor_id(editor) != current.owner_id and not _is_hr(editor):
            return WorkflowResult(Outcome.NOT_ALLOWED, current)
        if current.status not in EDITABLE_STATUSES:
            return WorkflowResult(Outcome.NOT_EDITABLE, current)
        clean, findings = self._clean(draft)
        if self.store.update_jd_draft(jd_id, version, clean, _actor_id(editor), note) is None:
            return WorkflowResult(Outcome.STALE, self.store.get_jd(jd_id), findings=findings)
        return WorkflowResult(Outcome.OK, self.store.get_jd(jd_id), findings=findings)

    def decide(self, jd_id: str, version: int, action: JdAction | str, actor: Employee | str,
               reason: str = "") -> WorkflowResult:
        """submit / withdraw (the owner or HR) and approve / reject / request_changes / publish (HR only)."""
        try:
            action = JdAction(action)
        except ValueError:
            raise ValueError(f"unknown action {action!r}; one of {', '.join(a.value for a in JdAction)}") from None
        current = self.store.get_jd(jd_id)
        if current is None:
            return WorkflowResult(Outcome.NOT_FOUND)
        if action.needs_hr and not _is_hr(actor):
            return WorkflowResult(Outcome.NOT_ALLOWED, current)
        if not action.needs_hr and _actor_id(actor) != current.owner_id and not _is_hr(actor):
            return WorkflowResult(Outcome.NOT_ALLOWED, current)
        if action in (JdAction.APPROVE, JdAction.PUBLISH) and not self.may_approve(current, actor):
            return WorkflowResult(Outcome.OWN_WORK, current)
        if action.needs_reason and not (reason or "").strip():
            return WorkflowResult(Outcome.REASON_REQUIRED, current)
        if action == JdAction.PUBLISH:
            return self.publish(jd_id, version, actor)
        from_statuses, to_status = TRANSITIONS[action]
        changed = self.store.decide_jd(jd_id, version, action.value, tuple(s.value for s in from_statuses),
                                       to_status.value, _actor_id(actor), (reason or "").strip())
        return WorkflowResult(Outcome.OK if changed else Outcome.STALE, self.store.get_jd(jd_id))

    def publish(self, jd_id: str, version: int, actor: Employee | str) -> WorkflowResult:
        """approved -> published, creating the internal opening (once; a retry returns STALE and the opening)."""
        current = self.store.get_jd(jd_id)
        if current is None:
            return WorkflowResult(Outcome.NOT_FOUND)
        if not _is_hr(actor):
            return WorkflowResult(Outcome.NOT_ALLOWED, current)
        if not self.may_approve(current, actor):
            return WorkflowResult(Outcome.OWN_WORK, current)
        opening = Opening(id=f"op-{uuid.uuid4().hex[:12]}", jd_id=jd_id, company_id=current.company_id,
                          family=current.family, level=current.level, title=current.title, status=OpeningStatus.OPEN,
                          opened_by=_actor_id(actor), opened_at=_now())
        published = self.store.publish_jd(jd_id, version, opening, _actor_id(actor))
        return WorkflowResult(Outcome.OK if published else Outcome.STALE, self.store.get_jd(jd_id),
                              self.store.opening_for_jd(jd_id))

    def approve_and_publish(self, jd_id: str, version: int, actor: Employee | str) -> WorkflowResult:
        """The one-button path: approve, then publish. A second press finds it published and changes nothing."""
        approved = self.decide(jd_id, version, JdAction.APPROVE, actor)
        if not approved.ok:
            current = approved.record
            # Approved earlier but never published (the process stopped between the two writes): finish it now.
            if (approved.outcome == Outcome.STALE and current is not None and current.status == JdStatus.APPROVED
                    and current.version == version and self.store.opening_for_jd(jd_id) is None):
                return self.publish(jd_id, version, actor)
            return approved
        return self.publish(jd_id, version, actor)

    def set_opening_status(self, opening_id: str, status: OpeningStatus | str, actor: Employee | str) -> WorkflowResult:
        opening = self.store.get_opening(opening_id)
        if opening is None:
            return WorkflowResult(Outcome.NOT_FOUND)
        if not _is_hr(actor):
            return WorkflowResult(Outcome.NOT_ALLOWED, self.store.get_jd(opening.jd_id), opening)
        changed = self.store.set_opening_status(opening_id, OpeningStatus(status), _actor_id(actor))
        return WorkflowResult(Outcome.OK if changed else Outcome.STALE, self.store.get_jd(opening.jd_id),
                              self.store.get_opening(opening_id))

    def history(self, jd_id: str) -> tuple[list[JdVersion], list[JdDecision]]:
        return self.store.jd_versions(jd_id), self.store.jd_decisions(jd_id)
