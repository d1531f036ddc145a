"""Memory of an import's embedding workers (core/import_pipeline.py), through the real import path on demo resumes.

    python -m bench.worker_memory --n 3000
    python -m bench.worker_memory --n 3000 --workers 1

A thread of this process reads every worker's /proc/<pid>/smaps_rollup every --interval seconds while the import runs
and keeps each one's peaks: RSS (all its resident pages, the model's memory-mapped weights included, which every
worker counts in full), PSS (a page shared by k processes counted 1/k: what the machine holds, added up over
processes), private pages and anonymous memory (heap: the tokenizer objects, the per-batch tables), and the kernel's
own peak RSS (VmHWM, exact where sampling can miss a short peak). The workers' own figures (PipelineStats: read at the
end of each batch) are printed beside them when the pipeline records them.
"""
from __future__ import annotations

import argparse
import os
import threading
import time

from bench.common import scratch_app
from core.import_pipeline import memory_mb

FIELDS = ("Rss", "Pss", "Private", "Anonymous", "VmHWM")


def _children() -> set[int]:
    """This process's child processes (any thread may have started them)."""
    pids: set[int] = set()
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as f:
                pids.update(int(p) for p in f.read().split())
        except OSError:     # the thread ended between listing and reading: it has no children to report
            pass
    return pids


def _is_worker(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"spawn_main" in f.read()        # not multiprocessing's resource tracker
    except OSError:
        return False


class WorkerSampler(threading.Thread):
    """Peaks of every worker's memory figures, sampled until stop()."""

    def __init__(self, interval: float) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peaks: dict[int, dict[str, float]] = {}
        self.samples = 0
        self._stopping = threading.Event()

    def run(self) -> None:
        workers: set[int] = set()
        while not self._stopping.is_set():
            workers |= {pid for pid in _children() - workers if _is_worker(pid)}
            for pid in workers:
                figures = memory_mb(pid)
                if figures:
                    peak = self.peaks.setdefault(pid, dict.fromkeys(FIELDS, 0.0))
                    for name in FIELDS:
                        peak[name] = max(peak[name], figures.get(name, 0.0))
            self.samples += 1
            self._stopping.wait(self.interval)

    def stop(self) -> None:
        self._stopping.set()
        self.join()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=3000, help="demo resumes to import")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between samples of the workers")
    args = parser.parse_args(argv)

    from bot.demo import generate_demo_org
    from core.importer import ImportReport, record_to_employee

    org = generate_demo_org(size=args.n, seed=11)
    report = ImportReport()
    employees = [(f"record {i}", record_to_employee(r, None, report)) for i, r in enumerate(org.employees, 1)]
    del org
    app = scratch_app()
    app.matching.extractor.extract_query("워밍업 Kafka")   # the analyser loads before the workers start

    sampler = WorkerSampler(args.interval)
    sampler.start()
    t0 = time.perf_counter()
    app.importer.upsert(employees, report, workers=args.workers)
    seconds = time.perf_counter() - t0
    sampler.stop()
    stats = app.importer.last_pipeline_stats
    print(f"imported {report.added} resumes with {args.workers} worker(s) in {seconds:.1f} s "
          f"({report.added / seconds:.1f}/s; {stats.batches if stats else 0} batches in workers); "
          f"{sampler.samples} samples; load {os.getloadavg()[0]:.1f}")
    for n, (pid, peak) in enumerate(sorted(sampler.peaks.items()), 1):
        own = ""
        if stats and pid in getattr(stats, "worker_peak_pss_mb", {}):
            own = (f"; its own figures (end of a batch): peak RSS {stats.worker_peak_rss_mb[pid]:.0f}, "
                   f"PSS {stats.worker_peak_pss_mb[pid]:.0f}, private {stats.worker_peak_private_mb[pid]:.0f}")
        print(f"worker {n}: peak RSS {peak['VmHWM']:.0f} MB (sampled {peak['Rss']:.0f}), PSS {peak['Pss']:.0f}, "
              f"private {peak['Private']:.0f}, anonymous {peak['Anonymous']:.0f}{own}")
    total = {name: sum(p[name] for p in sampler.peaks.values()) for name in FIELDS}
    print(f"workers together (each one's peak added up): RSS {total['VmHWM']:.0f} MB, PSS {total['Pss']:.0f} MB, "
          f"private {total['Private']:.0f} MB")
    if stats and hasattr(stats, "workers_peak_pss_total_mb"):
        print(f"pipeline stats: workers' peak RSS {stats.workers_peak_rss_total_mb:.0f} MB, "
              f"peak PSS {stats.workers_peak_pss_total_mb:.0f} MB")


if __name__ == "__main__":
    main()
