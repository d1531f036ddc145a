"""The one place audit rows are written: who did what, on which text, and exactly who was shown.

Every entry carries the actor's role; a refusal is written as action "refused" with its ground (never as a search).
"""
from __future__ import annotations

from typing import Iterable

from core.domain import Employee

MAX_QUERY_CHARS = 500


def record(store, actor: Employee, action: str, query: str = "", shown: Iterable[str] = (), *,
           with_role: bool = True, **details) -> None:
    """One audit row. `details` are kept as given; the actor's role is added unless the caller set it, or for an
    employee's own profile actions (`with_role=False`: after a deletion the log keeps only that it happened)."""
    if with_role:
        details.setdefault("role", actor.role.value)
    store.add_audit(actor.id, action, query or "", list(shown), details)


def refusal(store, actor: Employee, verdict, text: str, found_by: str = "request") -> None:
    """A refused request: who asked, what, where, on which ground."""
    record(store, actor, "refused", " ".join((text or "").split())[:MAX_QUERY_CHARS], (),
           entry=verdict.entry, category=verdict.category, categories=verdict.categories,
           rewording=verdict.rewrite, found_by=found_by)


def own_profile(store, actor: Employee, action: str, **details) -> None:
    """An employee acting on their own profile (core.ports.SELF_PROFILE_ACTIONS, "profile_deleted"): no query, nobody
    shown, no role; deleting the profile deletes these rows and keeps only that a deletion happened."""
    record(store, actor, action, with_role=False, **details)
