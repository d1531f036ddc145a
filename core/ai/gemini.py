"""The AI port done with Gemini, through google-genai's async client.

Each task has a model (a small fast one by default; `models` may name a model per task or per tier), temperature 0
for the deterministic tasks, JSON output constrained by a response schema and validated with pydantic, SDK retries
with back-off on 429 and 5xx, a timeout on every HTTP attempt and an overall deadline per call, token counts in a
`UsageLedger`, and a `ContentCache` so an identical deterministic call costs nothing the second time. Any failure
raises `AIError`; `ResilientProvider` turns that into an offline answer.
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

from core.ai import prompts
from core.ai.provider import (AIError, Fact, Generated, RequestBrief, ResumeExtraction, TalentQuestion,
                              TextStream)
from core.ai.usage import ContentCache, UsageLedger

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

FAST, STRONG = "fast", "strong"
DEFAULT_MODELS = {FAST: "gemini-2.5-flash-lite", STRONG: "gemini-2.5-flash"}
# Which tier a task uses unless `models` names the task itself. Chat answers and summaries need far less than
# generation (job descriptions), so only generation gets the strong model.
TASK_TIERS = {"extract_resume": FAST, "interpret_question": FAST, "answer": FAST, "summary": FAST,
              "generate": STRONG, "generate_jd": STRONG, "rewrite_section": FAST, "rewrite_request": FAST}
RETRY_STATUS_CODES = [429, 500, 502, 503, 504]

# Output budgets: a truncated JSON answer fails validation and falls back, so these are generous for the task.
_MAX_OUTPUT_TOKENS = {"extract_resume": 4096, "interpret_question": 512, "answer": 1024, "generate_jd": 2048,
                      "rewrite_section": 768, "rewrite_request": 512}
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
        # The SDK does not retry a timed-out attempt, so one slow attempt plus quick failed ones bound a call.
        self.deadline_s = float(deadline_s) if deadline_s else self.timeout_s + self.retries * max_backoff_s + 1.0
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
        config = self._config(task, model, system, temperature=temperature)
        started = time.perf_counter()
        try:
            responses = await asyncio.wait_for(
                self._client.aio.models.generate_content_stream(model=model, contents=content, config=config),
                self.deadline_s)
            iterator = responses.__aiter__()
            first = await asyncio.wait_for(iterator.__anext__(), self.deadline_s)
        except StopAsyncIteration:
            first, iterator = None, None
        except Exception as exc:
            self.ledger.record(model, task, 0, 0, cached=False, ms=_ms(started), failed=True)
            raise _as_ai_error(task, exc, self.deadline_s) from exc

        async def chunks() -> AsyncIterator[str]:
            last, failed = first, False
            try:
                if first is not None and first.text:
                    yield first.text
                while iterator is not None:
                    try:
                        # The gap between chunks is bounded too: a stalled stream must not hang the caller.
                        response = await asyncio.wait_for(iterator.__anext__(), self.timeout_s)
                    except StopAsyncIteration:
                        break
                    except Exception as exc:
                        failed = True
                        raise _as_ai_error(task, exc, self.timeout_s) from exc
                    last = response if response.usage_metadata else last
                    if response.text:
                        yield response.text
            finally:
                prompt_tokens, output_tokens = _usage(last)
                self.ledger.record(model, task, prompt_tokens, output_tokens, cached=False, ms=_ms(started),
                                   failed=failed)

        return TextStream(chunks(), source=self.name, model=model)

    async def _generate(self, task: str, model: str, content: str, config, started: float):
        """One generate_content call under the overall deadline; a failure is recorded and raised as AIError."""
        try:
            return await asyncio.wait_for(
                self._client.aio.models.generate_content(model=model, contents=content, config=config),
                self.deadline_s)
        except Exception as exc:
            self.ledger.record(model, task, 0, 0, cached=False, ms=_ms(started), failed=True)
            raise _as_ai_error(task, exc, self.deadline_s) from exc

    # ---- one plain-text call ---------------------------------------------------------------------------------------
    async def _text(self, task: str, system: str, content: str, temperature: float) -> Generated[str]:
        model = self.model_for(task)
        config = self._config(task, model, system, temperature=temperature)
        started = time.perf_counter()
        response = await self._generate(task, model, content, config, started)
        prompt_tokens, output_tokens = _usage(response)
        text = response.text or ""
        failed = not text.strip()
        self.ledger.record(model, task, prompt_tokens, output_tokens, cached=False, ms=_ms(started), failed=failed)
        if failed:
            raise AIError(f"{task}: no output ({_finish_reason(response)})")
        return Generated(text, source=self.name, model=model)

    # ---- one structured call ---------------------------------------------------------------------------------------
    async def _structured(self, task: str, schema: type[M], system: str, content: str) -> Generated[M]:
        model = self.model_for(task)
        config = self._config(task, model, system, temperature=0.0, schema=schema)
        started = time.perf_counter()
        key = None
        if self.cache is not None:
            key = ContentCache.key(model, task, system, content, compact_schema(schema), config.temperature)
            hit = self.cache.get(key)
            if hit is not None:
                self.ledger.record(model, task, 0, 0, cached=True, ms=_ms(started))
                return Generated(schema.model_validate(hit), source=self.name, model=model)
        response = await self._generate(task, model, content, config, started)
        prompt_tokens, output_tokens = _usage(response)
        try:
            value = _parse(schema, response)
        except AIError:
            # The tokens were spent even though the answer is unusable.
            self.ledger.record(model, task, prompt_tokens, output_tokens, cached=False, ms=_ms(started), failed=True)
            raise
        self.ledger.record(model, task, prompt_tokens, output_tokens, cached=False, ms=_ms(started))
        if key is not None:
            self.cache.put(key, value.model_dump(mode="json"))
        return Generated(value, source=self.name, model=model)

    def _config(self, task: str, model: str, system: str, temperature: float,
                schema: type[BaseModel] | None = None) -> types.GenerateContentConfig:
        options: dict[str, Any] = dict(system_instruction=system, temperature=temperature,
                                       max_output_tokens=_MAX_OUTPUT_TOKENS.get(task, 1024),
                                       thinking_config=_no_thinking(model))
        if schema is not None:
            options.update(response_mime_type="application/json",
                           response_schema=types.Schema.model_validate(compact_schema(schema)))
        return types.GenerateContentConfig(**options)


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


def _no_thinking(model: str) -> types.ThinkingConfig | None:
    """Thinking tokens are billed as output and delay the first token; these tasks do not need them."""
    name = model.lower().removeprefix("models/")
    if name.startswith("gemini-2.5-flash"):
        return types.ThinkingConfig(thinking_budget=0)
    if name.startswith("gemini-3"):
        return types.ThinkingConfig(thinking_level=types.ThinkingLevel.LOW)
    return None


def _parse(schema: type[M], response: types.GenerateContentResponse) -> M:
    text = response.text
    if not text or not text.strip():
        raise AIError(f"no output ({_finish_reason(response)})")
    try:
        return schema.model_validate_json(_FENCE.sub("", text))
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())) or "output"
        raise AIError(f"output does not fit {schema.__name__}: {where}: {first.get('msg', 'invalid')}") from exc


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


def _as_ai_error(task: str, exc: BaseException, deadline_s: float) -> AIError:
    """One error type for every failure, with a message fit for logs (never the API key or the request)."""
    from google.genai import errors

    if isinstance(exc, AIError):
        return exc
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return AIError(f"{task}: no answer from Gemini within {deadline_s:g}s")
    if isinstance(exc, errors.APIError):
        return AIError(f"{task}: Gemini answered {exc.code} {exc.status or ''}".rstrip())
    return AIError(f"{task}: Gemini call failed ({exc.__class__.__name__})")


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000

