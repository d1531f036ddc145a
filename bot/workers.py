"""Where the platform adapters run handlers: a small dedicated thread pool.

Handlers are CPU-bound (embedding, numpy, the Korean analyser). Running them on a pool no larger than the machine's
cores keeps the event loop free to acknowledge new Slack and Teams requests at once while earlier searches are
still being computed (bench/slack_ack_latency.py: ack p99 235 ms with the default pool, 87 ms with this one).
Shortening sys.setswitchinterval was measured too and made searches 15x slower; it is not used.
"""
from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from functools import partial

_POOL = ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)), thread_name_prefix="handler")


async def run_handler(func, *args, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(_POOL, partial(func, *args, **kwargs))
