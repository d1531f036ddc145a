"""Searches while profiles change (issue 15 item 1), on an organisation in the product's database.

    python -m bench.search_latency --sizes 100000 --keep DIR      # once: a 100k synthetic organisation in DIR
    python -m bench.search_after_update --data-dir DIR
    python -m bench.search_after_update --synthetic 100000     # part 2 only, on bench.ann_million's synthetic rows

It prints:
1. a search right after one profile update, p50/p99 over many updates (each search applies the write first), beside
   the same searches with no write before them, and the patch's own cost;
2. the cost of a one-profile patch after 0, 1,000 and 5,000 profiles were already patched since the index was built
   (it must not grow with them: each patch handles only what changed since the previous one);
3. an import of 1,000 changed profiles in one transaction: the time until search sees all of them, and a second
   thread's searches meanwhile (p50/p99/worst);
4. a background rebuild (what folds the patches back in) while a thread keeps searching: its p50/p99 against the
   same searches before, and the rebuild's time.
Wall times with CPU time beside them and the machine's load: the machine is shared.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import statistics
import threading
import time

from bench.common import percentile, scratch_app
from bench.search_latency import DEPARTMENTS, QUERIES, build_pool, edited
from core.domain import SearchFilters


def ms(values: list[float]) -> str:
    v = [x * 1000 for x in values]
    return f"p50 {statistics.median(v):.1f} ms, p99 {percentile(v, 99):.1f} ms (n={len(v)})"


def load() -> str:
    return "load %.1f" % os.getloadavg()[0]


def searcher(app, queries, stop: threading.Event, out: list[float]) -> threading.Thread:
    def run() -> None:
        j = 0
        while not stop.is_set():
            t0 = time.perf_counter()
            app.matching.search(queries[j % len(queries)], SearchFilters(open_only=True), limit=10)
            out.append(time.perf_counter() - t0)
            j += 1
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def synthetic_patches(n: int) -> None:
    """The cost of a patch of 1 and of 1,000 profiles after 0, 1,000 and 5,000 profiles were already patched since
    the build, and a search (SearchIndex.score) on the patched index, on synthetic rows (no database)."""
    import itertools

    from bench.ann_million import DIM, World, requests, synthetic_rows

    world = World()
    t, c = time.perf_counter(), time.process_time()
    index = __import__("core.matching.index", fromlist=["SearchIndex"]).SearchIndex(synthetic_rows(world, n), DIM)
    print(f"{n:,} synthetic profiles built in {time.perf_counter() - t:.0f} s ({time.process_time() - c:.0f} s CPU); "
          f"{load()}", flush=True)
    spare = list(synthetic_rows(world, 6000, seed=77))      # new documents for existing ids
    spare = [dataclasses.replace(r, id=f"P{i:07d}") for i, r in zip(random.Random(1).sample(range(n), len(spare)), spare)]
    feed = iter(spare)
    asks = requests(world, 20)
    patched, done = index, 0
    for already in (0, 1000, 5000):
        while done < already:
            patched = patched.with_changes(list(itertools.islice(feed, 500)))
            done += 500
        cost = {}
        for size in (1, 1000):
            times, cpus = [], []
            for _ in range(5 if size == 1000 else 20):
                rows = random.sample(spare, size)
                t, c = time.perf_counter(), time.process_time()
                patched.with_changes(rows)
                times.append(time.perf_counter() - t)
                cpus.append(time.process_time() - c)
            cost[size] = f"{statistics.median(times) * 1000:.1f} ms ({statistics.median(cpus) * 1000:.1f} ms CPU)"
        searches = []
        for label, flt, vector, summary, terms, skills in asks:
            t = time.perf_counter()
            patched.score(vector, terms, skills, {}, flt, limit=10, summary_vector=summary)
            searches.append(time.perf_counter() - t)
        print(f"  {already:>5,} profiles already patched since the build: a patch of 1 profile {cost[1]}, of 1,000 "
              f"{cost[1000]} (p50); a search on it {ms(searches)}; {load()}", flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", help="an organisation built by bench.search_latency --keep")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N",
                        help="no database: the per-patch cost on N synthetic profiles (SearchIndex.with_changes)")
    parser.add_argument("--updates", type=int, default=100)
    parser.add_argument("--skip-rebuild", action="store_true")
    args = parser.parse_args(argv)
    if args.synthetic:
        return synthetic_patches(args.synthetic)
    if not args.data_dir:
        parser.error("--data-dir or --synthetic")
    queries = [q["text"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]]
    app = scratch_app(args.data_dir)
    size = app.store.count_employees()
    t0 = time.perf_counter()
    app.matching.index()
    holder = app.matching.indexes
    print(f"{size:,} profiles; index ready in {time.perf_counter() - t0:.1f} s ({holder.stats}); {load()}", flush=True)
    profiles, vectors = build_pool(app, 200)
    rng = random.Random(7)
    for q in queries[:5]:
        app.matching.search(q, limit=10)

    # 1. one update, then a search
    plain, after, cpu_after, patch = [], [], [], []
    apply = holder._apply

    def timed_apply(ids):
        t = time.perf_counter()
        try:
            return apply(ids)
        finally:
            patch.append(time.perf_counter() - t)
    holder._apply = timed_apply
    for n in range(args.updates):
        q = queries[n % len(queries)]
        t = time.perf_counter()
        app.matching.search(q, limit=10)
        plain.append(time.perf_counter() - t)
        app.store.upsert_profile(*edited(app, profiles, vectors, rng.randrange(size), rng.choice(DEPARTMENTS), rng))
        t, c = time.perf_counter(), time.process_time()
        app.matching.search(q, limit=10)
        after.append(time.perf_counter() - t)
        cpu_after.append(time.process_time() - c)
    holder._apply = apply
    print(f"1. search right after one profile update: {ms(after)} (CPU p50 {statistics.median(cpu_after) * 1000:.1f} "
          f"ms); the same searches with no write before: {ms(plain)}; applying the write (read the row + patch): "
          f"{ms(patch)}; full builds {holder.stats['builds']}; {load()}", flush=True)

    # 2. a one-profile patch after many patched rows (the per-patch cost must not grow with them)
    index = app.matching.index()
    rows = app.store.index_rows_for([f"S{i:06d}" for i in rng.sample(range(size), 5000)])
    line = []
    patched, done = index, 0
    for already in (0, 1000, 5000):
        if already > done:
            patched = patched.with_changes(rows[done:already])
            done = already
        one = [app.store.index_rows_for([f"S{rng.randrange(size):06d}"])[0] for _ in range(20)]
        times, cpus = [], []
        for row in one:
            t, c = time.perf_counter(), time.process_time()
            patched.with_changes([row])
            times.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
        line.append(f"after {already:,}: {statistics.median(times) * 1000:.1f} ms (CPU {statistics.median(cpus) * 1000:.1f})")
    print(f"2. one-profile patch, p50 of 20, with profiles already patched since the build — {'; '.join(line)}; "
          f"{load()}", flush=True)

    # 3. an import of 1,000 changed profiles while someone searches
    concurrent, stop = [], threading.Event()
    other = searcher(app, queries, stop, concurrent)
    time.sleep(1.0)
    before_import = len(concurrent)
    changed = rng.sample(range(size), 1000)
    with app.store.transaction():
        for i in changed:
            app.store.upsert_profile(*edited(app, profiles, vectors, i, "Bench Imported", rng))
    t, c = time.perf_counter(), time.process_time()
    while True:
        page = app.matching.search("backend engineer", SearchFilters(departments=("Bench Imported",)), limit=10)
        if page.total_eligible >= 1000:
            break
    visible, visible_cpu = time.perf_counter() - t, time.process_time() - c
    time.sleep(1.0)
    stop.set()
    other.join()
    during = concurrent[before_import:]
    print(f"3. 1,000 changed profiles imported in one transaction: all visible to search {visible * 1000:.0f} ms after "
          f"the commit ({visible_cpu * 1000:.0f} ms CPU, both threads); a concurrent searcher meanwhile {ms(during)}, "
          f"worst {max(during) * 1000:.0f} ms; full builds {holder.stats['builds']}, background "
          f"{holder.stats['background_builds']}, patches {holder.stats['incremental']}; {load()}", flush=True)

    # 4. a background rebuild while someone searches
    if not args.skip_rebuild:
        quiet, stop = [], threading.Event()
        other = searcher(app, queries, stop, quiet)
        time.sleep(5.0)
        stop.set()
        other.join()
        busy, stop = [], threading.Event()
        other = searcher(app, queries, stop, busy)
        t = time.perf_counter()
        holder._start_background_build("benchmark")
        holder.wait_idle(3600)
        rebuild = time.perf_counter() - t
        stop.set()
        other.join()
        print(f"4. background rebuild of {size:,} profiles took {rebuild:.0f} s; a concurrent searcher meanwhile "
              f"{ms(busy)}, worst {max(busy) * 1000:.0f} ms, against {ms(quiet)} just before; {load()}", flush=True)
    app.close()


if __name__ == "__main__":
    main()
