"""BLAS threads: a query is embedded on one thread (a busy machine made the pool's spinning threads cost 100x), batch
work gets the wide pool, and overlapping sections in several threads never leave the process at the wrong count."""
import threading

import pytest

from core import blas
from core.ai import use_fast
from core.ai.embedders import NARROW_BATCH, UseEmbedder

pytestmark = pytest.mark.skipif(blas.current_threads() is None, reason="no BLAS library threadpoolctl can drive")


def test_query_embedding_runs_single_threaded_and_batches_go_wide(monkeypatch):
    monkeypatch.setenv("INTERNAL_HIRE_BLAS_THREADS", "2")
    embedder = UseEmbedder()
    seen = []
    real = use_fast.encode          # the forward pass (core/ai/use_fast.py)
    monkeypatch.setattr(use_fast, "encode", lambda *args: (seen.append(blas.current_threads()), real(*args))[1])
    vector = embedder.embed_query("Kafka 백엔드 개발자")
    assert vector.shape == (512,)
    embedder.embed_documents(["resume line"] * (NARROW_BATCH + 1))
    assert seen[0] == 1
    assert seen[1] == blas.wide_threads()
    assert blas.current_threads() == 1


def test_batches_stay_on_one_thread_unless_the_operator_gives_more(monkeypatch):
    monkeypatch.delenv("INTERNAL_HIRE_BLAS_THREADS", raising=False)
    embedder = UseEmbedder()
    seen = []
    real = use_fast.encode          # the forward pass (core/ai/use_fast.py)
    monkeypatch.setattr(use_fast, "encode", lambda *args: (seen.append(blas.current_threads()), real(*args))[1])
    embedder.embed_documents(["resume line"] * (NARROW_BATCH + 1))
    assert seen == [1]


def test_overlapping_wide_sections_end_single_threaded():
    inside = threading.Barrier(2)
    out = threading.Barrier(2)

    def section():
        with blas.wide(2):
            inside.wait()
            out.wait()

    workers = [threading.Thread(target=section) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert blas.current_threads() == 1
