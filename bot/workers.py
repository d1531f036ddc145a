"""Where the platform adapters run handlers: a small dedicated thread pool.

Handlers are CPU-bound (embedding, numpy, the Korean analyser) and hold the GIL most of the time. One handler thread
(INTERNAL_HIRE_HANDLER_THREADS) leaves the event loop the most room to acknowledge new Slack and Teams requests while
earlier searches are computed: bench/slack_ack_latency.py measured ack p99 235 ms with asyncio's default pool and
130-140 ms with one or two threads, and results arrive sooner with one. A shorter sys.setswitchinterval made
searches 15x slower and is not used.
"""
from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from functools import partial

WORKERS = int(os.environ.get("INTERNAL_HIRE_HANDLER_THREADS", "1"))

_POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="handler")


async def run_handler(func, *args, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(_POOL, partial(func, *args, **kwargs))
