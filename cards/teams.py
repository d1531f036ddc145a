"""Adaptive Card 1.5 rendering of neutral cards, for Microsoft Teams.

All cards of a reply become ONE Adaptive Card:

* Header  -> TextBlock, size Large, weight Bolder, style heading (for screen readers);
* Text    -> one TextBlock per line (wrap). Teams ignores a single "\\n" in TextBlock markdown and renders "\\n\\n"
             differently per client, so lines are separate blocks with spacing "none". **bold** is native;
* Context -> TextBlock(s), isSubtle, size Small;
* Fields  -> FactSet;
* Divider -> `separator: true` on the next element (and between cards);
* Actions -> ActionSet(s) of `Action.Execute` (at most 6 per set, what Teams shows), with `verb` = the neutral
             action_id ("details", "shortlist", "next_page", …) and `data` = {"action_id": …, "value": …};
             style primary/danger -> positive/destructive.

A press reaches the bot as an `invoke` named `adaptiveCard/action` (`value.action.verb` / `value.action.data`); answer
it with :func:`invoke_response` to replace the card in place. Verbs need no numbering: unlike Slack, nothing requires
them to be unique within a card.

Teams rejects messages that are too large (documented as 40 KB, recently raised to 100 KB). A card whose JSON is larger
than `max_bytes` is cut at a divider, ends with "… more results hidden; use Next page" and keeps the next_page
buttons, as the Slack renderer does for its 50-block limit.
"""
from __future__ import annotations

import json
import re

from cards.model import Actions, Button, Card, Context, Divider, Fields, Header, Image, Input, Text

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
ACTIONS_PER_SET = 6
MAX_BYTES = 40_000
NEXT_PAGE = "next_page"
MORE_HIDDEN = "… more results hidden; use Next page"
MORE_HIDDEN_NO_NEXT = "… more results hidden"
STYLES = {"primary": "positive", "danger": "destructive"}

_BOLD = re.compile(r"\*\*(.+?)\*\*")
# Markdown a TextBlock (or a FactSet) would turn into a link or an image: "[label](url)", "![alt](url)", "<scheme:…>".
# Our own cards never make links, so in any text that carries a request, a resume or a profile they are broken with
# an invisible zero-width space, as the Slack renderer escapes "<" so user text never forms a link.
_LINK = re.compile(r"\](\s*)\(")
_AUTOLINK = re.compile(r"<(?=[A-Za-z][A-Za-z0-9+.\-]*:)")
_ZWSP = "\u200b"


def escape(text: str) -> str:
    """Text as it reads, never as a link: what every TextBlock and fact carries."""
    return _AUTOLINK.sub("<" + _ZWSP, _LINK.sub("]" + _ZWSP + r"\1(", text))


def plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


def _lines(text: str, **props) -> list[dict]:
    """One TextBlock per non-empty line; a blank line becomes extra spacing before the next one."""
    out: list[dict] = []
    gap = False
    for line in text.split("\n"):
        if not line.strip():
            gap = bool(out)
            continue
        block = {"type": "TextBlock", "text": escape(line), "wrap": True, **props}
        if out:
            block["spacing"] = "medium" if gap else "none"
        out.append(block)
        gap = False
    return out


def _action(button: Button) -> dict:
    action = {"type": "Action.Execute", "title": plain(button.label).strip() or button.action_id,
              "verb": button.action_id, "data": {"action_id": button.action_id, "value": button.value}}
    if button.style in STYLES:
        action["style"] = STYLES[button.style]
    return action


def _elements(block) -> list[dict]:
    if isinstance(block, Header):
        text = escape(plain(block.text).replace("\n", " ").strip())
        return [{"type": "TextBlock", "text": text, "wrap": True, "size": "Large", "weight": "Bolder",
                 "style": "heading"}] if text else []
    if isinstance(block, Text):
        return _lines(block.text)
    if isinstance(block, Context):
        return _lines(block.text, isSubtle=True, size="Small")
    if isinstance(block, Fields):
        facts = [{"title": escape(plain(label).strip()), "value": escape(value.strip())} for label, value in block.pairs
                 if label.strip() or value.strip()]
        return [{"type": "FactSet", "facts": facts}] if facts else []
    if isinstance(block, Actions):
        actions = [_action(b) for b in block.buttons]
        return [{"type": "ActionSet", "actions": actions[i:i + ACTIONS_PER_SET]}
                for i in range(0, len(actions), ACTIONS_PER_SET)]
    if isinstance(block, Input):
        # Action.Execute sends every input's value in its data, keyed by the input id (Request.form).
        if block.options:
            return [{"type": "Input.ChoiceSet", "id": block.id, "label": plain(block.label), "value": block.value,
                     "choices": [{"title": text, "value": value} for value, text in block.options]}]
        element = {"type": "Input.Text", "id": block.id, "label": plain(block.label), "value": block.value,
                   "isMultiline": block.multiline}
        if block.placeholder:
            element["placeholder"] = block.placeholder
        return [element]
    if isinstance(block, Divider):
        return []
    if isinstance(block, Image):
        # Adaptive Cards 1.2+ take a data: URI as an Image url, so a chart travels inside the card.
        if not block.url:
            return _lines(plain(block.alt), isSubtle=True, size="Small")
        return [{"type": "Image", "url": block.url, "altText": plain(block.alt)[:1000]}]
    raise TypeError(f"unknown card block: {block!r}")


class _Group:
    """The elements one neutral block became, and whether a separator (divider) precedes them."""

    def __init__(self, elements: list[dict], separated: bool, next_page: bool):
        self.elements = elements
        self.separated = separated
        self.next_page = next_page

    def render(self) -> list[dict]:
        if not self.separated:
            return self.elements
        first = {**self.elements[0], "separator": True}
        first.setdefault("spacing", "medium")
        if first["spacing"] == "none":
            first["spacing"] = "medium"
        return [first, *self.elements[1:]]


def _groups(cards: list[Card]) -> list[_Group]:
    groups: list[_Group] = []
    separate = False
    for number, card in enumerate(cards):
        separate = separate or (number > 0 and bool(groups))
        for block in card.blocks:
            if isinstance(block, Divider):
                separate = bool(groups)
                continue
            elements = _elements(block)
            if not elements:
                continue
            next_page = isinstance(block, Actions) and any(b.action_id == NEXT_PAGE for b in block.buttons)
            groups.append(_Group(elements, separate, next_page))
            separate = False
    return groups


def _fallback(cards: list[Card]) -> str:
    return "\n".join(c.fallback.strip() for c in cards if c.fallback and c.fallback.strip())


def _card(groups: list[_Group], fallback: str) -> dict:
    card = {"$schema": SCHEMA, "type": "AdaptiveCard", "version": VERSION,
            "body": [e for g in groups for e in g.render()]}
    if fallback:
        card["fallbackText"] = fallback
    return card


def _size(card: dict) -> int:
    return len(json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def render_adaptive_card(cards: list[Card], max_bytes: int = MAX_BYTES, more_hidden: str | None = None) -> dict:
    """One Adaptive Card 1.5 (a dict) showing all the cards."""
    groups = _groups(cards)
    fallback = _fallback(cards)
    card = _card(groups, fallback)
    if _size(card) <= max_bytes or len(groups) < 2:
        return card
    tail_index = next((i for i in range(len(groups) - 1, -1, -1) if groups[i].next_page), None)
    tail = [groups[tail_index]] if tail_index is not None else []
    head = [g for i, g in enumerate(groups) if i != tail_index]
    text = more_hidden if more_hidden is not None else (MORE_HIDDEN if tail else MORE_HIDDEN_NO_NEXT)
    notice = _Group(_lines(text, isSubtle=True, size="Small"), True, False)
    while len(head) > 1:
        # drop whole items: everything from the last divider on, or at least the last group
        last_divider = max((i for i, g in enumerate(head) if g.separated), default=0)
        head = head[:last_divider] if last_divider > 0 else head[:-1]
        card = _card(head + [notice] + tail, fallback)
        if _size(card) <= max_bytes:
            break
    return card


def render_attachment(cards: list[Card], **kwargs) -> dict:
    """A Bot Framework attachment for `MessageFactory.attachment(...)` / `activity.attachments`."""
    return {"contentType": CONTENT_TYPE, "content": render_adaptive_card(cards, **kwargs)}


def invoke_response(cards: list[Card], **kwargs) -> dict:
    """The body answering an `adaptiveCard/action` invoke (Action.Execute): replaces the card in place."""
    return {"statusCode": 200, "type": CONTENT_TYPE, "value": render_adaptive_card(cards, **kwargs)}
