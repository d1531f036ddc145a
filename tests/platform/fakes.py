"""Local stand-ins for Slack's Web API / response_url and the Bot Framework connector. Real HTTP, no internet."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

SIGNING_SECRET = "test-signing-secret"
RESPONSE_URL_USES = 5


@dataclass
class FakeSlack:
    """Records every Web API call and response_url post; answers like Slack would."""

    calls: list = field(default_factory=list)
    emails: dict = field(default_factory=dict)         # slack user id -> e-mail for users.info
    rate_limit_next: dict = field(default_factory=dict)  # path or method -> how many 429s to answer first
    socket_envelopes: list = field(default_factory=list)  # what Socket Mode pushes to the app on connect
    socket_acks: list = field(default_factory=list)       # what the app answered over the socket
    socket_disconnects: int = 0      # this many connections get a "disconnect" after their envelopes (refresh)
    refused_tokens: set = field(default_factory=set)      # tokens the Web API answers invalid_auth for
    arrived: dict = field(default_factory=dict)           # response_url hook -> time.perf_counter() of its post
    files: dict = field(default_factory=dict)             # name -> bytes served at /files/<name> (url_private)
    file_requests: list = field(default_factory=list)     # (name, Authorization header) of every download
    hook_uses: dict = field(default_factory=dict)         # response_url hook -> posts accepted so far
    hook_status: dict = field(default_factory=dict)       # response_url hook -> HTTP status to refuse it with
    api_errors: dict = field(default_factory=dict)        # Web API method -> error every call to it answers
    uploads: dict = field(default_factory=dict)           # file id -> bytes posted to its upload URL (files_upload_v2)
    server: TestServer | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/files/{name}", self.file)
        app.router.add_route("*", "/api/{method}", self.api)
        app.router.add_post("/hooks/{hook}", self.hook)
        app.router.add_get("/socket", self.socket)
        app.router.add_post("/upload/{file_id}", self.upload)
        return app

    async def upload(self, request: web.Request) -> web.Response:
        """Step 2 of files_upload_v2: the bytes posted to the URL files.getUploadURLExternal gave."""
        limited = self._limited("upload")
        if limited is not None:
            return limited
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK - " + str(len(self.uploads[request.match_info["file_id"]])))

    async def socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        for envelope in self.socket_envelopes:
            await ws.send_str(json.dumps(envelope))
        if self.socket_disconnects > 0:
            self.socket_disconnects -= 1
            await ws.send_str(json.dumps({"type": "disconnect", "reason": "refresh_requested"}))
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                ack = json.loads(message.data)
                self.socket_acks.append(ack)
                self.arrived.setdefault("ack:" + str(ack.get("envelope_id")), time.perf_counter())
        return ws

    async def start(self):
        self.server = TestServer(self.app(), host="127.0.0.1")
        await self.server.start_server()
        return self

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def _limited(self, key: str):
        if self.rate_limit_next.get(key, 0) > 0:
            self.rate_limit_next[key] -= 1
            self.calls.append(("429", key, None))
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "0"})
        return None

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.method == "GET":
            body = dict(request.query)
        elif "json" in request.headers.get("Content-Type", ""):
            body = await request.json()
        else:
            body = {**dict(request.query), **dict(await request.post())}
        limited = self._limited(method)
        if limited is not None:
            return limited
        if request.headers.get("Authorization", "").removeprefix("Bearer ") in self.refused_tokens:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        self.calls.append(("api", method, body))
        if method in self.api_errors:
            return web.json_response({"ok": False, "error": self.api_errors[method]})
        if method == "apps.connections.open":
            return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.server.port}/socket"})
        if method == "auth.test":
            return web.json_response({"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "B1"})
        if method == "users.info":
            email = self.emails.get(body.get("user"))
            profile = {"email": email} if email else {}
            return web.json_response({"ok": True, "user": {"id": body.get("user"), "profile": profile}})
        if method in ("chat.postMessage", "chat.update"):
            return web.json_response({"ok": True, "channel": body.get("channel"), "ts": f"{len(self.calls)}.000"})
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": "D" + str(body.get("users", "")).lstrip("U")}})
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.calls):06d}"
            return web.json_response({"ok": True, "file_id": file_id, "upload_url": f"{self.base}/upload/{file_id}"})
        if method == "files.completeUploadExternal":
            files = json.loads(body.get("files") or "[]")
            if any(f.get("id") not in self.uploads for f in files):
                return web.json_response({"ok": False, "error": "file_not_found"})
            return web.json_response({"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]})
        if method == "chat.postEphemeral":
            return web.json_response({"ok": True, "message_ts": f"{len(self.calls)}.000"})
        if method == "views.publish":
            view = body.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            if not body.get("user_id") or (view or {}).get("type") != "home":
                return web.json_response({"ok": False, "error": "invalid_arguments"})
            if len((view or {}).get("blocks") or []) > 100:
                return web.json_response({"ok": False, "error": "invalid_blocks"})
            return web.json_response({"ok": True, "view": {**view, "id": f"VH{len(self.calls)}"}})
        if method == "views.open":
            view = body.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return web.json_response({"ok": True, "view": {**(view or {}), "id": f"V{len(self.calls)}"}})
        return web.json_response({"ok": False, "error": "unknown_method"})

    async def hook(self, request: web.Request) -> web.Response:
        key = "hook:" + request.match_info["hook"]
        limited = self._limited(key)
        if limited is not None:
            return limited
        if request.match_info["hook"] in self.hook_status:
            self.calls.append(("response_url_refused", request.match_info["hook"], await request.json()))
            return web.Response(status=self.hook_status[request.match_info["hook"]], text="refused")
        # Slack accepts at most five posts to one response_url (within 30 minutes); later ones are refused.
        if self.hook_uses.get(key, 0) >= RESPONSE_URL_USES:
            self.calls.append(("response_url_refused", request.match_info["hook"], await request.json()))
            return web.Response(status=404, text="used_url")
        self.hook_uses[key] = self.hook_uses.get(key, 0) + 1
        self.calls.append(("response_url", request.match_info["hook"], await request.json()))
        self.arrived.setdefault(request.match_info["hook"], time.perf_counter())
        return web.Response(text="ok")

    def posts(self, kind: str, name: str | None = None) -> list[dict]:
        return [c[2] for c in self.calls if c[0] == kind and (name is None or c[1] == name)]

    def ts_of(self, posted: dict) -> str:
        """The ts this fake answered a chat.postMessage with (what a later chat.update of that message names)."""
        return next(f"{n}.000" for n, call in enumerate(self.calls, 1) if call[2] is posted)

    async def file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.file_requests.append((name, request.headers.get("Authorization")))
        if request.headers.get("Authorization") != "Bearer xoxb-test" or name not in self.files:
            return web.Response(status=404)
        return await stream_file(request, self.files[name])

    def file_share(self, name: str, data: bytes, user: str, channel: str = "D1", channel_type: str = "im") -> dict:
        """A message.im event with a shared file, as Slack sends it; the file is served with the bot token."""
        self.files[name] = data
        return {"type": "message", "subtype": "file_share", "channel": channel, "channel_type": channel_type,
                "user": user, "text": "", "ts": "1.0",
                "files": [{"id": "F1", "name": name, "size": len(data),
                           "url_private_download": f"{self.base}/files/{name}"}]}


async def stream_file(request: web.Request, data: bytes, chunk: int = 64 * 1024) -> web.StreamResponse:
    """Serve a file in pieces with pauses, as a real network delivers it: a client reading it must read to the end."""
    response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
    response.content_length = len(data)
    await response.prepare(request)
    for start in range(0, len(data), chunk):
        await response.write(data[start:start + chunk])
        await asyncio.sleep(0.001)
    await response.write_eof()
    return response


def sign(body: str, ts: int | None = None, secret: str = SIGNING_SECRET) -> dict:
    ts = int(time.time()) if ts is None else ts
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": signature}


def slash_command(text: str, user_id: str, response_url: str, command: str = "/find-candidates") -> str:
    return urlencode({"command": command, "text": text, "user_id": user_id, "channel_id": "C1", "team_id": "T1",
                      "trigger_id": f"trig-{time.time_ns()}", "response_url": response_url})


def block_action(action_id: str, value: str, user_id: str, response_url: str, form: dict | None = None,
                 state: dict | None = None) -> str:
    """A button press; `form` fills the message's input blocks (block_id = action_id = the field id) as text inputs,
    `state` is a whole `state` object as Slack sends it (see message_state)."""
    payload = {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": user_id}, "channel": {"id": "C1"},
               "message": {"ts": "123.456", "text": "results"}, "response_url": response_url,
               "trigger_id": f"trig-{time.time_ns()}",
               "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value}]}
    if form:
        payload["state"] = {"values": {k: {k: {"type": "plain_text_input", "value": v}} for k, v in form.items()}}
    if state is not None:
        payload["state"] = state
    return urlencode({"payload": json.dumps(payload)})


def message_state(blocks: list[dict], **changes: str) -> dict:
    """The `state` Slack sends with a press or a modal submission: every input block's current value (its initial
    value unless `changes` names it), selects as selected_option, empty text inputs as null."""
    values = {}
    for block in blocks:
        if block.get("type") != "input":
            continue
        element = block["element"]
        field = element["action_id"]
        if element["type"] == "static_select":
            chosen = changes.get(field, (element.get("initial_option") or {}).get("value"))
            option = next((o for o in element["options"] if o["value"] == chosen), None)
            values[block["block_id"]] = {field: {"type": "static_select", "selected_option": option}}
        else:
            text = changes.get(field, element.get("initial_value"))
            values[block["block_id"]] = {field: {"type": element["type"], "value": text or None}}
    return {"values": values}


def view_submission(view: dict, user_id: str, **changes: str) -> str:
    """The submission of a modal we opened (views.open), with its inputs filled in."""
    payload = {"type": "view_submission", "team": {"id": "T1"}, "user": {"id": user_id}, "api_app_id": "A1",
               "trigger_id": f"trig-{time.time_ns()}",
               "view": {"id": view.get("id", "V1"), "type": "modal", "callback_id": view["callback_id"],
                        "private_metadata": view.get("private_metadata", ""), "blocks": view["blocks"],
                        "state": message_state(view["blocks"], **changes)}}
    return urlencode({"payload": json.dumps(payload)})


@dataclass
class FakeConnector:
    """The Bot Framework connector at an activity's serviceUrl: records what our bot sends to Teams."""

    received: list = field(default_factory=list)
    files: dict = field(default_factory=dict)          # name -> bytes served at /files/<name> (a file's downloadUrl)
    file_requests: list = field(default_factory=list)  # (name, Authorization header) of every download
    slow: dict = field(default_factory=dict)           # conversation id -> seconds before answering a send to it
    server: TestServer | None = None

    async def start(self):
        app = web.Application()
        app.router.add_get("/files/{name}", self.file)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/amer/"

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        for conversation, seconds in self.slow.items():
            if f"/conversations/{conversation}/" in request.path:
                await asyncio.sleep(seconds)
        self.received.append({"method": request.method, "path": request.path, "auth": request.headers.get("Authorization"),
                              "body": body})
        return web.json_response({"id": f"sent-{len(self.received)}"})

    async def file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.file_requests.append((name, request.headers.get("Authorization")))
        if name not in self.files:
            return web.Response(status=404)
        return await stream_file(request, self.files[name])

    def file_attachment(self, name: str, data: bytes) -> dict:
        """A personal-chat file as Teams sends it: a pre-authenticated downloadUrl (served here) in the content."""
        self.files[name] = data
        return {"contentType": "application/vnd.microsoft.teams.file.download.info", "name": name,
                "contentUrl": f"https://contoso.sharepoint.com/personal/{name}",
                "content": {"downloadUrl": f"http://127.0.0.1:{self.server.port}/files/{name}", "uniqueId": "u-1",
                            "fileType": name.rsplit(".", 1)[-1]}}

    def updates(self) -> list[dict]:
        """Activities our bot replaced (PUT .../activities/{id}): streamed answers and later card versions."""
        return [r for r in self.received if r["method"] == "PUT"]

    def cards(self) -> list[dict]:
        out = []
        for r in self.received:
            for attachment in (r["body"] or {}).get("attachments", []) or []:
                if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                    out.append(attachment["content"])
        return out


def submitted_jd(org, author) -> str:
    """A JD written by `author` and submitted for approval (version 1), through the JD workflow."""
    from core.jd.model import JdDraft

    flow = org.jd_service.workflow
    draft = JdDraft(title="Senior Backend Engineer", summary="Build payment APIs.", requirements=["Kafka"],
                    company_id="hanbit-pay", family="1000229", level="L4", style="concise", lang="en")
    jd = flow.create(draft, author).record
    assert flow.decide(jd.id, 1, "submit", author).ok
    return jd.id
