"""Where the platform adapters run handlers: a small dedicated thread pool.

Handlers are CPU-bound (embedding, numpy, the Korean analyser) and hold the GIL most of the time. One handler thread
(INTERNAL_HIRE_HANDLER_THREADS) leaves the event loop the most room to acknowledge new Slack and Teams requests while
earlier searches are computed: bench/slack_ack_latency.py measured ack p99 235 ms with asyncio's default pool and
130-140 ms with one or two threads, and results arrive sooner with one.

The event loop and the handler threads share one GIL, so the server runs with a short switch interval
(SWITCH_INTERVAL_S, `ShortSwitchInterval`): see there.

With Gemini configured, handlers also wait on the network (up to the AI timeout and its retries); one thread would
then make every other request wait behind one slow model call, so the server uses AI_HANDLER_THREADS instead
(`configure`), unless INTERNAL_HIRE_HANDLER_THREADS says otherwise.

Two lanes, so a burst of searches never holds up the rest: searches (slash commands, Teams messages) run in the pool
above; button presses, forms, direct messages and the updates of earlier replies run in a pool of their own
(INTERACTIVE_THREADS). Each person may have at most INTERNAL_HIRE_USER_CONCURRENCY requests in flight per lane; the
next one is answered at once with "you already have N requests running".

Every request has one overall deadline from its arrival (`run_request`): a request still queued when its time is up
never starts, and the adapter answers "did not finish within N s" at the deadline even when the work is stuck on a
database that stopped answering (the thread finishes or times out on its own; its late result is dropped).
"""
from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from core.ai import deadline as request_deadline

log = logging.getLogger(__name__)

WORKERS = int(os.environ.get("INTERNAL_HIRE_HANDLER_THREADS", "1"))
AI_HANDLER_THREADS = 4

INTERACTIVE_THREADS = 2
USER_LIMIT = int(os.environ.get("INTERNAL_HIRE_USER_CONCURRENCY", "3"))
SEARCH, INTERACTIVE = "search", "interactive"

# Of each request's deadline, the last seconds are kept for sending the answer or the "did not finish" notice, so the
# user has it within the deadline, not just after it (the adapters stop the work this much earlier). With 200 requests
# reaching their deadline together on a busy machine, posting the notices took up to 1.8 s (bench/multi_instance.py).
ANSWER_MARGIN_S = 2.0
ANSWER_MARGIN_SHARE = 0.15     # ...and at most this share of a short deadline


def work_budget(deadline_s: float) -> float:
    """How long a request's work may run from its arrival: its deadline less the time kept for sending the answer."""
    return deadline_s - min(ANSWER_MARGIN_S, deadline_s * ANSWER_MARGIN_SHARE)

# A thread that wants the GIL waits up to the switch interval (Python's default: 5 ms) before the thread holding it
# (a search computing in pure Python) must let go, and the event loop gives the GIL up at every socket call: reading a
# request, writing its answer, polling. With searches running, each acknowledgement paid several such waits, and in
# a burst of 200 they queued behind one another: ack p99 205-535 ms (bench/slack_ack_latency.py, server in its own
# process). At 1 ms the same burst was acknowledged at p99 77-88 ms, and the searches themselves finished sooner
# (less time lost handing the GIL back and forth: server CPU 8.4 ms per command against 10.5).
def _switch_interval_s() -> float:
    raw = os.environ.get("INTERNAL_HIRE_SWITCH_INTERVAL_MS", "1")
    try:
        ms = float(raw)
    except ValueError:
        ms = float("nan")
    if not 0.01 <= ms <= 100:
        raise SystemExit(f"error: INTERNAL_HIRE_SWITCH_INTERVAL_MS must be milliseconds between 0.01 and 100, "
                         f"not {raw!r}")
    return ms / 1000


SWITCH_INTERVAL_S = _switch_interval_s()


# The search threads run at a lower OS priority than the event loop (Linux keeps a nice value per thread). On a busy
# machine the loop thread otherwise waits for a core behind them: in a burst of 200 commands it spent as long waiting
# as running (0.40 of 0.90 s), and the acknowledgements waited with it. Searches lose nothing when the loop is idle.
# Relative to the process's own nice value, which a new thread inherits.
def _search_thread_nice() -> int:
    raw = os.environ.get("INTERNAL_HIRE_SEARCH_THREAD_NICE", "5").strip()
    if not raw.isdigit() or int(raw) > 19:
        raise SystemExit(f"error: INTERNAL_HIRE_SEARCH_THREAD_NICE must be a whole number from 0 to 19, not {raw!r}")
    return int(raw)


SEARCH_THREAD_NICE = _search_thread_nice()


def lower_search_thread_priority() -> None:
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + SEARCH_THREAD_NICE))
    except (OSError, AttributeError):    # another OS, or not allowed: the default priority still works
        pass


def _search_pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix="handler",
                              initializer=lower_search_thread_priority)


_POOL = _search_pool(WORKERS)
_INTERACTIVE_POOL = ThreadPoolExecutor(max_workers=INTERACTIVE_THREADS, thread_name_prefix="interactive")
_in_flight: dict[tuple[str, str], int] = {}     # (lane, user) -> requests queued or running (event loop only)


class RequestTimeout(Exception):
    """The request's overall deadline passed before its answer was ready."""

    def __init__(self, seconds: float):
        super().__init__(f"no answer within {seconds:g} s")
        self.seconds = seconds


class UserBusy(Exception):
    """The person already has as many requests in flight as they may."""

    def __init__(self, user: str, count: int):
        super().__init__(f"{user} already has {count} requests running")
        self.user, self.count = user, count


def configure(ai_calls_wait_on_network: bool) -> None:
    """Size the handler pools for how the product is set up (called once, before the server starts)."""
    global _POOL, _INTERACTIVE_POOL
    if ai_calls_wait_on_network and "INTERNAL_HIRE_HANDLER_THREADS" not in os.environ:
        _POOL = _search_pool(AI_HANDLER_THREADS)
        _INTERACTIVE_POOL = ThreadPoolExecutor(max_workers=AI_HANDLER_THREADS, thread_name_prefix="interactive")


class ShortSwitchInterval:
    """SWITCH_INTERVAL_S while a server runs; Python's previous interval once the last server in the process stops
    (tests run several in one process)."""

    _running = 0
    _previous: float | None = None

    def __init__(self):
        self.started = False

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        cls = ShortSwitchInterval
        if cls._running == 0:
            cls._previous = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL_S)
        cls._running += 1

    def stop(self) -> None:
        if not self.started:
            return
        self.started = False
        cls = ShortSwitchInterval
        cls._running -= 1
        if cls._running == 0 and cls._previous is not None:
            sys.setswitchinterval(cls._previous)


def _pool(lane: str) -> ThreadPoolExecutor:
    return _INTERACTIVE_POOL if lane == INTERACTIVE else _POOL


async def run_handler(func, *args, lane: str = SEARCH, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(_pool(lane), partial(func, *args, **kwargs))


async def run_request(func, *args, lane: str = SEARCH, user: str = "", deadline_s: float | None = None,
                      arrived: float | None = None):
    """func(*args) in the lane's pool, answered within `deadline_s` of `arrived` (time.monotonic(); default now):
    raises UserBusy when `user` already has USER_LIMIT requests in this lane, RequestTimeout at the deadline."""
    key = (lane, user)
    if user:
        if _in_flight.get(key, 0) >= USER_LIMIT:
            raise UserBusy(user, _in_flight[key])
        _in_flight[key] = _in_flight.get(key, 0) + 1
    try:
        budget = None
        if deadline_s:
            budget = request_deadline.Deadline((arrived or time.monotonic()) + deadline_s, deadline_s)

        def work():
            if budget is not None and budget.remaining() <= 0:
                raise RequestTimeout(deadline_s)          # waited in the queue past its deadline: never started
            with request_deadline.using(budget):           # AI calls and database retries see what is left
                return func(*args)

        future = asyncio.get_running_loop().run_in_executor(_pool(lane), work)
        if budget is None:
            return await future
        try:
            return await asyncio.wait_for(asyncio.shield(future), max(0.0, budget.remaining()))
        except asyncio.TimeoutError:
            future.add_done_callback(_dropped)
            raise RequestTimeout(deadline_s) from None
        except BaseException:            # cancelled by the caller's own deadline: the work's outcome is dropped
            future.add_done_callback(_dropped)
            raise
    finally:
        if user:
            _in_flight[key] -= 1
            if not _in_flight[key]:
                del _in_flight[key]


def _dropped(future) -> None:
    if not future.cancelled() and future.exception() is not None and not isinstance(future.exception(),
                                                                                     RequestTimeout):
        log.warning("a request that had already timed out failed later: %r", future.exception())


END = object()
POLL_INTERVAL = 1.0       # seconds between looks when a watcher has nothing new
UPDATE_INTERVAL = 1.0     # seconds between updates of one message (chat.update and Teams updates are rate limited)


async def next_update(updates):
    """The next item of a handler's updates, computed in a handler thread; END when there are no more."""
    return await run_handler(next, updates, END, lane=INTERACTIVE)


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
