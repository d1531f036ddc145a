"""Import throughput (resumes per second) and peak memory, through the real import path: a JSONL file of demo-style
records with Korean and English resumes -> `internal-hire import`'s import_path (records streamed in batches) ->
personal details removed -> skills extracted (Kiwi for Korean) -> embedded -> stored.

    python -m bench.import_throughput --n 100000
    python -m bench.import_throughput --n 5000 --embedder-sample 512   # + the embedder alone, 1 vs N BLAS threads
    python -m bench.import_throughput --n 3000 --workers 0             # the serial import (no worker processes)
    python -m bench.import_throughput --n 100000 --records /tmp/r.jsonl  # keep the records file for the next run

The records file is written by a child process (the generator's objects never enter the importing process) and
reused when `--records` names one that exists. The import embeds in worker processes while the importing process
analyses the next batch (core/import_pipeline.py; `--workers` sets INTERNAL_HIRE_IMPORT_WORKERS, default one per
CPU). CPU time is counted for the importing process AND its workers (their start-up included, from
RUSAGE_CHILDREN). Memory, three ways: the importing process's peak plus every worker's peak (an upper bound: they
need not peak together, and the model's memory-mapped weights count once per worker); the largest sum of their RSS
sampled together (after every batch); the largest sum of their PSS sampled together (shared pages counted once: what
the machine actually gives the import).

The embedder's own batch throughput (the floor of the import) is measured after the import on the same resumes, as the
import embeds them (each profile's text and its summary, in batches of the import's size): the import's forward pass
(core/ai/use_fast.py) with one BLAS thread and with the wide pool (core/blas.py), and the embedding package's own
forward pass. Wall and CPU time are printed side by side (the machine is shared), with CPU per resume every 30 s and
for the steady part of the import (from 20 % on, the workers' start-up left out).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mb, scratch_app
from core.import_pipeline import memory_mb


def embedder_alone(app, employees, sample: int) -> None:
    """Resumes per second of the embedder alone (text + summary per profile, in the import's batches): the forward
    pass an import uses (core/ai/use_fast.py) on 1 BLAS thread and on the wide pool, and the embedding package's own
    forward pass (what imports used before) on 1 thread."""
    from core import blas
    from core.ai.embedders import MAX_EMBED_CHARS, _forward_of
    from core.importer import BATCH_SIZE

    profiles = [app.importer.builder.build(e) for _, e in employees[:sample]]
    texts = [[(t or " ")[:MAX_EMBED_CHARS] for t in [p.text for p in profiles[i:i + BATCH_SIZE]]
              + [p.summary for p in profiles[i:i + BATCH_SIZE] if p.summary]]
             for i in range(0, len(profiles), BATCH_SIZE)]
    backend = app.embedder._get()._model
    ours = _forward_of(backend, batch=True)
    ours(["warm-up"] * 20)          # loads the C++ tokenizer outside the timing
    runs = [("import's forward pass, 1 BLAS thread", ours, 1),
            (f"import's forward pass, {blas.wide_threads()} BLAS threads", ours, blas.wide_threads()),
            ("embedding package's own forward pass (before), 1 BLAS thread", backend._encode, 1)]
    for label, forward, threads in runs:
        with blas.wide(threads):
            t0, c0 = time.perf_counter(), time.process_time()
            for batch in texts:
                forward(batch)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"embedder alone, {label}: {len(profiles) / wall:.1f} resumes/s wall ({wall:.1f} s), "
              f"{len(profiles) / cpu:.1f} resumes per CPU-second ({1000 * cpu / len(profiles):.1f} ms per resume); "
              f"load {os.getloadavg()[0]:.1f}", flush=True)


def write_records(path: Path, n: int) -> None:
    """The demo generator's `n` records as JSONL (run in a child process: see the module's note)."""
    from bot.demo import generate_demo_org

    org = generate_demo_org(size=n, seed=11)
    with path.open("w", encoding="utf-8") as out:
        for record in org.employees:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def first_employees(path: Path, n: int) -> list:
    from core.importer import ImportReport, iter_records, record_to_employee

    out, report = [], ImportReport()
    for where, record, error in iter_records(path):
        if len(out) >= n:
            break
        if not error:
            out.append((where, record_to_employee(record, None, report)))
    return out


class MemorySampler:
    """The largest sum of RSS and of PSS over the importing process and its workers, sampled together."""

    def __init__(self) -> None:
        self.rss = self.pss = 0.0

    def sample(self, worker_pids) -> None:
        figures = [memory_mb(pid) for pid in ("self", *worker_pids)]
        self.rss = max(self.rss, sum(f.get("Rss", 0.0) for f in figures))
        self.pss = max(self.pss, sum(f.get("Pss", 0.0) for f in figures))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--records", default=None, help="the JSONL records file: reused when it exists, else written")
    parser.add_argument("--workers", type=int, default=None,
                        help="embedding worker processes (0: the serial import; default: what an import uses here)")
    parser.add_argument("--embedder-sample", type=int, default=512,
                        help="resumes for the embedder-alone measurement (0: skip it)")
    parser.add_argument("--write-records", default=None, help=argparse.SUPPRESS)     # the child's job
    args = parser.parse_args(argv)
    if args.write_records:
        write_records(Path(args.write_records), args.n)
        return

    started = time.perf_counter()
    scratch = None if args.records else Path(tempfile.mkdtemp(prefix="ih-import-"))
    records = Path(args.records) if args.records else scratch / "records.jsonl"
    if not records.exists():
        subprocess.run([sys.executable, "-m", "bench.import_throughput", "--n", str(args.n),
                        "--write-records", str(records)], check=True)
    generated = time.perf_counter() - started
    if args.workers is not None:
        os.environ["INTERNAL_HIRE_IMPORT_WORKERS"] = str(args.workers)
    from core.import_pipeline import MIN_PIPELINED_PROFILES, import_workers

    # what the import will decide (core/importer.py upsert: workers only for 1,024 or more profiles to embed)
    workers = import_workers() if args.n >= MIN_PIPELINED_PROFILES else 0
    app = scratch_app(args.data_dir)
    app.matching.extractor.extract_query("워밍업 Kafka")   # load the analyser outside the timing
    if workers <= 0:
        app.embedder.embed_query("warm-up")     # the serial import embeds here: its model loads outside the timing
    # With workers the importing process never loads the model: the embedder-alone measurement (which does) runs
    # after the import, so the import's peak RSS is what an import has.
    last = {"wall": time.perf_counter(), "done": 0, "cpu": 0.0}
    steady = {}         # from the first progress line after 20 %: CPU per resume without the workers' start-up
    memory = MemorySampler()

    def cpu_now() -> float:
        """The importing process's CPU plus what the workers spent embedding (their start-up is not in it)."""
        stats = app.importer.last_pipeline_stats
        return time.process_time() - c0 + (stats.worker_cpu_s if stats else 0.0)

    def progress(done: int, total: int) -> None:
        stats = app.importer.last_pipeline_stats
        memory.sample(stats.worker_peak_rss_mb if stats else ())
        now = time.perf_counter()
        if now - last["wall"] > 30 or done == total:
            cpu = cpu_now()
            interval = done - last["done"]
            per_resume = 1000 * (cpu - last["cpu"]) / interval if interval else float("nan")
            print(f"  {done}/{total} ({done / (now - t0):.0f} resumes/s; last {interval}: "
                  f"{interval / (now - last['wall']):.0f}/s wall, {per_resume:.1f} ms CPU per resume; "
                  f"peak RSS {peak_rss_mb():.0f} MB; RSS+workers {memory.rss:.0f} MB, PSS {memory.pss:.0f} MB; "
                  f"load {os.getloadavg()[0]:.1f})", flush=True)
            if not steady and done >= total * 0.2 and done < total:
                steady.update(done=done, cpu=cpu, wall=now)
            last.update(wall=now, done=done, cpu=cpu)

    load_before = os.getloadavg()[0]
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0, c0 = time.perf_counter(), time.process_time()
    report = app.importer.import_path(records, progress)
    seconds, main_cpu = time.perf_counter() - t0, time.process_time() - c0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu = (children.ru_utime + children.ru_stime) - (children0.ru_utime + children0.ru_stime)
    cpu = main_cpu + workers_cpu
    stats = app.importer.last_pipeline_stats
    workers = stats.workers if stats else 0          # what the import used
    workers_rss = stats.workers_peak_rss_total_mb if stats else 0.0
    main_peak = peak_rss_mb()
    import_peak = main_peak + workers_rss
    added = report.added
    if report.rejected:
        print(f"rejected {len(report.rejected)}, e.g. {report.rejected[:3]}")
    if args.embedder_sample:
        embedder_alone(app, first_employees(records, args.embedder_sample), args.embedder_sample)
    t1 = time.perf_counter()
    app.matching.index()
    index_s = time.perf_counter() - t1
    print(f"records file {records} ({records.stat().st_size / 1e6:.0f} MB) ready in {generated:.1f} s")
    cores = os.cpu_count() or 1
    # On `cores` idle cores the import can go no faster than the importing process (sequential), its workers (each
    # sequential) or its whole CPU spread over every core: the CPU-bound rate, an estimate (the machine is shared).
    cpu_bound_rate = added / max(main_cpu, workers_cpu / max(1, workers), cpu / min(cores, workers + 1))
    print(f"imported {added} profiles with {workers} embedding worker(s) in {seconds:.1f} s: "
          f"{added / seconds:.1f} resumes/s wall; CPU {cpu:.1f} s (importing process {main_cpu:.1f} s, workers "
          f"{workers_cpu:.1f} s): {added / cpu:.1f} resumes per CPU-second; CPU-bound rate on {cores} idle cores "
          f"{cpu_bound_rate:.1f} resumes/s; load {load_before:.1f} -> {os.getloadavg()[0]:.1f}")
    print(f"memory while importing: peaks added up {import_peak:.0f} MB (importing process {main_peak:.0f} MB + "
          f"workers {workers_rss:.0f} MB); sampled together: RSS {memory.rss:.0f} MB, PSS {memory.pss:.0f} MB")
    if steady and stats and stats.batches:
        rest = added - steady["done"]
        steady_cpu = (main_cpu + stats.worker_cpu_s) - steady["cpu"]
        steady_wall = t0 + seconds - steady["wall"]
        print(f"steady (the last {rest} resumes, workers' start-up excluded): {1000 * steady_cpu / rest:.1f} ms CPU "
              f"per resume (2 idle cores: {2 * rest / steady_cpu:.0f} resumes/s), {rest / steady_wall:.1f} resumes/s "
              f"wall at load {os.getloadavg()[0]:.1f}")
    print(f"search index built in {index_s:.1f} s; peak RSS after {peak_rss_mb():.0f} MB")
    app.close()
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
