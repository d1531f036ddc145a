"""The openings alert job, run with the server: opted-in employees hear about new open openings that fit them, and
people interested in an opening hear when it closes.

Once means once: each message is claimed in the database before it is sent (core/openings.py `claim_alert`, the
`alert_days` / `opening_alerts` markers; `mark_closed_told` for closings), so two server instances, a retry or a
restart in the middle never send one twice. The price is the other way round: a message whose send fails after the
claim is not retried (it is logged and counted). Slack rate limits are honoured by the Web API client (429 answers
are retried after their Retry-After) and messages go out one at a time; Teams uses the stored conversation
reference, and a person with none (or no chat account at all) is counted as not reachable.
"""
from __future__ import annotations

import asyncio
import logging

from bot.workers import run_handler
from core.openings import AlertRun, today

log = logging.getLogger(__name__)


async def send_alerts(handler, notifier, day: str | None = None) -> AlertRun:
    """One pass: plan, claim and send; returns what happened (also logged)."""
    openings = handler.openings
    day = day or today()
    run = AlertRun()
    plans = await run_handler(openings.alert_plans, day)
    for plan in plans:
        if not await asyncio.to_thread(openings.claim_alert, plan, day):
            run.claimed_elsewhere += 1           # another instance (or an earlier pass) has it
            continue
        try:
            employee = await asyncio.to_thread(openings.store.get_employee, plan.employee_id)
            card = await run_handler(handler.alert_card, plan, employee, handler.lang_for(employee))
            if await notifier.send(plan.employee_id, [card]) is None:
                run.not_reachable.append(plan.employee_id)
            else:
                run.sent += 1
                run.openings += len(plan.fits)
        except Exception:
            log.exception("sending an openings alert to %s failed", plan.employee_id)
            run.failed.append(plan.employee_id)
    if plans:
        log.info("openings alerts for %s: %d sent (%d openings), %d not reachable %s, %d failed %s, %d taken by "
                 "another instance", day, run.sent, run.openings, len(run.not_reachable), run.not_reachable[:20],
                 len(run.failed), run.failed[:20], run.claimed_elsewhere)
    return run


async def tell_closed(handler, notifier) -> int:
    """Everyone still interested in an opening that closed is told once; their interest stays on record."""
    store = handler.store
    told = 0
    for opening_id, employee_id in await asyncio.to_thread(store.closed_interests_untold):
        if not await asyncio.to_thread(store.mark_closed_told, opening_id, employee_id):
            continue
        try:
            info = await asyncio.to_thread(handler.openings.catalogue.get, opening_id)
            employee = await asyncio.to_thread(store.get_employee, employee_id)
            if info is None or employee is None:
                continue
            if await notifier.send(employee_id, [handler.closed_card(info, handler.lang_for(employee))]):
                told += 1
            else:
                log.info("opening %s closed; %s is not reachable on any platform", opening_id, employee_id)
        except Exception:
            log.exception("telling %s that opening %s closed failed", employee_id, opening_id)
    return told


def attach_opening_alerts(web_app, app, platforms, interval: float) -> None:
    """Run the alert job every `interval` seconds with the server (0: never)."""
    handler = getattr(app.router, "openings", None)
    if handler is None or interval <= 0:
        return
    from bot.background import Notifier, attach_repeating

    notifier = platforms.notifier or Notifier(app.store, platforms)

    async def step() -> None:
        await asyncio.to_thread(handler.openings.warm)      # new openings embedded before anyone asks
        await tell_closed(handler, notifier)
        await send_alerts(handler, notifier)

    attach_repeating(web_app, step, interval, "the openings alert job")
