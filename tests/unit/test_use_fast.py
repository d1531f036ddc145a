"""The import's forward pass (core/ai/use_fast.py) is the same model: the vectors of a batch agree with the embedding
package's own forward pass, text by text, and the C++ tokenizer gives the package tokenizer's ids (unknown characters
included)."""
import sys

import numpy as np
import pytest

from core.ai import use_fast
from core.ai.embedders import NARROW_BATCH, UseEmbedder
from core.ai.use_fast import _UNK

TEXTS = [
    "Senior Backend Engineer\nBuilt Kafka pipelines in Java and Spring; led the migration to Kubernetes.",
    "시니어 백엔드 개발자\n카프카 기반 정산 시스템 설계, 결제 모듈 개발, 앱 출시",
    "모듈듈 앱앱 텍텍 - runs of characters the vocabulary does not have",
    "Accounts Payable ........................................................ Jan 2002 to Jan 2009",
    "roles: backend engineer; skills: kafka, java, spring, kubernetes; years: 7",
    " ",
    "ＡＢＣ１２３ ① Ⅻ ㎏ ㈜ ﬁ",
    "x" * 1999,
]


@pytest.fixture(scope="module")
def embedder():
    return UseEmbedder()


def test_a_batch_gets_the_packages_vectors(embedder):
    batch = TEXTS * 3          # more than NARROW_BATCH: the import's path (C++ tokenizer when installed)
    assert len(batch) > NARROW_BATCH
    ours = embedder.embed_documents(batch)
    package = embedder._get()._model._encode(batch)
    assert ours.shape == (len(batch), 512)
    assert np.abs(ours - package).max() < 1e-5
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_a_text_gets_the_same_vector_alone_and_in_a_batch(embedder):
    alone = np.stack([embedder.embed_query(t) for t in TEXTS])
    in_batch = embedder.embed_documents(TEXTS * 3)[:len(TEXTS)]
    assert np.abs(alone - in_batch).max() < 1e-5


def test_the_cpp_tokenizer_gives_the_packages_ids():
    pytest.importorskip("sentencepiece")
    backend = UseEmbedder()._get()._model
    tokenizer = use_fast.fast_tokenizer(backend)
    assert tokenizer is not None
    for text in TEXTS + ["", "\u3000", "  \t\n", "\u200b", "듈", "a듈텍b c"]:
        assert tokenizer.encode(text) == backend.sp.encode(text, out_type=int, add_bos=True, add_eos=True), text


# ---- an import's worker: what it loads (core/ai/embedders.py CachedTokenizer) ---------------------------------------
BATCH_WITH_EDGES = TEXTS * 3 + ["", "  \t\n", "\u3000 \u3000", "\u200b", "듈텍 ①"]


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory):
    """A model cache of its own, prepared once (as the first process of an install does)."""
    folder = tmp_path_factory.mktemp("model-cache")
    UseEmbedder(cache_dir=folder).embed_query("prepare the cache")
    yield folder
    UseEmbedder._shared_models.pop(str(folder), None)


def worker_embedder(cache):
    """What a newly started worker has: nothing loaded in this process yet."""
    UseEmbedder._shared_models.pop(str(cache), None)
    return UseEmbedder(cache_dir=cache)


def test_a_worker_embeds_a_batch_without_loading_the_packages_tokenizer(model_cache, embedder):
    pytest.importorskip("sentencepiece")
    worker = worker_embedder(model_cache)
    vectors = worker.embed_documents(BATCH_WITH_EDGES)
    assert worker._get()._model.sp._tokenizer is None         # ~40 MB the worker does not hold
    assert np.array_equal(vectors, embedder.embed_documents(BATCH_WITH_EDGES))


def test_a_worker_without_the_sentencepiece_library_embeds_identically(model_cache, embedder, monkeypatch):
    monkeypatch.setitem(sys.modules, "sentencepiece", None)   # `import sentencepiece` fails, as where not installed
    worker = worker_embedder(model_cache)
    vectors = worker.embed_documents(BATCH_WITH_EDGES)
    assert worker._get()._model.sp._tokenizer is not None     # the package's tokenizer did the work
    assert np.array_equal(vectors, embedder.embed_documents(BATCH_WITH_EDGES))


def test_a_text_the_library_cannot_segment_gets_the_packages_ids_from_the_cache(model_cache):
    pytest.importorskip("sentencepiece")
    backend = worker_embedder(model_cache)._get()._model
    tokenizer = use_fast.fast_tokenizer(backend)
    library = tokenizer._sp

    class SplitsDifferently:      # its pieces do not line up with its ids: only the package's tokenizer can say
        def encode(self, text, out_type=int):
            return library.encode(text, out_type=out_type)[:-1] if out_type is str else library.encode(text)

    tokenizer._sp = SplitsDifferently()
    ids = tokenizer.encode("모듈듈 앱앱 텍텍")
    expected = UseEmbedder(cache_dir=None)._get()._model.sp.encode("모듈듈 앱앱 텍텍", out_type=int)
    assert ids == expected and _UNK in ids


def test_a_cache_from_before_the_probe_was_recorded_records_it(model_cache, embedder):
    pytest.importorskip("sentencepiece")
    (folder,) = [p for p in model_cache.iterdir() if p.name.startswith("use-")]
    (folder / "tokenizer-probe.json").unlink()
    first = worker_embedder(model_cache)
    assert np.array_equal(first.embed_documents(BATCH_WITH_EDGES), embedder.embed_documents(BATCH_WITH_EDGES))
    assert (folder / "tokenizer-probe.json").exists()         # checked against the loaded tokenizer, then recorded
    second = worker_embedder(model_cache)
    second.embed_documents(BATCH_WITH_EDGES)
    assert second._get()._model.sp._tokenizer is None
