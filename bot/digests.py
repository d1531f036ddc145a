"""Delivering the weekly digest (core/digest.py decides, handlers/digest.py words it) and the weekly job around it.

Where a digest goes, per person: Slack when they have a Slack id and Slack is configured (the text as Block Kit in
their direct-message conversation, then each chart uploaded into the same conversation with `files_upload_v2`, with
its alt text); else Teams through the stored conversation reference (an Adaptive Card 1.5 with the charts as images:
a signed, expiring link to our own server when INTERNAL_HIRE_PUBLIC_URL is set, else a data: URI); else, with a local
folder (the local chat and the CLI), the Markdown and PNGs are written there and their paths printed. Nobody reached
is "not reachable" (counted, retried by the next run).

Slack rate limits: the Web API client retries a 429 after its Retry-After (bot/slack/client.py retry_handlers).
A chart upload that fails after the text was posted does not fail the delivery (the text carries the same numbers as
the charts): failing it would post the text twice on the retry.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from aiohttp import web

from cards.slack import render_message
from cards.teams import MAX_BYTES, render_adaptive_card
from core.digest import CLAIM_TTL_S, DigestBuilder, NotReachable, RunReport, retry_set, run_weekly, week_start
from handlers.digest import Chart, render_cards, render_charts, write_preview
from scheduler.jobs import DIGEST_JOB, DIGEST_RETRY_JOB, instance_name

log = logging.getLogger(__name__)

CHART_LINK_TTL_S = 14 * 86400       # a chart link in a Teams card works for two weeks
SLACK_ALT_MAX = 1000                 # files.getUploadURLExternal alt_txt limit
DELIVERY_TIMEOUT_S = 300.0           # one person's delivery, 429 waits included
CHART_ROUTE = "/digest/charts/{token}"
# The run shares the process (and Python's lock) with searches: after building each digest it can pause this many
# times as long as the build took. Off by default: bench/digest_run.py saw no better search p99 with 1.0 (466 ms vs
# 274 ms without, both at load ~20 on 2 cores) and a run twice as long.
PACING = 0.0
# While a run builds digests, Python hands its lock to a waiting thread after this long instead of the default 5 ms:
# a search takes and drops the lock many times (numpy releases it), and with a busy digest thread each retake waited
# up to one interval. Restored when the run ends.
RUN_SWITCH_INTERVAL_S = 0.001


# ---- signed, expiring links to chart images on our own server (Teams) ---------------------------------------------
class ChartLinks:
    """Stores chart PNGs under DATA_DIR/digest-charts and makes links to them that only this server (any instance
    sharing the secret) accepts, until they expire. The link names the file and the expiry; an HMAC over both
    stops anyone from guessing another person's chart or stretching the expiry."""

    def __init__(self, directory: Path, public_url: str, secret: bytes, ttl_s: float = CHART_LINK_TTL_S,
                 clock=time.time):
        self.directory = Path(directory)
        self.public_url = public_url.rstrip("/")
        self.secret = secret
        self.ttl_s = ttl_s
        self.clock = clock

    def _sign(self, payload: bytes) -> str:
        return base64.urlsafe_b64encode(hmac.new(self.secret, payload, hashlib.sha256).digest()).decode().rstrip("=")

    def publish(self, filename: str, png: bytes) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / filename).write_bytes(png)
        payload = json.dumps({"f": filename, "e": int(self.clock() + self.ttl_s)}, separators=(",", ":")).encode()
        token = base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + self._sign(payload)
        return f"{self.public_url}/digest/charts/{token}"

    def open(self, token: str) -> bytes | None:
        """The PNG a valid, unexpired token names; None otherwise (bad signature, expired, gone)."""
        try:
            body, signature = token.split(".", 1)
            payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            if not hmac.compare_digest(self._sign(payload), signature):
                return None
            fields = json.loads(payload)
            name, expires = str(fields["f"]), float(fields["e"])
        except (ValueError, KeyError, TypeError):
            return None
        if expires < self.clock() or "/" in name or "\\" in name or name.startswith("."):
            return None
        path = self.directory / name
        return path.read_bytes() if path.is_file() else None

    def route(self):
        async def chart(request: web.Request) -> web.Response:
            png = await asyncio.to_thread(self.open, request.match_info["token"])
            if png is None:
                return web.Response(status=404, text="not found or expired")
            return web.Response(body=png, content_type="image/png",
                                headers={"Cache-Control": "private, max-age=3600"})
        return chart


def link_secret(settings) -> bytes:
    """INTERNAL_HIRE_LINK_SECRET (shared by every instance), else one kept in the data folder (one instance)."""
    given = getattr(settings, "link_secret", None)
    if given is not None and given.get_secret_value():
        return given.get_secret_value().encode()
    path = Path(settings.data_dir) / ".link-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process on this folder made it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def chart_links(settings) -> ChartLinks | None:
    public = (getattr(settings, "public_url", "") or "").strip()
    if not public:
        return None
    return ChartLinks(Path(settings.data_dir) / "digest-charts", public, link_secret(settings))


# ---- delivery ------------------------------------------------------------------------------------------------------
class DigestSender:
    """`await deliver(person, digest)`: where it went ("slack", "teams", "local"); NotReachable when nowhere."""

    def __init__(self, store, platforms=None, links: ChartLinks | None = None, local_dir: Path | None = None,
                 printer=print):
        self.store = store
        self.platforms = platforms
        self.links = links
        self.local_dir = Path(local_dir) if local_dir else None
        self.printer = printer

    async def deliver(self, person, digest) -> str:
        slack = getattr(self.platforms, "slack", None)
        if slack is not None and person.slack_user_id:
            await self._slack(slack.client, person, digest)
            return "slack"
        teams = getattr(self.platforms, "teams", None)
        if teams is not None and await self._teams(teams, person, digest):
            return "teams"
        if self.local_dir is not None:
            for path in await asyncio.to_thread(write_preview, digest, self.local_dir):
                self.printer(str(path))
            return "local"
        raise NotReachable("no Slack account and no Teams conversation with the bot")

    async def _slack(self, client, person, digest) -> None:
        charts = await asyncio.to_thread(render_charts, digest)
        opened = await client.conversations_open(users=person.slack_user_id)
        channel = (opened.get("channel") or {}).get("id") or person.slack_user_id
        await client.chat_postMessage(channel=channel, **render_message(render_cards(digest, attached=charts)))
        if not charts:
            return
        try:
            await client.files_upload_v2(channel=channel, file_uploads=[
                {"file": chart.png, "filename": chart.filename(digest), "title": chart.title,
                 "alt_txt": chart.alt[:SLACK_ALT_MAX]} for chart in charts])
        except Exception:       # noqa: BLE001 - see the module docstring: the text is out, a retry would repeat it
            log.warning("digest for %s: the text was posted but the charts could not be uploaded", person.id,
                        exc_info=True)

    async def _teams(self, teams, person, digest) -> bool:
        """False when the bot never talked with the person (no conversation reference)."""
        if await asyncio.to_thread(self.store.load_conversation_ref, "teams", person.id) is None:
            return False
        charts = await asyncio.to_thread(render_charts, digest, self.links is None)
        if self.links is not None:
            images = {c.name: await asyncio.to_thread(self.links.publish, c.filename(digest), c.png) for c in charts}
            messages = [render_cards(digest, images)]
        else:
            messages = inline_messages(digest, charts)
        for cards in messages:
            if not await teams.send_proactive(person.id, cards):
                return False
        return True


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def inline_messages(digest, charts: list[Chart]) -> list[list]:
    """Teams without a public URL: the charts travel inside the card as data: URIs. One card when it stays under
    the card size limit; else the text first and each chart in a card of its own (a too-large card is cut)."""
    together = render_cards(digest, {c.name: data_uri(c.png) for c in charts})
    if len(json.dumps(render_adaptive_card(together), ensure_ascii=False).encode()) <= MAX_BYTES:
        return [together]
    out = [render_cards(digest)]
    for chart in charts:
        from cards.model import Card, Image

        out.append([Card([Image(alt=chart.alt, url=data_uri(chart.png))], fallback=chart.title)])
    return out


# ---- the weekly job ------------------------------------------------------------------------------------------------
def make_builder(app) -> DigestBuilder:
    handler = getattr(app.router, "openings", None)
    return DigestBuilder(app.store, app.taxonomy, app.settings.daily_token_budget,
                         openings=getattr(handler, "openings", None), matching=getattr(app, "matching", None))


def local_now(timezone: str) -> datetime:
    return datetime.now(ZoneInfo(timezone))


class DigestJob:
    """The weekly run (and its retry run) as the scheduler and `digest send` call it: `work(renew)` runs on a
    worker thread; each delivery runs on `loop` (the server's event loop, or one this job starts)."""

    def __init__(self, app, sender: DigestSender, timezone: str = "Asia/Seoul", loop=None, holder: str = "",
                 progress=None, claim_ttl: float = CLAIM_TTL_S, pacing: float = PACING,
                 switch_interval: float = RUN_SWITCH_INTERVAL_S):
        self.app = app
        self.switch_interval = switch_interval
        self.pacing = pacing
        self.claim_ttl = claim_ttl
        self.sender = sender
        self.timezone = timezone
        self.loop = loop
        self.holder = holder or instance_name()
        self.progress = progress
        self.reports: list[RunReport] = []

    def _deliver(self, person, digest) -> str:
        loop = self.loop
        if loop is None:
            return asyncio.run(self.sender.deliver(person, digest))
        return asyncio.run_coroutine_threadsafe(self.sender.deliver(person, digest), loop).result(DELIVERY_TIMEOUT_S)

    def run(self, renew=lambda: True, retry_only: bool = False) -> RunReport:
        """The weekly run: everyone not sent yet this week. The retry run (`retry_only`): when this week's run
        finished, only the people whose delivery failed or whose claim expired; when it did not finish (its
        instance stopped in the middle), everyone not sent yet — once that catch-up finishes it is recorded, and
        later retry runs go back to the failures only. Before this week's run nothing is retried."""
        store = self.app.store
        now = local_now(self.timezone)
        week = week_start(now)
        only = None
        if retry_only:
            state = self.week_state(now)
            if state == "not run":
                report = RunReport(week)
                self.reports.append(report)
                return report
            only = retry_set(store, now) if state == "finished" else None
        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, self.switch_interval))
        try:
            report = run_weekly(store, make_builder(self.app), self._deliver, now=now, renew=renew,
                                holder=self.holder, only=only, progress=self.progress, claim_ttl=self.claim_ttl,
                                breathe=self._breathe if self.pacing > 0 else None)
        finally:
            sys.setswitchinterval(switch)
        if only is None and not report.stopped:
            # this week's full run finished (here, or as the catch-up of one that stopped): retries are failures only
            slot = f"finished-{week}"
            if store.claim_schedule_slot(DIGEST_JOB, slot, self.holder):
                store.finish_schedule_slot(DIGEST_JOB, slot, self.holder, "done")
        self.reports.append(report)
        log.info("%s: %s", DIGEST_RETRY_JOB if retry_only else DIGEST_JOB, report.summary())
        return report

    def _breathe(self, spent: float) -> None:
        time.sleep(spent * self.pacing)

    def week_state(self, now: datetime) -> str:
        """"finished" (a full run of this week ended), "stopped" (one started and did not end) or "not run"."""
        week = week_start(now)
        monday = datetime.fromisoformat(week).replace(tzinfo=now.tzinfo).timestamp()
        runs = [r for r in self.app.store.schedule_runs(DIGEST_JOB, limit=50) if r["started_at"] >= monday]
        if any(r["slot"] == f"finished-{week}" for r in runs):
            return "finished"
        return "stopped" if runs else "not run"


class LoopThread:
    """An event loop on a thread of its own, for delivering from synchronous code (the CLI)."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="digest-delivery", daemon=True)
        self.thread.start()

    def run(self, coro, timeout: float | None = None):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
