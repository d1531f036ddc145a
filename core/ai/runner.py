"""Sync access to the async AI layer: one event loop in a daemon thread for the whole process.

Handlers are synchronous and run in worker threads; the google-genai async client keeps its HTTP session on the
loop that first used it, so every AI call runs on this one loop rather than on a fresh loop per call. The caller's
request budget (core.ai.deadline) goes with the call onto the loop.
"""
from __future__ import annotations

import asyncio
import queue
import threading
from typing import AsyncIterator, Awaitable, Iterator, TypeVar

from core.ai import deadline as request_deadline

T = TypeVar("T")

_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()
_DONE = object()


def ai_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _lock:
        if _loop is None or _loop.is_closed():
            _loop = asyncio.new_event_loop()
            threading.Thread(target=_loop.run_forever, name="ai-loop", daemon=True).start()
        return _loop


def run_sync(awaitable: Awaitable[T], timeout: float | None = None) -> T:
    """Run a coroutine on the AI loop and wait for it from this (non-loop) thread, within this thread's budget."""
    return asyncio.run_coroutine_threadsafe(_wrap(awaitable, request_deadline.current()), ai_loop()).result(timeout)


async def _wrap(awaitable: Awaitable[T], budget: request_deadline.Deadline | None = None) -> T:
    with request_deadline.using(budget):      # the task runs in its own context: the budget is set in it
        return await awaitable


def iterate_sync(stream: AsyncIterator[T]) -> Iterator[T]:
    """Consume an async iterator from a sync thread, item by item, as the items arrive."""
    items: queue.Queue = queue.Queue()

    async def pump():
        try:
            async for item in stream:
                items.put(item)
        except BaseException as exc:   # handed to the consumer, which re-raises it in its own thread
            items.put(exc)
        finally:
            items.put(_DONE)

    asyncio.run_coroutine_threadsafe(pump(), ai_loop())
    while True:
        item = items.get()
        if item is _DONE:
            return
        if isinstance(item, BaseException):
            raise item
        yield item
