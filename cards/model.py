"""A small platform-neutral card model. Handlers decide what goes on a card; renderers turn it into Block Kit,
Adaptive Cards or plain text. Text supports **bold** and line breaks only, which every platform can show."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Header:
    text: str


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Fields:
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Context:
    text: str


@dataclass(frozen=True)
class Divider:
    pass


@dataclass(frozen=True)
class Confirm:
    """A dialog the platform shows before it sends the press (Slack's `confirm`). Platforms without dialogs (Teams,
    the terminal) show none, so a destructive action is also confirmed by the handler in a second step."""
    title: str
    text: str
    confirm: str
    deny: str


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str       # what to do: "details", "next_page", "shortlist", ...
    value: str           # opaque data the handler gave it
    style: str | None = None   # "primary" / "danger" / None
    confirm: Confirm | None = None


@dataclass(frozen=True)
class Actions:
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Input:
    """A field the user fills in on the card; its value arrives with the next button press (`Request.form[id]`).
    With options it is a choice (value = the chosen option's value)."""

    id: str
    label: str
    value: str = ""
    multiline: bool = False
    options: tuple[tuple[str, str], ...] = ()   # (value, label)
    placeholder: str = ""


@dataclass(frozen=True)
class Image:
    """A picture (a chart). `url` is https:// (every platform) or a data: URI (Teams shows it inline; Slack needs a
    public URL, so it shows `alt` instead); `path` is the same picture as a local file, for the terminal chat."""

    alt: str
    url: str = ""
    path: str = ""


Block = Union[Header, Text, Fields, Context, Divider, Actions, Input, Image]


@dataclass
class Card:
    blocks: list[Block] = field(default_factory=list)
    fallback: str = ""   # one-line summary for notifications and screen readers

    def add(self, *blocks: Block) -> "Card":
        self.blocks.extend(blocks)
        return self

    @property
    def inputs(self) -> list[Input]:
        return [b for b in self.blocks if isinstance(b, Input)]

    @property
    def buttons(self) -> list[Button]:
        return [b for block in self.blocks if isinstance(block, Actions) for b in block.buttons]
