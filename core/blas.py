"""How many threads numpy's BLAS (OpenBLAS) may use, per kind of work.

A search embeds one short query: a few small matrix products that OpenBLAS's thread pool only slows down (its threads
spin waiting for work, and on a busy machine they wait for a core). bench/search_latency.py --threads measured the
query embedder at 1 BLAS thread against the pool. So the process runs with ONE BLAS thread by default, and only work
that pays for more asks for them with `wide()`: batch embedding (imports, re-indexing) and the exact scan of a large
index (see SCAN_WIDE_ROWS in core/matching/index.py).

Batch embedding gets the wide pool only when INTERNAL_HIRE_BLAS_THREADS is set (`batch_threads`): on the shared
2-core test machine (load 24-25) bench/import_throughput.py measured the batch embedder at 52 resumes per CPU-second
on one thread and 7.6 on two (3.1 against 0.7 resumes/s wall), so one thread is the default there too.

OpenBLAS's thread count is one setting for the whole process, so sections are counted: the setting goes back to one
thread only when the last `wide()` section running in any thread ends (no section can leave it at the wrong value).
INTERNAL_HIRE_BLAS_THREADS sets the wide count (default: the number of CPUs).
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_state = {"controller": None, "wide_sections": 0, "ready": False}


def wide_threads() -> int:
    try:
        return max(1, int(os.environ.get("INTERNAL_HIRE_BLAS_THREADS", "") or (os.cpu_count() or 1)))
    except ValueError:
        return os.cpu_count() or 1


def batch_threads() -> int:
    """BLAS threads for batch embedding: INTERNAL_HIRE_BLAS_THREADS when set, else one (see the module's note)."""
    return wide_threads() if os.environ.get("INTERNAL_HIRE_BLAS_THREADS", "").strip() else 1


def _set(threads: int) -> None:
    controller = _state["controller"]
    if controller is not None:
        controller.select(user_api="blas").limit(limits=threads)   # type: ignore[attr-defined]


def _ensure() -> None:
    """Discover the BLAS libraries once and start at one thread (called under _lock)."""
    if _state["ready"]:
        return
    _state["ready"] = True
    try:
        from threadpoolctl import ThreadpoolController

        _state["controller"] = ThreadpoolController()
        _set(1)
    except Exception:   # no threadpoolctl or an unknown BLAS: numpy keeps its own setting
        _state["controller"] = None


def single_threaded() -> None:
    """Put BLAS at one thread now (idempotent); wide() sections still get more."""
    with _lock:
        _ensure()


@contextmanager
def wide(threads: int | None = None):
    """Run the block with `threads` BLAS threads (default wide_threads()); back to one when the last section ends."""
    threads = wide_threads() if threads is None else threads
    if threads <= 1:
        single_threaded()
        yield
        return
    with _lock:
        _ensure()
        _state["wide_sections"] += 1
        if _state["wide_sections"] == 1:
            _set(threads)
    try:
        yield
    finally:
        with _lock:
            _state["wide_sections"] -= 1
            if _state["wide_sections"] == 0:
                _set(1)


def current_threads() -> int | None:
    """BLAS threads in force now (None when unknown), for benchmarks and tests."""
    with _lock:
        _ensure()
        controller = _state["controller"]
    if controller is None:
        return None
    infos = [i for i in controller.info() if i.get("user_api") == "blas"]
    return infos[0]["num_threads"] if infos else None
