"""What every platform adapter does around a handler's reply, in one place:

- `report_failure`: a failure after the acknowledgement becomes a reference id in the log (with the trace only when
  it is a bug, not for a database that failed or a request past its deadline) and a message the user can act on,
  in their language. Each adapter then delivers that message where the user will see it.
- `SideEffects`: the reply's effects on other people's chats (cards sent to others, copies of a shared card
  recorded, every copy refreshed), run now (Slack) or after the turn is answered (Teams, whose card actions must be
  answered within seconds).
"""
from __future__ import annotations

import asyncio
import logging
import sys
import uuid

from bot.workers import RequestTimeout, UserBusy
from core.errors import StoreError
from handlers.messages import t
from handlers.requests import Reply

log = logging.getLogger(__name__)


def new_reference() -> str:
    return uuid.uuid4().hex[:8]


def report_failure(what: str, lang: str | None, exc: BaseException | None = None) -> tuple[str, str]:
    """Log the failure of `what` (the exception being handled, or `exc`) under a new reference; returns
    (reference, the user's message). Expected failures (the database, the deadline) are logged without a trace."""
    exc = exc if exc is not None else sys.exc_info()[1]
    ref = new_reference()
    lang = lang or "en"
    if isinstance(exc, UserBusy):
        log.info("%s refused: %s already has %d requests running", what, exc.user, exc.count)
        return ref, t("busy_user", lang, count=exc.count)
    if isinstance(exc, RequestTimeout):
        log.error("%s did not finish within %g s (ref %s)", what, exc.seconds, ref)
        return ref, t("error_timeout", lang, seconds=f"{exc.seconds:g}", ref=ref)
    if isinstance(exc, StoreError):
        log.error("%s failed (ref %s): %s", what, ref, exc)
        return ref, t("error_store", lang, ref=ref)
    log.error("%s failed (ref %s)", what, ref, exc_info=exc)
    return ref, t("error_generic", lang, ref=ref)


class SideEffects:
    """A reply's effects beyond the asker's own message, through the notifier (bot.background.Notifier)."""

    def __init__(self, notifier=None):
        self.notifier = notifier
        self._running: set[asyncio.Task] = set()

    def pending(self, reply: Reply, own: dict | None) -> bool:
        return self.notifier is not None and bool(reply.notify or reply.refresh or (reply.shared_key and own))

    async def apply(self, reply: Reply, own: dict | None = None) -> None:
        """`own`: where the card that was pressed lives, recorded when the reply is a card others hold copies of."""
        if not self.pending(reply, own):
            return
        if reply.notify:
            await self.notifier.send_all(reply.notify, reply.shared_key)
        if reply.shared_key and own:
            await self.notifier.remember(reply.shared_key, [own])
        if reply.refresh:
            await self.notifier.refresh(*reply.refresh)

    def in_background(self, reply: Reply, own: dict | None = None) -> None:
        """The same, after the caller has answered: a failure is logged, never raised to the asker."""
        if self.pending(reply, own):
            self.spawn(self.apply(reply, own), "sending a reply's cards to other people")

    def spawn(self, work, what: str) -> None:
        async def guarded() -> None:
            try:
                await work
            except Exception:
                report_failure(what, None)
        task = asyncio.get_running_loop().create_task(guarded())
        self._running.add(task)                 # keep a reference until it is done
        task.add_done_callback(self._running.discard)
