"""A million profiles on one machine: the in-process HNSW graph (core/matching/ann.py) against exact search.

    python -m bench.ann_million --compare 100000      # hnswlib vs usearch (int8, f16) vs faiss (HNSW + SQ8)
    python -m bench.ann_million                       # 1M profiles through the product's SearchIndex

The profiles are SYNTHETIC, not embedded resumes (embedding 1M resumes takes hours): 512-dimension vectors (the
query embedder's dimension) with realistic clustering (300 occupations, each with 20 specialities: a profile is its
occupation's centre + its speciality + noise, which gives query-profile cosines of 0.1-0.6 like the real embedder),
a language-neutral summary vector near each, BM25 documents from an occupation vocabulary plus common words, skills,
departments, levels and availability. Requests are drawn the same way (an occupation, words and a skill of it).

It prints, for unfiltered and filtered requests: the search core's latency (SearchIndex.score, what a search adds
to the query embedding; wall p50/p99 and CPU), recall@10 of the final fused top 10 against the same request
scored exactly over every eligible profile, recall@10 of the semantic neighbours alone against an exact scan, the
build time, the graph's size and the peak RSS (measured before the exact reference runs), and the machine's load.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import statistics
import time
from pathlib import Path

import numpy as np

from bench.common import percentile

DIM = 512
OCCUPATIONS, SPECIALITIES = 300, 20
DEPARTMENTS = ["Platform Engineering", "Payments", "Data & AI", "Web Frontend", "Mobile", "Infrastructure", "Security",
               "Product", "Design", "Brand Marketing", "Growth Marketing", "Finance", "People (HR)", "Sales", "Legal"]


def load() -> str:
    return "load %.1f/%.1f" % os.getloadavg()[:2]


def peak_rss_mb() -> float:
    """The process's peak resident memory in MiB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Resident memory now, MiB (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return 0.0


class World:
    """Cluster centres and vocabularies, fixed by the seed."""

    def __init__(self, seed: int = 11):
        rng = np.random.default_rng(seed)
        self.centres = self._unit(rng.normal(size=(OCCUPATIONS, DIM)).astype(np.float32))
        self.specialities = self._unit(rng.normal(size=(OCCUPATIONS, SPECIALITIES, DIM)).astype(np.float32))

    @staticmethod
    def _unit(x: np.ndarray) -> np.ndarray:
        return x / np.linalg.norm(x, axis=-1, keepdims=True)

    def vectors(self, occ: np.ndarray, spec: np.ndarray, rng, noise: float = 1.1) -> np.ndarray:
        v = self.centres[occ] + 0.8 * self.specialities[occ, spec] + \
            rng.normal(0, noise / np.sqrt(DIM), (len(occ), DIM)).astype(np.float32)
        return self._unit(v).astype(np.float32)


def synthetic_rows(world: World, n: int, seed: int = 5, chunk: int = 50_000):
    from core.matching.lexical import RESUME_MARK, TITLE_MARK, YEARS_MARK
    from core.ports import IndexRow

    for start in range(0, n, chunk):
        rng = np.random.default_rng(seed + start)
        size = min(chunk, n - start)
        occ = rng.integers(0, OCCUPATIONS, size)
        spec = rng.integers(0, SPECIALITIES, size)
        vectors = world.vectors(occ, spec, rng)
        summaries = world._unit(vectors + rng.normal(0, 0.8 / np.sqrt(DIM), vectors.shape).astype(np.float32))
        common = rng.zipf(1.3, (size, 25)) % 3000
        own = rng.integers(0, 40, (size, 12))
        depts = rng.integers(0, len(DEPARTMENTS), size)
        levels = rng.integers(1, 7, size)
        opens = rng.random(size) < 0.55
        for i in range(size):
            o = int(occ[i])
            # the stored document format (lexical.encode_document), written directly: the generator is not measured
            words = dict.fromkeys([f"o{o}w{j}" for j in own[i].tolist()] + [f"g{j}" for j in common[i].tolist()])
            terms = (TITLE_MARK, f"o{o}title", f"o{o}w{int(own[i][0])}", RESUME_MARK, *words,
                     f"{YEARS_MARK}{int(levels[i]) * 2}")
            skills = (f"o{o}s{int(spec[i]) % 8}", f"o{o}s{int(own[i][1]) % 8}", f"common{int(common[i][0]) % 50}")
            yield IndexRow(f"P{start + i:07d}", DEPARTMENTS[int(depts[i])], f"L{int(levels[i])}", bool(opens[i]),
                           tuple(dict.fromkeys(skills)), terms, 40, vectors[i], "seoul", summaries[i])


def requests(world: World, count: int, seed: int = 99):
    from core.domain import SearchFilters

    rng = np.random.default_rng(seed)
    filters = [("unfiltered", SearchFilters()),
               ("open only", SearchFilters(open_only=True)),
               ("1 department + open (3.7 %)", SearchFilters(departments=("Payments",), open_only=True)),
               ("2 departments, level >= 4", SearchFilters(departments=("Data & AI", "Security"), min_level=4))]
    out = []
    for q in range(count):
        occ = rng.integers(0, OCCUPATIONS, 1)
        vector = world.vectors(occ, rng.integers(0, SPECIALITIES, 1), rng, noise=1.4)[0]
        summary = world._unit(vector + rng.normal(0, 0.8 / np.sqrt(DIM), DIM).astype(np.float32))
        o = int(occ[0])
        terms = [f"o{o}w{int(j)}" for j in rng.integers(0, 40, 2)] + [f"o{o}title"]
        skills = [f"o{o}s{int(rng.integers(0, 8))}"]
        label, flt = filters[q % len(filters)]
        out.append((label, flt, vector, summary, terms, skills))
    return out


def exact_neighbours(vectors: np.ndarray, eligible: np.ndarray, query: np.ndarray, k: int) -> set[int]:
    best = np.full(len(vectors), -np.inf, dtype=np.float32)
    for start in range(0, len(vectors), 100_000):
        best[start:start + 100_000] = vectors[start:start + 100_000] @ query    # Int8Rows: converted a chunk at a time
    best[~eligible] = -np.inf
    return set(np.argpartition(-best, k)[:k].tolist())


def build(n: int):
    """The SearchIndex of `n` synthetic profiles, the product's graph path from 1 row; (index, build facts)."""
    from core.matching.index import SearchIndex

    world = World()
    print(f"building a SearchIndex of {n:,} synthetic profiles (graph from 1 row: the product's path above "
          f"INTERNAL_HIRE_ANN_MIN_PROFILES) … {load()}", flush=True)
    t0, c0 = time.perf_counter(), time.process_time()

    def progress(rows, graph=None):
        if graph is None:
            print(f"  {rows:,} rows read ({time.perf_counter() - t0:.0f} s, RSS {rss_mb():.0f} MiB, peak "
                  f"{peak_rss_mb():.0f} MiB)", flush=True)
        elif graph % 262_144 < 65_536 or graph == rows:
            print(f"  graph: {graph:,} of {rows:,} ({time.perf_counter() - t0:.0f} s, RSS {rss_mb():.0f} MiB, "
                  f"peak {peak_rss_mb():.0f} MiB)", flush=True)
    index = SearchIndex(synthetic_rows(world, n), DIM, None, ann_min_rows=1, expected_rows=n, progress=progress)
    facts = {"profiles": n, "build_wall_s": time.perf_counter() - t0, "build_cpu_s": time.process_time() - c0,
             "build_peak_rss_mb": peak_rss_mb(), "load_after_build": load()}
    print(f"built in {facts['build_wall_s']:.0f} s wall, {facts['build_cpu_s']:.0f} s CPU; vectors "
          f"{index.vectors.dtype} {index.vectors.nbytes / 1e9:.2f} GB + summaries {index.summaries.nbytes / 1e9:.2f} "
          f"GB, graph {index.graph.nbytes() / 1e9:.2f} GB, BM25 {index.lexical.nbytes() / 1e9:.2f} GB; peak RSS "
          f"{facts['build_peak_rss_mb']:.0f} MiB; {load()}", flush=True)
    return index, facts


SAVED_INDEX, SAVED_REQUESTS, SAVED_FACTS = "index", "requests.pkl", "build.json"


def save_built(folder: Path, index, facts: dict, asks: list) -> None:
    """The built index (SearchIndex.save: int8 codes as .npy, memory-mapped by load; the graph's file) and the
    request set, so the search phase can be measured, repeated and tuned in a fresh process without a rebuild."""
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    index.save(folder / SAVED_INDEX, {"bench": "ann_million", "profiles": facts["profiles"]})
    facts = {**facts, "save_s": time.perf_counter() - t, "peak_rss_after_save_mb": peak_rss_mb()}
    with open(folder / SAVED_REQUESTS, "wb") as f:
        pickle.dump(asks, f, protocol=pickle.HIGHEST_PROTOCOL)
    (folder / SAVED_FACTS).write_text(json.dumps(facts, indent=1), encoding="utf-8")
    print(f"saved to {folder} in {facts['save_s']:.0f} s (peak RSS {facts['peak_rss_after_save_mb']:.0f} MiB)",
          flush=True)


def load_built(folder: Path):
    """(index, build facts, requests) from `save_built`'s folder: what a restarted process does."""
    from core.matching.index import SearchIndex

    t, c = time.perf_counter(), time.process_time()
    index = SearchIndex.load(folder / SAVED_INDEX)
    with open(folder / SAVED_REQUESTS, "rb") as f:
        asks = pickle.load(f)
    facts = json.loads((folder / SAVED_FACTS).read_text(encoding="utf-8"))
    loaded_rss = peak_rss_mb()
    index.fault_in()     # as a server's warm-up does (MatchingService.warm_up): the mapped pages, before any search
    print(f"loaded {index.n:,} profiles from {folder} in {time.perf_counter() - t:.1f} s wall, "
          f"{time.process_time() - c:.1f} s CPU with the warm-up's fault-in; peak RSS {loaded_rss:.0f} MiB loaded, "
          f"{peak_rss_mb():.0f} MiB with the mapped pages; the build was "
          f"{facts['build_wall_s']:.0f} s wall, {facts['build_cpu_s']:.0f} s CPU, peak RSS "
          f"{facts['build_peak_rss_mb']:.0f} MiB ({facts['load_after_build']}); {load()}", flush=True)
    return index, facts, asks


def run_million(n: int, count: int, save: Path | None = None, saved: Path | None = None,
                build_only: bool = False) -> None:
    from core.matching import ann

    if saved is not None:
        index, facts, asks = load_built(saved)
        asks = asks[:count]
        n = index.n
    else:
        index, facts = build(n)
        asks = requests(World(), count)
        if save is not None:
            save_built(save, index, facts, asks)
        if build_only:
            return
    rss_built = peak_rss_mb()

    for label, flt, vector, summary, terms, skills in asks[:8]:      # warm-up
        index.score(vector, terms, skills, {}, flt, limit=10, summary_vector=summary)
    results = {}
    for label, flt, vector, summary, terms, skills in asks:
        t, c = time.perf_counter(), time.process_time()
        got = index.score(vector, terms, skills, {}, flt, limit=10, summary_vector=summary)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        results.setdefault(label, []).append((wall, cpu, [int(r) for r in got.rows]))
    rss_search = peak_rss_mb()

    # The exact reference: every eligible profile scored (no graph), and the exact semantic neighbours.
    exact_path = ann.EXACT_ELIGIBLE_ROWS
    sem_hits = rescored_hits = sem_total = 0
    recall = {}
    ann.EXACT_ELIGIBLE_ROWS = n + 1
    try:
        for (label, flt, vector, summary, terms, skills), (wall, cpu, rows) in zip(asks, _in_order(asks, results)):
            exact = index.score(vector, terms, skills, {}, flt, limit=10, summary_vector=summary)
            want = {int(r) for r in exact.rows}
            recall.setdefault(label, []).append(len(want & set(rows)) / max(len(want), 1))
            mask = index.eligible_mask(flt)
            truth = exact_neighbours(index.vectors, mask, vector, 10)
            fetched = np.array(ann.eligible_rows(index.graph.search, vector, mask, 10,
                                                 min_fetch=ann.GRAPH_MIN_FETCH)[0], dtype=np.int64)
            sem_hits += len(truth & set(fetched[:10].tolist()))          # in the graph's (int8) order
            exact_order = fetched[np.argsort(-(index.vectors[fetched].astype(np.float32) @ vector))]
            rescored_hits += len(truth & set(exact_order[:10].tolist()))   # the fetched neighbours re-scored
            sem_total += len(truth)
    finally:
        ann.EXACT_ELIGIBLE_ROWS = exact_path

    print(f"\n{n:,} profiles, {count} requests ({load()}); the search core (SearchIndex.score) per request:")
    print(f"  {'request':<30} {'p50 ms':>8} {'p99 ms':>8} {'CPU p50 ms':>11} {'recall@10 (fused)':>18}")
    walls_all = []
    for label, rows in results.items():
        walls = [w * 1000 for w, _, _ in rows]
        walls_all += walls
        cpus = [c * 1000 for _, c, _ in rows]
        print(f"  {label:<30} {statistics.median(walls):>8.1f} {percentile(walls, 99):>8.1f} "
              f"{statistics.median(cpus):>11.1f} {statistics.mean(recall[label]):>18.3f}")
    every = [x for values in recall.values() for x in values]
    print(f"  {'all':<30} {statistics.median(walls_all):>8.1f} {percentile(walls_all, 99):>8.1f} "
          f"{'':>11} {statistics.mean(every):>18.3f}")
    print(f"semantic neighbours alone (graph + over-fetch vs exact scan): recall@10 {sem_hits / sem_total:.3f} in the "
          f"graph's order, {rescored_hits / sem_total:.3f} with the fetched neighbours re-scored exactly")
    print(f"peak RSS: {rss_built:.0f} MiB after the {'load' if saved else 'build'}, {rss_search:.0f} MiB after the "
          f"searches (before the exact reference); {load()}")


def _in_order(asks, results):
    seen = {label: 0 for label in results}
    for label, *_ in asks:
        yield results[label][seen[label]]
        seen[label] += 1


def compare(n: int, count: int) -> None:
    """The libraries on the same clustered vectors: build, query, recall@10 against exact, memory."""
    world = World()
    rng = np.random.default_rng(3)
    occ, spec = rng.integers(0, OCCUPATIONS, n), rng.integers(0, SPECIALITIES, n)
    data = np.concatenate([world.vectors(occ[i:i + 50_000], spec[i:i + 50_000], rng) for i in range(0, n, 50_000)])
    queries = world.vectors(rng.integers(0, OCCUPATIONS, count), rng.integers(0, SPECIALITIES, count), rng, 1.4)
    truth = [set(np.argpartition(-(data @ q), 10)[:10].tolist()) for q in queries]
    print(f"{n:,} clustered vectors of {DIM} dimensions, {count} queries, fetch 100 then top 10; {load()}")
    print(f"  {'library':<28} {'build s':>8} {'build CPU s':>11} {'query p50 ms':>12} {'p99 ms':>7} "
          f"{'recall@10':>9} {'index MB':>9}")

    def report(name, build, cpu, search, size_mb):
        times, hits = [], 0
        for q, want in zip(queries, truth):
            t = time.perf_counter()
            found = search(q)
            times.append((time.perf_counter() - t) * 1000)
            top = sorted(found, key=lambda r: -float(data[r] @ q))[:10]   # the candidates re-scored exactly
            hits += len(want & set(top))
        print(f"  {name:<28} {build:>8.1f} {cpu:>11.1f} {statistics.median(times):>12.2f} "
              f"{percentile(times, 99):>7.2f} {hits / (10 * len(queries)):>9.3f} {size_mb:>9.0f}", flush=True)

    try:
        from usearch.index import Index
        for dtype in ("i8", "f16"):
            t, c = time.perf_counter(), time.process_time()
            ix = Index(ndim=DIM, metric="cos", dtype=dtype, connectivity=16, expansion_add=128, expansion_search=96)
            ix.add(np.arange(n, dtype=np.uint64), data, threads=2)
            report(f"usearch {dtype} M16 ef96", time.perf_counter() - t, time.process_time() - c,
                   lambda q, ix=ix: ix.search(q, 100, threads=1).keys.tolist(), ix.memory_usage / 1e6)
            del ix
    except ImportError:
        print("  usearch: not installed")
    try:
        import hnswlib
        t, c = time.perf_counter(), time.process_time()
        h = hnswlib.Index(space="cosine", dim=DIM)
        h.init_index(max_elements=n, M=16, ef_construction=128)
        h.add_items(data, np.arange(n), num_threads=2)
        h.set_ef(128)
        report("hnswlib f32 M16 ef128", time.perf_counter() - t, time.process_time() - c,
               lambda q: h.knn_query(q, 100)[0][0].tolist(), n * (DIM * 4 + 16 * 2 * 4 + 16) / 1e6)
        del h
    except ImportError:
        print("  hnswlib: not installed")
    try:
        import faiss
        faiss.omp_set_num_threads(2)
        t, c = time.perf_counter(), time.process_time()
        f = faiss.IndexHNSWSQ(DIM, faiss.ScalarQuantizer.QT_8bit, 16, faiss.METRIC_INNER_PRODUCT)
        f.hnsw.efConstruction = 128
        f.train(data[:min(n, 50_000)])
        f.add(data)
        f.hnsw.efSearch = 128
        report("faiss HNSW+SQ8 M16 ef128", time.perf_counter() - t, time.process_time() - c,
               lambda q: f.search(q[None, :], 100)[1][0].tolist(), n * (DIM + 16 * 2 * 4) / 1e6)
        del f
    except ImportError:
        print("  faiss: not installed")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--compare", type=int, default=0, metavar="N",
                        help="compare the ANN libraries on N vectors instead")
    parser.add_argument("--save", type=Path, metavar="FOLDER",
                        help="save the built index and the requests to FOLDER (for --saved)")
    parser.add_argument("--build-only", action="store_true", help="with --save: stop after saving")
    parser.add_argument("--saved", type=Path, metavar="FOLDER",
                        help="measure the searches on the index saved in FOLDER (loaded, not rebuilt)")
    args = parser.parse_args(argv)
    if args.build_only and not args.save:
        parser.error("--build-only needs --save FOLDER")
    from core import blas

    blas.single_threaded()     # as the product runs searches (core/blas.py)
    if args.compare:
        compare(args.compare, min(args.requests, 200))
    else:
        run_million(args.profiles, args.requests, args.save, args.saved, args.build_only)


if __name__ == "__main__":
    main()
