"""Slack listeners, grouped by kind: the slash command, button presses, and direct messages / mentions.

Every listener acknowledges first (far inside Slack's 3-second limit), then runs the platform-neutral handler in a
worker thread and posts the result. Nothing raised here reaches a user: the router turns errors into a message, and
posting failures are logged.
"""
from __future__ import annotations

import asyncio
import logging
import re

from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.slack.context import SlackContext
from cards.slack import action_name, render_message
from core.text import detect_language
from bot.workers import run_handler
from handlers.messages import t
from handlers.requests import Reply, Request

log = logging.getLogger(__name__)

ACTION_PATTERN = re.compile(r"^(details|hide_details|shortlist|next_page)(:.*)?$")


async def _email_lookup(client, user_id: str) -> str | None:
    response = await client.users_info(user=user_id)
    return ((response.get("user") or {}).get("profile") or {}).get("email")


async def _actor(context: SlackContext, client, user_id: str):
    return await context.identity.resolve("slack", user_id, lambda uid: _email_lookup(client, uid))


async def _handle(context: SlackContext, request: Request) -> Reply:
    return await run_handler(context.router.handle, request)


async def post_to_response_url(url: str, reply: Reply, replace_original: bool) -> None:
    """respond() cannot retry 429s; our own webhook client does, honouring Retry-After."""
    from bot.slack.app import retry_handlers

    message = render_message(reply.cards)
    body = {**message, "replace_original": replace_original}
    if not replace_original:
        body["response_type"] = "ephemeral" if reply.ephemeral else "in_channel"
    response = await AsyncWebhookClient(url=url, retry_handlers=retry_handlers()).send_dict(body)
    if response.status_code != 200:
        log.warning("Slack response_url answered %s: %s", response.status_code, response.body)


def register(app, context: SlackContext) -> None:
    register_commands(app, context)
    register_actions(app, context)
    register_events(app, context)


def register_commands(app, context: SlackContext) -> None:
    @app.command("/find-candidates")
    async def find_candidates(ack, command, client):
        text = command.get("text", "")
        lang = detect_language(text)
        await ack(text=t("searching", lang))          # the HTTP answer; the search runs after it
        try:
            actor = await _actor(context, client, command["user_id"])
            reply = await _handle(context, Request(actor=actor, platform="slack", text="find-candidates " + text,
                                                   platform_user=command["user_id"]))
            await post_to_response_url(command["response_url"], reply, replace_original=True)
        except Exception:
            log.exception("posting /find-candidates results failed")


def register_actions(app, context: SlackContext) -> None:
    @app.action(ACTION_PATTERN)
    async def button(ack, body, action, client):
        await ack()
        try:
            actor = await _actor(context, client, body["user"]["id"])
            reply = await _handle(context, Request(actor=actor, platform="slack", action_id=action_name(action["action_id"]),
                                                   action_value=action.get("value", ""),
                                                   platform_user=body["user"]["id"]))
            await post_to_response_url(body["response_url"], reply, replace_original=reply.replace_original)
        except Exception:
            log.exception("handling a Slack button failed")


def register_events(app, context: SlackContext) -> None:
    async def converse(event: dict, client) -> None:
        if event.get("bot_id") or event.get("subtype"):
            return   # our own messages, edits and joins are not requests
        text = re.sub(r"<@[A-Z0-9]+>", "", event.get("text", "")).strip()
        lang = detect_language(text)
        channel = event["channel"]
        thread = event.get("thread_ts") if event.get("channel_type") != "im" else None
        working = await client.chat_postMessage(channel=channel, thread_ts=thread, text=t("searching", lang))
        try:
            actor = await _actor(context, client, event.get("user", ""))
            reply = await _handle(context, Request(actor=actor, platform="slack", text=text,
                                                   platform_user=event.get("user", "")))
            message = render_message(reply.cards)
        except Exception:
            log.exception("answering a Slack message failed")
            message = {"text": t("error_generic", lang, ref="slack")}
        await client.chat_update(channel=channel, ts=working["ts"], **message)

    @app.event("message")
    async def direct_message(event, client):
        if event.get("channel_type") == "im":
            await converse(event, client)

    @app.event("app_mention")
    async def mention(event, client):
        await converse(event, client)
