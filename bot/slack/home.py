"""Slack listeners for employees: the App Home tab (app_home_opened -> views.publish, per role) and `/openings`.

The home view is the same card as `home` in a direct message (handlers/home.py), rendered as Block Kit. Buttons on
the home tab carry no response_url: their answers go to the person's direct messages (bot/slack/listeners.py) and
the home view is published again, so a changed setting shows there too.
"""
from __future__ import annotations

import logging
import uuid

from bot.slack.context import SlackContext
from bot.workers import run_handler
from cards.model import Card, Text
from cards.slack import render_blocks
from core.text import request_language
from handlers.messages import t
from handlers.requests import Request

log = logging.getLogger(__name__)

SLACK_OPENINGS_CAP = 12      # openings per card: each takes 3 blocks and a message holds at most 50


async def publish_home(context: SlackContext, client, user_id: str) -> None:
    """Build the person's home card (in a worker thread: it ranks openings) and publish it on their home tab."""
    from bot.slack.listeners import _actor

    actor = await _actor(context, client, user_id)
    home = getattr(context.router, "home", None)
    if actor is None or home is None:
        text = t("unknown_user", "en", platform="Slack")
        card = Card([Text(text)], fallback=text)
    else:
        card = await run_handler(home.card, actor, home.openings.lang_for(actor))
    await client.views_publish(user_id=user_id, view={"type": "home", "blocks": render_blocks([card])})


def register(app, context: SlackContext) -> None:
    @app.event("app_home_opened")
    async def home_opened(event, client):
        if event.get("tab", "home") != "home":
            return                 # the Messages tab: nothing to publish
        try:
            await publish_home(context, client, event["user"])
        except Exception:
            log.exception("publishing the Slack home tab failed (ref %s)", uuid.uuid4().hex[:8])

    @app.command("/openings")
    async def openings(ack, command, client):
        from bot import workers
        from bot.slack.listeners import (_actor, _command_answer, _reply, answering, arrival, follow_updates,
                                         slack_text)

        arrived = arrival()
        text = slack_text(command.get("text", ""))
        await ack()
        user, answer = _command_answer(context, client, command)

        async def work() -> None:
            handler = getattr(context.router, "openings", None)
            lang = request_language(text) if text.strip() else None
            if lang is None:      # no words typed: the person's own language (their profile's first language)
                actor = await _actor(context, client, user)
                lang = handler.lang_for(actor) if actor is not None and handler is not None else "en"
            reply, message = await _reply(context, client, user, Request(
                actor=None, platform="slack", text=f"openings {text}".strip(), lang=lang, platform_user=user,
                page_cap=SLACK_OPENINGS_CAP), lane=workers.INTERACTIVE, arrived=arrived)
            await answer.show(reply, replace_original=False, message=message)
            await follow_updates(reply, lambda later: answer.show(later, True))
        await answering("/openings", request_language(text) if text.strip() else None, answer.say, work)
