"""The durable job queue: a restart loses nothing, no job runs twice at the same time, nobody is notified twice."""
from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from core.jd.queue import DEFAULT_ETA_SECONDS, JobQueue, LeaseLost, Worker
from bot.adapters.storage import SqlStore


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "queue.sqlite3"
    store = SqlStore.sqlite(path)
    store.migrate()
    opened = [store]

    def another_process():
        """A second store on the same file: what another server process (or the same one after a restart) sees."""
        other = SqlStore.sqlite(path)
        opened.append(other)
        return other

    yield store, another_process
    for s in opened:
        s.close()


class Clock:
    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now


def test_submit_reports_place_in_queue_and_an_eta_from_recent_durations(db):
    store, _ = db
    clock = Clock()
    queue = JobQueue(store, clock=clock)
    first = queue.submit("custom_jd", {"brief": "시니어 백엔드"}, "E0001")
    assert first.position == 1 and first.eta_seconds == DEFAULT_ETA_SECONDS          # nothing finished yet
    second = queue.submit("custom_jd", {"brief": "frontend"}, "E0002")
    assert second.position == 2 and second.eta_seconds == 2 * DEFAULT_ETA_SECONDS
    job_id, position, eta = queue.submit("custom_jd", {}, "E0003")                   # a plain tuple, too
    assert position == 3 and eta == 3 * DEFAULT_ETA_SECONDS

    durations = iter([10.0, 20.0, 60.0])

    def handler(payload, ctx):
        clock.now += next(durations)
        return {"ok": True}

    worker = Worker(store, {"custom_jd": handler}, clock=clock)
    assert worker.run_once().status == "done"                  # 10 s
    assert queue.position(first.job_id) is None                # finished: no longer in the queue
    assert queue.position(second.job_id) == 1 and queue.position(job_id) == 2
    assert queue.eta(job_id) == 2 * 10.0                       # median of [10] x two rounds
    worker.run_once()                                          # 20 s
    assert queue.typical_seconds("custom_jd") == 15.0          # median of [10, 20]
    worker.run_once()                                          # 60 s
    assert queue.typical_seconds("custom_jd") == 20.0          # median of [10, 20, 60]: one slow job moves it little
    late = queue.submit("custom_jd", {}, "E0004")
    assert late.position == 1 and late.eta_seconds == 20.0
    assert queue.submit("other_kind", {}, "E1").eta_seconds == DEFAULT_ETA_SECONDS * 2   # its own default, 1 ahead
    parallel = JobQueue(store, workers=2, clock=clock)
    assert parallel.eta(late.job_id) == 20.0                   # two workers: the job ahead does not hold it back
    stats = queue.stats()
    assert stats["queued"] == 2 and stats["done"] == 3 and stats["expected_wait_seconds"] == 3 * 20.0


def test_a_running_job_has_position_zero_and_a_shrinking_eta(db):
    store, _ = db
    clock = Clock()
    queue = JobQueue(store, clock=clock, default_eta=30)
    job = queue.submit("custom_jd", {}, "E0001")
    seen = {}

    def handler(payload, ctx):
        clock.now += 12
        seen["position"], seen["eta"] = queue.position(job.job_id), queue.eta(job.job_id)
        ctx.progress({"sections": ["title", "summary"]})
        seen["progress"] = store.get_job(job.job_id).progress
        return {}

    Worker(store, {"custom_jd": handler}, clock=clock).run_once()
    assert seen == {"position": 0, "eta": 18.0, "progress": {"sections": ["title", "summary"]}}


def test_a_restart_loses_no_job(db):
    """Jobs queued before a restart, and one that was running when its process died, all finish afterwards."""
    store, another_process = db
    queue = JobQueue(store)
    ids = [queue.submit("custom_jd", {"n": n}, "E0001").job_id for n in range(5)]
    crashed = store.claim_job("process-that-died", lease_seconds=0.3)     # running when the process died
    assert crashed.id == ids[0]
    store.close()

    restarted = another_process()                                         # the server comes back
    runs: Counter = Counter()

    def handler(payload, ctx):
        runs[payload["n"]] += 1
        return {"n": payload["n"]}

    worker = Worker(restarted, {"custom_jd": handler}, lease_seconds=5)
    assert worker.run_until_empty() == 4                                  # the crashed job's lease is still live
    time.sleep(0.35)
    assert worker.run_until_empty() == 1                                  # ... and now it is not
    assert runs == Counter({0: 1, 1: 1, 2: 1, 3: 1, 4: 1})
    jobs = [restarted.get_job(job_id) for job_id in ids]
    assert [j.status for j in jobs] == ["done"] * 5
    assert [j.result for j in jobs] == [{"n": n} for n in range(5)]
    assert jobs[0].attempts == 2 and all(j.attempts == 1 for j in jobs[1:])


def test_no_job_runs_twice_at_the_same_time_even_past_its_lease(db):
    """Three workers in three 'processes'; one job takes longer than the lease, which its worker keeps renewing."""
    store, another_process = db
    queue = JobQueue(store)
    ids = [queue.submit("custom_jd", {"n": n, "slow": n == 0}, "E0001").job_id for n in range(9)]
    lock = threading.Lock()
    running: set[int] = set()
    overlaps: list[int] = []
    runs: Counter = Counter()

    def handler(payload, ctx):
        with lock:
            if payload["n"] in running:
                overlaps.append(payload["n"])
            running.add(payload["n"])
            runs[payload["n"]] += 1
        time.sleep(0.8 if payload["slow"] else 0.02)          # the slow one outlives its 0.3 s lease 2.5 times
        with lock:
            running.discard(payload["n"])
        return {"n": payload["n"]}

    workers = [Worker(s, {"custom_jd": handler}, lease_seconds=0.3, renew_every=0.05)
               for s in (store, another_process(), another_process())]
    threads = [threading.Thread(target=w.run_until_empty) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for w in workers:                                          # stragglers polled while the slow job ran
        w.run_until_empty()
    assert overlaps == [] and runs == Counter({n: 1 for n in range(9)})
    assert all(store.get_job(job_id).status == "done" for job_id in ids)
    assert sorted(j for w in workers for j in w.completed) == sorted(ids)
    assert store.get_job(ids[0]).attempts == 1                 # never taken over


def test_failed_attempts_are_retried_then_reported(db):
    store, _ = db
    clock = Clock()
    queue = JobQueue(store, clock=clock, max_attempts=3)
    flaky = queue.submit("custom_jd", {"fail_times": 2}, "E0001").job_id
    broken = queue.submit("custom_jd", {"fail_times": 99}, "E0002").job_id
    failures: Counter = Counter()

    def handler(payload, ctx):
        if failures[ctx.job.id] < payload["fail_times"]:
            failures[ctx.job.id] += 1
            raise TimeoutError("Gemini did not answer in 60 s")
        return {"draft": "ok"}

    worker = Worker(store, {"custom_jd": handler}, retry_delay=10, clock=clock)
    for _ in range(10):
        if worker.run_once() is None:
            clock.now += 100                                   # past the back-off
    done, failed = store.get_job(flaky), store.get_job(broken)
    assert (done.status, done.attempts, done.result) == ("done", 3, {"draft": "ok"})
    assert (failed.status, failed.attempts) == ("failed", 3)
    assert failed.error == "TimeoutError: Gemini did not answer in 60 s"
    assert {j.id for j in queue.pending_notifications()} == {flaky, broken}        # the requester hears either way


def test_a_worker_that_lost_its_job_cannot_complete_it(db):
    store, another_process = db
    clock = Clock()
    queue = JobQueue(store, clock=clock)
    job_id = queue.submit("custom_jd", {}, "E0001").job_id
    other = Worker(another_process(), {"custom_jd": lambda p, ctx: {"by": "second"}}, clock=clock)

    def slow(payload, ctx):
        clock.now += 60                                        # frozen past its lease (no renewal ran: fake clock)
        assert other.run_once().result == {"by": "second"}      # another worker takes it over and finishes it
        assert ctx.renew() is False
        with pytest.raises(LeaseLost):
            ctx.check()
        return {"by": "first"}

    first = Worker(store, {"custom_jd": slow}, lease_seconds=30, renew_every=3600, clock=clock)
    assert first.run_once().result == {"by": "second"}
    assert first.completed == [] and other.completed == [job_id]


def test_nobody_is_notified_twice_even_with_several_notifiers_and_a_restart(db):
    store, another_process = db
    queue = JobQueue(store)
    ids = [queue.submit("custom_jd", {"n": n}, f"E{n}").job_id for n in range(6)]
    Worker(store, {"custom_jd": lambda p, ctx: {"n": p["n"]}}).run_until_empty()
    sent: list[str] = []
    lock = threading.Lock()

    def send(job):
        with lock:
            sent.append(job.id)

    notifiers = [JobQueue(s) for s in (store, another_process(), another_process(), store)]
    barrier = threading.Barrier(len(notifiers))

    def notify(q):
        barrier.wait()
        q.deliver_notifications(send)

    threads = [threading.Thread(target=notify, args=(q,)) for q in notifiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == sorted(ids)                        # each once
    after_restart = JobQueue(another_process())
    assert after_restart.pending_notifications() == [] and after_restart.deliver_notifications(send) == 0
    assert len(sent) == 6 and all(store.get_job(job_id).notified for job_id in ids)


def test_a_background_worker_thread_picks_up_jobs_as_they_arrive(db):
    store, _ = db
    queue = JobQueue(store)
    worker = Worker(store, {"custom_jd": lambda p, ctx: {"echo": p["text"]}}, lease_seconds=5)
    worker.start(poll_interval=0.02)
    try:
        job_id = queue.submit("custom_jd", {"text": "안녕"}, "E0001").job_id
        deadline = time.monotonic() + 5
        while store.get_job(job_id).status != "done" and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        worker.stop()
    assert store.get_job(job_id).result == {"echo": "안녕"}
