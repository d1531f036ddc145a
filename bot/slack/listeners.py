"""Slack listeners, grouped by kind: the slash command, button presses, and direct messages / mentions.

Every listener acknowledges first (far inside Slack's 3-second limit), then runs the platform-neutral handler in a
worker thread and posts the result. Nothing raised here reaches a user: the router turns errors into a message, and
posting failures are logged.
"""
from __future__ import annotations

import html
import logging
import re
import uuid

from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.slack.context import SlackContext
from cards.slack import action_name, render_message
from core.text import detect_language
from bot.workers import run_handler
from handlers.messages import t
from handlers.requests import Reply, Request

log = logging.getLogger(__name__)

ACTION_PATTERN = re.compile(r"^(details|hide_details|shortlist|next_page|my_profile_show|my_profile_hide)(:.*)?$")


SLACK_PAGE_CAP = 12   # candidates per card: each takes 3-4 blocks and a Slack message holds at most 50


def slack_text(text: str) -> str:
    """Slack sends &, <, > escaped and links as <url|label>: turn it back into what the user typed."""
    text = re.sub(r"<(?:[^|>]+)\|([^>]+)>", r"\1", text or "")
    text = re.sub(r"<(https?://[^>]+|mailto:[^>]+)>", r"\1", text)
    return html.unescape(text)


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
        text = slack_text(command.get("text", ""))
        lang = detect_language(text)
        await ack(text=t("searching", lang))          # the HTTP answer; the search runs after it
        try:
            actor = await _actor(context, client, command["user_id"])
            reply = await _handle(context, Request(actor=actor, platform="slack", text="find-candidates " + text,
                                                   platform_user=command["user_id"], page_cap=SLACK_PAGE_CAP))
            await post_to_response_url(command["response_url"], reply, replace_original=True)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("posting /find-candidates results failed (ref %s)", ref)


def register_actions(app, context: SlackContext) -> None:
    @app.action(ACTION_PATTERN)
    async def button(ack, body, action, client):
        await ack()
        try:
            actor = await _actor(context, client, body["user"]["id"])
            reply = await _handle(context, Request(actor=actor, platform="slack", action_id=action_name(action["action_id"]),
                                                   action_value=action.get("value", ""),
                                                   platform_user=body["user"]["id"], page_cap=SLACK_PAGE_CAP))
            await post_to_response_url(body["response_url"], reply, replace_original=reply.replace_original)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("handling a Slack button failed (ref %s)", ref)


def register_events(app, context: SlackContext) -> None:
    async def converse(event: dict, client) -> None:
        if event.get("bot_id") or event.get("subtype"):
            return   # our own messages, edits and joins are not requests
        text = slack_text(re.sub(r"<@[A-Z0-9]+>", "", event.get("text", ""))).strip()
        lang = detect_language(text)
        channel, user = event["channel"], event.get("user", "")
        private = event.get("channel_type") == "im"
        try:
            if private:
                working = await client.chat_postMessage(channel=channel, text=t("searching", lang))
            actor = await _actor(context, client, user)
            reply = await _handle(context, Request(actor=actor, platform="slack", text=text, platform_user=user,
                                                   page_cap=SLACK_PAGE_CAP))
            message = render_message(reply.cards)
            if private:
                await client.chat_update(channel=channel, ts=working["ts"], **message)
            else:
                # People's profiles never go to a channel: only the asker sees the answer to a mention.
                await client.chat_postEphemeral(channel=channel, user=user, **message)
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("answering a Slack message failed (ref %s)", ref)
            notice = t("error_generic", lang, ref=ref)
            try:
                if private:
                    await client.chat_postMessage(channel=channel, text=notice)
                else:
                    await client.chat_postEphemeral(channel=channel, user=user, text=notice)
            except Exception:
                log.warning("could not tell the Slack user about failure %s", ref, exc_info=True)

    @app.event("message")
    async def direct_message(event, client):
        if event.get("channel_type") == "im":
            await converse(event, client)

    @app.event("app_mention")
    async def mention(event, client):
        await converse(event, client)
