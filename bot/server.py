"""`internal-hire serve`: one aiohttp server for Slack (/slack/events), Teams (/api/messages) and /healthz.

Each platform starts only when its credentials are configured; with none, the server still runs and says so.
"""
from __future__ import annotations

import asyncio
import logging
import warnings
from dataclasses import dataclass, field

from aiohttp import web

from core.ai.models import ai_status
from handlers.identity import IdentityResolver

log = logging.getLogger(__name__)

APP_KEY = web.AppKey("internal_hire", object)
PLATFORMS_KEY = web.AppKey("platforms", object)
SOCKET_MODE_KEY = web.AppKey("slack_socket_mode", object)
CAPABILITIES_KEY = web.AppKey("store_capabilities", dict)
WARM_UP_KEY = web.AppKey("warm_up", object)


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
        from bot.slack.app import build_slack_app
        from bot.slack.context import SlackContext

        platforms.slack_context = SlackContext(app.router, identity)
        platforms.slack = build_slack_app(settings, platforms.slack_context)
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
        platforms.slack_context.notifier = notifier
    if platforms.teams is not None:
        platforms.teams.notifier = notifier
    return platforms


def create_web_app(app, settings, platforms: Platforms | None = None) -> web.Application:
    platforms = platforms or build_platforms(app, settings)
    web_app = web.Application(client_max_size=2 * 1024 * 1024)
    web_app[APP_KEY] = app
    web_app[PLATFORMS_KEY] = platforms
    web_app[CAPABILITIES_KEY] = app.store.capabilities()   # detected once at start

    async def healthz(request: web.Request) -> web.Response:
        try:
            employees = await asyncio.to_thread(app.store.count_employees)
            store = {"backend": app.store.backend_name, "ok": True, "employees": employees,
                     "schema_version": await asyncio.to_thread(app.store.schema_version),
                     "capabilities": web_app[CAPABILITIES_KEY]}
            status = 200
        except Exception as exc:   # a broken database is reported, not raised
            store = {"backend": app.store.backend_name, "ok": False, "error": exc.__class__.__name__}
            status = 503
        body = {
            "status": "ok" if status == 200 else "degraded",
            "store": store,
            "embedder": {"model": app.embedder.model_id, "dim": app.embedder.dim},
            "ai": ai_status(getattr(app, "ai", None)),       # each configured model as the API last said; no secrets
            "platforms": {
                "slack": platforms.slack_mode or "not configured",
                "teams": platforms.teams_mode or "not configured",
            },
        }
        return web.json_response(body, status=status)

    web_app.router.add_get("/healthz", healthz)

    if platforms.slack is not None and platforms.slack_mode == "http":
        from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

        from bot.slack.fast_ack import SlashCommandFastAck

        slack_app = platforms.slack
        fast_ack = SlashCommandFastAck(settings.slack_signing_secret.get_secret_value())

        async def slack_events(request: web.Request) -> web.Response:
            bolt_request = await to_bolt_request(request)
            acked = fast_ack.try_ack(bolt_request.raw_body, request.headers)
            if acked is not None:
                fast_ack.run_in_background(slack_app.async_dispatch(bolt_request))
                return acked[0]
            bolt_response = await slack_app.async_dispatch(bolt_request)
            return await to_aiohttp_response(bolt_response)

        web_app.router.add_post("/slack/events", slack_events)

    if platforms.slack is not None and platforms.slack_mode == "socket":
        async def start_socket_mode(_app):
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            handler = AsyncSocketModeHandler(platforms.slack, app_token=settings.slack_app_token.get_secret_value())
            await handler.connect_async()
            _app[SOCKET_MODE_KEY] = handler

        async def stop_socket_mode(_app):
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
    """Nightly re-embedding under a database lease, started and stopped with the server."""
    if not settings.reindex_cron.strip() and not settings.jd_prepare_cron.strip():
        return
    from scheduler.jobs import build_scheduler

    scheduler, _ = build_scheduler(app, reindex_cron=settings.reindex_cron,
                                   jd_prepare_cron=settings.jd_prepare_cron)

    async def start(_app):
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
    for line in describe(platforms, settings):
        print(line, flush=True)
    print(f"Health: http://{settings.host}:{settings.port}/healthz", flush=True)
    # run_app stops on SIGINT/SIGTERM, lets in-flight requests finish (shutdown_timeout) and runs cleanup hooks.
    web.run_app(web_app, host=settings.host, port=settings.port, shutdown_timeout=10, print=None,
                access_log=None)
