"""Embedding an import's batches in worker processes while the importing process analyses the next ones.

An import spends its CPU in two places: analysis (redaction, tokenising, skill extraction, the summary) and the
embedder's forward pass, about 1 : 2.5 on the offline model (bench/import_throughput.py). Both are pure-Python or
single-threaded numpy work that holds one core, so a serial import uses one core however many the machine has. Here
the importing process analyses batch k+1 while workers embed batch k (and k-1...); the vectors come back in batch
order and are written in the same per-batch transactions as the serial path, so the stored rows are identical and an
interrupted import keeps every finished batch (a re-run skips them: their resume hashes match).

At most `2 * workers + 1` batches are in flight (each ~1 MB of texts and vectors), so memory stays bounded whatever
the import's size. With only `workers + 1` a worker sat idle whenever a batch finished ahead of the oldest one (the
results are written in order) until this process had analysed another batch; finished batches are now written
whenever they are ready, between the analysis of two batches, and every worker has a batch queued behind the one it
embeds. Only embedders that
compute in-process (`embeds_in_process = True`: the offline model, the hashing test embedder) are sent to workers;
a network embedder (Gemini) is not CPU-bound and stays in the importing process.

INTERNAL_HIRE_IMPORT_WORKERS: "off" or 0 turns this off; a number sets the worker count; unset: one per CPU (the
workers and the analysing process share the cores; the OS balances them), and only when there are at least 2 CPUs.
"""
from __future__ import annotations

import logging
import os
import resource
import time
from collections import deque
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

# Below this many profiles to embed, starting workers (a fresh interpreter + the model: ~0.3-1 CPU-s) costs more
# than it saves.
MIN_PIPELINED_PROFILES = 1024


def import_workers() -> int:
    """Worker processes for an import's embedding (0: embed in the importing process). See the module's note."""
    configured = os.environ.get("INTERNAL_HIRE_IMPORT_WORKERS", "").strip().lower()
    cpus = os.cpu_count() or 1
    if configured in ("off", "false", "no", "0", "none"):
        return 0
    if configured and configured not in ("auto", "on", "true", "yes"):
        try:
            return max(0, int(configured))
        except ValueError:
            log.warning("INTERNAL_HIRE_IMPORT_WORKERS=%r is not a number or 'off'; using the default", configured)
    return cpus if cpus >= 2 else 0


def can_pipeline(embedder) -> bool:
    return bool(getattr(embedder, "embeds_in_process", False))


# ---- worker side (runs in the worker processes) -------------------------------------------------------------------
_worker_embedder = None


def _start_worker(embedder) -> None:
    global _worker_embedder
    from core import blas

    blas.single_threaded()          # as the serial path's batches run (core/blas.py batch_threads)
    _worker_embedder = embedder


def _embed_in_worker(texts: list[str]):
    """(vectors, CPU seconds spent, this worker's pid, its memory: memory_mb())."""
    started = time.process_time()
    vectors = _worker_embedder.embed_documents(texts)
    cpu = time.process_time() - started
    memory = memory_mb()
    # Without /proc, ru_maxrss; not where there is one: Linux keeps it across exec, so a spawned worker would report
    # the importing process's size at the moment it was started.
    memory.setdefault("VmHWM", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return vectors, cpu, os.getpid(), memory


def memory_mb(pid: int | str = "self") -> dict:
    """A process's Rss, Pss, Private (clean + dirty), Anonymous and peak RSS (VmHWM) in MB, from
    /proc/<pid>/smaps_rollup and status (under a millisecond: read after every batch); empty once it has gone or
    without /proc. PSS counts a page shared by k processes as 1/k: the model's memory-mapped weights are shared by the
    workers, and added up over processes PSS is what the machine holds."""
    out: dict = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                name, _, rest = line.partition(":")
                if name in ("Rss", "Pss", "Private_Clean", "Private_Dirty", "Anonymous"):
                    key = "Private" if name.startswith("Private") else name
                    out[key] = out.get(key, 0.0) + int(rest.split()[0]) / 1024
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    out["VmHWM"] = int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return {}
    return out


@dataclass
class PipelineStats:
    """What the workers did, for benchmarks: their CPU time and peak memory (each worker's own)."""
    workers: int = 0
    batches: int = 0
    worker_cpu_s: float = 0.0
    worker_peak_rss_mb: dict = field(default_factory=dict)     # pid -> that worker's peak RSS
    # pid -> the most seen at the end of a batch (a batch's temporaries are gone by then: see workers_peak_pss_total_mb)
    worker_peak_pss_mb: dict = field(default_factory=dict)
    worker_peak_private_mb: dict = field(default_factory=dict)
    worker_shared_mb: dict = field(default_factory=dict)        # pid -> most of its RSS counted in other workers' too

    @property
    def workers_peak_rss_total_mb(self) -> float:
        """The workers' peaks added up: an upper bound of their memory at any one time (the model's memory-mapped
        weights are counted once per worker although the page cache holds them once)."""
        return sum(self.worker_peak_rss_mb.values())

    @property
    def workers_peak_pss_total_mb(self) -> float:
        """What the machine held for the workers at most, an estimate: each worker's peak RSS less the part of its
        RSS that PSS gives to the other workers (RSS - PSS at the end of a batch: the shared weight pages), added up
        (as the RSS total, their peaks need not coincide)."""
        return sum(max(0.0, rss - self.worker_shared_mb.get(pid, 0.0)) for pid, rss in self.worker_peak_rss_mb.items())

    def record(self, pid: int, memory: dict) -> None:
        """One batch's figures from worker `pid` (_embed_in_worker)."""
        def keep_max(figures: dict, value: float) -> None:
            figures[pid] = max(figures.get(pid, 0.0), value)

        keep_max(self.worker_peak_rss_mb, memory.get("VmHWM", 0.0))
        if "Pss" in memory:
            keep_max(self.worker_peak_pss_mb, memory["Pss"])
            keep_max(self.worker_peak_private_mb, memory.get("Private", 0.0))
            keep_max(self.worker_shared_mb, memory.get("Rss", 0.0) - memory["Pss"])


class EmbeddingPipeline:
    """Submit batches of texts in order, get their vectors back in the same order; at most `depth` in flight."""

    def __init__(self, embedder, workers: int, depth: int | None = None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.embedder = embedder
        self.stats = PipelineStats(workers=workers)
        self.depth = depth or 2 * workers + 1
        # spawn: the importing process has threads (warm-up, the server's) and open database connections that a
        # forked child must not inherit; the worker imports only numpy and the model (memory-mapped from the cache).
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start_worker, initargs=(embedder,))
        self._pending: deque = deque()
        self._broken = False

    def full(self) -> bool:
        return len(self._pending) >= self.depth

    def __len__(self) -> int:
        return len(self._pending)

    def oldest_ready(self) -> bool:
        """True when the oldest batch's vectors are back (next_result() would not wait)."""
        return bool(self._pending) and (self._pending[0][0] is None or self._pending[0][0].done())

    def submit(self, texts: list[str], payload) -> None:
        future = None
        if not self._broken:
            try:
                future = self._pool.submit(_embed_in_worker, texts)
            except Exception:       # the pool broke (a worker was killed): embed here, the import goes on
                self._mark_broken()
        self._pending.append((future, texts, payload))

    def next_result(self):
        """(vectors, payload) of the oldest batch submitted (waits for it)."""
        from concurrent.futures.process import BrokenProcessPool

        future, texts, payload = self._pending.popleft()
        if future is not None:
            try:
                vectors, cpu, pid, memory = future.result()
                self.stats.batches += 1
                self.stats.worker_cpu_s += cpu
                self.stats.record(pid, memory)
                return vectors, payload
            except BrokenProcessPool:
                self._mark_broken()
        return self.embedder.embed_documents(texts), payload

    def _mark_broken(self) -> None:
        if not self._broken:
            log.warning("import: an embedding worker stopped; embedding the rest in this process")
        self._broken = True

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pending.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
