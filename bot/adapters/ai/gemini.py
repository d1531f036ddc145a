"""The AI port done with Gemini, through google-genai's async client.

Each task has a model (a small fast one by default; `models` may name a model per task or per tier; defaults and the
per-family request shape in core.ai.models), JSON output constrained by a response schema and validated with
pydantic, SDK retries with back-off on 429 and 5xx, a timeout on every HTTP attempt and an overall deadline per call
that never exceeds what is left of the chat request's budget (core.ai.deadline), token counts in a `UsageLedger`
under the model that answered, and a `ContentCache` so an identical deterministic call costs nothing the second time.
A model the API reported missing (at start, daily, or by a 404) is not called at all. Any failure raises `AIError`
with a kind a person can be told; `ResilientProvider` turns that into an offline answer.
"""
from __future__ import annotations

import asyncio
import copy
import logging
import re
import time
from typing import Any, AsyncIterator, TypeVar

from google import genai
from google.genai import types
from pydantic import BaseModel, ValidationError

from core.ai import deadline as request_deadline
from core.ai import prompts
from bot.adapters.ai.gemini_config import generate_config
from core.ai.models import (DEFAULT_FAST, DEFAULT_STRONG, OK, UNAVAILABLE, UNKNOWN, UNSUPPORTED, ModelRegistry, bare,
                            describe_problem)
from core.ai.provider import (AIError, Fact, Generated, RequestBrief, ResumeExtraction, TalentQuestion,
                              TextStream)
from core.ai.usage import ContentCache, UsageLedger

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

FAST, STRONG = "fast", "strong"
DEFAULT_MODELS = {FAST: DEFAULT_FAST, STRONG: DEFAULT_STRONG}
# Which tier a task uses unless `models` names the task itself. Chat answers and summaries need far less than
# generation (job descriptions), so only generation gets the strong model.
TASK_TIERS = {"extract_resume": FAST, "interpret_question": FAST, "answer": FAST, "summary": FAST,
              "generate": STRONG, "generate_jd": STRONG, "rewrite_section": FAST, "rewrite_request": FAST}
RETRY_STATUS_CODES = [429, 500, 502, 503, 504]

# Output budgets: a truncated JSON answer fails validation and falls back, so these are generous for the task.
_MAX_OUTPUT_TOKENS = {"extract_resume": 4096, "interpret_question": 512, "answer": 1024, "generate_jd": 2048,
                      "rewrite_section": 768, "rewrite_request": 512}
# Tasks that may think a little (LOW) on models that can; the rest get the least thinking the model accepts.
_LOW_EFFORT_TASKS = ("generate_jd",)
# A call is not started with less than this left of the request's budget: it could not finish anyway.
MIN_CALL_BUDGET_S = 1.0
# After the request's budget is spent, a stream that has started may still pause this long between chunks.
STREAM_GAP_AFTER_DEADLINE_S = 3.0
MODEL_CHECK_TIMEOUT_S = 5.0
_ANSWER_TEMPERATURE = 0.2
_GENERATE_TEMPERATURE = 0.4     # some variety in wording; the facts are pinned by the prompt and the guardrails
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")


class GeminiProvider:
    name = "gemini"

    def __init__(self, api_key: str, models: dict[str, str] | None = None, base_url: str | None = None,
                 timeout_s: float = 20.0, retries: int = 3, ledger: UsageLedger | None = None,
                 cache: ContentCache | None = None, *, backoff_s: float = 1.0, max_backoff_s: float = 8.0,
                 deadline_s: float | None = None, redact_resumes: bool = True) -> None:
        if not api_key or not api_key.strip():
            raise ValueError("GeminiProvider needs an API key (GEMINI_API_KEY)")
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.models = {**DEFAULT_MODELS, **{k: v for k, v in (models or {}).items() if v}}
        self.timeout_s = float(timeout_s)
        self.retries = max(0, int(retries))
        # One call's own bound when no request budget applies (background jobs): one slow attempt plus quick failed
        # ones. (The SDK retries a timed-out attempt too; this bound cuts such retries short.)
        self.deadline_s = float(deadline_s) if deadline_s else self.timeout_s + self.retries * max_backoff_s + 1.0
        self.registry = ModelRegistry(self.models)
        self.ledger = ledger if ledger is not None else UsageLedger()
        self.cache = cache
        self.redact_resumes = redact_resumes
        self._client = genai.Client(api_key=api_key.strip(), http_options=types.HttpOptions(
            base_url=base_url or None,
            api_version="v1beta",
            timeout=int(self.timeout_s * 1000),
            retry_options=types.HttpRetryOptions(
                attempts=self.retries + 1, initial_delay=backoff_s, max_delay=max_backoff_s, exp_base=2.0,
                jitter=backoff_s / 2, http_status_codes=RETRY_STATUS_CODES),
        ))

    def model_for(self, task: str) -> str:
        return self.models.get(task) or self.models[TASK_TIERS.get(task, FAST)]

    def watch_model(self, role: str, model: str) -> None:
        """Check another model with the configured ones (the embedding model, when Gemini embeds)."""
        self.registry.add(role, model)

    def _budget(self, task: str, model: str) -> float:
        """Seconds this call may take: its own bound, cut to what is left of the request's budget. Raises instead
        of calling a model the API said is missing, or when too little time is left to be worth starting."""
        state = self.registry.get(model)
        if state is not None and not state.usable:
            raise AIError(f"{task}: model {model} is not available ({state.detail})", kind="model_unavailable",
                          model=model)
        limit = self.deadline_s
        budget = request_deadline.current()
        if budget is not None:
            left = budget.remaining()
            if left < MIN_CALL_BUDGET_S:
                raise AIError(f"{task}: {left:.1f}s left of the request's {budget.seconds:g}s budget",
                              kind="no_time", model=model, seconds=budget.seconds)
            limit = min(limit, left)
        return limit

    def _answered_by(self, model: str, response) -> str:
        """The model that answered (the response's model version); a reroute is logged once and kept for status."""
        answered = bare(getattr(response, "model_version", None) or "") or model
        if self.registry.answered(model, answered):
            log.warning("Gemini answered requests for %s with %s (the model was rerouted); usage is recorded under "
                        "%s", model, answered, answered)
        return answered

    async def aclose(self) -> None:
        await self._client.aio.aclose()

    # ---- tasks ---------------------------------------------------------------------------------------------------
    async def extract_resume(self, text: str, lang: str) -> Generated[ResumeExtraction]:
        if self.redact_resumes:
            # Personal details never leave for a third-party API, and they cost tokens for nothing.
            from core.fairness import redact_personal_details

            text = redact_personal_details(text)
        system, content = prompts.extract_resume(text, lang)
        # Skills whose quoted evidence is not in the resume are dropped (and counted) by core.resume.pipeline.
        return await self._structured("extract_resume", ResumeExtraction, system, content)

    async def interpret_question(self, text: str, lang: str) -> Generated[TalentQuestion]:
        system, content = prompts.interpret_question(text, lang)
        return await self._structured("interpret_question", TalentQuestion, system, content)

    async def answer(self, question: str, facts: list[Fact], lang: str) -> TextStream:
        """Streams an answer grounded in `facts`. Streams are never cached."""
        system, content = prompts.answer(question, facts, lang)
        return await self._stream("answer", system, content, _ANSWER_TEMPERATURE)

    async def generate_jd(self, brief_payload: dict, context: dict, lang: str) -> TextStream:
        """Streams a JD as `## section` blocks (core.jd.generation parses them) from the small context only."""
        system, content = prompts.generate_jd(brief_payload, context, lang)
        return await self._stream("generate_jd", system, content, _GENERATE_TEMPERATURE)

    async def rewrite_section(self, section_name: str, current_text: str, instruction: str, context: dict,
                              lang: str) -> Generated[str]:
        system, content = prompts.rewrite_section(section_name, current_text, instruction, context, lang)
        text = await self._text("rewrite_section", system, content, _GENERATE_TEMPERATURE)
        return Generated(_clean_section(text.value), source=self.name, model=text.model)

    async def rewrite_request(self, text: str, lang: str, companies: list | None = None) -> Generated[RequestBrief]:
        names = [getattr(c, "name", "") or str(c) for c in companies or []]
        system, content = prompts.rewrite_request(text, lang, names)
        return await self._structured("rewrite_request", RequestBrief, system, content)

    # ---- one streamed call -----------------------------------------------------------------------------------------
    async def _stream(self, task: str, system: str, content: str, temperature: float) -> TextStream:
        """The request is made here, and its first chunk read, so that a failure raises now, while the caller can
        still answer another way."""
        model = self.model_for(task)
        limit = self._budget(task, model)
        budget = request_deadline.current()
        config = self._config(task, model, system, temperature=temperature, timeout_s=min(self.timeout_s, limit))
        started = time.perf_counter()
        try:
            responses = await asyncio.wait_for(
                self._client.aio.models.generate_content_stream(model=model, contents=content, config=config), limit)
            iterator = responses.__aiter__()
            first = await asyncio.wait_for(iterator.__anext__(), max(0.0, limit - (time.perf_counter() - started)))
        except StopAsyncIteration:
            first, iterator = None, None
        except Exception as exc:
            self.ledger.record(model, task, 0, 0, cached=False, ms=_ms(started), failed=True)
            raise self._error(task, exc, model, time.perf_counter() - started) from exc
        answered = self._answered_by(model, first) if first is not None else model

        def gap() -> float:
            # The gap between chunks is bounded too: a stalled stream must not hang the caller, and once the
            # request's budget is spent a paused stream gets only a short grace.
            if budget is None:
                return self.timeout_s
            return min(self.timeout_s, max(budget.remaining(), STREAM_GAP_AFTER_DEADLINE_S))

        async def chunks() -> AsyncIterator[str]:
            last, failed = first, False
            try:
                if first is not None and first.text:
                    yield first.text
                while iterator is not None:
                    wait = gap()
                    try:
                        response = await asyncio.wait_for(iterator.__anext__(), wait)
                    except StopAsyncIteration:
                        break
                    except Exception as exc:
                        failed = True
                        raise self._error(task, exc, model, wait) from exc
                    last = response if response.usage_metadata else last
                    if response.text:
                        yield response.text
            finally:
                prompt_tokens, output_tokens = _usage(last)
                self.ledger.record(answered, task, prompt_tokens, output_tokens, cached=False, ms=_ms(started),
                                   failed=failed)

        return TextStream(chunks(), source=self.name, model=answered)

    async def _generate(self, task: str, model: str, content: str, config, started: float, limit: float):
        """One generate_content call within `limit` seconds, retries included; a failure is recorded and raised as
        AIError."""
        try:
            return await asyncio.wait_for(
                self._client.aio.models.generate_content(model=model, contents=content, config=config), limit)
        except Exception as exc:
            self.ledger.record(model, task, 0, 0, cached=False, ms=_ms(started), failed=True)
            raise self._error(task, exc, model, time.perf_counter() - started) from exc

    def _error(self, task: str, exc: BaseException, model: str, waited_s: float) -> AIError:
        error = _as_ai_error(task, exc, waited_s, model)
        if error.kind == "model_unavailable":       # a 404: the model is gone; later calls go offline at once
            state = self.registry.set(model, UNAVAILABLE, "the API answered 404 NOT_FOUND")
            log.warning(describe_problem(state))
        return error

    # ---- one plain-text call ---------------------------------------------------------------------------------------
    async def _text(self, task: str, system: str, content: str, temperature: float) -> Generated[str]:
        model = self.model_for(task)
        limit = self._budget(task, model)
        config = self._config(task, model, system, temperature=temperature, timeout_s=min(self.timeout_s, limit))
        started = time.perf_counter()
        response = await self._generate(task, model, content, config, started, limit)
        answered = self._answered_by(model, response)
        prompt_tokens, output_tokens = _usage(response)
        text = response.text or ""
        failed = not text.strip()
        self.ledger.record(answered, task, prompt_tokens, output_tokens, cached=False, ms=_ms(started),
                           failed=failed)
        if failed:
            raise AIError(f"{task}: no output ({_finish_reason(response)})", kind="bad_output", model=model)
        return Generated(text, source=self.name, model=answered)

    # ---- one structured call ---------------------------------------------------------------------------------------
    async def _structured(self, task: str, schema: type[M], system: str, content: str) -> Generated[M]:
        model = self.model_for(task)
        started = time.perf_counter()
        key = None
        if self.cache is not None:
            key = ContentCache.key(model, task, system, content, compact_schema(schema))
            hit = self.cache.get(key)
            if hit is not None:
                self.ledger.record(model, task, 0, 0, cached=True, ms=_ms(started))
                return Generated(schema.model_validate(hit), source=self.name, model=model)
        limit = self._budget(task, model)
        config = self._config(task, model, system, temperature=0.0, schema=schema,
                              timeout_s=min(self.timeout_s, limit))
        response = await self._generate(task, model, content, config, started, limit)
        answered = self._answered_by(model, response)
        prompt_tokens, output_tokens = _usage(response)
        try:
            value = _parse(schema, response)
        except AIError as exc:
            # The tokens were spent even though the answer is unusable.
            self.ledger.record(answered, task, prompt_tokens, output_tokens, cached=False, ms=_ms(started),
                               failed=True)
            exc.model = model
            raise
        self.ledger.record(answered, task, prompt_tokens, output_tokens, cached=False, ms=_ms(started))
        if key is not None:
            self.cache.put(key, value.model_dump(mode="json"))
        return Generated(value, source=self.name, model=answered)

    def _config(self, task: str, model: str, system: str, temperature: float,
                schema: type[BaseModel] | None = None, timeout_s: float | None = None) -> types.GenerateContentConfig:
        return generate_config(model, system=system, temperature=temperature,
                               max_output_tokens=_MAX_OUTPUT_TOKENS.get(task, 1024),
                               schema=compact_schema(schema) if schema is not None else None,
                               effort="low" if task in _LOW_EFFORT_TASKS else "least", timeout_s=timeout_s)

    # ---- which models exist ----------------------------------------------------------------------------------------
    async def check_models(self, timeout_s: float = MODEL_CHECK_TIMEOUT_S) -> list:
        """Ask the API about every configured model (models.get, no retries): missing or retired (404) and
        unable to generate or embed are recorded and logged, one line each; a check that could not be made (network,
        5xx) leaves the model usable and says so. Returns the states."""
        states = []
        for model in self.registry.models():
            state = self.registry.get(model)
            embedding = "embedding" in state.roles
            try:
                found = await asyncio.wait_for(self._client.aio.models.get(
                    model=model, config=types.GetModelConfig(http_options=types.HttpOptions(
                        timeout=int(timeout_s * 1000), retry_options=types.HttpRetryOptions(attempts=1)))), timeout_s)
            except Exception as exc:
                error = _as_ai_error("models.get", exc, timeout_s, model)
                if error.kind == "model_unavailable":
                    state = self.registry.set(model, UNAVAILABLE, "not found (404) at models.get: retired or unknown")
                    log.warning(describe_problem(state))
                else:
                    state = self.registry.set(model, UNKNOWN, f"could not be checked ({error})")
                    log.warning("Gemini model %s could not be checked at start: %s", model, error)
                states.append(state)
                continue
            methods = set(found.supported_actions or ())
            needed = {"embedContent", "batchEmbedContents"} if embedding else {"generateContent"}
            if methods and not methods & needed:
                state = self.registry.set(model, UNSUPPORTED, f"it does not support {' or '.join(sorted(needed))}")
                log.warning(describe_problem(state))
            else:
                state = self.registry.set(model, OK, found.display_name or "")
            states.append(state)
        return states


# ---- helpers -------------------------------------------------------------------------------------------------------
_SCHEMAS: dict[type, dict] = {}


def compact_schema(model: type[BaseModel]) -> dict:
    """The Gemini response schema of a pydantic model without titles, defaults and descriptions: the schema is sent
    with every call and counts as prompt tokens; the prompt (core/ai/prompts.py) says what the fields mean once.
    (The SDK keeps a property ordering in it, which keeps the output in field order.)"""
    if model not in _SCHEMAS:
        from google.genai import _transformers

        full = _transformers.t_schema(genai.Client(api_key="unused")._api_client, model)
        _SCHEMAS[model] = _strip_schema(full.model_dump(mode="json", exclude_none=True))
    return copy.deepcopy(_SCHEMAS[model])


def _strip_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_strip_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("title", "default", "description"):
            continue
        if key == "properties":   # property names are data here, even one called "title"
            out[key] = {name: _strip_schema(prop) for name, prop in value.items()}
        else:
            out[key] = _strip_schema(value)
    return out


def _parse(schema: type[M], response: types.GenerateContentResponse) -> M:
    text = response.text
    if not text or not text.strip():
        raise AIError(f"no output ({_finish_reason(response)})", kind="bad_output")
    try:
        return schema.model_validate_json(_FENCE.sub("", text))
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())) or "output"
        raise AIError(f"output does not fit {schema.__name__}: {where}: {first.get('msg', 'invalid')}",
                      kind="bad_output") from exc


_SECTION_HEADING = re.compile(r"^\s*#{1,6}\s*\S.*$")
_ANY_FENCE = re.compile(r"^\s*```[A-Za-z]*\s*|\s*```\s*$")


def _clean_section(text: str) -> str:
    """The model's section without a code fence or an echoed `## section` heading."""
    lines = _ANY_FENCE.sub("", text or "").strip().splitlines()
    if lines and _SECTION_HEADING.match(lines[0]):      # a section never starts with a heading of its own
        lines = lines[1:]
    return "\n".join(lines).strip()


def _finish_reason(response: types.GenerateContentResponse) -> str:
    if response.prompt_feedback is not None and response.prompt_feedback.block_reason:
        return f"prompt blocked: {response.prompt_feedback.block_reason}"
    if response.candidates and response.candidates[0].finish_reason:
        return f"finish reason {response.candidates[0].finish_reason}"
    return "no candidates"


def _usage(response: types.GenerateContentResponse | None) -> tuple[int, int]:
    usage = response.usage_metadata if response is not None else None
    if usage is None:
        return 0, 0
    # Thinking tokens are billed as output, so they count as output here.
    return usage.prompt_token_count or 0, (usage.candidates_token_count or 0) + (usage.thoughts_token_count or 0)


def _as_ai_error(task: str, exc: BaseException, waited_s: float, model: str = "") -> AIError:
    """One error type for every failure, with a message fit for logs (never the API key or the request) and a kind
    fit for people (core.ai.provider.FallbackReason)."""
    from google.genai import errors

    if isinstance(exc, AIError):
        return exc
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)) or "timeout" in exc.__class__.__name__.lower():
        return AIError(f"{task}: no answer from Gemini after {waited_s:.1f}s", kind="timeout", model=model,
                       seconds=waited_s)
    if isinstance(exc, errors.APIError):
        kind = {404: "model_unavailable", 429: "quota"}.get(exc.code, "unavailable")
        return AIError(f"{task}: Gemini answered {exc.code} {exc.status or ''}".rstrip(), kind=kind, model=model)
    if isinstance(exc, (errors.UnknownApiResponseError, ValueError)):     # an answer that is not a Gemini response
        return AIError(f"{task}: Gemini's answer could not be read ({exc.__class__.__name__})", kind="bad_output",
                       model=model)
    return AIError(f"{task}: Gemini call failed ({exc.__class__.__name__})", kind="unavailable", model=model)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000

