"""Choosing the AI provider: Gemini with the offline provider behind it when a key is set, offline alone otherwise.

Plain values in, so core never imports bot.settings; `ai_provider_from_settings` reads a settings-like object.
"""
from __future__ import annotations

import logging
from typing import Any

from core.ai.provider import AIProvider, ResilientProvider
from core.ai.usage import ContentCache, UsageLedger

log = logging.getLogger(__name__)


def make_ai_provider(api_key: str | None, *, fast_model: str | None = None, strong_model: str | None = None,
                     base_url: str | None = None, timeout_s: float = 20.0, retries: int = 3,
                     offline: AIProvider | None = None, ledger: UsageLedger | None = None,
                     cache: ContentCache | None = None) -> AIProvider:
    """ResilientProvider(GeminiProvider, offline) when `api_key` is set, else the offline provider.

    `offline` defaults to `core.ai.offline.OfflineProvider()`, imported only when needed.
    """
    if offline is None:
        from core.ai.offline import OfflineProvider

        offline = OfflineProvider()
    key = (api_key or "").strip()
    if not key:
        log.info("no GEMINI_API_KEY: AI tasks run offline")
        return offline
    from core.ai.gemini import FAST, STRONG, GeminiProvider

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
