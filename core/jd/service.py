"""The JD use cases behind one object, for the chat handlers and the CLI.

    jd = JdService(store, extractor, provider)      # provider: the AI port (core.ai.provider); None offline
    jd.instant_drafts("hanbit-pay", "1000229", "L4", notes="Kafka 필수")   # zero tokens, from storage
    jd.rewrite_section(draft, "requirements", "Redis 빼줘", material=instant.material)
    jd.update_posting("hanbit-pay-be-2024-l4", "L5로 올려줘")
    brief = jd.brief("한빛페이 시니어 백엔드, Kafka 필수")      # check + extract, for the user to confirm
    jd.submit_custom(brief, requester="E0001")                   # -> (job_id, position, eta_seconds)
    jd.workflow.create(draft, owner) / .edit / .decide / .publish

The instant path never touches the provider (bench/jd_instant.py checks it with a counting fake).
"""
from __future__ import annotations

from core.jd.custom import CUSTOM_JD_KIND, Brief, extract_brief, offline_custom_jd_handler
from core.jd.guardrails import _default_extractor
from core.jd.knowledge import KnowledgeImportReport, import_company_knowledge, load_demo_companies
from core.jd.model import Company, JdDraft, Posting
from core.jd.prepare import (DraftChange, InstantDrafts, PrepareReport, instant_drafts, prepare_all, rewrite_section,
                             update_posting)
from core.jd.queue import JobQueue, Submitted, Worker
from core.jd.workflow import JdWorkflow


class UnknownPosting(LookupError):
    pass


class JdService:
    def __init__(self, store, extractor=None, provider=None, queue: JobQueue | None = None):
        self.store = store
        self._extractor = extractor
        self.provider = provider                 # for the model-backed custom path; unused by everything offline
        self.workflow = JdWorkflow(store)
        self.queue = queue or JobQueue(store)

    @property
    def extractor(self):
        if self._extractor is None:
            self._extractor = _default_extractor()
        return self._extractor

    # knowledge
    def companies(self) -> list[Company]:
        return self.store.list_companies()

    def postings(self, company_id: str, family: str | None = None, level: str | None = None) -> list[Posting]:
        return self.store.list_postings(company_id, family, level)

    def import_knowledge(self, path, progress=None) -> KnowledgeImportReport:
        return import_company_knowledge(self.store, path, progress)

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
        company = self.store.get_company(draft.company_id) if draft.company_id else None
        return rewrite_section(draft, section, instruction, company, material, self.extractor)

    def update_posting(self, posting_id: str, instruction: str) -> DraftChange:
        posting = self.store.get_posting(posting_id)
        if posting is None:
            raise UnknownPosting(posting_id)
        return update_posting(posting, instruction, self.store.get_company(posting.company_id), self.extractor)

    # custom generation in the background
    def brief(self, text: str, company_id: str = "", family: str = "", level: str = "") -> Brief:
        return extract_brief(self.store, text, company_id, family, level, self.extractor)

    def submit_custom(self, brief: Brief, requester: str) -> Submitted:
        if not brief.ready:
            raise ValueError("the brief is not ready: " + (brief.verdict.kind if not brief.verdict.ok
                                                            else "missing " + ", ".join(brief.missing)))
        return self.queue.submit(CUSTOM_JD_KIND, brief.payload(), requester)

    def offline_worker(self, **kwargs) -> Worker:
        """A worker that completes custom JD jobs from templates (no model, or past the token budget)."""
        return Worker(self.store, {CUSTOM_JD_KIND: offline_custom_jd_handler(self.store, self._extractor)}, **kwargs)
