"""Search latency of the core path (query embedding + hybrid search + explanations) at 10k and 100k profiles.

Profiles are synthetic: the demo organisation's resumes are analysed and embedded once (a pool of POOL profiles) and
then cloned under new ids with jittered vectors, shuffled departments, levels and availability, so the index has the
real shape (vectors, skill and term postings) at any size without hours of embedding.

    python -m bench.search_latency                 # 10k and 100k
    python -m bench.search_latency --sizes 10000   # just one size
    python -m bench.search_latency --updates       # + searches right after profile writes (incremental index)
    python -m bench.search_latency --threads       # + the exact scan and the query embedder at 1 vs N BLAS threads

--updates: (a) one profile edited, then a search, 20 times: the search's wall time (it applies the change first);
(b) an import of 1,000 changed profiles (new department, in one transaction), then the time until a search sees all
of them; (c) concurrency: searches in a second thread while (b) is applied, their worst latency.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path

import numpy as np

from bench.common import peak_rss_mb, percentile, scratch_app, summary_ms
from core import blas
from core.domain import Employee, SearchFilters
from core.matching import index as index_module

QUERIES = Path(__file__).parent / "eval" / "queries.json"
POOL = int(os.environ.get("SEARCH_LATENCY_POOL", "2000"))   # smaller for a quick check of the bench itself
DEPARTMENTS = ["Platform Engineering", "Payments", "Data & AI", "Web Frontend", "Mobile", "Infrastructure", "Security",
               "Product", "Design", "Brand Marketing", "Growth Marketing", "Finance", "People (HR)", "Sales", "Legal"]


def build_pool(app, size: int):
    from bot.demo import generate_demo_org
    from core.importer import ImportReport, record_to_employee

    org = generate_demo_org(size=size, seed=7)
    report = ImportReport()
    employees = [record_to_employee(r, None, report) for r in org.employees]
    profiles = [app.importer.builder.build(e) for e in employees]
    # Text and language-neutral summary vectors, as an import stores them (a profile without a summary: zeros)
    pairs = app.importer._embed(profiles)
    vectors = np.vstack([v for v, _ in pairs]).astype(np.float32)
    summaries = np.vstack([s if s is not None else np.zeros(app.embedder.dim, np.float32) for _, s in pairs])
    return profiles, (vectors, summaries.astype(np.float32))


def jittered(vector: np.ndarray, nprng) -> np.ndarray | None:
    if not vector.any():
        return None
    out = vector + nprng.normal(0, 0.02, vector.shape[0]).astype(np.float32)
    return out / np.linalg.norm(out)


def fill(app, profiles, vectors, start: int, total: int) -> float:
    """Grow the synthetic organisation from `start` to `total` profiles (text and summary vectors, BM25 terms)."""
    vectors, summaries = vectors
    rng = random.Random(start + 1)
    nprng = np.random.default_rng(start + 1)
    started = time.perf_counter()
    batch = 5000
    for chunk in range(start, total, batch):
        with app.store.transaction():
            for i in range(chunk, min(chunk + batch, total)):
                k = i % len(profiles)
                p = profiles[k]
                vector, summary = jittered(vectors[k], nprng), jittered(summaries[k], nprng)
                e = p.employee
                clone = Employee(id=f"S{i:06d}", display_name=f"Synthetic {i}", department=rng.choice(DEPARTMENTS),
                                 title=e.title, level=f"L{rng.randint(1, 6)}", location=e.location, role=e.role,
                                 open_to_moves=rng.random() < 0.55, languages=e.languages, resume_text=e.resume_text,
                                 skills=e.skills)
                app.store.upsert_profile(clone, p.resume_hash, p.terms, p.profile_words, vector,
                                         app.embedder.model_id, summary)
    return time.perf_counter() - started


def measure(app, queries: list[str], repeats: int) -> dict:
    started = time.perf_counter()
    app.matching.index()
    build = time.perf_counter() - started
    app.matching.warm_up()                # what a server does as it starts: model, analyser, the index's pages
    filters = [SearchFilters(), SearchFilters(open_only=True), SearchFilters(departments=("Data & AI", "Payments"))]
    for q in queries[:5]:                 # warm-up: BLAS, caches
        app.matching.search(q, limit=10)
    index = app.matching.index()
    ranking_wall, ranking_cpu = [], []
    real_score = index.score

    def timed_score(*args, **kwargs):     # the ranking alone (SearchIndex.score), inside each search
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return real_score(*args, **kwargs)
        finally:
            ranking_wall.append(time.perf_counter() - t0)
            ranking_cpu.append(time.process_time() - c0)

    index.score = timed_score
    timings, cpu = [], []
    try:
        for r in range(repeats):
            for i, q in enumerate(queries):
                t0, c0 = time.perf_counter(), time.process_time()
                page = app.matching.search(q, filters[(i + r) % len(filters)], limit=10)
                timings.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                assert len(page.candidates) == 10
    finally:
        del index.score
    return {"index_build_s": build, "timings": timings, "cpu": cpu, "ranking": ranking_wall,
            "ranking_cpu": ranking_cpu, "shape": f"{int(index.has_summary.sum())} summaries, BM25 over {index.n} rows"}


def describe(size_label: str, result: dict) -> str:
    """One line: wall-clock latency, the process's CPU time per search (the machine is shared: CPU is the steadier
    number), the ranking alone (SearchIndex.score: no query embedding, no profile reads), index, memory, load."""
    def cpu(values):
        return f"CPU p50 {statistics.median(values) * 1000:.1f} ms, p99 {percentile(values, 99) * 1000:.1f} ms"
    return (f"{size_label}: search {summary_ms(result['timings'])}; {cpu(result['cpu'])}; ranking alone "
            f"{summary_ms(result['ranking'])}, {cpu(result['ranking_cpu'])}; "
            f"{result['shape']}; index build {result['index_build_s']:.1f} s; peak RSS {peak_rss_mb():.0f} MB; "
            f"load {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


def edited(app, profiles, vectors, i: int, department: str, rng) -> tuple:
    """The clone S{i:06d} with another profile's text, vector and skills, in `department`."""
    k = rng.randrange(len(profiles))
    p = profiles[k]
    e = p.employee
    clone = Employee(id=f"S{i:06d}", display_name=f"Synthetic {i}", department=department, title=e.title,
                     level=f"L{rng.randint(1, 6)}", location=e.location, role=e.role, open_to_moves=True,
                     languages=e.languages, resume_text=e.resume_text, skills=e.skills)
    return clone, p.resume_hash, p.terms, p.profile_words, vectors[0][k], app.embedder.model_id, vectors[1][k]


def measure_updates(app, profiles, vectors, size: int, queries: list[str]) -> None:
    import threading

    rng = random.Random(99)
    singles = []
    for n in range(20):
        app.store.upsert_profile(*edited(app, profiles, vectors, rng.randrange(size), rng.choice(DEPARTMENTS), rng))
        t0 = time.perf_counter()
        app.matching.search(queries[n % len(queries)], limit=10)
        singles.append(time.perf_counter() - t0)
    print(f"    search right after one profile update: {summary_ms(singles)}", flush=True)

    worst, stop = [], threading.Event()

    def searching() -> None:       # someone else searching all along
        j = 0
        while not stop.is_set():
            t0 = time.perf_counter()
            app.matching.search(queries[j % len(queries)], SearchFilters(open_only=True), limit=10)
            worst.append(time.perf_counter() - t0)
            j += 1
    other = threading.Thread(target=searching)
    other.start()
    time.sleep(0.5)
    changed = rng.sample(range(size), 1000)
    with app.store.transaction():
        for i in changed:
            app.store.upsert_profile(*edited(app, profiles, vectors, i, "Bench Imported", rng))
    t0 = time.perf_counter()
    while True:
        page = app.matching.search("backend engineer", SearchFilters(departments=("Bench Imported",)), limit=10)
        if page.total_eligible >= 1000:
            break
    visible = time.perf_counter() - t0
    time.sleep(0.5)
    stop.set()
    other.join()
    holder = app.matching.indexes
    print(f"    1,000 changed profiles imported: all visible to search after {visible * 1000:.0f} ms; a concurrent "
          f"searcher meanwhile: {summary_ms(worst)}, worst {max(worst) * 1000:.0f} ms; index builds "
          f"{holder.stats['builds']}, incremental applies {holder.stats['incremental']}", flush=True)


def measure_threads(app, queries: list[str]) -> None:
    """The exact scan and the query embedder, 1 BLAS thread against the wide pool."""
    index = app.matching.index()
    query = app.embedder.embed_query(queries[0])
    for label, threads in (("1 thread", 1), (f"{blas.wide_threads()} threads", blas.wide_threads())):
        scan, embed, scan_cpu = [], [], []
        with blas.wide(threads):
            for q in queries[:20] * 2:
                t0, c0 = time.perf_counter(), time.process_time()
                index.vectors @ query
                scan.append(time.perf_counter() - t0)
                scan_cpu.append(time.process_time() - c0)
                t0 = time.perf_counter()
                app.embedder._get()._model._encode([q])
                embed.append(time.perf_counter() - t0)
        print(f"    BLAS {label}: exact scan {summary_ms(scan)} (CPU p50 {statistics.median(scan_cpu) * 1000:.1f} ms); "
              f"query embedding {summary_ms(embed)}", flush=True)
    print(f"    (the product: query embedding on 1 thread; the scan wide from {index_module.SCAN_WIDE_ROWS} rows)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--updates", action="store_true", help="measure searches right after profile writes")
    parser.add_argument("--threads", action="store_true", help="measure 1 vs N BLAS threads")
    parser.add_argument("--keep", default=None, help="build the synthetic organisation in this folder and keep it "
                        "(for bench.cold_start)")
    parser.add_argument("--data-dir", default=None,
                        help="measure an organisation that is already imported (e.g. by bench.import_throughput)")
    args = parser.parse_args(argv)
    queries = [q["text"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]]
    if args.data_dir:
        app = scratch_app(args.data_dir)
        result = measure(app, queries, args.repeats)
        print(describe(f"{app.store.count_employees():>7} imported profiles", result), flush=True)
        if args.updates:      # edits borrow text and vectors from a small pool; ids S000000… (a --keep folder)
            profiles, vectors = build_pool(app, 200)
            measure_updates(app, profiles, vectors, app.store.count_employees(), queries)
        app.close()
        return
    app = scratch_app(args.keep)
    print(f"building a pool of {POOL} analysed and embedded profiles…", flush=True)
    profiles, vectors = build_pool(app, POOL)
    done = 0
    for size in sorted(int(s) for s in args.sizes.split(",")):
        fill(app, profiles, vectors, done, size)
        done = size
        result = measure(app, queries, args.repeats)
        print(describe(f"{size:>7} profiles", result), flush=True)
        if args.threads:
            measure_threads(app, queries)
        if args.updates:
            measure_updates(app, profiles, vectors, size, queries)
    app.close()


if __name__ == "__main__":
    main()
