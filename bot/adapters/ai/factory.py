"""Choosing the AI adapters: Gemini with the offline provider behind it when a key is set, offline alone otherwise;
the embedder by name. Core sees only the ports (core.ai.provider.AIProvider, core.ports.Embedder).
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from core.ai.embedders import HashingEmbedder, UseEmbedder

if TYPE_CHECKING:      # imported when a provider is made: a search that makes none does not load them
    from core.ai.provider import AIProvider
    from core.ai.usage import ContentCache, UsageLedger

log = logging.getLogger(__name__)


def make_ai_provider(api_key: str | None, *, fast_model: str | None = None, strong_model: str | None = None,
                     base_url: str | None = None, timeout_s: float = 20.0, retries: int = 3,
                     offline: AIProvider | None = None, ledger: UsageLedger | None = None,
                     cache: ContentCache | None = None) -> AIProvider:
    """ResilientProvider(GeminiProvider, offline) when `api_key` is set, else the offline provider.

    `offline` defaults to `core.ai.offline.OfflineProvider()`, imported only when needed.
    """
    from core.ai.provider import ResilientProvider
    from core.ai.usage import ContentCache

    if offline is None:
        from core.ai.offline import OfflineProvider

        offline = OfflineProvider()
    key = (api_key or "").strip()
    if not key:
        log.info("no GEMINI_API_KEY: AI tasks run offline")
        return offline
    from bot.adapters.ai.gemini import FAST, STRONG, GeminiProvider

    gemini = GeminiProvider(key, models={FAST: fast_model or "", STRONG: strong_model or ""}, base_url=base_url,
                            timeout_s=timeout_s, retries=retries, ledger=ledger,
                            cache=cache if cache is not None else ContentCache())
    return ResilientProvider(gemini, offline)


def ai_provider_from_settings(settings: Any, *, offline: AIProvider | None = None, ledger: UsageLedger | None = None,
                              cache: ContentCache | None = None) -> AIProvider:
    """The same from an object with bot.settings.Settings' AI attributes."""
    secret = getattr(settings, "gemini_api_key", None)
    key = secret.get_secret_value() if hasattr(secret, "get_secret_value") else secret
    return make_ai_provider(key, fast_model=settings.model_fast, strong_model=settings.model_strong,
                            base_url=settings.gemini_base_url, timeout_s=settings.ai_timeout,
                            retries=settings.ai_retries, offline=offline, ledger=ledger, cache=cache)


def make_embedder(name: str, *, gemini_api_key: str | None = None, gemini_base_url: str | None = None,
                  timeout_s: float = 20.0, retries: int = 3, gemini_model: str = "gemini-embedding-001",
                  cache_dir=True):
    """`cache_dir`: where the offline model is kept prepared between processes (True: the default,
    core.ai.embedders.default_model_cache)."""
    name = (name or "use").lower()
    if name in ("use", "use-multilingual-v3", "offline"):
        return UseEmbedder(cache_dir)
    if name.startswith("hashing"):
        dim = int(name.split("-", 1)[1]) if "-" in name else 256
        return HashingEmbedder(dim)
    if name == "gemini" or name.startswith("gemini-"):
        suffix = name.removeprefix("gemini").lstrip("-")
        if suffix and not suffix.isdigit():
            raise ValueError(f"unknown embedder {name!r} (expected 'gemini' or 'gemini-<dim>', e.g. gemini-768)")
        if not gemini_api_key:
            raise ValueError(f"the {name!r} embedder needs GEMINI_API_KEY")
        from bot.adapters.ai.gemini_embedder import GeminiEmbedder

        return GeminiEmbedder(gemini_api_key, model=gemini_model or "gemini-embedding-001", dim=int(suffix or 768),
                              base_url=gemini_base_url, timeout_s=timeout_s, retries=retries)
    raise ValueError(f"unknown embedder {name!r} (expected 'use', 'gemini-<dim>' or 'hashing-<dim>')")
