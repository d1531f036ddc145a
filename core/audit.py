"""The one place audit rows are written: who did what, on which text, and exactly who was shown.

Every entry carries the actor's role; a refusal is written as action "refused" with its ground (never as a search).
"""
from __future__ import annotations

from typing import Iterable

from core.domain import Employee

MAX_QUERY_CHARS = 500


def record(store, actor: Employee, action: str, query: str = "", shown: Iterable[str] = (),
           **details) -> None:
    """One audit row. `details` are kept as given; the actor's role is added unless the caller set it."""
    details.setdefault("role", actor.role.value)
    store.add_audit(actor.id, action, query or "", list(shown), details)


def refusal(store, actor: Employee, verdict, text: str, found_by: str = "request") -> None:
    """A refused request: who asked, what, where, on which ground."""
    record(store, actor, "refused", " ".join((text or "").split())[:MAX_QUERY_CHARS], (),
           entry=verdict.entry, category=verdict.category, categories=verdict.categories,
           rewording=verdict.rewrite, found_by=found_by)
