"""Scheduled work with apscheduler, safe with several server instances on one database.

Each firing belongs to a schedule slot: the job's scheduled time (the latest time its cron names at or before the
moment the timer fired). The first instance to claim (job, slot) in the database (`schedule_runs` table) runs it;
every other instance — also one whose timer fires after that run has finished — finds the slot taken and skips it.
So each slot runs once across instances. The run itself also holds a lease (`leases` table, expiring after
`lease_seconds` so a holder that dies does not block the job forever), so a run longer than the gap between slots is
never overlapped by the next one. A slot whose instance died mid-run is not run again; the next slot is.
"""
from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from datetime import datetime, timedelta, timezone as tz
from typing import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger(__name__)


def instance_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


SLOT_HISTORY_DAYS = 30
DIGEST_JOB = "weekly-digest"               # the weekly digest's slots and lease (its retry run holds the same lease)
DIGEST_RETRY_JOB = "weekly-digest-retry"     # schedule_runs rows older than this are deleted after a run


def slot_key(slot: datetime) -> str:
    return slot.astimezone(tz.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def slot_of(trigger, fired_at: datetime) -> datetime:
    """The scheduled time a firing at `fired_at` belongs to: the trigger's latest fire time at or before it. Looked
    for in a growing window, so an every-second schedule and a weekly one both take a few steps."""
    for window in (timedelta(minutes=1), timedelta(hours=1), timedelta(days=1), timedelta(days=8), timedelta(days=400)):
        latest, at = None, trigger.get_next_fire_time(None, fired_at - window)
        while at is not None and at <= fired_at:
            latest, at = at, trigger.get_next_fire_time(at, at + timedelta(microseconds=1))
        if latest is not None:
            return latest
    return fired_at.replace(microsecond=0)


def cron_trigger(expression: str, timezone: str = "UTC"):
    """Five fields (minute hour day month weekday), or six with seconds first (for tests and benchmarks)."""
    
    fields = expression.split()
    if len(fields) == 6:
        second, minute, hour, day, month, weekday = fields
        return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month, day_of_week=weekday,
                           timezone=timezone)
    return CronTrigger.from_crontab(expression, timezone=timezone)


class LeasedJobs:
    def __init__(self, store, holder: str | None = None, lease_seconds: float = 3600,
                 clock: Callable[[], float] = time.time):
        self.store = store
        self.holder = holder or instance_name()
        self.lease_seconds = lease_seconds
        self.clock = clock
        self.runs: list[str] = []          # jobs this instance actually ran (for status and tests)
        self.slots: list[tuple[str, str]] = []   # (job, slot) this instance ran

    def run_slot(self, name: str, slot: datetime | str, work: Callable[[Callable[[], bool]], object],
                 lease: str | None = None) -> bool:
        """Run `work(renew)` for this schedule slot if no instance has claimed it; True when this instance ran it.
        `lease`: the lease the run holds (default: the job's own name); jobs sharing one never overlap."""
        key = slot if isinstance(slot, str) else slot_key(slot)
        if not self.store.claim_schedule_slot(name, key, self.holder, now=self.clock()):
            log.info("job %s: slot %s is taken by another instance; skipping", name, key)
            return False
        status = "failed"
        try:
            ran = self.run_once(lease or name, work)
            status = "done" if ran else "skipped"    # skipped: the previous slot's run still holds the lease
            if ran:
                self.slots.append((name, key))
            return ran
        finally:
            try:
                self.store.finish_schedule_slot(name, key, self.holder, status, now=self.clock())
                if status == "done":
                    self.store.purge_schedule_runs(self.clock() - SLOT_HISTORY_DAYS * 86400)
            except Exception:   # noqa: BLE001 - the slot stays claimed ("running"); it is never run twice
                log.warning("job %s: could not record how slot %s ended", name, key, exc_info=True)

    def fire(self, name: str, trigger, work: Callable[[Callable[[], bool]], object], lease: str | None = None) -> bool:
        """What the scheduler calls when `trigger` fires: run the slot that firing belongs to."""
        fired_at = datetime.fromtimestamp(self.clock(), tz.utc)
        return self.run_slot(name, slot_of(trigger, fired_at), work, lease)

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
                    timezone: str = "UTC", jd_prepare_cron: str = "",
                    clock: Callable[[], float] = time.time, digest=None, digest_cron: str = "",
                    digest_retry_cron: str = "", digest_timezone: str = "Asia/Seoul",
                    lease_seconds: float = 3600) -> tuple[BackgroundScheduler, LeasedJobs]:
    """The nightly re-embedding (only profiles missing an embedding from the current model, so it is cheap when
    nothing changed), the nightly preparation of instant JD drafts (only sets whose postings or company material
    changed) and the weekly digest with its retry run (`digest`: a bot.digests.DigestJob; both hold the one
    "weekly-digest" lease, so they never overlap), each once per schedule slot across instances."""
    from core.reindex import reindex

    jobs = LeasedJobs(app.store, holder, lease_seconds=lease_seconds, clock=clock)
    scheduler = BackgroundScheduler(timezone=timezone)

    def add(name: str, cron: str, work, zone: str | None = None, lease: str | None = None) -> None:
        trigger = cron_trigger(cron, zone or timezone)
        scheduler.add_job(lambda: jobs.fire(name, trigger, work, lease), trigger, id=name,
                          coalesce=True, max_instances=1, misfire_grace_time=3600)

    if reindex_cron.strip():
        add("nightly-reindex", reindex_cron,
            lambda renew: reindex(app.store, app.embedder, changed_only=True, progress=lambda done, total: renew(),
                                  summarize=app.importer.builder.summary))
        # Resume analyses nobody confirmed hold (redacted) resume text: they are not kept beyond a week.
        add("purge-unconfirmed-resumes", reindex_cron, lambda renew: purge_unconfirmed_resumes(app.store))
    service = getattr(app, "jd_service", None)
    if service is not None and jd_prepare_cron.strip():
        add("nightly-jd-prepare", jd_prepare_cron,
            lambda renew: service.prepare(progress=lambda done, total: renew()))
    if digest is not None and digest_cron.strip():
        add(DIGEST_JOB, digest_cron, lambda renew: digest.run(renew), digest_timezone)
        if digest_retry_cron.strip():
            add(DIGEST_RETRY_JOB, digest_retry_cron, lambda renew: digest.run(renew, retry_only=True),
                digest_timezone, lease=DIGEST_JOB)
    return scheduler, jobs
