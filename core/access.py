"""Who may see whom: the one home of the access rule that search, details, shortlist, gap analysis, compare, counts
and talent chat all apply.

HR admins see everyone; managers see only people who opted in to internal moves, never themselves; employees search
nobody (they may still analyse themselves).
"""
from __future__ import annotations

from dataclasses import replace

from core.domain import Employee, Role, SearchFilters


class AccessDenied(Exception):
    """The asking user's role may not do this."""


def can_search_people(actor: Employee | None) -> bool:
    return actor is not None and actor.role.can_search_people


def visible_filters(actor: Employee, filters: SearchFilters = SearchFilters()) -> SearchFilters:
    """The filters narrowed to what the actor may see (raises AccessDenied for an employee)."""
    if actor.role == Role.HR_ADMIN:
        return filters
    if actor.role == Role.MANAGER:
        return replace(filters, open_only=True, exclude_ids=tuple(dict.fromkeys(filters.exclude_ids + (actor.id,))))
    raise AccessDenied("only managers and HR admins can search people")


def can_view(actor: Employee, employee: Employee | None) -> bool:
    """Whether the actor could be shown this person in a search: the search's own rule (visible_filters), so a
    button, a gap analysis or a comparison can never show more than the search did."""
    return bool(visible_among(actor, [employee]))


def visible_among(actor: Employee | None, people) -> list[Employee]:
    """`can_view` over many people at once, with the actor's scope worked out once: the weekly digest checks
    hundreds of readers against thousands of people. Order is kept; None entries are dropped."""
    if actor is None:
        return []
    try:
        scope = visible_filters(actor)
    except AccessDenied:
        return []
    excluded = set(scope.exclude_ids)
    return [e for e in people if e is not None and (e.open_to_moves or not scope.open_only) and e.id not in excluded]


def sees_everyone(actor: Employee) -> bool:
    """HR admins: counts and result summaries carry no "open to moves only" note."""
    return actor.role == Role.HR_ADMIN


def can_write_jds(actor: Employee | None) -> bool:
    """Job descriptions (drafts, edits, custom requests, approval, openings' closing) are HR admins' work."""
    return actor is not None and actor.role == Role.HR_ADMIN
