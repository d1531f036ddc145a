"""The durable background job queue, in the database (table `jobs`), for work too slow to answer at once: custom
JD generation.

    queue = JobQueue(store)
    job_id, position, eta_seconds = queue.submit("custom_jd", {"company_id": ...}, requester="E0001")

    worker = Worker(store, {"custom_jd": handler})      # handler(payload, ctx) -> result dict
    worker.start()                                      # or worker.run_once() from a scheduler tick

    for job in queue.pending_notifications():           # the chat side, e.g. every few seconds
        if queue.mark_notified(job.id):                 # True for exactly one caller, across processes
            send_the_card(job)

* A worker claims a job with a lease and renews it while the handler runs, so a long job is never taken over while
  its worker lives; a worker that dies stops renewing, and after the lease any worker (a new process after a
  restart, too) claims the job again. Nothing queued is lost across a restart.
* Only the worker holding a job can complete it, so a job is completed once; a failed attempt is retried with
  back-off up to `max_attempts`, then the job is failed (and the requester is told).
* `mark_notified` flips a flag with a conditional UPDATE: of any number of notifiers, one delivers. It is marked
  before sending: a crash between the two loses that one message rather than sending it twice.
* The ETA is the median duration of the last finished jobs of that kind times the jobs ahead per worker.
"""
from __future__ import annotations

import logging
import math
import statistics
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Callable, NamedTuple

from core.ports import JobRecord

log = logging.getLogger(__name__)

DEFAULT_ETA_SECONDS = 45.0      # before any job of a kind has finished


class Submitted(NamedTuple):
    job_id: str
    position: int               # 1 = next to run
    eta_seconds: float


class JobQueue:
    def __init__(self, store, *, workers: int = 1, default_eta: float = DEFAULT_ETA_SECONDS, recent: int = 20,
                 max_attempts: int = 3, clock: Callable[[], float] = time.time):
        self.store = store
        self.workers = max(1, workers)
        self.default_eta = default_eta
        self.recent = recent
        self.max_attempts = max_attempts
        self.clock = clock

    def submit(self, kind: str, payload: dict, requester: str, max_attempts: int | None = None) -> Submitted:
        # Time-ordered ids: jobs submitted in the same clock tick keep their order (the queue sorts by time, then id).
        job_id = f"job-{time.time_ns():016x}-{uuid.uuid4().hex[:6]}"
        self.store.enqueue_job(job_id, kind, payload, requester, max_attempts or self.max_attempts, now=self.clock())
        position = self.position(job_id) or 1
        return Submitted(job_id, position, self.eta(job_id) or self.typical_seconds(kind))

    def get(self, job_id: str) -> JobRecord | None:
        return self.store.get_job(job_id)

    def position(self, job_id: str) -> int | None:
        """1 = next to run, 2 = one job ahead ...; 0 while running; None once finished (or unknown)."""
        job = self.store.get_job(job_id)
        if job is None or job.status in ("done", "failed"):
            return None
        place = self.store.job_queue_position(job_id, now=self.clock())
        if place is None:
            return None
        ahead, _ = place
        running_live = job.status == "running" and job.lease_until >= self.clock()
        return 0 if running_live else ahead + 1

    def typical_seconds(self, kind: str) -> float:
        """The median of the last `recent` finished jobs of this kind, or the default when there are none."""
        durations = [d for d in self.store.recent_job_durations(kind, self.recent) if d >= 0]
        return float(statistics.median(durations)) if durations else self.default_eta

    def eta(self, job_id: str) -> float | None:
        """Seconds until the job is expected to be done; None once finished."""
        job = self.store.get_job(job_id)
        if job is None or job.status in ("done", "failed"):
            return None
        typical = self.typical_seconds(job.kind)
        now = self.clock()
        if job.status == "running" and job.lease_until >= now:
            return max(0.0, typical - (now - (job.started_at or now)))
        ahead, running = self.store.job_queue_position(job_id, now=now) or (0, 0)
        rounds = math.ceil((ahead + running + 1) / self.workers)
        return round(rounds * typical, 1)

    def stats(self) -> dict:
        """Queue depth, jobs running, and the wait a new job of the commonest kind would see (for a status command)."""
        counts = self.store.job_counts(now=self.clock())
        typical = self.typical_seconds("custom_jd")
        waiting = counts.get("queued", 0) + counts.get("running", 0)
        return {**counts, "expected_wait_seconds": round(math.ceil((waiting + 1) / self.workers) * typical, 1),
                "typical_seconds": round(typical, 1), "workers": self.workers}

    def pending_notifications(self, limit: int = 50) -> list[JobRecord]:
        return self.store.pending_notifications(limit)

    def mark_notified(self, job_id: str) -> bool:
        return self.store.mark_job_notified(job_id)

    def deliver_notifications(self, send: Callable[[JobRecord], None], limit: int = 50) -> int:
        """Mark-then-send every finished job not yet notified; returns how many this caller delivered. A send that
        raises is logged (the job stays marked: never twice)."""
        delivered = 0
        for job in self.pending_notifications(limit):
            if not self.mark_notified(job.id):
                continue                 # another notifier got it
            try:
                send(job)
                delivered += 1
            except Exception:            # noqa: BLE001 - one broken chat call must not stop the others
                log.exception("notification for job %s could not be sent", job.id)
        return delivered


class LeaseLost(Exception):
    """The worker no longer holds the job (its lease expired and another worker took it)."""


@dataclass
class JobContext:
    """What a handler gets besides the payload: the job, progress reporting, and whether it still holds the job."""

    job: JobRecord
    worker: "Worker"
    lost: bool = False

    def progress(self, partial: dict) -> bool:
        """Store what is done so far (sections of a draft), for a message updated as they complete."""
        ok = self.worker.store.set_job_progress(self.job.id, self.worker.worker_id, partial)
        self.lost = self.lost or not ok
        return ok

    def renew(self) -> bool:
        ok = self.worker.store.renew_job_lease(self.job.id, self.worker.worker_id, self.worker.lease_seconds,
                                               now=self.worker.clock())
        self.lost = self.lost or not ok
        return ok

    def check(self) -> None:
        """Raise LeaseLost when another worker has the job (a handler may call it between expensive steps)."""
        if self.lost:
            raise LeaseLost(self.job.id)


Handler = Callable[[dict, JobContext], dict]


class Worker:
    """Claims jobs of the kinds it has handlers for, renews the lease while a handler runs, and records the outcome.
    Any number of workers in any number of processes may share one database."""

    def __init__(self, store, handlers: dict[str, Handler], worker_id: str | None = None, lease_seconds: float = 30.0,
                 renew_every: float | None = None, retry_delay: float = 5.0, clock: Callable[[], float] = time.time):
        self.store = store
        self.handlers = dict(handlers)
        self.worker_id = worker_id or f"worker-{uuid.uuid4().hex[:10]}"
        self.lease_seconds = lease_seconds
        self.renew_every = renew_every or max(lease_seconds / 3, 0.05)
        self.retry_delay = retry_delay
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.completed: list[str] = []           # job ids this worker completed (status pages and tests)

    def run_once(self) -> JobRecord | None:
        """Claim one job and run it to its outcome; the job as stored afterwards, or None when none was waiting."""
        job = self.store.claim_job(self.worker_id, self.lease_seconds, kinds=tuple(self.handlers), now=self.clock())
        if job is None:
            return None
        ctx = JobContext(job, self)
        stop_renewing = threading.Event()

        def keep_lease() -> None:
            while not stop_renewing.wait(self.renew_every):
                if not ctx.renew():
                    log.warning("job %s: lease lost by %s", job.id, self.worker_id)
                    return

        renewer = threading.Thread(target=keep_lease, name=f"lease-{job.id}", daemon=True)
        renewer.start()
        try:
            result = self.handlers[job.kind](job.payload, ctx)
        except LeaseLost:
            log.warning("job %s: stopped, another worker holds it", job.id)
            return self.store.get_job(job.id)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a retry or a reported failure
            delay = self.retry_delay * (2 ** max(0, job.attempts - 1))
            status = self.store.fail_job(job.id, self.worker_id, f"{type(exc).__name__}: {exc}"[:500],
                                         retry_delay=delay, now=self.clock())
            log.warning("job %s attempt %d failed (%s); now %s", job.id, job.attempts, exc, status)
            return self.store.get_job(job.id)
        finally:
            stop_renewing.set()
            renewer.join()
        if self.store.complete_job(job.id, self.worker_id, result if isinstance(result, dict) else {"value": result},
                                   now=self.clock()):
            self.completed.append(job.id)
        else:
            log.warning("job %s finished by %s after losing its lease; result dropped", job.id, self.worker_id)
        return self.store.get_job(job.id)

    def run_until_empty(self, max_jobs: int | None = None) -> int:
        done = 0
        while (max_jobs is None or done < max_jobs) and not self._stop.is_set():
            if self.run_once() is None:
                break
            done += 1
        return done

    def start(self, poll_interval: float = 1.0) -> threading.Thread:
        """Run in a daemon thread until stop(): work while there is work, then poll."""
        def loop() -> None:
            while not self._stop.is_set():
                try:
                    if self.run_once() is None:
                        self._stop.wait(poll_interval)
                except Exception:  # noqa: BLE001 - a database hiccup must not kill the worker
                    log.exception("worker %s: claiming failed; retrying", self.worker_id)
                    self._stop.wait(poll_interval)

        self._stop.clear()
        self._thread = threading.Thread(target=loop, name=self.worker_id, daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
