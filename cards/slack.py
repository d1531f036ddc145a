"""Block Kit rendering of neutral cards, built with `slack_sdk.models.blocks` so Slack's limits are checked at build time.

Every block is serialised with `.to_dict()` as soon as it is built, so anything Slack would reject raises
`SlackObjectFormationError` here instead of failing later in `chat.postMessage`. The renderer fits content into the limits
instead of raising:

* header text: at most 150 characters, cut with "…";
* section text: at most 3000 characters, split into several sections at line boundaries (a single longer line is split
  at a space, and **bold** is closed and reopened across the cut); context text gets the same treatment;
* fields: at most 10 per section (more go into further sections), each at most 2000 characters;
* button text: at most 75 characters; button value: at most 2000 (longer values are cut and a warning is logged, as
  values are opaque handler data and should never get near this);
* a button's confirm dialog (a destructive action): title 100, text 300, confirm and deny 30 characters;
* actions: at most 25 buttons per actions block (more go into further blocks); style is kept only if it is
  "primary" or "danger";
* at most 50 blocks per message: the rest is cut at a divider, a context block says "… more results hidden; use Next
  page", and the last actions block holding a `next_page` button is kept at the end.

Text is Slack mrkdwn: `**bold**` becomes `*bold*` and `&`, `<`, `>` are escaped as `&amp;`, `&lt;`, `&gt;`, so user
text can never form links, mentions or `<!channel>`. Plain-text objects (header, button labels) are not escaped:
Slack shows plain_text verbatim.

Action ids
----------
Slack wants every action_id in a message to be unique, while the neutral model reuses one name per kind of button
("details" on every candidate). Each button therefore gets ``f"{button.action_id}:{n}"``, where n counts the
buttons of the message from 1: ``details:1``, ``shortlist:2``, ``details:3``, …, ``next_page:11``. The Slack adapter
registers one listener per neutral name with a regex such as::

    @app.action(re.compile(r"^(details|shortlist|next_page)(:.*)?$"))

and turns the id back into the neutral name with :func:`action_name` (``action_name("shortlist:2") == "shortlist"``).
The button *value* is passed through unchanged; it is what tells the handler which candidate was meant.
"""
from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass

from slack_sdk.models.blocks import (ActionsBlock, Block as SlackBlock, ButtonElement, ConfirmObject, ContextBlock,
                                     DividerBlock, HeaderBlock, ImageBlock, InputBlock, MarkdownTextObject, Option,
                                     PlainTextInputElement, PlainTextObject, SectionBlock, StaticSelectElement)

from cards.model import Actions, Button, Card, Context, Divider, Fields, Header, Image, Input, Text

log = logging.getLogger(__name__)

MAX_BLOCKS = 50
HEADER_MAX = 150
SECTION_TEXT_MAX = 3000
CONTEXT_TEXT_MAX = 3000
FIELD_TEXT_MAX = 2000
FIELDS_PER_SECTION = 10
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
BUTTONS_PER_ACTIONS = 25
ACTION_ID_MAX = 255
FALLBACK_MAX = 3000
IMAGE_ALT_MAX = 2000
BUTTON_STYLES = ("primary", "danger")
CONFIRM_TITLE_MAX = 100
CONFIRM_TEXT_MAX = 300
CONFIRM_BUTTON_MAX = 30
NEXT_PAGE = "next_page"
MORE_HIDDEN = "… more results hidden; use Next page"
MORE_HIDDEN_NO_NEXT = "… more results hidden"

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_NUMBERED_ID = re.compile(r"^(?P<name>.+):(?P<n>\d+)$")


# ---- action ids ---------------------------------------------------------------------------------------------------
def action_name(action_id: str) -> str:
    """The neutral action name of a Slack action_id made by this module: "details:3" -> "details".
    Ids without the numeric suffix are returned unchanged."""
    m = _NUMBERED_ID.match(action_id or "")
    return m.group("name") if m else (action_id or "")


def _action_id(name: str, n: int) -> str:
    action_id = f"{name}:{n}"
    if len(action_id) > ACTION_ID_MAX:
        raise ValueError(f"neutral action_id too long for Slack ({len(name)} chars): {name[:40]}…")
    return action_id


# ---- text -----------------------------------------------------------------------------------------------------------
def escape(text: str) -> str:
    """Escape Slack's three control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    """Neutral text (**bold**, line breaks) -> Slack mrkdwn."""
    return _BOLD.sub(r"*\1*", escape(text))


def plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


def truncate(text: str, limit: int) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[:limit - 1].rstrip() + "…"


def _balanced(raw: str) -> str:
    """Close a **bold** left open by a cut."""
    return raw + "**" if raw.count("**") % 2 else raw


def _longest_prefix(raw: str, limit: int, suffix: str = "") -> int:
    """A long prefix length n such that the mrkdwn of raw[:n] (+ suffix), bold closed, fits in limit. At least 1."""
    n = min(len(raw), limit)
    while n > 1:
        over = len(to_mrkdwn(_balanced(raw[:n]) + suffix)) - limit
        if over <= 0:
            break
        n -= max(1, math.ceil(over / 5))   # one raw character renders as at most 5 ("&amp;")
    if n > 1 and raw[n - 1] == "*" and n < len(raw) and raw[n] == "*":
        n -= 1                              # never cut between the two stars of a bold marker
    return max(1, n)


def fit_mrkdwn(raw: str, limit: int) -> str:
    """The mrkdwn of raw, cut with "…" if it is longer than limit."""
    rendered = to_mrkdwn(raw)
    if len(rendered) <= limit:
        return rendered
    n = _longest_prefix(raw, limit, "…")
    return to_mrkdwn(_balanced(raw[:n].rstrip()) + "…")


def _split_line(line: str, limit: int) -> list[str]:
    """Raw pieces of one over-long line, each rendering within limit; cut at a space where possible."""
    pieces: list[str] = []
    rest = line
    while rest and len(to_mrkdwn(rest)) > limit:
        n = _longest_prefix(rest, limit)
        line_rest = rest
        space = max(rest.rfind(" ", 0, n), rest.rfind("\t", 0, n))
        cut = space if space > n // 2 else n
        piece, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if piece.count("**") % 2:           # bold open across the cut: close it here, reopen in the next piece
            if piece.endswith("**"):        # the cut fell right after an opening marker: move it over instead
                piece, rest = piece[:-2].rstrip(), "**" + rest
            else:
                piece, rest = piece + "**", "**" + rest
        if not piece:                       # no progress (only with absurdly small limits): hard cut
            piece, rest = line_rest[:n], line_rest[n:]
        pieces.append(piece)
    if rest:
        pieces.append(rest)
    return pieces


def split_mrkdwn(raw: str, limit: int) -> list[str]:
    """The mrkdwn of raw as chunks of at most limit characters, cut at line boundaries."""
    lines: list[str] = []
    for line in raw.split("\n"):
        lines.extend(_split_line(line, limit) if len(to_mrkdwn(line)) > limit else [line])
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        rendered = to_mrkdwn(line)      # bold never spans lines, so rendering line by line is the same
        if len(rendered) > limit:       # safety net; _split_line should have made every piece fit
            rendered = fit_mrkdwn(line, limit)
        extra = len(rendered) + (1 if current else 0)
        if current and size + extra > limit:
            chunks.append("\n".join(current))
            current, size = [], 0
            extra = len(rendered)
        current.append(rendered)
        size += extra
    if current:
        chunks.append("\n".join(current))
    return [c for c in chunks if c.strip()]


# ---- blocks -------------------------------------------------------------------------------------------------------
@dataclass
class _Built:
    block: dict
    boundary: bool = False     # a divider: a good place to cut
    next_page: bool = False    # an actions block with a next_page button


def _confirm(confirm, style: str | None) -> ConfirmObject | None:
    """Slack's confirm dialog: title ≤ 100, text ≤ 300, buttons ≤ 30 characters."""
    if confirm is None:
        return None
    return ConfirmObject(title=PlainTextObject(text=truncate(plain(confirm.title), CONFIRM_TITLE_MAX)),
                         text=MarkdownTextObject(text=fit_mrkdwn(confirm.text, CONFIRM_TEXT_MAX)),
                         confirm=PlainTextObject(text=truncate(plain(confirm.confirm), CONFIRM_BUTTON_MAX)),
                         deny=PlainTextObject(text=truncate(plain(confirm.deny), CONFIRM_BUTTON_MAX)),
                         style="danger" if style == "danger" else "primary")


def _built(block: SlackBlock, **flags) -> _Built:
    return _Built(block.to_dict(), **flags)   # to_dict() runs slack_sdk's validators


class _Renderer:
    def __init__(self) -> None:
        self.buttons = 0

    def button(self, button: Button) -> ButtonElement:
        self.buttons += 1
        name = button.action_id
        label = truncate(plain(button.label), BUTTON_TEXT_MAX) or truncate(name, BUTTON_TEXT_MAX)
        value = button.value or None
        if value is not None and len(value) > BUTTON_VALUE_MAX:
            log.warning("button value cut to %s chars for Slack (action %s)", BUTTON_VALUE_MAX, name)
            value = value[:BUTTON_VALUE_MAX]
        style = button.style if button.style in BUTTON_STYLES else None
        return ButtonElement(text=PlainTextObject(text=label, emoji=True), action_id=_action_id(name, self.buttons),
                             value=value, style=style, confirm=_confirm(button.confirm, style))

    def block(self, block) -> list[_Built]:
        if isinstance(block, Header):
            text = truncate(plain(block.text).replace("\n", " "), HEADER_MAX)
            return [_built(HeaderBlock(text=PlainTextObject(text=text, emoji=True)))] if text else []
        if isinstance(block, Text):
            return [_built(SectionBlock(text=MarkdownTextObject(text=chunk)))
                    for chunk in split_mrkdwn(block.text, SECTION_TEXT_MAX)]
        if isinstance(block, Fields):
            fields = []
            for label, value in block.pairs:
                label, value = plain(label).strip(), value.strip()
                raw = f"**{label}**\n{value}" if label else value
                if raw:
                    fields.append(MarkdownTextObject(text=fit_mrkdwn(raw, FIELD_TEXT_MAX)))
            return [_built(SectionBlock(fields=fields[i:i + FIELDS_PER_SECTION]))
                    for i in range(0, len(fields), FIELDS_PER_SECTION)]
        if isinstance(block, Context):
            return [_built(ContextBlock(elements=[MarkdownTextObject(text=chunk)]))
                    for chunk in split_mrkdwn(block.text, CONTEXT_TEXT_MAX)]
        if isinstance(block, Divider):
            return [_built(DividerBlock(), boundary=True)]
        if isinstance(block, Image):
            # An image block needs a public https URL (Slack fetches it); a data: URI is not accepted, so the
            # picture's description stands in for it.
            alt = truncate(plain(block.alt), IMAGE_ALT_MAX) or "image"
            if block.url.startswith("https://"):
                return [_built(ImageBlock(image_url=block.url, alt_text=alt))]
            return [_built(ContextBlock(elements=[MarkdownTextObject(text=fit_mrkdwn(alt, CONTEXT_TEXT_MAX))]))]
        if isinstance(block, Input):
            return [_built(input_block(block))]
        if isinstance(block, Actions):
            out = []
            for i in range(0, len(block.buttons), BUTTONS_PER_ACTIONS):
                group = block.buttons[i:i + BUTTONS_PER_ACTIONS]
                elements = [self.button(b) for b in group]
                out.append(_built(ActionsBlock(elements=elements),
                                  next_page=any(b.action_id == NEXT_PAGE for b in group)))
            return out
        raise TypeError(f"unknown card block: {block!r}")


INPUT_LABEL_MAX = 2000
INPUT_VALUE_MAX = 3000
OPTIONS_MAX = 100


def input_block(field: Input) -> InputBlock:
    """A message input block: its value comes back in the `state.values` of the next button press (form_values)."""
    label = PlainTextObject(text=truncate(plain(field.label), INPUT_LABEL_MAX) or field.id, emoji=True)
    if field.options:
        options = [Option(value=value[:150], text=PlainTextObject(text=truncate(text, 75) or value, emoji=True))
                   for value, text in field.options[:OPTIONS_MAX]]
        initial = next((o for o in options if o.value == field.value), None)
        element = StaticSelectElement(action_id=field.id, options=options, initial_option=initial)
    else:
        element = PlainTextInputElement(action_id=field.id, multiline=field.multiline,
                                        initial_value=field.value[:INPUT_VALUE_MAX] or None,
                                        placeholder=truncate(field.placeholder, 150) or None)
    return InputBlock(block_id=field.id, label=label, element=element, optional=True)


def form_values(state: dict | None) -> dict[str, str]:
    """The values of a message's input blocks from a block_actions payload's `state`."""
    out: dict[str, str] = {}
    for block_id, actions in ((state or {}).get("values") or {}).items():
        for action_id, data in (actions or {}).items():
            if data.get("type") == "static_select":
                out[action_id] = ((data.get("selected_option") or {}).get("value")) or ""
            else:
                out[action_id] = data.get("value") or ""
    return out


def _cut(built: list[_Built], more_hidden: str | None) -> list[_Built]:
    """At most MAX_BLOCKS blocks: cut at a divider, say so, keep the next_page buttons at the end."""
    if len(built) <= MAX_BLOCKS:
        return built
    tail_index = next((i for i in range(len(built) - 1, -1, -1) if built[i].next_page), None)
    tail = [built[tail_index]] if tail_index is not None else []
    body = [b for i, b in enumerate(built) if i != tail_index]
    text = more_hidden if more_hidden is not None else (MORE_HIDDEN if tail else MORE_HIDDEN_NO_NEXT)
    budget = MAX_BLOCKS - 1 - len(tail)
    head = body[:budget]
    if len(body) > budget and not body[budget].boundary:
        # the cut falls inside an item (e.g. between a candidate's text and its buttons): go back to its divider
        last_divider = max((i for i, b in enumerate(head) if b.boundary), default=0)
        if last_divider > budget // 2:
            head = head[:last_divider]
    while head and head[-1].boundary:
        head.pop()
    notice = _built(ContextBlock(elements=[MarkdownTextObject(text=fit_mrkdwn(text, CONTEXT_TEXT_MAX))]))
    return head + [notice] + tail


def render_blocks(cards: list[Card], more_hidden: str | None = None) -> list[dict]:
    """Block Kit blocks (dicts) for the cards, at most 50, each within Slack's limits.
    more_hidden replaces the English notice shown when blocks had to be cut."""
    renderer = _Renderer()
    built: list[_Built] = []
    for number, card in enumerate(cards):
        if number and built and not built[-1].boundary:
            built.append(_built(DividerBlock(), boundary=True))
        for block in card.blocks:
            built.extend(renderer.block(block))
    return [b.block for b in _cut(built, more_hidden)]


def _fallback_raw(cards: list[Card]) -> str:
    parts = [c.fallback.strip() for c in cards if c.fallback and c.fallback.strip()]
    if parts:
        return "\n".join(parts)
    for card in cards:
        for block in card.blocks:
            if isinstance(block, (Header, Text, Context)) and block.text.strip():
                return block.text.strip().split("\n")[0]
    return " "


def render_message(cards: list[Card], more_hidden: str | None = None) -> dict:
    """{"text": fallback, "blocks": [...]} for chat.postMessage / chat.update / response_url.
    text is what notifications and screen readers use; it is mrkdwn like the blocks."""
    return {"text": fit_mrkdwn(_fallback_raw(cards), FALLBACK_MAX), "blocks": render_blocks(cards, more_hidden)}


MODAL_TITLE_MAX = 24
MODAL_BLOCKS_MAX = 100
MODAL_CALLBACK = "card_form"


def render_modal(card: Card, metadata: str) -> dict:
    """A form card (its inputs and one primary submit button) as a modal view for views.open. The submit button
    becomes the modal's Submit; `metadata` (the button's action and value, as the adapter encodes them) comes back
    in the view_submission's private_metadata, the input values in its state."""
    submit = next((b for b in card.buttons if b.style == "primary"), None)
    title = next((b.text for b in card.blocks if isinstance(b, Header)), card.fallback) or "Internal Hire"
    content = Card([b for b in card.blocks if not isinstance(b, (Actions, Header))], fallback=card.fallback)
    view = {"type": "modal", "callback_id": MODAL_CALLBACK,
            "title": {"type": "plain_text", "text": truncate(plain(title), MODAL_TITLE_MAX)},
            "close": {"type": "plain_text", "text": "Cancel" if title.isascii() else "취소"},
            "private_metadata": metadata[:3000],
            "blocks": render_blocks([content])[:MODAL_BLOCKS_MAX]}
    if submit is not None:
        view["submit"] = {"type": "plain_text", "text": truncate(plain(submit.label), MODAL_TITLE_MAX)}
    return view
