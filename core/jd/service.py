"""The JD use cases behind one object, for the chat handlers and the CLI.

    jd = JdService(store, extractor, provider)      # provider: the AI port (core.ai.provider); None offline
    jd.instant_drafts("hanbit-pay", "1000229", "L4", notes="Kafka 필수")   # zero tokens, from storage
    jd.rewrite_section(draft, "requirements", "Redis 빼줘", material=instant.material)
    jd.update_posting("hanbit-pay-be-2024-l4", "L5로 올려줘")
    brief = jd.brief("한빛페이 시니어 백엔드, Kafka 필수")      # check + extract, for the user to confirm
    jd.submit_custom(brief, requester="E0001")                   # -> (job_id, position, eta_seconds)
    jd.worker().start()                                          # completes custom JDs (model or templates)
    jd.workflow.create(draft, owner) / .edit / .decide / .publish

The instant path never touches the provider (bench/jd_instant.py checks it with a counting fake). With a Gemini
provider (`provider.name == "gemini"`) and within the daily token budget, three things use the model: custom JDs
(core.jd.generation), `brief` (entities and a rewritten request for the user to confirm) and `rewrite_section`
when the offline rules could not carry out the whole instruction. Everything else, and all of it offline or past
the budget, is template-built as before.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import Iterator

from core.ai.models import ai_status
from core.ai.provider import FallbackReason, fallback_reason
from core.cache import VersionedCache
from core.jd.custom import CUSTOM_JD_KIND, Brief, extract_brief, find_company, find_family_in, offline_custom_jd_handler
from core.jd.diff import diff_sections
from core.jd.generation import budget_ok, model_custom_jd_handler, section_context, tokens_used, utc_day
from core.jd.guardrails import _default_extractor, check_request, enforce
from core.jd.knowledge import KnowledgeImportReport, import_company_knowledge, load_demo_companies
from core.jd.model import JOB_FAMILIES, Company, JdDraft, Posting, find_family, find_level
from core.jd.prepare import (DraftChange, InstantDrafts, PrepareReport, _level_in, instant_drafts, prepare_all,
                             rewrite_section, source_index, update_posting)
from core.jd.queue import JobQueue, JobRecord, Submitted, Worker
from core.jd.workflow import JdWorkflow


log = logging.getLogger(__name__)


SOURCE_CACHE_SECONDS = 300.0   # a company's source index (about 60 ms to build) is rebuilt at most this often
WATCH_SECONDS = 15 * 60        # how long a "queued" message follows its job; after that the notifier delivers it


class UnknownPosting(LookupError):
    pass


# ---- typed outcomes -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TokenBudget:
    """Today's AI tokens against the daily budget (0 = unlimited)."""
    used: int
    limit: int

    @property
    def exceeded(self) -> bool:
        return bool(self.limit) and self.used >= self.limit


@dataclass(frozen=True)
class JobGone:
    job_id: str


@dataclass(frozen=True)
class JobWaiting:
    """Queued (position > 0) or running (position 0), with the expected wait."""
    job: JobRecord
    position: int
    eta_seconds: float


@dataclass(frozen=True)
class JobFinished:
    """Done or failed. `deliver`: this caller marked it notified first, so it is the one to show the result."""
    job: JobRecord
    deliver: bool = True


JobProgress = JobGone | JobWaiting | JobFinished


@dataclass(frozen=True)
class QueueStatus:
    """What `jd status` shows in the chat and the CLI."""
    queue: dict
    usage: list[dict]
    budget: TokenBudget
    pending_approval: int
    models: dict


class JdService:
    def __init__(self, store, extractor=None, provider=None, queue: JobQueue | None = None, *,
                 daily_token_budget: int | None = None, allow_self_approval: bool = False, documents=None):
        self.store = store
        self.documents = documents      # core.documents.DocumentReader for company files; None: .txt and .md only
        self._extractor = extractor
        self.provider = provider                 # the AI port; only used when it is Gemini (see module docstring)
        self.daily_token_budget = daily_token_budget     # tokens per UTC day, all models; None = no limit
        self.workflow = JdWorkflow(store, allow_self_approval=allow_self_approval)
        self.queue = queue or JobQueue(store)
        self._sources = VersionedCache(lambda: int(time.monotonic() // SOURCE_CACHE_SECONDS), self._build_sources)

    @property
    def uses_model(self) -> bool:
        """A Gemini provider is configured (it may still degrade: budget, failures)."""
        return getattr(self.provider, "name", "") == "gemini"

    def model_allowed(self) -> bool:
        """The model may be called now: configured, and today's tokens are within the budget."""
        return self.uses_model and budget_ok(self.store, self.daily_token_budget)

    @property
    def extractor(self):
        if self._extractor is None:
            self._extractor = _default_extractor()
        return self._extractor

    # ---- budget, status, job progress -----------------------------------------------------------------------------
    def budget(self) -> TokenBudget:
        return TokenBudget(tokens_used(self.store), max(0, int(self.daily_token_budget or 0)))

    def status(self) -> QueueStatus:
        return QueueStatus(self.queue.stats(), self.store.ai_usage(utc_day()), self.budget(),
                           len(self.store.list_jds(status="pending_approval")), ai_status(self.provider))

    def job_progress(self, job_id: str, claim_delivery: bool = False) -> JobProgress:
        """Where a custom-JD job is. With `claim_delivery`, a finished job is marked notified and `deliver` says
        whether this caller got there first (the watcher or the background notifier: the requester gets the review
        card exactly once)."""
        job = self.queue.get(job_id) if job_id else None
        if job is None:
            return JobGone(job_id)
        if job.status in ("done", "failed"):
            return JobFinished(job, self.queue.mark_notified(job.id) if claim_delivery else True)
        position = self.queue.position(job.id) or 0
        return JobWaiting(job, position, self.queue.eta(job.id) or 0.0)

    def watch(self, job_id: str, give_up_after: float = WATCH_SECONDS) -> Iterator[JobProgress | None]:
        """Polls a job: each change of place, state or completed sections once, None while nothing changed, and the
        finish last (only when this watcher is the one to deliver it)."""
        deadline = time.monotonic() + give_up_after
        shown = None
        while time.monotonic() < deadline:
            progress = self.job_progress(job_id, claim_delivery=True)
            if isinstance(progress, JobGone):
                return
            if isinstance(progress, JobFinished):
                if progress.deliver:
                    yield progress
                return
            state = (progress.job.status, progress.position,
                     tuple((progress.job.progress or {}).get("sections", ())))
            if state != shown:
                shown = state
                yield progress
            else:
                yield None

    # ---- knowledge --------------------------------------------------------------------------------------------------
    def source_index(self, company):
        """What a company's drafts may draw on (postings and documents), rebuilt every few minutes at most."""
        return self._sources.get(company.id)

    def _build_sources(self, company_id: str):
        company = self.store.get_company(company_id)
        return source_index(company, self.store.list_postings(company_id), self.store.list_doc_chunks(company_id),
                            self.extractor)

    def companies(self) -> list[Company]:
        return self.store.list_companies()

    def postings(self, company_id: str, family: str | None = None, level: str | None = None) -> list[Posting]:
        return self.store.list_postings(company_id, family, level)

    def import_knowledge(self, path, progress=None) -> KnowledgeImportReport:
        if self.documents is None:
            return import_company_knowledge(self.store, path, progress)
        return import_company_knowledge(self.store, path, progress, self.documents)

    def load_demo(self, progress=None) -> tuple[KnowledgeImportReport, PrepareReport]:
        report = load_demo_companies(self.store)
        return report, self.prepare(report.company_ids, progress=progress)

    def prepare(self, companies=None, force: bool = False, progress=None) -> PrepareReport:
        return prepare_all(self.store, self.extractor, companies=companies, force=force, progress=progress)

    # drafts
    def instant_drafts(self, company_id: str, family: str, level: str, notes: str = "",
                       lang: str | None = None) -> InstantDrafts:
        return instant_drafts(self.store, company_id, family, level, notes, lang, extractor=self._extractor)

    def rewrite_section(self, draft: JdDraft, section: str, instruction: str, material: dict | None = None) -> DraftChange:
        """Only `section` changes. The offline rules go first (zero tokens); the model is asked, with that one
        section, only when they could not carry out the whole instruction."""
        company = self.store.get_company(draft.company_id) if draft.company_id else None
        offline = rewrite_section(draft, section, instruction, company, material, self.extractor)
        if (offline.understood and not offline.unapplied) or not self.model_allowed():
            return offline
        if not check_request(instruction, context="instruction").ok:
            return offline
        from core.ai.runner import run_sync

        context = section_context(self.store, draft, company, self.extractor, material)
        try:
            generated = run_sync(self.provider.rewrite_section(section, draft.section_text(section), instruction,
                                                               context, draft.lang))
        except Exception as exc:   # noqa: BLE001 - a bare provider may raise; the offline answer stands
            log.warning("rewrite_section via the model failed (%s); offline answer kept", exc)
            offline.fallback = fallback_reason(exc)
            return offline
        if generated.source != "gemini" or not generated.value.strip():
            offline.fallback = generated.reason or FallbackReason("bad_output", generated.model)
            return offline
        after = replace(draft.with_section(section, generated.value),
                        basis={**draft.basis, "rewritten_by": generated.model or generated.source})
        sources = None
        if company is not None:
            sources = source_index(company, self.store.list_postings(company.id),
                                   self.store.list_doc_chunks(company.id), self.extractor).extended(instruction,
                                                                                                  self.extractor)
        after, findings = enforce(after, company, sources, self.extractor)
        return DraftChange(draft, after, diff_sections(draft, after, (section,)),
                           [{"op": "model", "value": instruction, "section": section}], [],
                           [f for f in findings if f.section == section])

    def update_posting(self, posting_id: str, instruction: str) -> DraftChange:
        posting = self.store.get_posting(posting_id)
        if posting is None:
            raise UnknownPosting(posting_id)
        return update_posting(posting, instruction, self.store.get_company(posting.company_id), self.extractor)

    # custom generation in the background
    def brief(self, text: str, company_id: str = "", family: str = "", level: str = "",
              lang: str | None = None) -> Brief:
        """The request checked (refused requests never reach a model) and its entities extracted; with the model,
        also the team, product area and a rewritten request. Fields the caller already knows win."""
        brief = extract_brief(self.store, text, company_id, family, level, self.extractor, lang=lang)
        if not brief.verdict.ok or not self.model_allowed():
            return brief
        from core.ai.runner import run_sync

        companies = self.store.list_companies()
        try:
            generated = run_sync(self.provider.rewrite_request(text, brief.lang, companies))
        except Exception as exc:   # noqa: BLE001 - the rules' brief stands
            log.warning("rewrite_request via the model failed (%s); offline brief kept", exc)
            brief.fallback = fallback_reason(exc)
            return brief
        if generated.source != "gemini":
            brief.fallback = generated.reason or FallbackReason("unavailable")
            return brief
        found = generated.value
        if not company_id:
            brief.company_id = find_company(companies, found.company) or brief.company_id
        if not family:
            named = found.family.strip()
            brief.family = (named if named in JOB_FAMILIES else getattr(find_family(named), "code", "")
                            or find_family_in(named)) or brief.family
        if not level:
            named = found.level.strip()
            level_def = find_level(named) or _level_in(named)
            brief.level = level_def.code if level_def else brief.level
        brief.skills = list(dict.fromkeys([*brief.skills, *self.extractor.extract_query(", ".join(found.skills))]))
        brief.years = brief.years if brief.years is not None else found.years
        brief.team, brief.product_area = found.team.strip(), found.product_area.strip()
        rewritten = found.rewritten.strip()
        # The rewrite is the model's text: it passes the same input check before anyone confirms it.
        brief.rewritten = rewritten if rewritten and check_request(rewritten, context="request").ok else ""
        brief.source = generated.source
        brief.missing = [name for name, value in (("company", brief.company_id), ("family", brief.family),
                                                  ("level", brief.level)) if not value]
        return brief

    def submit_custom(self, brief: Brief, requester: str) -> Submitted:
        if not brief.ready:
            raise ValueError("the brief is not ready: " + (brief.verdict.kind if not brief.verdict.ok
                                                            else "missing " + ", ".join(brief.missing)))
        return self.queue.submit(CUSTOM_JD_KIND, brief.payload(), requester)

    def custom_jd_handler(self):
        """The "custom_jd" job handler: the model's when a Gemini provider is configured (it degrades to templates
        past the budget or on failure), else the template one."""
        if self.uses_model:
            return model_custom_jd_handler(self.provider, self.store, self._extractor,
                                           daily_token_budget=self.daily_token_budget)
        return offline_custom_jd_handler(self.store, self._extractor)

    def worker(self, **kwargs) -> Worker:
        """A worker that completes custom JD jobs with `custom_jd_handler()`."""
        return Worker(self.store, {CUSTOM_JD_KIND: self.custom_jd_handler()}, **kwargs)

    def offline_worker(self, **kwargs) -> Worker:
        """A worker that completes custom JD jobs from templates (no model, or past the token budget)."""
        return Worker(self.store, {CUSTOM_JD_KIND: offline_custom_jd_handler(self.store, self._extractor)}, **kwargs)
