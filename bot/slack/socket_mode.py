"""Socket Mode with the acknowledgement first.

Bolt's Socket Mode adapter sends an envelope's acknowledgement only when the whole dispatch returns, and it notices
the listener's ack() by polling every 10 ms; a fast search meanwhile posts its results to the response_url, so in
Slack the "Searching…" message arrived after the results it should have been replaced by. Here every envelope whose
acknowledgement we know in advance (slash commands, events, button presses — our listeners ack them without a
payload, except the search's "Searching…") is acknowledged the moment it arrives, and Bolt's own answer is not sent.
View submissions keep Bolt's acknowledgement (it may carry errors for the form).

While the server stops, envelopes are not acknowledged and not handled: Slack delivers them again, to another
connection or instance.
"""
from __future__ import annotations

import logging
import time

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.internals import build_headers
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.inflight import InFlight
from bot.slack.app import ARRIVED
from bot.slack.listeners import slack_text
from core.text import request_language
from handlers.messages import t
from handlers.parsing import SEARCH_COMMAND

log = logging.getLogger(__name__)

KNOWN_ACK_INTERACTIONS = ("block_actions",)


def immediate_ack(req) -> dict | None:
    """The acknowledgement payload to send at once ({} for an empty one), or None to let Bolt answer."""
    payload = req.payload or {}
    if req.type == "slash_commands":
        if payload.get("command") == SEARCH_COMMAND:
            return {"text": t("searching", request_language(slack_text(payload.get("text", ""))))}
        return {}
    if req.type == "events_api":
        return {}
    if req.type == "interactive" and payload.get("type") in KNOWN_ACK_INTERACTIONS:
        return {}
    return None


class AckFirstSocketModeHandler(AsyncSocketModeHandler):
    def __init__(self, app, app_token: str, inflight: InFlight | None = None, **kwargs):
        super().__init__(app, app_token=app_token, **kwargs)
        self.inflight = inflight or InFlight()

    async def handle(self, client, req) -> None:
        if not self.inflight.accepting:
            return                   # not acknowledged: Slack sends it again elsewhere
        self.inflight.enter()
        arrived = time.monotonic()
        ack = immediate_ack(req)
        if ack is None:
            await super().handle(client, req)
            return
        await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id, payload=ack or None))
        response = await self.app.async_dispatch(AsyncBoltRequest(mode="socket_mode", body=req.payload,
                                                                   headers=build_headers(req),
                                                                   context={ARRIVED: arrived}))
        if response.status != 200:
            log.info("Slack envelope %s: Bolt answered %s", req.envelope_id, response.status)
