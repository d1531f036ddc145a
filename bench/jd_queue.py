"""Custom-JD queue throughput with a slow model: jobs per minute, waits, and how well the ETA shown at submit time
tracks the actual time to the result, with 1 and 2 workers over a durable SQLite store.

The model is the local fake Gemini server (tests/gemini_fake.py) streaming a whole JD as seven section chunks with
`--chunk-delay` seconds between them, reached by the real GeminiProvider / google-genai client; each worker runs the
real model handler (core.jd.generation: context, streaming, progress per section, guardrails) and has its own
connection to the same database file, as separate server processes would. A few warm-up jobs give the queue its
recent durations; then `--jobs` requests arrive, either all at once (burst) or one every `--interval` seconds
(steady). The ETA is what JobQueue.submit told the requester: (jobs ahead and running + 1) / workers, rounded up,
times the median recent duration.

    python -m bench.jd_queue                        # 12 jobs, 0.15 s between chunks, burst and steady
"""
from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import percentile
from bot.adapters.ai.gemini import GeminiProvider
from core.ai.runner import run_sync
from core.jd.custom import CUSTOM_JD_KIND, extract_brief
from core.jd.generation import format_jd_text, model_custom_jd_handler
from core.jd.guardrails import _default_extractor
from core.jd.model import JOB_FAMILIES, JOB_LEVELS
from core.jd.prepare import STYLES, instant_drafts
from core.jd.queue import JobQueue, Worker
from core.jd.service import JdService
from bot.adapters.storage import SqlStore
from tests.gemini_fake import FakeGemini, chunks


def requests_for(store, extractor) -> list[dict]:
    payloads = []
    for company in store.list_companies():
        for family, level, _ in store.prepared_keys(company.id):
            fam, lv = JOB_FAMILIES[family], JOB_LEVELS[level]
            text = (f"{company.name} {lv.name('ko')} {fam.name('ko')} 채용 공고, 경력 {max(lv.min_years, 1)}년 이상"
                    if company.lang == "ko" else
                    f"{company.name} {lv.name('en')} {fam.name('en')} posting, {max(lv.min_years, 1)}+ years")
            payloads.append(extract_brief(store, text, company.id, family, level, extractor).payload())
    return payloads


def run_case(seed: Path, folder: Path, provider, extractor, payloads, workers: int, jobs: int, pattern: str,
             interval: float, warmup: int) -> dict:
    path = folder / f"queue-{workers}-{pattern}.sqlite3"
    shutil.copy(seed, path)
    submit_store = SqlStore.sqlite(path)
    stores = [SqlStore.sqlite(path) for _ in range(workers)]
    queue = JobQueue(submit_store, workers=workers)
    pool = [Worker(s, {CUSTOM_JD_KIND: model_custom_jd_handler(provider, s, extractor)}, lease_seconds=30)
            for s in stores]
    for worker in pool:
        worker.start(poll_interval=0.02)
    cycle = itertools.cycle(payloads)
    try:
        warm = [queue.submit(CUSTOM_JD_KIND, next(cycle), "E0001").job_id for _ in range(warmup)]
        _wait_done(submit_store, warm)
        submitted = []
        for n in range(jobs):
            if pattern == "steady" and n:
                time.sleep(interval)
            submitted.append(queue.submit(CUSTOM_JD_KIND, next(cycle), "E0001"))
        _wait_done(submit_store, [s.job_id for s in submitted])
    finally:
        for worker in pool:
            worker.stop()
    finished = [submit_store.get_job(s.job_id) for s in submitted]
    assert all(j.status == "done" and j.result.get("source") == "gemini" for j in finished), \
        [(j.status, j.result) for j in finished]
    waits = [j.started_at - j.created_at for j in finished]
    totals = [j.finished_at - j.created_at for j in finished]
    runs = [j.finished_at - j.started_at for j in finished]
    errors = [abs(s.eta_seconds - total) for s, total in zip(submitted, totals)]
    span = max(j.finished_at for j in finished) - min(j.created_at for j in finished)
    for s in (submit_store, *stores):
        s.close()
    return {"workers": workers, "pattern": pattern, "jobs": jobs, "per_minute": jobs / span * 60,
            "run": statistics.median(runs), "wait50": statistics.median(waits), "wait95": percentile(waits, 95),
            "total50": statistics.median(totals), "total95": percentile(totals, 95), "mae": statistics.fmean(errors),
            "mean_total": statistics.fmean(totals),
            "mean_eta": statistics.fmean(s.eta_seconds for s in submitted)}


def _wait_done(store, job_ids: list[str], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    pending = set(job_ids)
    while pending and time.monotonic() < deadline:
        pending = {j for j in pending if store.get_job(j).status not in ("done", "failed")}
        if pending:
            time.sleep(0.05)
    if pending:
        raise TimeoutError(f"{len(pending)} jobs did not finish")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=12)
    parser.add_argument("--chunk-delay", type=float, default=0.15, help="seconds between the model's section chunks")
    parser.add_argument("--interval", type=float, default=None,
                        help="seconds between steady arrivals (default: 0.8 x one job's time / workers)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--pattern", choices=("burst", "steady", "both"), default="both")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="ih-bench-jd-queue-"))
    seed = folder / "seed.sqlite3"
    store = SqlStore.sqlite(seed)
    store.migrate()
    extractor = _default_extractor()
    JdService(store, extractor).load_demo()
    payloads = requests_for(store, extractor)
    sample = instant_drafts(store, "hanbit-pay", "1000229", "L4", extractor=extractor).drafts[STYLES.index("detailed")]
    store.close()
    sections = format_jd_text(sample).split("\n## ")
    sections = [sections[0], *("\n## " + s for s in sections[1:])]

    patterns = ("burst", "steady") if args.pattern == "both" else (args.pattern,)
    results = []
    with FakeGemini() as fake:
        fake.default = lambda request: chunks(*sections, chunk_delay_s=args.chunk_delay)
        provider = GeminiProvider("bench-key", base_url=fake.base_url, timeout_s=30, retries=0)
        for pattern in patterns:
            for workers in (1, 2):
                model_seconds = args.chunk_delay * (len(sections) - 1)
                interval = args.interval or 0.8 * (model_seconds + 0.1) / workers
                results.append(run_case(seed, folder, provider, extractor, payloads, workers, args.jobs, pattern,
                                        interval, args.warmup))
        run_sync(provider.aclose(), timeout=10)
        model_requests = len(fake.requests)

    print(f"custom JD queue: fake model streaming 7 sections {args.chunk_delay:g} s apart "
          f"(~{args.chunk_delay * (len(sections) - 1):.2f} s per JD), {args.jobs} jobs per case after {args.warmup} "
          f"warm-up jobs, durable SQLite, {model_requests} model requests in all")
    print(f"{'pattern':<7} {'workers':>7} {'jobs/min':>9} {'run p50':>8} {'wait p50':>9} {'wait p95':>9} "
          f"{'result p50':>11} {'result p95':>11} {'ETA MAE':>8} {'mean ETA / actual':>18}")
    for r in results:
        print(f"{r['pattern']:<7} {r['workers']:>7} {r['per_minute']:>9.1f} {r['run']:>7.2f}s {r['wait50']:>8.2f}s "
              f"{r['wait95']:>8.2f}s {r['total50']:>10.2f}s {r['total95']:>10.2f}s {r['mae']:>7.2f}s "
              f"{r['mean_eta']:>8.2f}s / {r['mean_total']:.2f}s")
    print("wait = submitted -> a worker starts it; result = submitted -> done (what the ETA promises); "
          "ETA MAE = mean |ETA at submit - actual time to result|.")
    print("burst: jobs/min is the capacity; steady: arrivals at 80% of capacity, so jobs/min follows the arrival rate.")


if __name__ == "__main__":
    main()
