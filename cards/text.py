"""Plain-text rendering for the local chat and the CLI: buttons become numbered choices."""
from __future__ import annotations

import re
import textwrap

from cards.model import Actions, Button, Card, Context, Divider, Fields, Header, Image, Input, Text

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


def render_text(cards: list[Card], width: int = 100, first_number: int = 1) -> tuple[str, list[Button]]:
    """Returns the text and the buttons in the order of their numbers."""
    out: list[str] = []
    buttons: list[Button] = []
    for card in cards:
        for block in card.blocks:
            if isinstance(block, Header):
                out.append("")
                out.append(_plain(block.text).upper() if block.text.isascii() else _plain(block.text))
                out.append("=" * min(width, max(8, len(block.text) * (1 if block.text.isascii() else 2))))
            elif isinstance(block, Text):
                for para in _plain(block.text).splitlines():
                    wrapped = textwrap.wrap(para, width=width, subsequent_indent="    ") or [""]
                    out.extend(wrapped)
            elif isinstance(block, Fields):
                for label, value in block.pairs:
                    out.append(f"  {_plain(label)}: {_plain(value)}")
            elif isinstance(block, Context):
                out.append("  " + _plain(block.text))
            elif isinstance(block, Input):
                shown = dict(block.options).get(block.value, block.value) if block.options else block.value
                out.append(f"  ✎ {_plain(block.label)}: " + ((shown or "—").replace("\n", "\n      ")))
            elif isinstance(block, Divider):
                out.append("-" * min(width, 60))
            elif isinstance(block, Image):
                out.append(f"  [image] {_plain(block.alt)}" + (f": {block.path}" if block.path else ""))
            elif isinstance(block, Actions):
                labels = []
                for button in block.buttons:
                    buttons.append(button)
                    labels.append(f"[{first_number + len(buttons) - 1}] {button.label}")
                out.append("  " + "  ".join(labels))
    return "\n".join(out).strip("\n"), buttons
