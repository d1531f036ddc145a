"""The import's forward pass (core/ai/use_fast.py) is the same model: the vectors of a batch agree with the embedding
package's own forward pass, text by text, and the C++ tokenizer gives the package tokenizer's ids (unknown characters
included)."""
import numpy as np
import pytest

from core.ai import use_fast
from core.ai.embedders import NARROW_BATCH, UseEmbedder

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
    for text in TEXTS + ["", "\u3000", "듈", "a듈텍b c"]:
        assert tokenizer.encode(text) == backend.sp.encode(text, out_type=int, add_bos=True, add_eos=True), text
