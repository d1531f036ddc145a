"""A local fake of the Gemini API (v1beta, the subset google-genai uses), for tests and benchmarks. No network.

    with FakeGemini() as fake:                        # sync or async tests alike: the server has its own thread
        fake.enqueue(error(429, retry_after=1), answer({"intent": "find"}))
        client = genai.Client(api_key="k", http_options=types.HttpOptions(base_url=fake.base_url))
        ...
        fake.requests                                 # every request: action, model, headers, body, prompt tokens

Routes: POST /v1beta/models/{model}:generateContent, :streamGenerateContent?alt=sse (SSE `data: {...}` chunks),
:batchEmbedContents and :countTokens; GET /v1beta/models/{model} (models.get): 200 with the model's methods for the
ids in `catalog`, 404 NOT_FOUND for retired ids (`retired`) and unknown ones. Generation on a retired id answers 404
too, unless `reroute` names the model that answers for it (its modelVersion), as Google does for some retirements.

Generation requests take their behaviour from a queue (`enqueue`), one per request, retried attempts included; when
the queue is empty `default_responder` answers: for a request with a response schema, the smallest JSON that fits
it; otherwise the text "OK". Embedding requests use their own queue (`enqueue_embed`) and otherwise return
deterministic, deliberately unnormalised vectors of the requested dimension (3072 when none is asked).

Token counts (promptTokenCount, candidatesTokenCount, countTokens) are an approximation, stated here because the
benchmark reports them: one token per 4 ASCII characters plus one per 1.5 other characters (Hangul syllables
tokenise far denser than English letters). The prompt is the system instruction, the contents' text, and the
response schema as compact JSON, which the real API also counts as input.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import math
import random
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from aiohttp import web


# ---- behaviours ----------------------------------------------------------------------------------------------------
@dataclass
class Behaviour:
    status: int = 200
    text: str | None = None                 # the model's answer (JSON text for structured calls)
    chunks: list[str] | None = None         # streamed pieces; joined for a non-streaming call
    raw_body: str | None = None             # a literal HTTP body instead of a Gemini response
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0                    # before answering at all
    chunk_delay_s: float = 0.0              # between streamed chunks
    finish_reason: str = "STOP"
    responder: Callable[["RecordedRequest"], Any] | None = None
    model_version: str | None = None        # the model that answers (default: the one asked)


def answer(value: Any, **kw) -> Behaviour:
    """The model answers `value`: a str as is, anything else as JSON."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return Behaviour(text=text, **kw)


def chunks(*parts: str, **kw) -> Behaviour:
    return Behaviour(chunks=list(parts), **kw)


def error(status: int, retry_after: float | None = None, message: str = "") -> Behaviour:
    names = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED",
             500: "INTERNAL", 502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
    body = {"error": {"code": status, "message": message or f"fake {status}", "status": names.get(status, "UNKNOWN")}}
    headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
    return Behaviour(status=status, raw_body=json.dumps(body), headers=headers)


def slow(seconds: float, then: Behaviour | None = None) -> Behaviour:
    """Answer only after `seconds` (longer than the client's timeout, to test it)."""
    behaviour = then or Behaviour()
    behaviour.delay_s = seconds
    return behaviour


def respond(fn: Callable[["RecordedRequest"], Any]) -> Behaviour:
    """`fn(request)` returns a Behaviour, or a value answered as by `answer`."""
    return Behaviour(responder=fn)


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: str
    model: str
    action: str                              # generateContent, streamGenerateContent, batchEmbedContents, countTokens
    headers: dict[str, str]
    body: Any
    prompt_tokens: int = 0

    @property
    def prompt_text(self) -> str:
        return prompt_text(self.body or {})

    @property
    def response_schema(self) -> dict | None:
        return ((self.body or {}).get("generationConfig") or {}).get("responseSchema")


# ---- token approximation -------------------------------------------------------------------------------------------
def approx_tokens(text: str) -> int:
    ascii_chars = sum(1 for c in text if ord(c) < 128)
    return math.ceil(ascii_chars / 4 + (len(text) - ascii_chars) / 1.5)


def _parts_text(content: Any) -> str:
    if not isinstance(content, dict):
        return ""
    return "".join(p.get("text", "") for p in content.get("parts") or [] if isinstance(p, dict))


def prompt_text(body: dict) -> str:
    pieces = [_parts_text(body.get("systemInstruction") or body.get("system_instruction"))]
    pieces += [_parts_text(c) for c in body.get("contents") or []]
    schema = (body.get("generationConfig") or {}).get("responseSchema")
    if schema:
        pieces.append(json.dumps(schema, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(p for p in pieces if p)


def minimal_json(schema: dict) -> Any:
    """The smallest value that fits a Gemini response schema."""
    kind = (schema.get("type") or "OBJECT").upper()
    if schema.get("enum"):
        return schema["enum"][0]
    if kind == "OBJECT":
        props = schema.get("properties") or {}
        return {name: minimal_json(props[name]) for name in schema.get("required") or [] if name in props}
    return {"ARRAY": [], "STRING": "", "NUMBER": 0, "INTEGER": 0, "BOOLEAN": False}.get(kind)


def default_responder(request: RecordedRequest) -> Behaviour:
    schema = request.response_schema
    return answer(minimal_json(schema)) if schema else answer("OK")


def fake_vector(text: str, dim: int) -> list[float]:
    rng = random.Random(hashlib.sha256(text.encode("utf-8")).digest())
    scale = rng.uniform(0.5, 3.0)   # unnormalised on purpose: the client must normalise
    return [rng.gauss(0.0, 1.0) * scale for _ in range(dim)]


# ---- the model list ----------------------------------------------------------------------------------------------------
GENERATE = ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"]
EMBED = ["embedContent", "batchEmbedContents", "asyncBatchEmbedContent"]
# What models.get knows (as of the date the defaults were checked, core/ai/models.py) and what it has retired.
CATALOG = {name: GENERATE for name in ("gemini-3.8-flash", "gemini-3.7-flash", "gemini-3.6-flash", "gemini-3.5-flash",
                                       "gemini-3.5-flash-lite", "gemini-3.1-flash-lite", "gemini-3.1-pro-preview",
                                       "gemini-2.5-flash-lite")}
CATALOG.update({"gemini-embedding-001": EMBED, "gemini-embedding-2": EMBED, "gemini-3.1-flash-image": ["predict"]})
RETIRED = {"gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash", "gemini-2.0-flash-001", "gemini-2.0-flash-lite",
           "gemini-3-pro-preview", "text-embedding-004"}


# ---- the server ----------------------------------------------------------------------------------------------------
class FakeGemini:
    def __init__(self, api_key: str | None = None) -> None:
        self.api_key = api_key                # when set, any other key is refused with 400, as Google does
        self.catalog: dict[str, list[str]] = dict(CATALOG)    # models.get: id -> supportedGenerationMethods
        self.retired: set[str] = set(RETIRED)
        self.reroute: dict[str, str] = {}     # retired id -> the model that answers for it
        self.requests: list[RecordedRequest] = []
        self.default: Callable[[RecordedRequest], Any] = default_responder
        self._queue: deque[Behaviour] = deque()
        self._embed_queue: deque[Behaviour] = deque()
        self._models_queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None
        self.port = 0

    # scripting
    def enqueue(self, *behaviours: Behaviour) -> "FakeGemini":
        with self._lock:
            self._queue.extend(behaviours)
        return self

    def enqueue_embed(self, *behaviours: Behaviour) -> "FakeGemini":
        with self._lock:
            self._embed_queue.extend(behaviours)
        return self

    def requests_for(self, action: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.action == action]

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._queue.clear()
            self._embed_queue.clear()
            self._models_queue.clear()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # lifecycle
    def start(self) -> "FakeGemini":
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._serve())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="fake-gemini", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake Gemini server did not start")
        return self

    def stop(self) -> None:
        if self._loop is None:
            return

        async def shutdown() -> None:
            self._stopping.set()   # slow handlers stop waiting
            await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
        self._loop = None

    def __enter__(self) -> "FakeGemini":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    async def _serve(self) -> None:
        self._stopping = asyncio.Event()
        app = web.Application()
        app.router.add_post("/{version}/models/{target}", self._handle)
        app.router.add_get("/{version}/models/{target}", self._get_model)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    # handling
    async def _get_model(self, request: web.Request) -> web.Response:
        model = request.match_info["target"]
        record = RecordedRequest(method="GET", path=request.path, query=request.query_string, model=model,
                                 action="get", headers=dict(request.headers), body=None)
        with self._lock:
            self.requests.append(record)
            behaviour = self._models_queue.popleft() if self._models_queue else None
        if behaviour is not None:
            await self._wait(behaviour.delay_s)
            if behaviour.raw_body is not None or behaviour.status != 200:
                return web.Response(status=behaviour.status, text=behaviour.raw_body or "", headers=behaviour.headers,
                                    content_type="application/json")
        if self.api_key is not None and request.headers.get("x-goog-api-key") != self.api_key:
            return _json_response(400, {"error": {"code": 400, "message": "API key not valid.",
                                                  "status": "INVALID_ARGUMENT"}})
        if model in self.retired or model not in self.catalog:
            return _json_response(404, {"error": {"code": 404, "message": f"models/{model} is not found for API "
                                                  "version v1beta, or is not supported", "status": "NOT_FOUND"}})
        return _json_response(200, {"name": f"models/{model}", "version": "001", "displayName": model,
                                    "inputTokenLimit": 1048576, "outputTokenLimit": 65536,
                                    "supportedGenerationMethods": self.catalog[model], "thinking": True})

    def enqueue_models(self, *behaviours: Behaviour) -> "FakeGemini":
        """Behaviours for the next models.get requests (a hang, a 500), before the catalog answers."""
        with self._lock:
            self._models_queue.extend(behaviours)
        return self

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        model, _, action = request.match_info["target"].partition(":")
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        record = RecordedRequest(method=request.method, path=request.path, query=request.query_string, model=model,
                                 action=action, headers=dict(request.headers), body=body)
        if action in ("generateContent", "streamGenerateContent"):
            record.prompt_tokens = approx_tokens(prompt_text(body or {}))
        elif action == "countTokens":
            inner = (body or {}).get("generateContentRequest") or body or {}
            record.prompt_tokens = approx_tokens(prompt_text(inner))
        with self._lock:
            self.requests.append(record)
            queue = self._embed_queue if action == "batchEmbedContents" else self._queue
            behaviour = queue.popleft() if queue and action != "countTokens" else None

        if self.api_key is not None and request.headers.get("x-goog-api-key") != self.api_key:
            return _json_response(400, {"error": {"code": 400, "message": "API key not valid.",
                                                  "status": "INVALID_ARGUMENT"}})
        if action == "countTokens":
            return _json_response(200, {"totalTokens": record.prompt_tokens})
        if action == "batchEmbedContents":
            return await self._embed(record, behaviour)
        if action not in ("generateContent", "streamGenerateContent"):
            return _json_response(404, {"error": {"code": 404, "message": f"no fake for {action}",
                                                  "status": "NOT_FOUND"}})

        if behaviour is None and model in self.retired:
            if model not in self.reroute:
                return _json_response(404, {"error": {"code": 404, "message": f"models/{model} is not found for API "
                                                      "version v1beta", "status": "NOT_FOUND"}})
            behaviour = _as_behaviour(self.default(record))
            behaviour.model_version = self.reroute[model]
        behaviour = behaviour or _as_behaviour(self.default(record))
        if behaviour.responder is not None:
            delay = behaviour.delay_s
            behaviour = _as_behaviour(behaviour.responder(record))
            behaviour.delay_s = max(behaviour.delay_s, delay)
        await self._wait(behaviour.delay_s)
        if behaviour.raw_body is not None or behaviour.status != 200:
            return web.Response(status=behaviour.status, text=behaviour.raw_body or "", headers=behaviour.headers,
                                content_type="application/json")

        pieces = behaviour.chunks if behaviour.chunks is not None else [behaviour.text or ""]
        answering = behaviour.model_version or model
        if action == "generateContent":
            text = "".join(pieces)
            return _json_response(200, _response(answering, text, record.prompt_tokens, approx_tokens(text),
                                                 behaviour.finish_reason))
        stream = web.StreamResponse(status=200, headers={"Content-Type": "text/event-stream"})
        try:
            await stream.prepare(request)
            sent = ""
            for i, piece in enumerate(pieces):
                if i and behaviour.chunk_delay_s:
                    await self._wait(behaviour.chunk_delay_s)
                sent += piece
                last = i == len(pieces) - 1
                data = _response(answering, piece, record.prompt_tokens, approx_tokens(sent),
                                 behaviour.finish_reason if last else None)
                await stream.write(f"data: {json.dumps(data, ensure_ascii=False)}\r\n\r\n".encode("utf-8"))
            await stream.write_eof()
        except ConnectionResetError:      # the client gave up (its deadline) while this answer was delayed
            pass
        return stream

    async def _embed(self, record: RecordedRequest, behaviour: Behaviour | None) -> web.StreamResponse:
        if behaviour is not None:
            await self._wait(behaviour.delay_s)
            if behaviour.raw_body is not None or behaviour.status != 200:
                return web.Response(status=behaviour.status, text=behaviour.raw_body or "", headers=behaviour.headers,
                                    content_type="application/json")
        embeddings = []
        for item in (record.body or {}).get("requests") or []:
            text = _parts_text(item.get("content"))
            embeddings.append({"values": fake_vector(text, int(item.get("outputDimensionality") or 3072))})
        return _json_response(200, {"embeddings": embeddings})

    async def _wait(self, seconds: float) -> None:
        if seconds > 0:
            try:
                await asyncio.wait_for(self._stopping.wait(), seconds)
            except asyncio.TimeoutError:
                pass


def _as_behaviour(value: Any) -> Behaviour:
    return value if isinstance(value, Behaviour) else answer(value)


def _response(model: str, text: str, prompt_tokens: int, output_tokens: int, finish_reason: str | None) -> dict:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": text}]}, "index": 0}
    if finish_reason:
        candidate["finishReason"] = finish_reason
    return {"candidates": [candidate], "modelVersion": model,
            "usageMetadata": {"promptTokenCount": prompt_tokens, "candidatesTokenCount": output_tokens,
                              "totalTokenCount": prompt_tokens + output_tokens}}


def _json_response(status: int, payload: dict) -> web.Response:
    return web.Response(status=status, text=json.dumps(payload, ensure_ascii=False), content_type="application/json")
