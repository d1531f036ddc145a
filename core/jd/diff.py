"""Section-level diffs between two drafts (difflib), shared by "rewrite this section" and "update a past posting"."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from core.jd.model import LIST_SECTIONS, SECTIONS, JdDraft


@dataclass(frozen=True)
class DiffLine:
    op: str          # "+" added, "-" removed, " " unchanged
    text: str


@dataclass(frozen=True)
class SectionDiff:
    section: str
    lines: tuple[DiffLine, ...]

    @property
    def changed(self) -> bool:
        return any(line.op != " " for line in self.lines)

    @property
    def added(self) -> list[str]:
        return [line.text for line in self.lines if line.op == "+"]

    @property
    def removed(self) -> list[str]:
        return [line.text for line in self.lines if line.op == "-"]

    def to_dict(self) -> dict:
        return {"section": self.section, "lines": [[line.op, line.text] for line in self.lines]}


def section_lines(draft: JdDraft, section: str) -> list[str]:
    """A section as the lines a diff compares: list items, or the sentences of prose."""
    value = getattr(draft, section)
    if section in LIST_SECTIONS:
        return [str(v) for v in value]
    return [s for s in re.split(r"(?<=[.!?。])\s+|\n+", value or "") if s.strip()]


def diff_lines(before: list[str], after: list[str]) -> tuple[DiffLine, ...]:
    out: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(DiffLine(" ", line) for line in before[i1:i2])
            continue
        out.extend(DiffLine("-", line) for line in before[i1:i2])
        out.extend(DiffLine("+", line) for line in after[j1:j2])
    return tuple(out)


def diff_sections(before: JdDraft, after: JdDraft, sections: tuple[str, ...] = SECTIONS,
                  changed_only: bool = True) -> list[SectionDiff]:
    diffs = [SectionDiff(s, diff_lines(section_lines(before, s), section_lines(after, s))) for s in sections]
    return [d for d in diffs if d.changed] if changed_only else diffs


def render_diff(diffs: list[SectionDiff], headings: dict[str, str] | None = None, context: bool = False) -> str:
    """Plain text for a card or a terminal: "+ added" / "- removed" lines under each changed section."""
    parts = []
    for diff in diffs:
        lines = [f"{line.op} {line.text}" for line in diff.lines if context or line.op != " "]
        if lines:
            parts.append(f"[{(headings or {}).get(diff.section, diff.section)}]\n" + "\n".join(lines))
    return "\n\n".join(parts)
