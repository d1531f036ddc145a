"""Import throughput (resumes per second) and peak memory, through the real import path: demo-style records with
Korean and English resumes -> personal details removed -> skills extracted (Kiwi for Korean) -> embedded -> stored.

    python -m bench.import_throughput --n 100000
    python -m bench.import_throughput --n 5000 --embedder-sample 512   # + the embedder alone, 1 vs N BLAS threads

The embedder's own batch throughput (the floor of the import) is measured first on the same resumes, as the
import embeds them (each profile's text and its summary, in batches of the import's size), once with one BLAS thread
and once with the wide pool (core/blas.py). Wall and CPU time are printed side by side: the machine is shared.
"""
from __future__ import annotations

import argparse
import os
import time

from bench.common import peak_rss_mb, scratch_app


def embedder_alone(app, employees, sample: int) -> None:
    """Resumes per second of the embedder alone (text + summary per profile), 1 BLAS thread vs the wide pool."""
    from core import blas
    from core.importer import BATCH_SIZE

    profiles = [app.importer.builder.build(e) for _, e in employees[:sample]]
    texts = [[p.text for p in profiles[i:i + BATCH_SIZE]] + [p.summary for p in profiles[i:i + BATCH_SIZE] if p.summary]
             for i in range(0, len(profiles), BATCH_SIZE)]
    embedder = app.embedder
    forward = embedder._get()._model._encode          # the forward pass, under the thread count set here
    from core.ai.embedders import MAX_EMBED_CHARS

    for label, threads in (("1 BLAS thread", 1), (f"{blas.wide_threads()} BLAS threads", blas.wide_threads())):
        with blas.wide(threads):
            t0, c0 = time.perf_counter(), time.process_time()
            for batch in texts:
                forward([(t or " ")[:MAX_EMBED_CHARS] for t in batch])
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"embedder alone, {label}: {len(profiles) / wall:.1f} resumes/s wall ({wall:.1f} s), "
              f"{len(profiles) / cpu:.1f} resumes per CPU-second; load {os.getloadavg()[0]:.1f}", flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--embedder-sample", type=int, default=512,
                        help="resumes for the embedder-alone measurement (0: skip it)")
    args = parser.parse_args(argv)

    from bot.demo import generate_demo_org
    from core.importer import ImportReport, record_to_employee

    started = time.perf_counter()
    org = generate_demo_org(size=args.n, seed=11)
    report = ImportReport()
    employees = [(f"record {i}", record_to_employee(r, None, report)) for i, r in enumerate(org.employees, 1)]
    generated = time.perf_counter() - started
    app = scratch_app(args.data_dir)
    app.matching.extractor.extract_query("워밍업 Kafka")   # load the analyser outside the timing
    app.embedder.embed_query("warm-up")
    if args.embedder_sample:
        embedder_alone(app, employees, args.embedder_sample)
    last = [time.perf_counter(), 0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 30 or done == total:
            print(f"  {done}/{total} ({done / (now - t0):.0f} resumes/s, peak RSS {peak_rss_mb():.0f} MB)", flush=True)
            last[0] = now

    t0, c0 = time.perf_counter(), time.process_time()
    app.importer.upsert(employees, report, progress)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    import_peak = peak_rss_mb()
    added = report.added
    del org, employees, report          # the benchmark's own input; a server does not hold it
    t1 = time.perf_counter()
    app.matching.index()
    index_s = time.perf_counter() - t1
    print(f"generated {args.n} records in {generated:.1f} s")
    print(f"imported {added} profiles in {seconds:.1f} s: {added / seconds:.1f} resumes/s wall, "
          f"{added / cpu:.1f} resumes per CPU-second ({cpu:.1f} CPU-s); peak RSS while importing "
          f"{import_peak:.0f} MB; search index built in {index_s:.1f} s; peak RSS after {peak_rss_mb():.0f} MB; "
          f"load {os.getloadavg()[0]:.1f}")
    app.close()


if __name__ == "__main__":
    main()
