"""Work in flight, so a stopping server finishes (or answers) what it accepted before it closes.

Chat requests do most of their work after the acknowledgement, in tasks the SDKs start (Bolt runs a listener on after
its ack; Teams notifications; our fast slash-command path). Rather than wrap each, a request marks its own context as
work (`enter`), and a task factory records every task started from such a context, however deep. On SIGTERM the
server stops listening, then `drain` waits for those tasks up to a deadline, and only then closes connections.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging

log = logging.getLogger(__name__)

_CURRENT: contextvars.ContextVar["InFlight | None"] = contextvars.ContextVar("internal_hire_inflight", default=None)


def _install_factory(loop: asyncio.AbstractEventLoop) -> None:
    previous = loop.get_task_factory()
    if getattr(previous, "_internal_hire_inflight", False):
        return

    def factory(loop, coro, **kwargs):
        task = previous(loop, coro, **kwargs) if previous else asyncio.Task(coro, loop=loop, **kwargs)
        tracker = _CURRENT.get()
        if tracker is not None:
            tracker.add(task)
        return task
    factory._internal_hire_inflight = True
    loop.set_task_factory(factory)


class InFlight:
    def __init__(self):
        self.tasks: set[asyncio.Task] = set()
        self.accepting = True

    def enter(self) -> None:
        """The current task is work, and so is every task it starts."""
        _install_factory(asyncio.get_running_loop())
        _CURRENT.set(self)
        task = asyncio.current_task()
        if task is not None:
            self.add(task)

    def add(self, task: asyncio.Task) -> None:
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def pending(self) -> int:
        current = asyncio.current_task()
        return sum(1 for t in self.tasks if not t.done() and t is not current)

    async def drain(self, timeout: float) -> int:
        """Stop accepting, wait for the work in flight (and whatever it starts meanwhile) for at most `timeout`
        seconds; how many tasks were still running at the deadline."""
        self.accepting = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        current = asyncio.current_task()
        while True:
            pending = {t for t in self.tasks if not t.done() and t is not current}
            remaining = deadline - loop.time()
            if not pending or remaining <= 0:
                return len(pending)
            await asyncio.wait(pending, timeout=remaining)
