"""What the Slack listeners need from the rest of the product."""
from __future__ import annotations

from dataclasses import dataclass

from handlers.identity import IdentityResolver
from handlers.router import Router


@dataclass
class SlackContext:
    router: Router
    identity: IdentityResolver
    notifier: object | None = None     # bot.background.Notifier: cards for other people (reply.notify)
