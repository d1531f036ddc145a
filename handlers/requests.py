"""What reaches a handler and what comes back, independent of Slack, Teams or the terminal."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from cards.model import Card
from core.domain import Employee


@dataclass(frozen=True)
class Request:
    actor: Employee | None        # None when the platform user is not in the directory
    platform: str                 # "slack", "teams", "local", "cli"
    text: str = ""
    lang: str | None = None       # decided once per request (Router.handle); None: from the text, card or state
    action_id: str | None = None  # set when a button was pressed
    action_value: str = ""
    platform_user: str = ""       # the chat user id, for messages about unknown users
    page_cap: int | None = None   # most candidates one card of this platform can carry
    private: bool = True          # False in a channel or group chat, where profiles must not be shown
    form: dict = field(default_factory=dict)   # values of the card's input fields, sent with a button press
    upload: "Upload | None" = None              # a file the user sent (a resume)


_VALUE_LANGUAGE = re.compile(r"\|(ko|en)(?:\||$)")


def value_language(action_value: str) -> str | None:
    """The language of the card a button was on, when its value carries one ("jd-1a2b:3|ko", "E0001|ko|…")."""
    found = _VALUE_LANGUAGE.search(action_value or "")
    return found.group(1) if found else None


@dataclass(frozen=True)
class Upload:
    """A file that arrived in a conversation, already downloaded by the platform adapter (or the error why not)."""

    filename: str
    data: bytes = b""
    error: str = ""          # e.g. too large to download; the handler turns it into a message


@dataclass
class Reply:
    cards: list[Card] = field(default_factory=list)
    lang: str = "en"
    replace_original: bool = False   # a button press updates the card it came from
    ephemeral: bool = False          # shown to the asker only
    # Later versions of the same message (streamed text, sections as they complete): the adapter posts `cards`
    # first, then updates that message with each item; the last item is the final answer. None means "nothing new
    # yet": the adapter waits a moment and asks again, so a job watcher never holds a handler thread for minutes (a
    # streamed answer does hold one between chunks, which is why the server runs more handler threads with Gemini).
    updates: Iterator[list[Card] | None] | None = None
    # Cards for other people (employee id, cards), e.g. a JD waiting for HR approval: sent by direct message.
    notify: list[tuple[str, list[Card]]] = field(default_factory=list)
    # Cards that several people hold copies of (an approval card): `shared_key` names them, so the adapter records
    # where every copy went (the notified ones and this reply's own message); `refresh` (key, cards) later replaces
    # every recorded copy, so a decision shows on everyone's card.
    shared_key: str = ""
    refresh: tuple[str, list[Card]] | None = None
    # A form to fill in before anything happens (the card's inputs plus one primary submit button): Slack shows it as
    # a modal when the request came with a trigger (a slash command); elsewhere it is an ordinary card.
    modal: bool = False

    @property
    def text(self) -> str:
        return " ".join(c.fallback for c in self.cards if c.fallback)
