"""The AI port: the language tasks the product needs, behind one interface with two providers.

`GeminiProvider` (bot/adapters/ai/gemini.py) does them with Gemini through google-genai; `OfflineProvider`
(core/ai/offline.py) does them with local rules, the skill taxonomy and templates. `ResilientProvider` puts the
offline path behind Gemini so a failed, slow or malformed call degrades instead of reaching the user.

Every task returns `Generated`: the value plus which provider produced it, so cards can label offline results
honestly. Tasks are async (the Gemini client is async); sync callers use `core.ai.runner.run_sync`.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import AsyncIterator, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, Field

log = logging.getLogger(__name__)

T = TypeVar("T")

Proficiency = Literal["beginner", "intermediate", "advanced", "expert"]


# ---- structured outputs (also the response schemas Gemini is asked to fill) --------------------------------------
class ExtractedSkill(BaseModel):
    name: str = Field(description="the skill as the resume names it, e.g. 'Kafka' or '쿠버네티스'")
    evidence: str = Field(description="the resume line that shows the skill, copied verbatim")
    proficiency: Proficiency = Field(default="intermediate", description="estimated from years, scope and wording")
    years: float | None = Field(default=None, description="years of use when the resume makes it clear")


class ExtractedRole(BaseModel):
    title: str
    organisation: str = ""
    start: str = Field(default="", description="YYYY or YYYY-MM")
    end: str = Field(default="", description="YYYY or YYYY-MM; empty when current")


class ResumeExtraction(BaseModel):
    skills: list[ExtractedSkill] = Field(default_factory=list)
    roles: list[ExtractedRole] = Field(default_factory=list)
    years_experience: float | None = None
    education: list[str] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    summary: str = ""


TalentIntent = Literal["find", "compare", "count", "skills_of", "help", "out_of_domain", "injection"]


class TalentQuestion(BaseModel):
    """A talent-chat question turned into something the database can answer."""

    intent: TalentIntent
    role_text: str = Field(default="", description="what the people should be able to do, for a search")
    skills: list[str] = Field(default_factory=list)
    location: str = ""
    department: str = ""
    people: list[str] = Field(default_factory=list, description="names or employee ids the question mentions")
    limit: int | None = None


class RequestBrief(BaseModel):
    """A free-text custom JD request, its entities extracted and the request rewritten, for the user to confirm."""

    company: str = Field(default="", description="the company as the request names it")
    family: str = Field(default="", description="the job family or role, e.g. 'backend developer'")
    level: str = Field(default="", description="L1-L6 or a seniority word, e.g. 'senior'")
    skills: list[str] = Field(default_factory=list)
    team: str = ""
    product_area: str = ""
    years: int | None = None
    rewritten: str = Field(default="", description="the request as one clear hiring brief")


@dataclass(frozen=True)
class Fact:
    """One profile fact an answer may use; `ref` is how the answer cites it ([E0123])."""

    ref: str
    text: str


# ---- results -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FallbackReason:
    """Why the offline path answered instead of the model, in terms a person can be told (handlers word it in their
    language; exception names and API error text stay in the log)."""

    kind: str                      # timeout | no_time | model_unavailable | quota | bad_output | unavailable
    model: str = ""                # the model that was asked
    seconds: float | None = None   # how long the request waited for the model before falling back


@dataclass
class Generated(Generic[T]):
    value: T
    source: str                    # "gemini" or "offline"
    model: str = ""                # the model that answered (the response's model version when it says)
    note: str = ""                 # why the offline path answered, for the log (never shown to users)
    reason: FallbackReason | None = None     # the same, for the card


@dataclass
class TextStream:
    """Streamed text: iterate for chunks; `source` and `note` are final once the stream is exhausted."""

    chunks: AsyncIterator[str]
    source: str
    model: str = ""
    note: str = ""
    parts: list[str] = field(default_factory=list)
    reason: FallbackReason | None = None

    def __aiter__(self):
        return self._iterate()

    async def _iterate(self):
        async for chunk in self.chunks:
            self.parts.append(chunk)
            yield chunk

    @property
    def text(self) -> str:
        return "".join(self.parts)


class AIError(Exception):
    """A provider could not do a task (network, quota, timeout, output that does not fit the schema). `kind` is one of
    FallbackReason's kinds; the message is for logs only."""

    def __init__(self, message: str, kind: str = "unavailable", model: str = "", seconds: float | None = None):
        super().__init__(message)
        self.kind = kind
        self.model = model
        self.seconds = seconds


class AIProvider(Protocol):
    name: str

    async def extract_resume(self, text: str, lang: str) -> Generated[ResumeExtraction]: ...

    async def interpret_question(self, text: str, lang: str) -> Generated[TalentQuestion]: ...

    async def answer(self, question: str, facts: list[Fact], lang: str) -> TextStream: ...

    # Job descriptions (core/jd). `context` is the small material a JD may draw on, built by
    # core.jd.generation.generation_context; `brief_payload` is a custom_jd job payload (core.jd.custom.Brief).
    async def generate_jd(self, brief_payload: dict, context: dict, lang: str) -> TextStream:
        """Streams a JD as `## section` blocks in core.jd.model.SECTIONS order (parse with core.jd.generation)."""
        ...

    async def rewrite_section(self, section_name: str, current_text: str, instruction: str, context: dict,
                              lang: str) -> Generated[str]:
        """One section rewritten from an instruction; only that section is sent and returned."""
        ...

    async def rewrite_request(self, text: str, lang: str, companies: list | None = None) -> Generated[RequestBrief]:
        """Entities of a free-text custom JD request, and the request rewritten. `companies`: the known ones
        (core.jd.model.Company), so the company can be recognised."""
        ...


class ResilientProvider:
    """Gemini first, the offline provider when Gemini fails; a failure is logged, never shown as an error."""

    def __init__(self, primary: AIProvider, fallback: AIProvider):
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    async def _either(self, task: str, *args):
        started = time.monotonic()
        try:
            return await getattr(self.primary, task)(*args)
        except Exception as exc:   # AIError, timeouts, validation errors: all degrade the same way
            log.warning("%s via %s failed (%s); answering offline", task, self.primary.name, _reason(exc))
            result = await getattr(self.fallback, task)(*args)
            result.note = _reason(exc)
            result.reason = fallback_reason(exc, time.monotonic() - started)
            return result

    async def extract_resume(self, text: str, lang: str) -> Generated[ResumeExtraction]:
        return await self._either("extract_resume", text, lang)

    async def interpret_question(self, text: str, lang: str) -> Generated[TalentQuestion]:
        return await self._either("interpret_question", text, lang)

    async def answer(self, question: str, facts: list[Fact], lang: str) -> TextStream:
        return await self._stream_either("answer", question, facts, lang)

    async def generate_jd(self, brief_payload: dict, context: dict, lang: str) -> TextStream:
        return await self._stream_either("generate_jd", brief_payload, context, lang)

    async def rewrite_section(self, section_name: str, current_text: str, instruction: str, context: dict,
                              lang: str) -> Generated[str]:
        return await self._either("rewrite_section", section_name, current_text, instruction, context, lang)

    async def rewrite_request(self, text: str, lang: str, companies: list | None = None) -> Generated[RequestBrief]:
        return await self._either("rewrite_request", text, lang, companies)

    async def _stream_either(self, task: str, *args) -> TextStream:
        """Falls back if the stream cannot start or breaks before its first chunk; a break later keeps what came
        (and says so in `note`)."""
        started = time.monotonic()
        try:
            stream = await getattr(self.primary, task)(*args)
            iterator = stream.__aiter__()
            first = await iterator.__anext__()
        except StopAsyncIteration:
            first, iterator, stream = "", None, None
        except Exception as exc:
            log.warning("%s via %s failed (%s); answering offline", task, self.primary.name, _reason(exc))
            fallback = await getattr(self.fallback, task)(*args)
            fallback.note = _reason(exc)
            fallback.reason = fallback_reason(exc, time.monotonic() - started)
            return fallback
        if stream is None:
            fallback = await getattr(self.fallback, task)(*args)
            fallback.note = f"{self.primary.name} gave an empty answer"
            fallback.reason = FallbackReason("bad_output", getattr(self.primary, "model_for", lambda t: "")(task))
            return fallback

        async def rest():
            yield first
            try:
                async for chunk in iterator:
                    yield chunk
            except Exception as exc:
                log.warning("%s stream via %s broke (%s)", task, self.primary.name, _reason(exc))
                result.note = _reason(exc)

        result = TextStream(rest(), source=stream.source, model=stream.model)
        return result


def fallback_reason(exc: BaseException, waited_s: float | None = None) -> FallbackReason:
    """What to tell a person about a failed model call; the seconds are the real wait, not a configured timeout."""
    waited = round(waited_s, 1) if waited_s is not None else None
    if isinstance(exc, AIError):
        seconds = waited if exc.kind in ("timeout", "no_time") else exc.seconds
        return FallbackReason(exc.kind, exc.model, seconds)
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return FallbackReason("timeout", "", waited)
    return FallbackReason("unavailable")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__
