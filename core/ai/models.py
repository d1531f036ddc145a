"""Which Gemini models we use, how each family is asked to (not) think, and what the API says about them.

Defaults, checked on 2026-12-07 against Google's Gemini API deprecations page, the model pages and "What's new in
Gemini 3.6 Flash and 3.5 Flash-Lite" / the Gemini 3.8 Flash guide (see README, "Gemini"):

* fast tasks (resume extraction, question interpretation, chat answers, request briefs, section rewrites):
  `gemini-3.5-flash-lite`, the current Flash-Lite (GA 2026-07-21, no shutdown date; Google's replacement for
  `gemini-2.5-flash`), thinking level MINIMAL;
* strong tasks (custom job descriptions): `gemini-3.8-flash`, the current Flash (GA 2026-09-02, no shutdown date),
  thinking level LOW (it supports LOW, MEDIUM, HIGH);
* embeddings: `gemini-embedding-001` (current; `gemini-embedding-2` is multimodal, needs task prefixes instead of
  task types and a full re-embedding, so it is not the default).

`gemini-2.5-flash` and `gemini-2.5-pro` were retired on 2026-12-01; requests are refused or rerouted to a 3.x model.

The thinking configuration must match the family: Gemini 3.x takes `thinking_level` (not every level on every model),
2.5 takes `thinking_budget`, and a request with both is refused. `generate_config` builds the one request shape per
family (bot/adapters/ai/gemini_config.py, the only part that needs google-genai); `ModelRegistry` keeps what `models.get` (and failed calls) said about each configured model.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone


DEFAULT_FAST = "gemini-3.5-flash-lite"
DEFAULT_STRONG = "gemini-3.8-flash"
DEFAULT_EMBEDDING = "gemini-embedding-001"
DEFAULTS_CHECKED_ON = "2026-12-07"

# Shut down by Google (Gemini API deprecations page): a configured one is named at start, before any call fails.
RETIRED = {
    "gemini-2.5-flash": "2026-12-01", "gemini-2.5-pro": "2026-12-01",
    "gemini-2.0-flash": "2026-06-01", "gemini-2.0-flash-001": "2026-06-01", "gemini-2.0-flash-lite": "2026-06-01",
    "gemini-2.0-flash-lite-001": "2026-06-01", "gemini-3-pro-preview": "2026-03-09",
    "gemini-3.1-flash-lite-preview": "2026-05-25", "text-embedding-004": "2026-01-14",
}



def bare(model: str) -> str:
    return (model or "").strip().lower().removeprefix("models/")


def family(model: str) -> str:
    """"gemini-3" (thinking_level), "gemini-2.5" (thinking_budget) or "other" (no thinking configuration)."""
    name = bare(model)
    if re.match(r"gemini-(?:[3-9]|\d{2,})(?:[.-]|$)", name):
        return "gemini-3"
    if name.startswith("gemini-2.5-"):
        return "gemini-2.5"
    return "other"


# ---- what the API says about the configured models --------------------------------------------------------------------
OK, UNAVAILABLE, UNSUPPORTED, UNKNOWN, UNCHECKED = "ok", "unavailable", "unsupported", "unknown", "unchecked"


@dataclass
class ModelState:
    model: str
    roles: list[str] = field(default_factory=list)     # "fast", "strong", "embedding"
    status: str = UNCHECKED      # ok | unavailable (404, retired) | unsupported (no such method) | unknown (check failed)
    detail: str = ""             # for logs and status cards; never a key or a URL
    checked_at: str = ""
    answered_by: str = ""        # the model that actually answered, when the API rerouted the calls

    @property
    def usable(self) -> bool:
        return self.status not in (UNAVAILABLE, UNSUPPORTED)

    def as_dict(self) -> dict:
        out = {"model": self.model, "roles": list(self.roles), "status": self.status}
        for key in ("detail", "checked_at", "answered_by"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


class ModelRegistry:
    """Thread-safe state of each configured model (what the start-up and daily checks and failed calls found)."""

    def __init__(self, roles: dict[str, str]):
        self._lock = threading.Lock()
        self._states: dict[str, ModelState] = {}
        for role, model in roles.items():
            if model:
                self._states.setdefault(bare(model), ModelState(bare(model))).roles.append(role)

    def add(self, role: str, model: str) -> None:
        with self._lock:
            state = self._states.setdefault(bare(model), ModelState(bare(model)))
            if role not in state.roles:
                state.roles.append(role)

    def models(self) -> list[str]:
        with self._lock:
            return list(self._states)

    def get(self, model: str) -> ModelState | None:
        with self._lock:
            return self._states.get(bare(model))

    def set(self, model: str, status: str, detail: str = "") -> ModelState:
        with self._lock:
            state = self._states.setdefault(bare(model), ModelState(bare(model)))
            state.status, state.detail = status, detail
            state.checked_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
            return state

    def answered(self, asked: str, answered: str) -> bool:
        """Record the model the API answered with; True the first time a reroute is seen."""
        asked, answered = bare(asked), bare(answered)
        if not answered or answered == asked or answered.startswith(asked + "-"):   # "-001": the same model
            return False
        with self._lock:
            state = self._states.setdefault(asked, ModelState(asked))
            first = state.answered_by != answered
            state.answered_by = answered
            return first

    def usable(self, model: str) -> bool:
        state = self.get(model)
        return state is None or state.usable

    def snapshot(self) -> list[dict]:
        with self._lock:
            return [s.as_dict() for s in self._states.values()]


def describe_problem(state: ModelState) -> str:
    """One line for the log: the model, its role, what is wrong and what to do."""
    retired = RETIRED.get(state.model)
    why = f"retired by Google on {retired}" if retired and state.status == UNAVAILABLE else state.detail
    return (f"Gemini model {state.model} ({', '.join(state.roles) or 'unused'}) is not available: {why}. Calls that "
            f"need it answer offline; set a current model (README, \"Gemini\").")


# ---- checked at start and daily ---------------------------------------------------------------------------------------
CHECK_INTERVAL_S = 24 * 3600


class ModelWatch:
    """Runs `provider.check_models()` on the AI loop at start and then every day, in the background: start-up waits
    at most `wait_s` for the first answer (so its log lines come first), never longer."""

    def __init__(self, provider, interval_s: float = CHECK_INTERVAL_S):
        self.provider = provider
        self.interval_s = interval_s
        self._future = None
        self._first = None

    def start(self, wait_s: float = 0.0) -> "ModelWatch":
        import asyncio
        import concurrent.futures

        from core.ai.runner import ai_loop

        self._first = concurrent.futures.Future()
        self._future = asyncio.run_coroutine_threadsafe(self._run(), ai_loop())
        if wait_s > 0:
            try:
                self._first.result(wait_s)
            except concurrent.futures.TimeoutError:
                pass
        return self

    async def _run(self) -> None:
        import asyncio
        import logging

        while True:
            try:
                await self.provider.check_models()
            except Exception:      # noqa: BLE001 - a check must never stop the product
                logging.getLogger(__name__).warning("checking the Gemini models failed", exc_info=True)
            if not self._first.done():
                self._first.set_result(True)
            await asyncio.sleep(self.interval_s)

    def stop(self) -> None:
        if self._future is not None:
            self._future.cancel()
            self._future = None


def ai_status(provider) -> dict:
    """The AI section of /healthz and `jd status`: which provider answers, and each configured model's state as the
    API last reported it. No key, no URL."""
    primary = getattr(provider, "primary", provider)
    registry = getattr(primary, "registry", None)
    if getattr(primary, "name", "") != "gemini" or registry is None:
        return {"provider": "offline", "models": []}
    return {"provider": "gemini", "models": registry.snapshot(), "defaults_checked_on": DEFAULTS_CHECKED_ON}
