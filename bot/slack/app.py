"""Builds the Slack AsyncApp: Web API client with rate-limit retries, retry de-duplication, and the listeners."""
from __future__ import annotations

import hashlib
import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.deliveries import DeliveryLog, set_current, stable_key
from bot.slack import listeners
from bot.slack.client import retry_handlers
from bot.slack.context import SlackContext

log = logging.getLogger(__name__)

ARRIVED = "internal_hire_arrived"      # the request's arrival (time.monotonic()) in Bolt's request context

def delivery_key(body: dict) -> str | None:
    if body.get("event_id"):
        return stable_key("slack:event", body["event_id"])
    if body.get("trigger_id"):
        return stable_key("slack:trigger", body["trigger_id"])
    return None


def build_slack_app(settings, context: SlackContext, deliveries: DeliveryLog | None = None) -> AsyncApp:
    client = AsyncWebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url,
                            retry_handlers=retry_handlers())
    signing_secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    app = AsyncApp(client=client, signing_secret=signing_secret, name="internal-hire",
                   # Socket Mode needs no signature; over HTTP every request is verified (bad or stale: 401).
                   request_verification_enabled=settings.slack_mode == "http")
    deliveries = deliveries or DeliveryLog()     # the server passes one kept in the database (bot/deliveries.py)

    @app.middleware
    async def drop_repeated_deliveries(req, resp, next):
        """A repeat seen by this instance is dropped at once. Otherwise the claim in the database starts here and the
        listener acknowledges first, then waits for the claim's outcome (listeners.answering), so a slow database
        never holds the acknowledgement. The deadline counts from `arrived` (set by bot.slack.http or the Socket Mode
        handler when the request came in)."""
        key = delivery_key(req.body or {})
        if key is None and req.headers.get("x-slack-retry-num"):
            key = "slack:body:" + hashlib.sha256((req.raw_body or "").encode()).hexdigest()
        delivery = deliveries.begin(key, req.context.get(ARRIVED), context.deadline_s)
        if delivery.repeated:
            log.info("ignoring a repeated Slack delivery (%s, retry %s)", key, req.headers.get("x-slack-retry-num"))
            return BoltResponse(status=200, body="")
        # Bolt runs the listener after every middleware has returned, in a task created by this dispatch's task:
        # the value set here is what that task inherits. It is not reset (that would come before the listener), and
        # every dispatch sets its own, so no request sees another's.
        set_current(delivery)
        return await next()

    listeners.register(app, context)
    return app


async def verify_token_once(app: AsyncApp) -> None:
    """Ask Slack's auth.test once as the server starts and hand the answer to Bolt's single-workspace authorization.
    Bolt otherwise asks on the first request, and every request of the first burst after a restart asks at once:
    200 concurrent commands made 200 auth.test calls, which timed out on a busy machine ("Failed to run a middleware
    function", no answer). A failure here changes nothing: Bolt asks again on the first request, as before."""
    from slack_bolt.middleware.authorization.async_single_team_authorization import AsyncSingleTeamAuthorization

    waiting = [m for m in getattr(app, "_async_middleware_list", ())
               if isinstance(m, AsyncSingleTeamAuthorization) and m.auth_test_result is None]
    if not waiting:
        return
    try:
        result = await app.client.auth_test()
    except Exception as exc:      # noqa: BLE001 - a bad token is reported by the first request, as before
        log.warning("Slack auth.test at start failed (%s); it is asked again on the first request", exc)
        return
    for middleware in waiting:
        middleware.auth_test_result = result


async def open_http_sessions(app: AsyncApp, context: SlackContext) -> None:
    """Kept-alive HTTP sessions for the Web API and response_url posts, opened as the server starts. Without them
    slack_sdk opens a session, a TCP (and TLS) connection and closes both for every call; on the one event loop each
    of those socket calls waits for the GIL behind the search thread, which delayed the acknowledgement of other
    requests (bench/slack_ack_latency.py: the loop's time went mostly to connect/close for posting results)."""
    import aiohttp

    if app.client.session is None or app.client.session.closed:
        app.client.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=app.client.timeout))
    if context.response_session is None or context.response_session.closed:
        from bot.slack.answers import RESPONSE_URL_TIMEOUT_S

        context.response_session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=RESPONSE_URL_TIMEOUT_S))


async def close_http_sessions(app: AsyncApp, context: SlackContext) -> None:
    for session in (app.client.session, context.response_session):
        if session is not None and not session.closed:
            await session.close()
    app.client.session = context.response_session = None
