"""`internal-hire serve`: one aiohttp server for Slack (/slack/events), Teams (/api/messages) and /healthz.

Each platform starts only when its credentials are configured; with none, the server still runs and says so.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import warnings
from dataclasses import dataclass, field

from aiohttp import web

from bot.inflight import InFlight
from core.ai.models import ai_status
from handlers.identity import IdentityResolver

log = logging.getLogger(__name__)

APP_KEY = web.AppKey("internal_hire", object)
PLATFORMS_KEY = web.AppKey("platforms", object)
SOCKET_MODE_KEY = web.AppKey("slack_socket_mode", object)
CAPABILITIES_KEY = web.AppKey("store_capabilities", dict)
WARM_UP_KEY = web.AppKey("warm_up", object)
INFLIGHT_KEY = web.AppKey("inflight", object)
CHART_LINKS_KEY = web.AppKey("digest_chart_links", object)
CHAT_PATHS = ("/slack/events", "/api/messages")


HEALTH_TIMEOUT_S = 2.0
LOOPBACK = ("127.0.0.1", "::1", "::ffff:127.0.0.1")


def may_see_details(request: web.Request, settings) -> bool:
    """/healthz?verbose: from this machine (a direct connection, not through a proxy), or with the API token."""
    token = settings.api_token.get_secret_value() if settings.api_token else ""
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    peer = request.transport.get_extra_info("peername") if request.transport else None
    forwarded = any(h in request.headers for h in ("X-Forwarded-For", "Forwarded", "X-Real-IP"))
    return bool(peer) and peer[0] in LOOPBACK and not forwarded


@dataclass
class Platforms:
    slack: object | None = None          # the Slack AsyncApp
    slack_mode: str | None = None
    slack_context: object | None = None   # what the Slack listeners share (router, identity, notifier)
    notifier: object | None = None        # bot.background.Notifier: direct messages on whichever platform reaches
    teams: object | None = None          # TeamsBot
    teams_mode: str | None = None
    notes: list[str] = field(default_factory=list)


def build_platforms(app, settings) -> Platforms:
    platforms = Platforms()
    identity = IdentityResolver(app.store)
    if settings.slack_mode:
        from bot.deliveries import DeliveryLog
        from bot.slack.app import build_slack_app
        from bot.slack.context import SlackContext

        platforms.slack_context = SlackContext(app.router, identity, deadline_s=settings.request_deadline,
                                               response_hosts=settings.response_url_hosts)
        platforms.slack = build_slack_app(settings, platforms.slack_context, DeliveryLog(app.store))
        platforms.slack_mode = settings.slack_mode
    elif settings.slack_bot_token:
        platforms.notes.append("Slack: SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP) nor "
                               "SLACK_APP_TOKEN (Socket Mode) is; Slack is off")
    if settings.teams_mode == "anonymous" and settings.host not in ("127.0.0.1", "localhost", "::1"):
        platforms.notes.append("Teams: TEAMS_ALLOW_ANONYMOUS accepts unauthenticated calls, so it is only allowed with "
                               "HOST=127.0.0.1; set TEAMS_APP_ID for a real deployment. Teams is off")
    elif settings.teams_mode:
        from bot.teams.app import TeamsBot

        platforms.teams = TeamsBot(settings, app.router, identity, app.store)
        platforms.teams_mode = settings.teams_mode
    from bot.background import Notifier

    notifier = platforms.notifier = Notifier(app.store, platforms)
    if platforms.slack is not None:
        platforms.slack_context.side_effects.notifier = notifier
    if platforms.teams is not None:
        platforms.teams.side_effects.notifier = notifier
    return platforms


def create_web_app(app, settings, platforms: Platforms | None = None) -> web.Application:
    platforms = platforms or build_platforms(app, settings)
    web_app = web.Application(client_max_size=2 * 1024 * 1024)
    web_app[APP_KEY] = app
    web_app[PLATFORMS_KEY] = platforms
    web_app[CAPABILITIES_KEY] = app.store.capabilities()   # detected once at start
    inflight = web_app[INFLIGHT_KEY] = InFlight()

    @web.middleware
    async def track_chat_work(request: web.Request, handler):
        if request.path in CHAT_PATHS:
            inflight.enter()       # this request and everything it starts is finished before the server stops
        return await handler(request)
    web_app.middlewares.append(track_chat_work)

    async def finish_work_in_flight(_app):
        grace = getattr(settings, "shutdown_grace", 15.0)
        left = await inflight.drain(grace)
        if left:
            log.warning("%d requests were still running after %.0f s and are cut off", left, grace)
    web_app.on_shutdown.append(finish_work_in_flight)

    from bot.workers import ShortSwitchInterval

    switching = ShortSwitchInterval()     # acknowledgements do not wait behind searches for the GIL (bot/workers.py)

    async def short_switch_interval(_app):
        switching.start()

    async def usual_switch_interval(_app):
        switching.stop()
    web_app.on_startup.append(short_switch_interval)
    web_app.on_cleanup.append(usual_switch_interval)

    async def plain_server_header(_request, response) -> None:
        response.headers["Server"] = "internal-hire"     # aiohttp would name itself and its version
    web_app.on_response_prepare.append(plain_server_header)

    async def healthz(request: web.Request) -> web.Response:
        """Anonymous callers (a load balancer) get the status only; the details (counts, versions, paths, models)
        need ?verbose from this machine, or the API token. Answers within HEALTH_TIMEOUT_S: a database that does
        not answer by then is reported as 503, and so is an instance still warming up ("starting")."""
        def store_facts() -> dict:
            return {"employees": app.store.count_employees(), "schema_version": app.store.schema_version()}
        try:
            facts = await asyncio.wait_for(asyncio.to_thread(store_facts), HEALTH_TIMEOUT_S)
            store = {"backend": app.store.backend_name, "ok": True, **facts,
                     "capabilities": web_app[CAPABILITIES_KEY]}
            status = 200
        except asyncio.TimeoutError:
            store = {"backend": app.store.backend_name, "ok": False,
                     "error": f"the database did not answer within {HEALTH_TIMEOUT_S:g} s"}
            status = 503
        except Exception as exc:   # a broken database is reported, not raised
            store = {"backend": app.store.backend_name, "ok": False, "error": exc.__class__.__name__}
            status = 503
        state = "ok" if status == 200 else "degraded"
        warming = web_app.get(WARM_UP_KEY)
        if status == 200 and warming is not None and not warming.done():
            # The index and models are still loading (attach_warm_up): a load balancer sends this instance nothing
            # yet, so no one's first search waits for them within its deadline.
            state, status = "starting", 503
        if "verbose" not in request.query or not may_see_details(request, settings):
            return web.json_response({"status": state}, status=status)
        body = {
            "status": state,
            "store": store,
            "embedder": {"model": app.embedder.model_id, "dim": app.embedder.dim},
            "ai": ai_status(getattr(app, "ai", None)),       # each configured model as the API last said; no secrets
            "platforms": {
                "slack": platforms.slack_mode or "not configured",
                "teams": platforms.teams_mode or "not configured",
            },
        }
        return web.json_response(body, status=status)

    async def livez(_request: web.Request) -> web.Response:
        # Liveness, apart from readiness (/healthz): this process answers. A probe that restarts on /healthz would
        # kill an instance that is still loading its index or whose database is down, and a restart fixes neither.
        return web.json_response({"status": "alive"})

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/livez", livez)
    from bot.api import register_api

    register_api(web_app, app, settings)          # /api/v1: the HRIS API (off without INTERNAL_HIRE_API_TOKEN)
    if (getattr(settings, "public_url", "") or "").strip():
        from bot.digests import CHART_ROUTE, chart_links

        links = web_app[CHART_LINKS_KEY] = chart_links(settings)   # digest charts linked from Teams cards
        web_app.router.add_get(CHART_ROUTE, links.route())

    if platforms.slack is not None:
        async def verify_slack_token(_app):
            from bot.slack.app import verify_token_once

            await verify_token_once(platforms.slack)

        async def open_slack_sessions(_app):
            from bot.slack.app import open_http_sessions

            await open_http_sessions(platforms.slack, platforms.slack_context)

        async def close_slack_sessions(_app):      # on_cleanup: after the work in flight has finished
            from bot.slack.app import close_http_sessions

            await close_http_sessions(platforms.slack, platforms.slack_context)
        web_app.on_startup.append(open_slack_sessions)
        web_app.on_startup.append(verify_slack_token)
        web_app.on_cleanup.append(close_slack_sessions)

    if platforms.slack is not None and platforms.slack_mode == "http":
        from bot.slack.http import slack_events_handler

        web_app.router.add_post("/slack/events", slack_events_handler(
            platforms.slack, settings.slack_signing_secret.get_secret_value()))

    if platforms.slack is not None and platforms.slack_mode == "socket":
        async def start_socket_mode(_app):
            from bot.slack.socket_mode import AckFirstSocketModeHandler

            handler = AckFirstSocketModeHandler(platforms.slack, settings.slack_app_token.get_secret_value(), inflight)
            await handler.connect_async()
            _app[SOCKET_MODE_KEY] = handler

        async def stop_socket_mode(_app):
            # After finish_work_in_flight (on_shutdown): every envelope taken has been acknowledged and handled.
            handler = _app.get(SOCKET_MODE_KEY)
            if handler is not None:
                await handler.close_async()

        web_app.on_startup.append(start_socket_mode)
        web_app.on_cleanup.append(stop_socket_mode)

    if platforms.teams is not None:
        with warnings.catch_warnings():   # the Agents SDK looks this up by its string name
            warnings.simplefilter("ignore")
            web_app["agent_configuration"] = platforms.teams.auth_configuration
        web_app.router.add_post("/api/messages", platforms.teams.route())
    return web_app


def describe(platforms: Platforms, settings) -> list[str]:
    lines = []
    if platforms.slack_mode == "http":
        lines.append(f"Slack: HTTP events at http://{settings.host}:{settings.port}/slack/events")
    elif platforms.slack_mode == "socket":
        lines.append("Slack: Socket Mode (no public URL needed)")
    if platforms.teams_mode:
        lines.append(f"Teams: {platforms.teams_mode} at http://{settings.host}:{settings.port}/api/messages")
    lines.extend(platforms.notes)
    if not platforms.slack_mode and not platforms.teams_mode:
        lines.append("No chat platform is configured (set SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET or SLACK_APP_TOKEN, "
                     "and/or TEAMS_APP_ID); serving /healthz only. Try `internal-hire chat` to talk to the bot locally.")
    return lines


def attach_scheduler(web_app: web.Application, app, settings) -> None:
    """Nightly re-embedding and JD preparation, and the weekly digest with its retry run, each under a database
    lease and once per schedule slot across instances; started and stopped with the server."""
    digest_on = bool(settings.digest_cron.strip())
    if not settings.reindex_cron.strip() and not settings.jd_prepare_cron.strip() and not digest_on:
        return
    from scheduler.jobs import build_scheduler

    digest = None
    if digest_on:
        from bot.digests import DigestJob, DigestSender

        platforms = web_app[PLATFORMS_KEY]
        digest = DigestJob(app, DigestSender(app.store, platforms, web_app.get(CHART_LINKS_KEY)), settings.timezone)
    scheduler, _ = build_scheduler(app, reindex_cron=settings.reindex_cron,
                                   jd_prepare_cron=settings.jd_prepare_cron, digest=digest,
                                   digest_cron=settings.digest_cron, digest_retry_cron=settings.digest_retry_cron,
                                   digest_timezone=settings.timezone)

    async def start(_app):
        if digest is not None:
            digest.loop = asyncio.get_running_loop()     # deliveries run on the server's loop
        scheduler.start()

    async def stop(_app):
        scheduler.shutdown(wait=False)

    web_app.on_startup.append(start)
    web_app.on_cleanup.append(stop)


def attach_warm_up(web_app: web.Application, app) -> None:
    """Load the search index and the models in a handler thread as the server starts (requests are accepted
    meanwhile), so the first search does not pay for them."""
    async def start(_app):
        from bot.workers import run_handler

        async def warm() -> None:
            try:
                await run_handler(app.matching.warm_up)
            except Exception:      # the first search will try again and report what is wrong
                log.warning("warming up the search index failed", exc_info=True)
        _app[WARM_UP_KEY] = asyncio.get_running_loop().create_task(warm())

    web_app.on_startup.append(start)


def run_server(app, settings) -> None:
    from bot import workers

    workers.configure(ai_calls_wait_on_network=bool(settings.gemini_api_key))
    platforms = build_platforms(app, settings)
    capabilities = app.store.capabilities()
    print(f"Storage: {capabilities.get('server', capabilities['backend'])}; vector search: "
          f"{'native ANN (' + str(capabilities.get('ann_index')) + ')' if capabilities.get('native_vector') else 'exact, in-process'}",
          flush=True)
    web_app = create_web_app(app, settings, platforms)
    attach_scheduler(web_app, app, settings)
    from bot.background import attach_jd_background

    attach_jd_background(web_app, app, platforms)
    attach_warm_up(web_app, app)
    from bot.alerts import attach_opening_alerts

    attach_opening_alerts(web_app, app, platforms, settings.alert_interval)
    for line in describe(platforms, settings):
        print(line, flush=True)
    print(f"Health: http://{settings.host}:{settings.port}/healthz", flush=True)
    # run_app stops on SIGINT/SIGTERM, lets in-flight requests finish (shutdown_timeout) and runs cleanup hooks.
    web.run_app(web_app, host=settings.host, port=settings.port, shutdown_timeout=10, print=None,
                access_log=None)
