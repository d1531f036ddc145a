"""Import throughput (resumes per second) and peak memory, through the real import path: demo-style records with
Korean and English resumes -> personal details removed -> skills extracted (Kiwi for Korean) -> embedded -> stored.

    python -m bench.import_throughput --n 100000
"""
from __future__ import annotations

import argparse
import time

from bench.common import peak_rss_mb, scratch_app


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--data-dir", default=None)
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
    last = [time.perf_counter(), 0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 30 or done == total:
            print(f"  {done}/{total} ({done / (now - t0):.0f} resumes/s, peak RSS {peak_rss_mb():.0f} MB)", flush=True)
            last[0] = now

    t0 = time.perf_counter()
    app.importer.upsert(employees, report, progress)
    seconds = time.perf_counter() - t0
    import_peak = peak_rss_mb()
    added = report.added
    del org, employees, report          # the benchmark's own input; a server does not hold it
    t1 = time.perf_counter()
    app.matching.index()
    index_s = time.perf_counter() - t1
    print(f"generated {args.n} records in {generated:.1f} s")
    print(f"imported {added} profiles in {seconds:.1f} s: {added / seconds:.1f} resumes/s; peak RSS while importing "
          f"{import_peak:.0f} MB; search index built in {index_s:.1f} s; peak RSS after {peak_rss_mb():.0f} MB")
    app.close()


if __name__ == "__main__":
    main()
