"""What the Slack listeners need from the rest of the product."""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.replies import SideEffects
from handlers.identity import IdentityResolver
from handlers.router import Router


@dataclass
class SlackContext:
    router: Router
    identity: IdentityResolver
    side_effects: SideEffects = field(default_factory=SideEffects)   # cards for other people (reply.notify, ...)
    deadline_s: float | None = None      # every request is answered within this many seconds of its arrival
    response_hosts: frozenset[str] = frozenset({"hooks.slack.com"})   # where a payload's response_url may point
    response_session: object | None = None   # aiohttp session for response_url posts, kept open while serving

