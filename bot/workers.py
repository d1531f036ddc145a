"""Where the platform adapters run handlers: a small dedicated thread pool.

Handlers are CPU-bound (embedding, numpy, the Korean analyser) and hold the GIL most of the time. One handler thread
(INTERNAL_HIRE_HANDLER_THREADS) leaves the event loop the most room to acknowledge new Slack and Teams requests while
earlier searches are computed: bench/slack_ack_latency.py measured ack p99 235 ms with asyncio's default pool and
130-140 ms with one or two threads, and results arrive sooner with one. A shorter sys.setswitchinterval made
searches 15x slower and is not used.

With Gemini configured, handlers also wait on the network (up to the AI timeout and its retries); one thread would
then make every other request wait behind one slow model call, so the server uses AI_HANDLER_THREADS instead
(`configure`), unless INTERNAL_HIRE_HANDLER_THREADS says otherwise.
"""
from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

WORKERS = int(os.environ.get("INTERNAL_HIRE_HANDLER_THREADS", "1"))
AI_HANDLER_THREADS = 4

_POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="handler")


def configure(ai_calls_wait_on_network: bool) -> None:
    """Size the handler pool for how the product is set up (called once, before the server starts)."""
    global _POOL
    if ai_calls_wait_on_network and "INTERNAL_HIRE_HANDLER_THREADS" not in os.environ:
        _POOL = ThreadPoolExecutor(max_workers=AI_HANDLER_THREADS, thread_name_prefix="handler")


async def run_handler(func, *args, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(_POOL, partial(func, *args, **kwargs))


END = object()
POLL_INTERVAL = 1.0       # seconds between looks when a watcher has nothing new
UPDATE_INTERVAL = 1.0     # seconds between updates of one message (chat.update and Teams updates are rate limited)


async def next_update(updates):
    """The next item of a handler's updates, computed in a handler thread; END when there are no more."""
    return await run_handler(next, updates, END)


async def follow_updates(reply, show, update_interval: float | None = None) -> None:
    """Show a reply's later versions (streamed text, finished sections) in the same message, at most one update per
    UPDATE_INTERVAL; the last version is always shown. A None item means "nothing new yet": wait, ask again."""
    if reply.updates is None:
        return
    interval = UPDATE_INTERVAL if update_interval is None else update_interval
    pending, last_shown = None, 0.0
    while (cards := await next_update(reply.updates)) is not END:
        if cards is None:
            await asyncio.sleep(POLL_INTERVAL)
            continue
        pending = cards
        if time.monotonic() - last_shown >= interval:
            await show(pending)
            pending, last_shown = None, time.monotonic()
    if pending is not None:
        await show(pending)
