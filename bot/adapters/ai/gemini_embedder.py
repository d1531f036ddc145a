"""Gemini embeddings (gemini-embedding-001) behind the sync Embedder port.

Documents and queries are embedded with their own task types (RETRIEVAL_DOCUMENT / RETRIEVAL_QUERY), at most 100
texts per request (the API's batch limit), at a reduced `output_dimensionality`. Gemini normalises only full 3072-d
vectors, so every vector is L2-normalised here: cosine search and the stored vectors assume unit length.
"""
from __future__ import annotations

import time

import numpy as np
from google import genai
from google.genai import types

from core.ai import deadline as request_deadline
from core.ai.provider import AIError
from core.ai.usage import UsageLedger

BATCH_SIZE = 100
# gemini-embedding-001 reads at most 2048 tokens; sending more only costs bandwidth.
MAX_EMBED_CHARS = 8000
RETRY_STATUS_CODES = [429, 500, 502, 503, 504]


class GeminiEmbedder:
    def __init__(self, api_key: str, model: str = "gemini-embedding-001", dim: int = 768, base_url: str | None = None,
                 timeout_s: float = 20.0, retries: int = 3, ledger: UsageLedger | None = None, *,
                 backoff_s: float = 1.0, max_backoff_s: float = 8.0) -> None:
        if not api_key or not api_key.strip():
            raise ValueError("the Gemini embedder needs an API key (GEMINI_API_KEY)")
        if not 1 <= int(dim) <= 3072:
            raise ValueError(f"embedding dimension must be between 1 and 3072, not {dim}")
        self.model = model
        self.timeout_s = float(timeout_s)
        self.dim = int(dim)
        self.model_id = f"{model}@{self.dim}"
        self.ledger = ledger
        self._client = genai.Client(api_key=api_key.strip(), http_options=types.HttpOptions(
            base_url=base_url or None,
            api_version="v1beta",
            timeout=int(timeout_s * 1000),
            retry_options=types.HttpRetryOptions(
                attempts=max(0, int(retries)) + 1, initial_delay=backoff_s, max_delay=max_backoff_s, exp_base=2.0,
                jitter=backoff_s / 2, http_status_codes=RETRY_STATUS_CODES),
        ))

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, "RETRIEVAL_DOCUMENT")

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text], "RETRIEVAL_QUERY")[0]

    def close(self) -> None:
        self._client.close()

    def _config(self, task_type: str) -> types.EmbedContentConfig:
        """Inside a chat request (core.ai.deadline) one attempt, within what is left of the request's budget: this
        sync call cannot be cancelled, so it is bounded up front. Imports and re-embedding keep the retries."""
        config = types.EmbedContentConfig(task_type=task_type, output_dimensionality=self.dim)
        budget = request_deadline.current()
        if budget is not None:
            left = budget.remaining()
            if left < 1.0:
                raise AIError(f"embedding: {left:.1f}s left of the request's {budget.seconds:g}s budget",
                              kind="no_time", model=self.model, seconds=budget.seconds)
            config.http_options = types.HttpOptions(timeout=int(min(self.timeout_s, left) * 1000),
                                                    retry_options=types.HttpRetryOptions(attempts=1))
        return config

    def _embed(self, texts: list[str], task_type: str) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        config = self._config(task_type)
        for start in range(0, len(texts), BATCH_SIZE):
            # The API rejects empty content; a blank text gets a (meaningless but valid) single space.
            batch = [(t or "").strip()[:MAX_EMBED_CHARS] or " " for t in texts[start:start + BATCH_SIZE]]
            started = time.perf_counter()
            try:
                response = self._client.models.embed_content(model=self.model, contents=batch, config=config)
            except Exception as exc:
                raise _error(exc) from exc
            vectors = [e.values or [] for e in (response.embeddings or [])]
            if len(vectors) != len(batch) or any(len(v) != self.dim for v in vectors):
                raise AIError(f"embedding: expected {len(batch)} vectors of {self.dim} values from {self.model}, "
                              f"got {len(vectors)} of {sorted({len(v) for v in vectors})}")
            out[start:start + len(batch)] = np.asarray(vectors, dtype=np.float32)
            if self.ledger is not None:
                # The batch endpoint reports no token usage; the call and its time are still worth counting.
                self.ledger.record(self.model, "embed_" + task_type.split("_")[1].lower(), 0, 0, cached=False,
                                   ms=(time.perf_counter() - started) * 1000)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


def _error(exc: BaseException) -> AIError:
    from google.genai import errors

    if isinstance(exc, errors.APIError):
        return AIError(f"embedding: Gemini answered {exc.code} {exc.status or ''}".rstrip())
    if isinstance(exc, TimeoutError) or "timeout" in exc.__class__.__name__.lower():
        return AIError("embedding: no answer from Gemini in time")
    return AIError(f"embedding: Gemini call failed ({exc.__class__.__name__})")
