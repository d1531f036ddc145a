"""Composition root: builds the store, embedder, skills, services and handlers from settings."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Callable

from bot.settings import Settings
from bot.adapters.ai.factory import make_embedder
from core.matching.service import MatchingService
from core.ports import EmployeeStore
from core.skills import SkillExtractor, load_taxonomy
from handlers.find_candidates import FindCandidates

# Everything a search does not need (the AI provider, the importer, the JD service, every other handler and the
# router that holds them) is imported and built on first use: `internal-hire search` never pays for it, and the
# chat shows its prompt while a background thread builds it (bench/cold_start.py, bench/start_chat.py).

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    store: EmployeeStore
    embedder: object
    taxonomy: object
    extractor: SkillExtractor
    matching: MatchingService
    find_candidates: FindCandidates
    model_watch: object = None
    # builds {"importer", "router", "ai", "ledger", "jd_service"}; run once, on first use of any of them
    _wire: Callable[["App"], dict] | None = field(default=None, repr=False)
    _parts: dict | None = field(default=None, repr=False)
    _wiring: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _part(self, name: str):
        if self._parts is None:
            with self._wiring:
                if self._parts is None:
                    self._parts = self._wire(self) if self._wire is not None else {}
        return self._parts.get(name)

    def _set_part(self, name: str, value) -> None:
        self._part(name)
        self._parts[name] = value

    importer = property(lambda self: self._part("importer"), lambda self, v: self._set_part("importer", v))
    router = property(lambda self: self._part("router"), lambda self, v: self._set_part("router", v))
    ai = property(lambda self: self._part("ai"), lambda self, v: self._set_part("ai", v))
    ledger = property(lambda self: self._part("ledger"), lambda self, v: self._set_part("ledger", v))
    jd_service = property(lambda self: self._part("jd_service"), lambda self, v: self._set_part("jd_service", v))

    @property
    def wired(self) -> bool:
        """True once the router and the services behind it are built."""
        return self._parts is not None

    def warm_up_in_background(self) -> threading.Thread:
        """Build the router and load the search index and the models in a daemon thread (the chat shows its prompt
        meanwhile; a request typed before it is done waits for what it needs)."""
        def run() -> None:
            try:
                self.router
                self.matching.warm_up()
            except Exception:     # the first request tries again and reports what is wrong
                log.warning("warming up failed", exc_info=True)
        thread = threading.Thread(target=run, name="warm-up", daemon=True)
        thread.start()
        return thread

    def watch_models(self, wait_s: float = 2.0):
        """With Gemini configured: ask the API about every configured model now (waiting at most `wait_s`, so a
        missing model is named before the first prompt) and daily after that, in the background."""
        if self._parts is None and not self.settings.gemini_api_key:
            return None            # offline: no model to ask about (and nothing is built just to find that out)
        from core.ai.models import ModelWatch

        primary = getattr(self.ai, "primary", None)
        if self.model_watch is None and hasattr(primary, "check_models"):
            self.model_watch = ModelWatch(primary).start(wait_s)
        return self.model_watch

    def load_demo(self, progress: Callable[[int, int], None] | None = None, size: int = 360):
        from bot.demo import generate_demo_org

        org = generate_demo_org(size=size)
        employees = []
        from core.importer import record_to_employee

        from core.importer import ImportReport

        report = ImportReport()
        for number, record in enumerate(org.employees, start=1):
            employees.append((f"demo record {number}", record_to_employee(record, None, report)))
        self.importer.upsert(employees, report, progress)
        return report

    def close(self) -> None:
        if self.model_watch is not None:
            self.model_watch.stop()
        ai = self._parts.get("ai") if self._parts else None   # never built: nothing to close
        primary = getattr(ai, "primary", ai)     # the Gemini client behind the offline fallback
        if hasattr(primary, "aclose"):
            from core.ai.runner import run_sync

            try:
                run_sync(primary.aclose(), timeout=5)
            except Exception:   # closing is best effort: the process is ending anyway
                log.debug("closing the AI client failed", exc_info=True)
        self.store.close()


def make_store(settings: Settings):
    """The embedded SQLite file by default; a MySQL-protocol server (TiDB, MySQL, MariaDB) when DATABASE_URL or
    TIDB_DSN is set. Nothing else in the product changes with the choice."""
    from bot.adapters.storage import SqlStore

    configured = settings.database_setting
    if configured is None:
        return SqlStore.sqlite(settings.database_path)
    name, url = configured
    options = {"ssl_ca": settings.database_ssl_ca, "connect_timeout": settings.database_connect_timeout,
               "read_timeout": settings.database_read_timeout, "write_timeout": settings.database_write_timeout}
    store = SqlStore.from_url(url, setting=name, pool_size=settings.database_pool_size,
                              **{k: v for k, v in options.items() if v is not None})
    log.info("storage: %s", store.capabilities())
    return store


def build_app(settings: Settings, embedder=None, check_embedder: bool = True, migrate: bool = True,
              ai_provider=None) -> App:
    store = make_store(settings)
    if migrate:
        store.migrate()
    else:
        store.check_schema()
    key = settings.gemini_api_key.get_secret_value() if settings.gemini_api_key else None
    embedder = embedder or make_embedder(settings.embedder, gemini_api_key=key, gemini_base_url=settings.gemini_base_url,
                                         timeout_s=settings.ai_timeout, retries=settings.ai_retries,
                                         gemini_model=settings.model_embedding)
    taxonomy = load_taxonomy()
    extractor = SkillExtractor(taxonomy)
    matching = MatchingService(store, embedder, taxonomy, extractor, index_folder=settings.data_dir / "search-index",
                               ann_min_rows=settings.ann_min_profiles or None)
    if check_embedder:
        matching.check_embedder()
    find_candidates = FindCandidates(matching, taxonomy, settings.default_limit)
    return App(settings, store, embedder, taxonomy, extractor, matching, find_candidates,
               _wire=lambda app: _wire(app, ai_provider))


def _wire(app: App, ai_provider=None) -> dict:
    """The importer, the AI provider, the JD service and the router with every handler (see App)."""
    from bot.adapters.ai.factory import ai_provider_from_settings
    from bot.adapters.documents import document_reader
    from core.ai.offline import OfflineProvider
    from core.ai.usage import ContentCache, UsageLedger
    from core.feedback import Feedback
    from core.gaps import GapAnalyzer
    from core.impact_report import FairnessReports
    from core.importer import Importer
    from core.jd.service import JdService
    from core.openings import Openings
    from core.profiles import ProfileBuilder
    from core.resume.pipeline import ResumePipeline
    from handlers.compare import CompareHandler
    from handlers.fairness import FairnessReportHandler
    from handlers.feedback import FeedbackHandler
    from handlers.gap_analysis import GapAnalysisHandler
    from handlers.home import HomeHandler
    from handlers.jd import JobDescriptions
    from handlers.my_profile import MyProfile
    from handlers.openings import OpeningsHandler
    from handlers.resume import ResumeUpload
    from handlers.router import Router
    from handlers.talent_chat import TalentChat

    settings, store, embedder, taxonomy, extractor = app.settings, app.store, app.embedder, app.taxonomy, app.extractor
    documents = document_reader()      # PDF and Word parsed in a time- and memory-limited worker process
    importer = Importer(store, embedder, ProfileBuilder(extractor), documents)
    ledger = UsageLedger(sink=lambda row: store.add_ai_usage(row.day, row.model, row.task, row.prompt_tokens,
                                                             row.output_tokens, row.cached))
    ai = ai_provider or ai_provider_from_settings(settings, offline=OfflineProvider(extractor, taxonomy),
                                                  ledger=ledger, cache=ContentCache())
    gemini = getattr(ai, "primary", None)
    if hasattr(gemini, "watch_model") and str(getattr(embedder, "model_id", "")).startswith("gemini"):
        gemini.watch_model("embedding", getattr(embedder, "model", settings.model_embedding))
    find_candidates = app.find_candidates
    my_profile = MyProfile(store, taxonomy, extractor, importer)
    resume = ResumeUpload(store, ResumePipeline(ai, taxonomy, extractor, documents=documents), importer, taxonomy, extractor, my_profile)
    gaps = GapAnalyzer(taxonomy, extractor, store)
    compare = CompareHandler(gaps, store, taxonomy)
    jd_service = JdService(store, extractor, provider=ai, daily_token_budget=settings.daily_token_budget,
                           allow_self_approval=settings.allow_self_approval, documents=documents)
    gap_analysis = GapAnalysisHandler(gaps, store, taxonomy)
    openings_use_case = Openings(store, app.matching, alert_min_fit=settings.alert_min_fit)
    openings = OpeningsHandler(openings_use_case, taxonomy, gap_analysis, my_profile, settings.default_limit)
    my_profile.alerts_enabled = store.alerts_enabled       # the alert switch on `my profile`
    find_candidates.use_case.interested_in_mine = openings.openings.interested_in_mine   # shortlists keep them
    router = Router(find_candidates, extractor, my_profile, resume=resume,
                    talent_chat=TalentChat(ai, find_candidates, compare), gap_analysis=gap_analysis,
                    openings=openings, home=HomeHandler(openings, settings.default_limit),
                    compare=compare, jd=JobDescriptions(jd_service),
                    fairness=FairnessReportHandler(FairnessReports(store), settings.data_dir / "reports"),
                    chat_deadline_s=settings.chat_deadline if getattr(ai, "name", "") == "gemini" else None,
                    max_request_chars=settings.max_request_chars,
                    feedback=FeedbackHandler(Feedback(store, openings_use_case)))
    return {"importer": importer, "router": router, "ai": ai, "ledger": ledger, "jd_service": jd_service}


def ensure_demo_data(app: App, progress: Callable[[int, int], None] | None = None):
    """A first run with no data loads the demo organisation, so the product can be tried at once."""
    # Only the embedded default: an empty production database (TiDB, MySQL) never gets fake people.
    if not (app.settings.demo_autoload and app.store.backend_name == "sqlite"):
        return None
    report = None
    if app.store.count_employees() == 0:
        log.info("empty database: loading the demo organisation")
        report = app.load_demo(progress)
    # The demo companies and their prepared drafts (about 3 s, once), only next to the demo organisation: a data
    # folder from before job descriptions gets them on its next start, a real organisation never does.
    first = app.store.get_employee("E0001")
    demo_org = report is not None or (first is not None and first.email.endswith("@demo-corp.example"))
    # (companies read from the store: the JD service is built only when a JD is asked for)
    if demo_org and not app.store.list_companies() and app.jd_service is not None:
        log.info("no company knowledge: loading the demo companies and preparing their JD drafts")
        app.jd_service.load_demo()
    return report
