"""One overall time budget per chat request, shared by every AI call the request makes.

A person waiting in chat gets an answer or the offline fallback within the budget (INTERNAL_HIRE_CHAT_DEADLINE),
however many model calls the request chains and whatever their timeouts and retries would add up to:

    with within(10.0):                     # the router, around one request
        ...                                # each Gemini call gets `remaining()` at most, retries included
    budget = current()                     # captured by a handler whose stream is read after it returned
    with using(budget): run_sync(...)      # ...and re-entered there

The budget lives in a context variable; `core.ai.runner.run_sync` carries the caller's budget onto the AI event loop.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator


@dataclass(frozen=True)
class Deadline:
    at: float          # time.monotonic() when the request must have its answer
    seconds: float     # the whole budget, for messages ("up to 10 s")

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())


_current: ContextVar[Deadline | None] = ContextVar("internal_hire_ai_deadline", default=None)


def current() -> Deadline | None:
    return _current.get()


@contextmanager
def within(seconds: float | None) -> Iterator[Deadline | None]:
    """A budget of `seconds` from now (None or 0: no budget); inside another budget, the earlier end wins."""
    if not seconds or seconds <= 0:
        yield current()
        return
    mine = Deadline(time.monotonic() + float(seconds), float(seconds))
    outer = current()
    chosen = outer if outer is not None and outer.at <= mine.at else mine
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


@contextmanager
def using(deadline: Deadline | None) -> Iterator[Deadline | None]:
    """Re-enter a captured budget (e.g. in a worker thread reading a reply's later updates)."""
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)
