"""Acknowledge slash commands and button presses before Bolt's dispatch chain runs.

Bolt answers a slash command only after its middleware chain has run and the listener has called ack(). In a burst
of 50 commands, the last request waits behind all the others on the one event loop: p99 130-140 ms. A command's
acknowledgement needs only a signature check, so it is answered here in well under a millisecond. The verified
request then goes to Bolt in the background, where the listener's own ack() result is simply not needed.
Button presses (block_actions) likewise: Slack ignores the body of their acknowledgement, and behind a burst of
commands' dispatches their acks reached p99 147-153 ms (bench/slack_ack_latency.py, quiet machine). Anything whose
acknowledgement carries an answer (modal submissions: errors or the next view) or that is not verified goes through
Bolt as before.
"""
from __future__ import annotations

import asyncio
import collections
import contextvars
import logging
from urllib.parse import parse_qs

from aiohttp import web

from bot.slack.listeners import slack_text
from core.text import request_language
from handlers.messages import t
from handlers.parsing import SEARCH_COMMAND

log = logging.getLogger(__name__)


# Dispatches started per turn of the event loop. A burst of commands arrives over a few turns; starting every
# verified command's Bolt dispatch at once put all of them ahead of the acknowledgements of the commands that arrived
# in the next turn. A few per turn keep the acknowledgements first and the handler thread fed.
DISPATCHES_PER_TURN = 4


class FastAck:
    def __init__(self):
        self._tasks: set[asyncio.Task] = set()
        self._waiting: collections.deque = collections.deque()     # (context, coroutine) not started yet
        self._starter: asyncio.Task | None = None

    def try_ack(self, body: str, payload: dict) -> web.Response | None:
        """The immediate answer when `body` (already verified, bot.slack.http; `payload` is it parsed) is a slash
        command or a button press."""
        if payload.get("type") == "block_actions":
            return web.Response(status=200)
        if not body.startswith("command=") and "&command=" not in body:
            return None
        form = parse_qs(body, keep_blank_values=True)
        if form.get("ssl_check"):
            return None
        text = slack_text((form.get("text") or [""])[0])
        if (form.get("command") or [""])[0] != SEARCH_COMMAND:
            return web.Response(status=200)     # /new-jd opens a modal: no "Searching…" message
        return web.Response(text=t("searching", request_language(text)), content_type="text/plain")

    def run_in_background(self, work) -> None:
        """Start `work` (the request's Bolt dispatch) soon, after the acknowledgements waiting in this turn."""
        # The request's own context: its in-flight tracking (bot.inflight) and its deadline's arrival go with it.
        self._waiting.append((contextvars.copy_context(), work))
        if self._starter is None or self._starter.done():
            # started from this request: work in flight itself, so a stopping server waits for what it starts
            self._starter = asyncio.get_running_loop().create_task(self._start_waiting())

    async def _start_waiting(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting:
            for _ in range(min(DISPATCHES_PER_TURN, len(self._waiting))):
                context, work = self._waiting.popleft()
                task = context.run(loop.create_task, work)
                self._tasks.add(task)                 # keep a reference until it finishes
                task.add_done_callback(self._finished)
            await asyncio.sleep(0)                    # requests that arrived meanwhile are acknowledged first

    def _finished(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background Slack dispatch failed", exc_info=task.exception())
