"""The Teams agent: messages and Adaptive Card Action.Execute invokes reach the same platform-neutral router.

Authentication: with TEAMS_APP_ID set, the bot is a single-tenant app (MSAL client credentials for outgoing calls,
JWT validation of every incoming call on /api/messages; unauthenticated calls get 401). Without it, the endpoint only
exists when TEAMS_ALLOW_ANONYMOUS=true, for local testing.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from urllib.parse import urlsplit


from microsoft_agents.activity import ActivityTypes
from aiohttp import web
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.aiohttp import CloudAdapter, start_agent_process
from microsoft_agents.hosting.aiohttp.jwt_authorization_middleware import _jwt_authorization_middleware
from microsoft_agents.hosting.core import (AgentApplication, AgentAuthConfiguration, AnonymousTokenProvider,
                                           ConnectionManager, MemoryStorage, MessageFactory, TurnContext, TurnState)
from microsoft_agents.hosting.core.app.adaptive_card import factory as card_factory

from bot.deliveries import DeliveryLog, stable_key
from bot.downloads import download_upload
from cards.teams import escape, render_adaptive_card, render_attachment
from core.text import request_language
from bot import workers
from bot.replies import SideEffects, report_failure
from bot.workers import follow_updates
from handlers.find_candidates import notice_card
from handlers.identity import IdentityResolver
from handlers.requests import Reply, Request, Upload, value_language
from handlers.router import Router

log = logging.getLogger(__name__)

ACTION_VERBS = re.compile(r"^[a-z_]+$")     # every button of our cards; the router says which it knows
FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
UPDATE_INTERVAL = 1.0       # seconds between updates of one message
CARD_KEYS = ("action_id", "value")


async def download_attachment(attachment) -> Upload | None:
    """A file sent in a personal chat: Teams gives a short-lived, pre-authenticated download URL (no token sent)."""
    if attachment.content_type != FILE_DOWNLOAD_INFO:
        return None
    content = attachment.content or {}
    name = attachment.name or "file"
    url = content.get("downloadUrl", "") if isinstance(content, dict) else ""
    if urlsplit(url).scheme not in ("https", "http"):
        return Upload(name, error="Teams sent no download link")
    return await download_upload(name, url, platform="Teams")


async def activity_problem(request: web.Request) -> str | None:
    """Why the body is not an activity we can answer (None when it is one)."""
    raw = await request.read()            # over client_max_size: aiohttp answers 413
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        return "the body is not JSON"
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return "the body is not an activity (no type)"
    # Checked here first: the SDK's own validation logs a failure at ERROR level, with the input.
    for key in ("conversation", "from", "recipient", "channelData"):
        if body.get(key) is not None and not isinstance(body[key], dict):
            return f"the activity's {key} is not an object"
    for key in ("text", "serviceUrl", "id", "replyToId", "channelId", "name"):
        if body.get(key) is not None and not isinstance(body[key], str):
            return f"the activity's {key} is not a string"
    if body.get("attachments") is not None and not (isinstance(body["attachments"], list)
                                                    and all(isinstance(a, dict) for a in body["attachments"])):
        return "the activity's attachments are not a list of objects"
    try:
        activity = Activity.model_validate(body)
    except (ValueError, TypeError) as exc:      # pydantic's ValidationError is a ValueError
        return f"the activity does not validate ({exc.__class__.__name__})"
    if activity.type in (ActivityTypes.message, ActivityTypes.invoke):
        if urlsplit(activity.service_url or "").scheme not in ("http", "https"):
            return "the activity has no serviceUrl"
        if not (activity.conversation and activity.conversation.id and activity.from_property
                and activity.from_property.id):
            return "the activity names no conversation or sender"
    return None


def connection_setup(settings):
    """(connection manager, auth configuration) for single-tenant or anonymous operation."""
    if settings.teams_mode == "single-tenant":
        from microsoft_agents.authentication.msal import MsalConnectionManager

        secret = settings.teams_app_password.get_secret_value() if settings.teams_app_password else None
        service = AgentAuthConfiguration(client_id=settings.teams_app_id, tenant_id=settings.teams_tenant_id,
                                         client_secret=secret, anonymous_allowed=False)
        manager = MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": service})
        return manager, service
    anonymous = AgentAuthConfiguration(anonymous_allowed=True)
    manager = ConnectionManager(provider_factory=lambda cfg: AnonymousTokenProvider(),
                                connections_configurations={"SERVICE_CONNECTION": anonymous})
    return manager, anonymous


class TeamsBot:
    def __init__(self, settings, router: Router, identity: IdentityResolver, store):
        self.router = router
        self.identity = identity
        self.side_effects = SideEffects()     # its notifier (bot.background) is set once every platform exists
        self.deadline_s = settings.request_deadline
        self.store = store
        self.anonymous = settings.teams_mode != "single-tenant"
        self.connections, self.auth_configuration = connection_setup(settings)
        self.adapter = CloudAdapter(connection_manager=self.connections)
        self.agent = AgentApplication[TurnState](storage=MemoryStorage(), connection_manager=self.connections,
                                                 start_typing_timer=False)
        self.agent.activity(ActivityTypes.message)(self.on_message)
        self.agent.adaptive_card.action_execute(ACTION_VERBS)(self.on_card_action)
        self.agent.conversation_update("membersAdded")(self.on_installed)
        self.agent.error(self.on_error)
        self.deliveries = DeliveryLog(store)      # kept in the database: every instance knows the repeat

    async def _actor(self, context: TurnContext):
        sender = context.activity.from_property
        keys = (sender.aad_object_id,) if sender and sender.aad_object_id else ()
        return await self.identity.resolve("teams", sender.id if sender else "", None, extra_keys=keys)

    @staticmethod
    def _is_personal(context: TurnContext) -> bool:
        conversation = context.activity.conversation
        return (getattr(conversation, "conversation_type", None) or "personal") == "personal"

    def _remember_conversation(self, context: TurnContext, employee_id: str | None) -> None:
        """Stored so later features (JD completions, digests) can message the user proactively: 1:1 chats only,
        so nothing personal is ever sent to a channel."""
        if not self._is_personal(context):
            return
        reference = context.activity.get_conversation_reference()
        sender = context.activity.from_property
        key = employee_id or (sender.id if sender else "")
        self.store.save_conversation_ref("teams", key,
                                         reference.model_dump(mode="json", by_alias=True, exclude_none=True))

    async def _handle(self, request: Request, own: dict | None = None, *, lane: str = workers.SEARCH,
                      arrived: float | None = None) -> Reply:
        """The reply within the request's deadline; its effects on others' chats are sent after this turn is
        answered: Teams gives a card action about five seconds (then retries it), and every proactive message is a
        connector call of its own. `own`: where the card that was pressed lives."""
        reply = await workers.run_request(self.router.handle, request, lane=lane,
                                          user="teams:" + (request.platform_user or ""), deadline_s=self.deadline_s,
                                          arrived=arrived)
        self.side_effects.in_background(reply, own)
        return reply

    async def _within_deadline(self, work, arrived: float):
        """`work` stopped a little before the deadline (workers.work_budget), so the answer or the notice is sent by
        then."""
        if not self.deadline_s:
            return await work
        try:
            return await asyncio.wait_for(work, max(0.0, arrived + workers.work_budget(self.deadline_s)
                                                    - time.monotonic()))
        except (asyncio.TimeoutError, workers.RequestTimeout):
            raise workers.RequestTimeout(self.deadline_s) from None

    async def _tell_failure(self, context: TurnContext, what: str, lang: str | None) -> str:
        """Log the failure being handled under a reference and tell the user in this conversation (or, when that
        fails too, in the one we last had with them); the notice, for an invoke's answer."""
        ref, notice = report_failure(what, lang)
        try:
            await context.send_activity(notice)
        except Exception:
            log.warning("could not tell the Teams user about failure %s in the conversation", ref, exc_info=True)
            try:
                actor = await self._actor(context)
                if actor is None or not await self.send_proactive(actor.id, [notice_card(notice)]):
                    log.warning("could not tell the Teams user about failure %s", ref)
            except Exception:
                log.warning("could not tell the Teams user about failure %s", ref, exc_info=True)
        return notice

    async def _first_delivery(self, context: TurnContext, arrived: float) -> bool:
        """False for a repeat; waits for the database's record at most CLAIM_WAIT_S from arrival (half the
        deadline), then handles the activity (bot.deliveries), so the deadline holds with a frozen database."""
        activity = context.activity
        if not activity.id:
            return True
        key = f"{activity.conversation.id if activity.conversation else ''}/{activity.id}"
        return await self.deliveries.begin(stable_key("teams", key), arrived, self.deadline_s).first()

    async def on_message(self, context: TurnContext, state: TurnState) -> None:
        arrived = time.monotonic()
        if not await self._first_delivery(context, arrived):
            log.info("ignoring a repeated Teams delivery %s", context.activity.id)
            return
        text = (context.activity.text or "").strip()
        try:
            reply = await self._within_deadline(self._message_reply(context, text, arrived), arrived)
            sent = await context.send_activity(MessageFactory.attachment(render_attachment(reply.cards)))
        except Exception:
            await self._tell_failure(context, "answering a Teams message", request_language(text) if text else None)
            return
        await self._follow_updates(context, reply, sent.id if sent else None)

    async def _message_reply(self, context: TurnContext, text: str, arrived: float) -> Reply:
        actor = await self._actor(context)
        await asyncio.to_thread(self._remember_conversation, context, actor.id if actor else None)
        private = self._is_personal(context)
        files = [a for a in context.activity.attachments or [] if a.content_type == FILE_DOWNLOAD_INFO]
        upload = None
        if files:
            # Resumes are personal: a file in a channel is never downloaded, and the handler says where to send it.
            upload = await download_attachment(files[0]) if private else Upload(files[0].name or "file")
        # A search typed in chat is the Teams slash command: it runs in the search lane; a file is interactive.
        return await self._handle(Request(actor=actor, platform="teams", text=text,
                                          platform_user=context.activity.from_property.id,
                                          private=private, upload=upload),
                                  lane=workers.INTERACTIVE if upload else workers.SEARCH, arrived=arrived)

    async def on_installed(self, context: TurnContext, state: TurnState) -> None:
        """The app added to someone's personal chat: the conversation is remembered (alerts can reach them) and the
        home card is the welcome, in the person's own language."""
        activity = context.activity
        bot_id = activity.recipient.id if activity.recipient else ""
        if not self._is_personal(context) or not any(m.id == bot_id for m in activity.members_added or []):
            return
        actor = await self._actor(context)
        await asyncio.to_thread(self._remember_conversation, context, actor.id if actor else None)
        home = getattr(self.router, "home", None)
        lang = home.openings.lang_for(actor) if home is not None and actor is not None else None
        reply = await self._handle(Request(actor=actor, platform="teams", text="home", lang=lang,
                                           platform_user=activity.from_property.id if activity.from_property else ""))
        await context.send_activity(MessageFactory.attachment(render_attachment(reply.cards)))

    async def _follow_updates(self, context: TurnContext, reply: Reply, activity_id: str | None) -> None:
        """Later versions of a reply (streamed text, finished sections) replace the message just sent."""
        async def show(cards) -> None:
            if activity_id:
                await self._update(context, activity_id, cards)
            else:
                await context.send_activity(MessageFactory.attachment(render_attachment(cards)))
        await follow_updates(reply, show, UPDATE_INTERVAL)

    async def _follow_in_background(self, employee_id: str, reply: Reply, activity_id: str | None) -> None:
        async def show(cards) -> None:
            nonlocal activity_id
            activity_id = await self.send_proactive(employee_id, cards, activity_id) or activity_id
        await follow_updates(reply, show, UPDATE_INTERVAL)

    @staticmethod
    async def _update(context: TurnContext, activity_id: str, cards) -> None:
        activity = MessageFactory.attachment(render_attachment(cards))
        activity.id = activity_id
        await context.update_activity(activity)

    async def on_card_action(self, context: TurnContext, state: TurnState, data: dict):
        arrived = time.monotonic()
        if not await self._first_delivery(context, arrived):
            return None      # a repeated click delivery: answered once already
        data = data if isinstance(data, dict) else {}
        try:
            reply, actor = await self._within_deadline(self._card_reply(context, data, arrived), arrived)
        except Exception:
            notice = await self._tell_failure(context, "a Teams card action", value_language(str(data.get("value", ""))))
            return card_factory.message(notice)
        if reply.updates is not None and actor is not None:
            # Slow work (a queued JD) changes over minutes, long after this invoke is answered: its later versions
            # update the clicked card in place, through the conversation reference, in the background.
            self.side_effects.spawn(self._follow_in_background(actor.id, reply, context.activity.reply_to_id),
                                    "following a Teams reply's updates")
        if reply.replace_original:
            return card_factory.adaptive_card(render_adaptive_card(reply.cards))
        # Details and notices arrive as a new message; the card that was clicked stays as it is.
        await context.send_activity(MessageFactory.attachment(render_attachment(reply.cards)))
        return card_factory.message(escape(reply.text or "OK"))

    async def _card_reply(self, context: TurnContext, data: dict, arrived: float):
        actor = await self._actor(context)
        form = {k: str(v) for k, v in data.items() if k not in CARD_KEYS}   # the card's Input.* values
        own = ({"platform": "teams", "employee": actor.id, "activity_id": context.activity.reply_to_id}
               if actor is not None and context.activity.reply_to_id and self._is_personal(context) else None)
        reply = await self._handle(Request(actor=actor, platform="teams", action_id=data.get("action_id"),
                                           action_value=str(data.get("value", "")),
                                           platform_user=context.activity.from_property.id,
                                           private=self._is_personal(context), form=form), own,
                                   lane=workers.INTERACTIVE, arrived=arrived)
        return reply, actor

    async def on_error(self, context: TurnContext, error: Exception) -> None:
        """The last resort, for a failure outside the handlers above (the SDK's own turn handling)."""
        text = getattr(context.activity, "text", None) or ""
        ref, notice = report_failure("a Teams turn", request_language(text) if text else None, error)
        try:
            await context.send_activity(notice)
        except Exception:
            log.warning("could not tell the Teams user about failure %s", ref, exc_info=True)

    def route(self):
        """The aiohttp handler for POST /api/messages: JWT-validated unless running anonymously; a body that is not
        an activity gets 400 and a token that does not validate 401, whatever it holds (never a 500)."""
        async def messages(request):
            return await start_agent_process(request, self.agent, self.adapter)

        async def checked(request: web.Request) -> web.Response:
            problem = await activity_problem(request)
            if problem:
                log.info("refused a Teams request (400): %s", problem)
                return web.json_response({"error": problem}, status=400)
            return await messages(request)

        if self.anonymous:
            return checked

        async def authorized(request: web.Request) -> web.Response:
            try:
                return await _jwt_authorization_middleware(request, checked)
            except web.HTTPException:
                raise
            except Exception as exc:      # a forged token (alg "none", no key id, ...) must not become a 500
                log.info("refused a Teams request (401): %s", exc.__class__.__name__)
                return web.json_response({"error": "Unauthorized"}, status=401)
        return authorized

    async def send_proactive(self, employee_id: str, cards, activity_id: str | None = None) -> str | None:
        """Send cards to an employee in the conversation we last had with them (or, with `activity_id`, replace that
        earlier message); the message's activity id, or None when we never talked with them."""
        from microsoft_agents.activity import ConversationReference
        from microsoft_agents.hosting.core import ClaimsIdentity

        stored = await asyncio.to_thread(self.store.load_conversation_ref, "teams", employee_id)
        if stored is None:
            return None
        reference = ConversationReference.model_validate(stored)
        sent: dict = {}

        async def send(context: TurnContext):
            activity = MessageFactory.attachment(render_attachment(cards))
            if activity_id:
                activity.id = activity_id
                await context.update_activity(activity)
                sent["id"] = activity_id
            else:
                response = await context.send_activity(activity)
                sent["id"] = getattr(response, "id", None) or "sent"

        if self.anonymous:
            # continue_conversation("") would ask the anonymous provider for a token and fail.
            await self.adapter.continue_conversation_with_claims(ClaimsIdentity(), reference.get_continuation_activity(),
                                                                 send)
        else:
            await self.adapter.continue_conversation(self.auth_configuration.CLIENT_ID,
                                                     reference.get_continuation_activity(), send)
        return sent.get("id")
