"""The request shape of one Gemini call per model family (google-genai types): thinking levels for 3.x, thinking
budgets for 2.5, never both. The model defaults and what the API said about them stay in core/ai/models.py."""
from __future__ import annotations

from typing import Any

from google.genai import types

from core.ai.models import bare, family

_LEVELS = types.ThinkingLevel
# Thinking levels each Gemini 3.x model accepts (model pages and developer guides); longest prefix wins. Models not
# listed get LOW, which every 3.x model accepts.
THINKING_LEVELS: dict[str, tuple[types.ThinkingLevel, ...]] = {
    "gemini-3.5-flash-lite": (_LEVELS.MINIMAL, _LEVELS.LOW, _LEVELS.MEDIUM, _LEVELS.HIGH),
    "gemini-3.1-flash-lite": (_LEVELS.MINIMAL, _LEVELS.LOW, _LEVELS.MEDIUM, _LEVELS.HIGH),
    "gemini-3.5-flash": (_LEVELS.MINIMAL, _LEVELS.LOW, _LEVELS.MEDIUM, _LEVELS.HIGH),
    "gemini-3-flash": (_LEVELS.MINIMAL, _LEVELS.LOW, _LEVELS.MEDIUM, _LEVELS.HIGH),
    "gemini-3.8-flash": (_LEVELS.LOW, _LEVELS.MEDIUM, _LEVELS.HIGH),
    "gemini-3.7-flash": (_LEVELS.LOW, _LEVELS.MEDIUM, _LEVELS.HIGH),
    "gemini-3.6-flash": (_LEVELS.LOW, _LEVELS.MEDIUM, _LEVELS.HIGH),
    "gemini-3.1-pro": (_LEVELS.LOW, _LEVELS.MEDIUM, _LEVELS.HIGH),
    "gemini-3-pro": (_LEVELS.LOW, _LEVELS.HIGH),
}
_ORDER = (_LEVELS.MINIMAL, _LEVELS.LOW, _LEVELS.MEDIUM, _LEVELS.HIGH)


def thinking_levels(model: str) -> tuple[types.ThinkingLevel, ...]:
    name = bare(model)
    for prefix in sorted(THINKING_LEVELS, key=len, reverse=True):
        if name.startswith(prefix):
            return THINKING_LEVELS[prefix]
    return (_LEVELS.LOW,)


def thinking_config(model: str, effort: str = "least") -> types.ThinkingConfig | None:
    """The least thinking the model accepts (our tasks need none: thinking is billed as output and delays the first
    token), or with effort "low" at least LOW. Never both a level and a budget."""
    kind = family(model)
    if kind == "gemini-3":
        levels = thinking_levels(model)
        wanted = _LEVELS.LOW if effort == "low" else _LEVELS.MINIMAL
        chosen = next((lv for lv in _ORDER[_ORDER.index(wanted):] if lv in levels), levels[0])
        return types.ThinkingConfig(thinking_level=chosen)
    if kind == "gemini-2.5":
        # 2.5 Flash and Flash-Lite can switch thinking off; 2.5 Pro cannot go below 128 tokens.
        return types.ThinkingConfig(thinking_budget=128 if bare(model).startswith("gemini-2.5-pro") else 0)
    return None


def generate_config(model: str, *, system: str, temperature: float, max_output_tokens: int,
                    schema: dict | None = None, effort: str = "least",
                    timeout_s: float | None = None) -> types.GenerateContentConfig:
    """The GenerateContentConfig of one call, in the request shape of the model's family. Gemini 3.x models are
    tuned for their default sampling (3.5 Flash-Lite ignores a custom temperature), so only older families get
    ours. `timeout_s`: this request's HTTP timeout (the request budget left), instead of the client's."""
    options: dict[str, Any] = dict(system_instruction=system, max_output_tokens=max_output_tokens,
                                   thinking_config=thinking_config(model, effort))
    if family(model) != "gemini-3":
        options["temperature"] = temperature
    if schema is not None:
        options.update(response_mime_type="application/json", response_schema=types.Schema.model_validate(schema))
    if timeout_s is not None:
        options["http_options"] = types.HttpOptions(timeout=max(1, int(timeout_s * 1000)))
    return types.GenerateContentConfig(**options)
