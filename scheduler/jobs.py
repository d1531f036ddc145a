"""Scheduled work with apscheduler, safe with several server instances on one database.

Every run first takes a lease in the database (`leases` table, expiring after `lease_seconds` so a holder that dies
does not block the job forever); an instance that cannot take it skips the run. Two instances therefore never run
the same scheduled job at the same time.
"""
from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger(__name__)


def instance_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class LeasedJobs:
    def __init__(self, store, holder: str | None = None, lease_seconds: float = 3600):
        self.store = store
        self.holder = holder or instance_name()
        self.lease_seconds = lease_seconds
        self.runs: list[str] = []          # jobs this instance actually ran (for status and tests)

    def run_once(self, name: str, work: Callable[[Callable[[], bool]], object]) -> bool:
        """Run `work(renew)` if this instance wins the lease for `name`; True when it ran. Long work calls `renew()`
        as it progresses, so a run longer than the lease is not taken over while it is still alive."""
        if not self.store.try_acquire_lease(name, self.holder, self.lease_seconds):
            log.info("job %s: another instance holds the lease; skipping", name)
            return False

        def renew() -> bool:
            return self.store.try_acquire_lease(name, self.holder, self.lease_seconds)

        try:
            log.info("job %s: started by %s", name, self.holder)
            work(renew)
            self.runs.append(name)
            return True
        finally:
            self.store.release_lease(name, self.holder)


UNCONFIRMED_RESUME_DAYS = 7


def purge_unconfirmed_resumes(store, now=None) -> int:
    from datetime import datetime, timedelta, timezone

    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=UNCONFIRMED_RESUME_DAYS)
    return store.purge_drafts("resume", cutoff.isoformat(timespec="seconds"))


def build_scheduler(app, holder: str | None = None, reindex_cron: str = "0 3 * * *",
                    timezone: str = "UTC", jd_prepare_cron: str = "") -> tuple[BackgroundScheduler, LeasedJobs]:
    """The nightly re-embedding (only profiles missing an embedding from the current model, so it is cheap when
    nothing changed) and the nightly preparation of instant JD drafts (only sets whose postings or company material
    changed), each under a database lease."""
    from core.reindex import reindex

    jobs = LeasedJobs(app.store, holder)
    scheduler = BackgroundScheduler(timezone=timezone)
    if reindex_cron.strip():
        scheduler.add_job(lambda: jobs.run_once("nightly-reindex",
                                                lambda renew: reindex(app.store, app.embedder, changed_only=True,
                                                                      progress=lambda done, total: renew(),
                                                                      summarize=app.importer.builder.summary)),
                          CronTrigger.from_crontab(reindex_cron, timezone=timezone), id="nightly-reindex",
                          coalesce=True, max_instances=1, misfire_grace_time=3600)
    if reindex_cron.strip():
        # Resume analyses nobody confirmed hold (redacted) resume text: they are not kept beyond a week.
        scheduler.add_job(lambda: jobs.run_once("purge-unconfirmed-resumes",
                                                lambda renew: purge_unconfirmed_resumes(app.store)),
                          CronTrigger.from_crontab(reindex_cron, timezone=timezone), id="purge-unconfirmed-resumes",
                          coalesce=True, max_instances=1, misfire_grace_time=3600)
    service = getattr(app, "jd_service", None)
    if service is not None and jd_prepare_cron.strip():
        scheduler.add_job(lambda: jobs.run_once("nightly-jd-prepare",
                                                lambda renew: service.prepare(progress=lambda done, total: renew())),
                          CronTrigger.from_crontab(jd_prepare_cron, timezone=timezone), id="nightly-jd-prepare",
                          coalesce=True, max_instances=1, misfire_grace_time=3600)
    return scheduler, jobs
