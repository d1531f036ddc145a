"""POST /slack/events in HTTP mode: the request is checked before Bolt sees it, so nothing anyone can send without the
signing secret (a non-numeric timestamp, a body that is not UTF-8, a form or JSON that does not parse) reaches code
that would raise; such requests get 400 or 401, like a bad signature. A verified slash command is acknowledged at
once, and so is a button press (bot.slack.fast_ack); everything else goes through Bolt.
"""
from __future__ import annotations

import hmac
import logging
import re
import time
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.slack.app import ARRIVED
from bot.slack.fast_ack import FastAck

log = logging.getLogger(__name__)

_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")


class SafeSignatureVerifier(SignatureVerifier):
    """slack_sdk's verifier raises on a non-numeric timestamp or a non-ASCII signature: here they are simply invalid."""

    def is_valid(self, body, timestamp, signature) -> bool:
        if not isinstance(timestamp, str) or not _TIMESTAMP.match(timestamp):
            return False
        if not isinstance(signature, str) or not _SIGNATURE.match(signature):
            return False
        expected = self.generate_signature(timestamp=timestamp, body=body)
        return expected is not None and abs(self.clock.now() - int(timestamp)) <= 60 * 5 and \
            hmac.compare_digest(expected, signature)


def _refused(status: int, reason: str) -> web.Response:
    log.info("refused a Slack request (%s): %s", status, reason)
    return web.json_response({"error": reason}, status=status)


def _read_plain_form(bolt_request: AsyncBoltRequest, body: str) -> None:
    """Bolt reads a form body that merely contains the word "payload" anywhere (a slash command's text: "engineer
    for payload systems") as an interactive payload, finds no such field and leaves the request empty, so no listener
    ever answers. Such a body is read here as the plain form it is, and the request's context rebuilt from it."""
    if bolt_request.body or body.startswith("{") or "payload" not in body:
        return
    form = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" not in form:
        bolt_request.body = form
        bolt_request.context = build_async_context(AsyncBoltContext(dict(bolt_request.context)), form)


def slack_events_handler(slack_app, signing_secret: str):
    fast_ack = FastAck()
    verifier = SafeSignatureVerifier(signing_secret)

    async def slack_events(request: web.Request) -> web.Response:
        arrived = time.monotonic()          # the request's deadline counts from here
        raw = await request.read()          # over client_max_size: aiohttp answers 413
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _refused(400, "the body is not UTF-8")
        if not verifier.is_valid(body, request.headers.get("X-Slack-Request-Timestamp"),
                                 request.headers.get("X-Slack-Signature")):
            return _refused(401, "invalid signature or timestamp")
        try:
            bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=request.headers,
                                            context={ARRIVED: arrived})
        except (ValueError, TypeError, AttributeError, KeyError) as exc:   # JSONDecodeError is a ValueError
            return _refused(400, f"the body does not parse ({exc.__class__.__name__})")
        _read_plain_form(bolt_request, body)
        if not isinstance(bolt_request.body, dict) or any(
                not isinstance(bolt_request.body.get(key, {}), dict) for key in ("event", "user", "view", "container")):
            return _refused(400, "the body is not a Slack payload")
        if bolt_request.body.get("command") and not all(
                isinstance(bolt_request.body.get(key), str) for key in ("user_id", "response_url")):
            return _refused(400, "the slash command names no user or response_url")
        acked = fast_ack.try_ack(body, bolt_request.body)
        if acked is not None:
            fast_ack.run_in_background(slack_app.async_dispatch(bolt_request))
            return acked
        bolt_response = await slack_app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    return slack_events
