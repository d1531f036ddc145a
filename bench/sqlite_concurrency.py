"""Concurrent reads and writes on the embedded SQLite store: do readers wait for a writer?

Reader threads run what a chat request does to the store (look the manager up by e-mail, fetch the 10 people shown,
load a saved search) and, separately, a request that also writes its audit row and saved search; meanwhile one
writer imports profiles in transactions of --batch rows, back to back (an HR import). Each phase runs --seconds:
first without the writer, then with it.

    python -m bench.sqlite_concurrency                     # 5,000 profiles, 8 readers, batches of 500
    python -m bench.sqlite_concurrency --readers 16 --batch 2000
"""
from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time

import numpy as np

from bench.common import percentile


def build_store(folder: str):
    from bot.bootstrap import make_store
    from bot.settings import load_settings

    store = make_store(load_settings(INTERNAL_HIRE_DATA_DIR=folder))
    store.migrate()
    return store


def profile(i: int, tag: str = ""):
    from core.domain import Employee, Role, SkillEvidence

    return Employee(id=f"S{i:06d}", display_name=f"Person {i}", email=f"p{i}@corp.example", department="Payments",
                    title="Backend Engineer", level="L3", role=Role.EMPLOYEE, open_to_moves=True, languages=["ko"],
                    resume_text=f"Kafka and Go services {tag} " * 30,
                    skills=[SkillEvidence("kafka", "Built Kafka pipelines"), SkillEvidence("go", "Go services")])


def seed(store, n: int, dim: int) -> None:
    vectors = np.random.default_rng(0).normal(size=(n, dim)).astype(np.float32)
    for start in range(0, n, 2000):
        with store.transaction():
            for i in range(start, min(n, start + 2000)):
                store.upsert_profile(profile(i), "h", ["kafka", "go"] * 20, 80, vectors[i], "bench")
    store.save_search("s-bench", "M1", "kafka", {"open_only": True})


def run_phase(store, n: int, readers: int, seconds: float, batch: int | None, dim: int) -> dict:
    stop = threading.Event()
    reads: list[float] = []
    requests: list[float] = []
    written = [0]
    lock = threading.Lock()
    errors: list[BaseException] = []

    def reader(k: int) -> None:
        rng = random.Random(k)
        mine_reads, mine_requests = [], []
        try:
            while not stop.is_set():
                t0 = time.perf_counter()
                store.find_employee(f"p{rng.randrange(n)}@corp.example")
                store.get_employees([f"S{rng.randrange(n):06d}" for _ in range(10)])
                store.load_search("s-bench")
                mine_reads.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                shown = [f"S{rng.randrange(n):06d}" for _ in range(10)]
                store.get_employees(shown)
                store.add_audit("M1", "search", "kafka", shown, {"bench": True})
                store.save_search(f"s-{k}-{rng.random()}", "M1", "kafka", {})
                mine_requests.append(time.perf_counter() - t0)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        with lock:
            reads.extend(mine_reads)
            requests.extend(mine_requests)

    def writer() -> None:
        vectors = np.random.default_rng(1).normal(size=(batch, dim)).astype(np.float32)
        round_no = 0
        try:
            while not stop.is_set():
                round_no += 1
                with store.transaction():
                    for j in range(batch):
                        i = (round_no * batch + j) % n
                        store.upsert_profile(profile(i, f"r{round_no}"), f"h{round_no}", ["kafka", "go"] * 20, 80,
                                             vectors[j], "bench")
                written[0] += batch
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(readers)]
    if batch:
        threads.append(threading.Thread(target=writer))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return {"reads": reads, "requests": requests, "rows_per_s": written[0] / elapsed}


def line(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"{name} p50 {percentile(ms, 50):.2f} ms, p99 {percentile(ms, 99):.1f} ms, max {max(ms):.0f} ms "
            f"({len(ms)} done)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--dim", type=int, default=512)
    args = parser.parse_args(argv)
    store = build_store(tempfile.mkdtemp(prefix="ih-bench-concurrency-"))
    seed(store, args.profiles, args.dim)
    for label, batch in (("no writer", None), (f"one writer, {args.batch}-row transactions", args.batch)):
        result = run_phase(store, args.profiles, args.readers, args.seconds, batch, args.dim)
        print(f"{args.readers} readers, {label}:", flush=True)
        print("  " + line("read-only request (3 reads):", result["reads"]), flush=True)
        print("  " + line("request with its audit write:", result["requests"]), flush=True)
        if batch:
            print(f"  writer: {result['rows_per_s']:.0f} profiles/s imported meanwhile", flush=True)
    store.close()


if __name__ == "__main__":
    main()
