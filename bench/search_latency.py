"""Search latency of the core path (query embedding + hybrid search + explanations) at 10k and 100k profiles.

Profiles are synthetic: the demo organisation's resumes are analysed and embedded once (a pool of POOL profiles) and
then cloned under new ids with jittered vectors, shuffled departments, levels and availability, so the index has the
real shape (vectors, skill and term postings) at any size without hours of embedding.

    python -m bench.search_latency                 # 10k and 100k
    python -m bench.search_latency --sizes 10000   # just one size
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np

from bench.common import peak_rss_mb, scratch_app, summary_ms
from core.domain import Employee, SearchFilters

QUERIES = Path(__file__).parent / "eval" / "queries.json"
POOL = 2000
DEPARTMENTS = ["Platform Engineering", "Payments", "Data & AI", "Web Frontend", "Mobile", "Infrastructure", "Security",
               "Product", "Design", "Brand Marketing", "Growth Marketing", "Finance", "People (HR)", "Sales", "Legal"]


def build_pool(app, size: int):
    from bot.demo import generate_demo_org
    from core.importer import ImportReport, record_to_employee

    org = generate_demo_org(size=size, seed=7)
    report = ImportReport()
    employees = [record_to_employee(r, None, report) for r in org.employees]
    profiles = [app.importer.builder.build(e) for e in employees]
    vectors = app.embedder.embed_documents([p.text for p in profiles])
    return profiles, vectors


def fill(app, profiles, vectors, start: int, total: int) -> float:
    """Grow the synthetic organisation from `start` to `total` profiles."""
    rng = random.Random(start + 1)
    nprng = np.random.default_rng(start + 1)
    started = time.perf_counter()
    batch = 5000
    for chunk in range(start, total, batch):
        with app.store.transaction():
            for i in range(chunk, min(chunk + batch, total)):
                k = i % len(profiles)
                p = profiles[k]
                vector = vectors[k] + nprng.normal(0, 0.02, vectors.shape[1]).astype(np.float32)
                vector /= np.linalg.norm(vector)
                e = p.employee
                clone = Employee(id=f"S{i:06d}", display_name=f"Synthetic {i}", department=rng.choice(DEPARTMENTS),
                                 title=e.title, level=f"L{rng.randint(1, 6)}", location=e.location, role=e.role,
                                 open_to_moves=rng.random() < 0.55, languages=e.languages, resume_text=e.resume_text,
                                 skills=e.skills)
                app.store.upsert_profile(clone, p.resume_hash, p.terms, p.profile_words, vector,
                                         app.embedder.model_id)
    return time.perf_counter() - started


def measure(app, queries: list[str], repeats: int) -> dict:
    started = time.perf_counter()
    app.matching.index()
    build = time.perf_counter() - started
    filters = [SearchFilters(), SearchFilters(open_only=True), SearchFilters(departments=("Data & AI", "Payments"))]
    for q in queries[:5]:                 # warm-up: analyser and BLAS
        app.matching.search(q, limit=10)
    timings = []
    for r in range(repeats):
        for i, q in enumerate(queries):
            t0 = time.perf_counter()
            page = app.matching.search(q, filters[(i + r) % len(filters)], limit=10)
            timings.append(time.perf_counter() - t0)
            assert len(page.candidates) == 10
    return {"index_build_s": build, "timings": timings}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data-dir", default=None,
                        help="measure an organisation that is already imported (e.g. by bench.import_throughput)")
    args = parser.parse_args(argv)
    queries = [q["text"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]]
    if args.data_dir:
        app = scratch_app(args.data_dir)
        result = measure(app, queries, args.repeats)
        print(f"{app.store.count_employees():>7} imported profiles: search {summary_ms(result['timings'])}; "
              f"index build {result['index_build_s']:.1f} s; peak RSS {peak_rss_mb():.0f} MB", flush=True)
        app.close()
        return
    app = scratch_app()
    print(f"building a pool of {POOL} analysed and embedded profiles…", flush=True)
    profiles, vectors = build_pool(app, POOL)
    done = 0
    for size in sorted(int(s) for s in args.sizes.split(",")):
        fill(app, profiles, vectors, done, size)
        done = size
        result = measure(app, queries, args.repeats)
        print(f"{size:>7} profiles: search {summary_ms(result['timings'])}; index build {result['index_build_s']:.1f} s; "
              f"peak RSS {peak_rss_mb():.0f} MB", flush=True)
    app.close()


if __name__ == "__main__":
    main()
