"""Background work that runs with the server: the JD job worker and the notifier that tells requesters their
custom job descriptions are ready (Slack direct message or Teams proactive message).

Both are safe with several server instances on one database: a job is claimed under a lease by one worker, and a
finished job is marked notified (atomically, once) before it is sent, so nobody is told twice.
"""
from __future__ import annotations

import asyncio
import logging
import time

from bot.workers import run_handler
from cards.slack import render_message

log = logging.getLogger(__name__)

NOTIFY_INTERVAL = 2.0     # seconds between looks for finished jobs
REFRESH_MEMORY_S = 600.0  # how long a decision is kept to bring late copies of its card up to date


class Notifier:
    """Sends cards to an employee on whichever platform reaches them: Slack first, then Teams."""

    def __init__(self, store, platforms):
        self.store = store
        self.platforms = platforms
        # shared key -> (when, cards) of its latest refresh: a copy still being sent when a decision was made gets it
        self._refreshed: dict[str, tuple[float, list]] = {}

    async def send(self, employee_id: str, cards) -> dict | None:
        """Where the message went ({"platform", ...}, to update it later), or None when nobody could be reached."""
        employee = await asyncio.to_thread(self.store.get_employee, employee_id)
        if employee is None:
            return None
        slack = self.platforms.slack
        if slack is not None and employee.slack_user_id:
            # Posting to a user id lands in the app's direct-message conversation with them.
            posted = await slack.client.chat_postMessage(channel=employee.slack_user_id, **render_message(cards))
            return {"platform": "slack", "channel": posted.get("channel"), "ts": posted.get("ts")}
        teams = self.platforms.teams
        if teams is not None:
            activity_id = await teams.send_proactive(employee_id, cards)
            if activity_id:
                return {"platform": "teams", "employee": employee_id, "activity_id": activity_id}
        return None

    async def send_all(self, messages, shared_key: str = "") -> None:
        """(employee id, cards) pairs, e.g. approval cards for HR; a failure is logged, never raised to the asker.
        With `shared_key`, where each copy went is recorded so `refresh` can update them all later."""
        started = time.monotonic()
        for employee_id, cards in messages:
            try:
                ref = await self.send(employee_id, cards)
                if ref is None:
                    log.warning("could not reach %s on any platform", employee_id)
                    continue
                if shared_key:
                    # Recorded as soon as it is sent, so a decision made meanwhile updates it; and if that decision
                    # came while this copy was on its way, the copy is brought up to date now.
                    await self.remember(shared_key, [ref])
                    latest = self._refreshed.get(shared_key)
                    if latest is not None and latest[0] >= started:
                        await self._update(ref, latest[1])
            except Exception:
                log.exception("sending cards to %s failed", employee_id)

    async def remember(self, shared_key: str, refs: list[dict]) -> None:
        def add() -> None:
            stored = self.store.load_draft(_refs_id(shared_key))
            known = stored[2]["refs"] if stored else []
            known.extend(r for r in refs if r not in known)
            self.store.save_draft(_refs_id(shared_key), "system", "message_refs", {"refs": known})
        await asyncio.to_thread(add)

    async def refresh(self, shared_key: str, cards) -> int:
        """Replace every recorded copy of a shared card; returns how many were updated."""
        now = time.monotonic()
        self._refreshed = {k: v for k, v in self._refreshed.items() if now - v[0] < REFRESH_MEMORY_S}
        self._refreshed[shared_key] = (now, cards)
        stored = await asyncio.to_thread(self.store.load_draft, _refs_id(shared_key))
        updated = 0
        for ref in (stored[2]["refs"] if stored else []):
            try:
                updated += await self._update(ref, cards)
            except Exception:      # a deleted message or a closed conversation must not stop the others
                log.warning("could not update a copy of %s (%s)", shared_key, ref.get("platform"), exc_info=True)
        return updated

    async def _update(self, ref: dict, cards) -> int:
        if ref["platform"] == "slack" and self.platforms.slack is not None:
            await self.platforms.slack.client.chat_update(channel=ref["channel"], ts=ref["ts"], **render_message(cards))
            return 1
        if ref["platform"] == "teams" and self.platforms.teams is not None:
            return 1 if await self.platforms.teams.send_proactive(ref["employee"], cards, ref["activity_id"]) else 0
        return 0


def _refs_id(shared_key: str) -> str:
    return "refs:" + shared_key


async def deliver_finished_jobs(queue, notifier: Notifier, cards_for) -> int:
    """Tell each requester whose job finished, exactly once; returns how many were told."""
    told = 0
    for job in await asyncio.to_thread(queue.pending_notifications):
        if not await asyncio.to_thread(queue.mark_notified, job.id):
            continue                          # another instance took this one
        try:
            cards = await run_handler(cards_for, job)
            if await notifier.send(job.requester, cards):
                told += 1
            else:
                log.warning("job %s finished but %s is reachable on no platform", job.id, job.requester)
        except Exception:                     # one failed delivery must not stop the others
            log.exception("could not tell %s that job %s finished", job.requester, job.id)
    return told


def attach_repeating(web_app, step, interval: float, what: str) -> None:
    """Run `await step()` every `interval` seconds while the server runs; a failure is logged and tried again."""
    state: dict = {}

    async def loop() -> None:
        while True:
            try:
                await step()
            except Exception:
                log.exception("%s failed; trying again", what)
            await asyncio.sleep(interval)

    async def start(_app) -> None:
        state["task"] = asyncio.get_running_loop().create_task(loop())

    async def stop(_app) -> None:
        if "task" in state:
            state["task"].cancel()

    web_app.on_startup.append(start)
    web_app.on_cleanup.append(stop)


def attach_jd_background(web_app, app, platforms, interval: float = NOTIFY_INTERVAL) -> None:
    """Start the job worker (its own thread) and the notifier loop with the server; stop them with it."""
    service = getattr(app, "jd_service", None)
    flow = getattr(app.router, "jd", None)
    if service is None or flow is None:
        return
    notifier = platforms.notifier or Notifier(app.store, platforms)
    state: dict = {}

    async def deliver() -> None:
        await deliver_finished_jobs(service.queue, notifier, flow.completion_cards)

    async def start_worker(_app) -> None:
        state["worker"] = service.worker()
        state["worker"].start()

    async def stop_worker(_app) -> None:
        if "worker" in state:
            await asyncio.to_thread(state["worker"].stop)

    web_app.on_startup.append(start_worker)
    attach_repeating(web_app, deliver, interval, "the JD notifier")
    web_app.on_cleanup.append(stop_worker)
