"""Where the answers to one Slack request go: its response_url when the payload has one on Slack's own host, else (or
when Slack refuses the post: 404 after five uses, 500, a network error) a direct message to the user, else an
ephemeral message in the channel. Later versions of the answer follow it: once it went by direct message, they
update that message.
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.slack.client import retry_handlers
from cards.slack import render_message
from handlers.requests import Reply

log = logging.getLogger(__name__)


def response_url_allowed(url: str, hosts) -> bool:
    """Only Slack's hosts (and, for tests, the hosts configured beside them) ever receive our results."""
    parts = urlsplit(url or "")
    return parts.scheme in ("https", "http") and (parts.hostname or "") in hosts and \
        (parts.scheme == "https" or parts.hostname not in ("hooks.slack.com",))


RESPONSE_URL_TIMEOUT_S = 10


async def post_to_response_url(url: str, message: dict, replace_original: bool, ephemeral: bool,
                               session=None) -> bool:
    """respond() cannot retry 429s; our own webhook client does, honouring Retry-After. True when Slack took it.
    `session`: the server's kept-alive HTTP session (bot.slack.app.open_http_sessions); without one, a session of
    its own for this post."""
    body = {**message, "replace_original": replace_original}
    if not replace_original:
        body["response_type"] = "ephemeral" if ephemeral else "in_channel"
    response = await AsyncWebhookClient(url=url, retry_handlers=retry_handlers(), timeout=RESPONSE_URL_TIMEOUT_S,
                                        session=session).send_dict(body)
    if response.status_code != 200:
        log.warning("Slack response_url answered %s: %s", response.status_code, (response.body or "")[:200])
        return False
    return True


class SlackAnswer:
    def __init__(self, client, user: str, *, response_url: str | None = None, channel: str | None = None,
                 hosts=frozenset({"hooks.slack.com"}), session=None):
        self.client = client
        self.session = session
        self.user = user
        self.channel = channel
        self.response_url = response_url
        if response_url and not response_url_allowed(response_url, hosts):
            log.warning("a Slack payload named a response_url on %r, which is not Slack's: answering directly",
                        urlsplit(response_url).hostname)
            self.response_url = None
        self.direct: tuple[str, str] | None = None     # (channel, ts) of the direct message that replaced it

    async def show(self, reply: Reply, replace_original: bool = True, message: dict | None = None) -> None:
        """The reply; `message`: its Block Kit, when already rendered (in the handler thread, off the event loop)."""
        await self.send(message or render_message(reply.cards), replace_original, reply.ephemeral)

    async def say(self, text: str) -> None:
        """A notice (a failure, a refusal): replaces "Searching…" where it can."""
        await self.send({"text": text}, replace_original=True, ephemeral=True)

    async def send(self, message: dict, replace_original: bool = True, ephemeral: bool = True) -> None:
        if self.direct is not None:
            try:
                await self.client.chat_update(channel=self.direct[0], ts=self.direct[1], **message)
                return
            except Exception as exc:  # noqa: BLE001 - the message may be gone: post a new one
                log.warning("updating the direct message failed (%s); posting a new one", exc.__class__.__name__)
        if self.response_url:
            try:
                if await post_to_response_url(self.response_url, message, replace_original, ephemeral,
                                              self.session):
                    return
            except Exception as exc:  # noqa: BLE001 - answered by direct message below
                log.warning("posting to the Slack response_url failed (%s)", exc.__class__.__name__)
            self.response_url = None        # refused once: later versions go where this one goes
        try:
            posted = await self.client.chat_postMessage(channel=self.user, **message)
            self.direct = (posted["channel"], posted["ts"])
            return
        except Exception as exc:
            if not self.channel:
                raise
            log.warning("a direct message to the Slack user failed (%s); answering in the channel",
                        exc.__class__.__name__)
        await self.client.chat_postEphemeral(channel=self.channel, user=self.user, **message)
