"""Slack listeners, grouped by kind: the slash command, button presses, and direct messages / mentions.

Every listener acknowledges first (far inside Slack's 3-second limit), then runs the platform-neutral handler in a
worker thread and posts the result. Nothing raised here reaches a user: the router turns errors into a message, and
posting failures are logged.
"""
from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import time
from dataclasses import replace
from urllib.parse import urlsplit

from bot import deliveries, workers
from bot.downloads import download_upload
from bot.replies import report_failure
from bot.slack.answers import SlackAnswer
from bot.slack.context import SlackContext
from cards.slack import MODAL_CALLBACK, action_name, form_values, render_message, render_modal
from core.documents import MAX_RESUME_BYTES
from core.text import request_language
from handlers.identity import EMAIL_LOOKUP_TIMEOUT_S
from handlers.messages import t
from handlers.parsing import SEARCH_COMMAND
from handlers.requests import Reply, Request, Upload, value_language

log = logging.getLogger(__name__)

# Every button of our cards; input elements (a select changing its value) also send block_actions: acknowledged only.
ACTION_PATTERN = re.compile(r"^[a-z_]+(:\d+)?$")
INPUT_ELEMENTS = ("static_select", "plain_text_input")
UPDATE_INTERVAL = workers.UPDATE_INTERVAL   # tests set it to 0 to see every update


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


async def _reply(context: SlackContext, client, user_id: str, request: Request, *, lane: str, arrived: float,
                 own: dict | None = None) -> tuple[Reply, dict]:
    """Who the user is, then the handler's reply (and its Block Kit message) and its effects on others' chats, all
    within the request's deadline from `arrived`; raises UserBusy / RequestTimeout / the failure, which `answering`
    turns into a message. `own`: where the card that was pressed lives, recorded when the reply is a card others hold
    copies of."""
    # The work stops a little before the deadline, so that the answer (or the notice) is posted by then.
    budget = workers.work_budget(context.deadline_s) if context.deadline_s else None

    loop = asyncio.get_running_loop()

    def email_of(uid: str) -> str | None:       # Slack users.info, on the event loop, for an unmapped user
        return asyncio.run_coroutine_threadsafe(_email_lookup(client, uid), loop).result(EMAIL_LOOKUP_TIMEOUT_S)

    def handle(req: Request) -> tuple[Reply, dict]:
        # A known asker is looked up here, in the handler thread, not in a thread hop of its own from the loop.
        if req.actor is None:
            req = replace(req, actor=context.identity.resolve_blocking("slack", user_id, email_of))
        reply = context.router.handle(req)
        # Rendered here, in the handler thread: building Block Kit is pure Python, and on the event loop it was a
        # third of the loop's time in a burst of 200 commands, holding up other requests' acknowledgements.
        return reply, render_message(reply.cards)

    async def work() -> tuple[Reply, dict]:
        if not context.identity.settled("slack", user_id):
            # Someone not seen lately may need Slack's users.info: asked from the loop, not from the one search
            # thread, which must not wait on the network for one person while others queue behind it.
            return await workers.run_request(handle, replace(request, actor=await _actor(context, client, user_id)),
                                             lane=lane, user="slack:" + user_id, deadline_s=budget, arrived=arrived)
        return await workers.run_request(handle, request, lane=lane, user="slack:" + user_id, deadline_s=budget,
                                         arrived=arrived)
    if budget:
        try:
            reply, message = await asyncio.wait_for(work(), max(0.0, arrived + budget - time.monotonic()))
        except (asyncio.TimeoutError, workers.RequestTimeout):
            raise workers.RequestTimeout(context.deadline_s) from None    # the user is told the documented deadline
    else:
        reply, message = await work()
    await context.side_effects.apply(reply, own)
    return reply, message


def arrival() -> float:
    """When the request being handled arrived (bot.slack.http, Socket Mode), for its deadline; now when unknown."""
    delivery = deliveries.current()
    return delivery.arrived if delivery is not None else time.monotonic()


async def answering(what: str, lang: str | None, tell, work) -> None:
    """After the acknowledgement: nothing when this delivery is a repeat of one already handled (its claim in the
    database, bot.deliveries), else run `work()`; any failure is logged under a reference and the user is told,
    through `tell(text)`."""
    delivery = deliveries.current()
    if delivery is not None and not await delivery.first():
        log.info("ignoring a repeated Slack delivery (%s)", delivery.key)
        return
    try:
        await work()
    except Exception:
        ref, text = report_failure(what, lang)
        try:
            await tell(text)
        except Exception:
            log.warning("could not tell the Slack user about failure %s", ref, exc_info=True)


async def follow_updates(reply: Reply, show) -> None:
    """The reply's later versions, each shown as a Reply of the same kind (see bot.workers.follow_updates)."""
    async def show_cards(cards) -> None:
        await show(Reply(cards, lang=reply.lang, ephemeral=reply.ephemeral))
    await workers.follow_updates(reply, show_cards, UPDATE_INTERVAL)


async def download_file(client, file: dict) -> Upload:
    """A file shared in a DM, fetched with the bot token from Slack's file host only (never sent elsewhere)."""
    name = file.get("name") or "file"
    size = int(file.get("size") or 0)
    if size > MAX_RESUME_BYTES:
        return Upload(name, error=f"the file is {size / 1e6:.1f} MB; the limit is {MAX_RESUME_BYTES / 1e6:.0f} MB")
    url = file.get("url_private_download") or file.get("url_private") or ""
    allowed = {"files.slack.com", urlsplit(client.base_url).hostname}
    if urlsplit(url).hostname not in allowed:
        return Upload(name, error="the file is not stored on Slack")
    return await download_upload(name, url, {"Authorization": f"Bearer {client.token}"}, "Slack")


async def post_and_follow(client, user_id: str, reply: Reply, message: dict | None = None) -> None:
    """The reply (`message`: already rendered) as a direct message to the user, then its later versions as updates
    of that message."""
    posted = await client.chat_postMessage(channel=user_id, **(message or render_message(reply.cards)))

    async def show(later: Reply) -> None:
        await client.chat_update(channel=posted["channel"], ts=posted["ts"], **render_message(later.cards))
    await follow_updates(reply, show)


def register(app, context: SlackContext) -> None:
    from bot.slack import home

    register_commands(app, context)
    register_actions(app, context)
    register_events(app, context)
    home.register(app, context)          # App Home and /openings


def _command_answer(context: SlackContext, client, command: dict) -> tuple[str, SlackAnswer]:
    """(who typed the command, where its answers go)."""
    user = command["user_id"]
    return user, SlackAnswer(client, user, response_url=command.get("response_url"),
                             channel=command.get("channel_id"), hosts=context.response_hosts,
                             session=context.response_session)


def register_commands(app, context: SlackContext) -> None:
    @app.command(SEARCH_COMMAND)
    async def find_candidates(ack, command, client):
        arrived = arrival()
        text = slack_text(command.get("text", ""))
        lang = request_language(text)                  # decided once: the acknowledgement and the results agree
        await ack(text=t("searching", lang))          # the HTTP answer; the search runs after it
        user, answer = _command_answer(context, client, command)

        async def work() -> None:
            reply, message = await _reply(context, client, user, Request(
                actor=None, platform="slack", text=f"{SEARCH_COMMAND} {text}", lang=lang, platform_user=user,
                page_cap=SLACK_PAGE_CAP), lane=workers.SEARCH, arrived=arrived)
            await answer.show(reply, replace_original=True, message=message)
            await follow_updates(reply, lambda later: answer.show(later, True))
        await answering(SEARCH_COMMAND, lang, answer.say, work)

    @app.command("/new-jd")
    async def new_jd(ack, command, client):
        """HR's job-description flow: the form opens as a modal (its trigger is only valid for 3 seconds, so the
        form is built first and nothing slow happens before views.open)."""
        arrived = arrival()
        text = slack_text(command.get("text", ""))
        lang = request_language(text)
        await ack()
        user, answer = _command_answer(context, client, command)

        async def work() -> None:
            reply, message = await _reply(context, client, user, Request(
                actor=None, platform="slack", text="new-jd " + text, lang=lang, platform_user=user,
                page_cap=SLACK_PAGE_CAP), lane=workers.INTERACTIVE, arrived=arrived)
            form = reply.cards[0] if reply.modal and reply.cards else None
            submit = next((b for b in form.buttons if b.style == "primary"), None) if form else None
            if submit is not None:
                metadata = json.dumps({"action_id": submit.action_id, "value": submit.value,
                                       "channel": command.get("channel_id", "")})
                await client.views_open(trigger_id=command["trigger_id"], view=render_modal(form, metadata))
                return
            await answer.show(reply, replace_original=False, message=message)
            await follow_updates(reply, lambda later: answer.show(later, True))
        await answering("/new-jd", lang, answer.say, work)


def register_actions(app, context: SlackContext) -> None:
    @app.view(MODAL_CALLBACK)
    async def form_submitted(ack, body, view, client):
        """A modal form was submitted: run its submit button with the values, answer in a direct message."""
        arrived = arrival()
        await ack()
        user = body["user"]["id"]
        meta = json.loads(view.get("private_metadata") or "{}")
        answer = SlackAnswer(client, user)

        async def work() -> None:
            reply, message = await _reply(context, client, user, Request(
                actor=None, platform="slack", action_id=meta.get("action_id"), action_value=meta.get("value", ""),
                platform_user=user, page_cap=SLACK_PAGE_CAP, form=form_values(view.get("state"))),
                lane=workers.INTERACTIVE, arrived=arrived)
            await post_and_follow(client, user, reply, message)
        await answering("a Slack form", value_language(meta.get("value", "")), answer.say, work)

    @app.action(ACTION_PATTERN)
    async def button(ack, body, action, client):
        arrived = arrival()
        await ack()
        if action.get("type") in INPUT_ELEMENTS:
            return          # a field on a card changed; its value arrives with the next button press
        user = body["user"]["id"]
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        own = {"platform": "slack", "channel": channel,
               "ts": container.get("message_ts") or (body.get("message") or {}).get("ts")}
        answer = SlackAnswer(client, user, response_url=body.get("response_url"), channel=channel,
                             hosts=context.response_hosts, session=context.response_session)

        async def work() -> None:
            reply, message = await _reply(context, client, user, Request(
                actor=None, platform="slack", action_id=action_name(action["action_id"]),
                action_value=action.get("value", ""), platform_user=user, page_cap=SLACK_PAGE_CAP,
                form=form_values(body.get("state"))), lane=workers.INTERACTIVE, arrived=arrived,
                own=own if own["channel"] and own["ts"] and not container.get("is_ephemeral") else None)
            if reply.updates is not None or not body.get("response_url"):
                # A reply that follows slow work (a queued JD) changes many times over minutes, more than the five
                # posts a response_url accepts: it is a direct message, which chat.update can change without limit.
                # A press on the App Home tab has no response_url at all: answered the same way, home redrawn.
                await post_and_follow(client, user, reply, message)
                if (body.get("view") or {}).get("type") == "home":
                    from bot.slack.home import publish_home
                    await publish_home(context, client, user)
                return
            await answer.show(reply, replace_original=reply.replace_original, message=message)
        # A failure never replaces the card that was pressed: the notice comes as a message of its own.
        await answering("a Slack button", value_language(action.get("value", "")),
                        lambda text: answer.send({"text": text}, replace_original=False), work)


def register_events(app, context: SlackContext) -> None:
    async def converse(event: dict, client) -> None:
        arrived = arrival()
        if event.get("bot_id") or event.get("subtype") not in (None, "file_share"):
            return   # our own messages, edits and joins are not requests
        text = slack_text(re.sub(r"<@[A-Z0-9]+>", "", event.get("text", ""))).strip()
        files = event.get("files") or []
        # Decided once here for the whole request. A file alone has no words: a Korean file name ("이력서.pdf") says
        # Korean; otherwise the resume handler answers in the resume's own language (the "working" message guesses).
        decided = request_language(text) if text else (
            "ko" if files and request_language(files[0].get("name") or "") == "ko" else None)
        lang = decided or "en"
        channel, user = event["channel"], event.get("user", "")
        private = event.get("channel_type") == "im"
        working: dict = {}

        async def tell(notice: str) -> None:
            if private and working.get("ts"):
                await client.chat_update(channel=channel, ts=working["ts"], text=notice)
            elif private:
                await client.chat_postMessage(channel=channel, text=notice)
            else:
                await client.chat_postEphemeral(channel=channel, user=user, text=notice)

        async def work() -> None:
            if private:
                posted = await client.chat_postMessage(
                    channel=channel, text=context.router.waiting_text("resume_working" if files else "searching", lang))
                working["ts"] = posted["ts"]
            # A file in a channel is never downloaded: resumes are personal, and the handler says where to send it.
            upload = (await download_file(client, files[0]) if private else Upload(files[0].get("name") or "file")) \
                if files else None
            reply, message = await _reply(context, client, user, Request(
                actor=None, platform="slack", text=text, lang=decided, platform_user=user, page_cap=SLACK_PAGE_CAP,
                upload=upload, private=private or not files), lane=workers.INTERACTIVE, arrived=arrived)
            if private:
                await client.chat_update(channel=channel, ts=working["ts"], **message)

                async def show(later: Reply) -> None:
                    await client.chat_update(channel=channel, ts=working["ts"], **render_message(later.cards))
                await follow_updates(reply, show)
            else:
                # People's profiles never go to a channel: only the asker sees the answer to a mention. An ephemeral
                # message cannot be updated, so a streamed answer is posted once, when complete.
                final = reply.cards

                async def keep(later: Reply) -> None:
                    nonlocal final
                    final = later.cards
                await workers.follow_updates(reply, lambda cards: keep(Reply(cards)), 0)
                await client.chat_postEphemeral(channel=channel, user=user, **render_message(final))
        await answering("answering a Slack message", lang, tell, work)

    @app.event("message")
    async def direct_message(event, client):
        if event.get("channel_type") == "im":
            await converse(event, client)

    @app.event("app_mention")
    async def mention(event, client):
        await converse(event, client)
