"""Who is asking: a chat user id mapped to an employee record, with an e-mail lookup for unmapped users."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Awaitable, Callable

from core.domain import Employee

log = logging.getLogger(__name__)

EmailLookup = Callable[[str], Awaitable[str | None]]
CACHE_SECONDS = 600
EMAIL_LOOKUP_TIMEOUT_S = 10.0      # the platform's user lookup (Slack users.info) from a worker thread


class IdentityResolver:
    def __init__(self, store):
        self.store = store
        self._cache: dict[tuple[str, str], tuple[float, str | None]] = {}

    async def resolve(self, platform: str, user_id: str, email_lookup: EmailLookup | None = None,
                      extra_keys: tuple[str, ...] = ()) -> Employee | None:
        """The employee behind a Slack or Teams user, or None (resolve_blocking, in a worker thread; the e-mail
        lookup, when needed, runs on this event loop)."""
        loop = asyncio.get_running_loop()
        lookup = None
        if email_lookup is not None:
            def lookup(uid: str) -> str | None:
                return asyncio.run_coroutine_threadsafe(email_lookup(uid), loop).result(EMAIL_LOOKUP_TIMEOUT_S)
        return await asyncio.to_thread(self.resolve_blocking, platform, user_id, lookup, extra_keys)

    def settled(self, platform: str, user_id: str) -> bool:
        """True when who this user is was settled within CACHE_SECONDS: resolve_blocking then asks only the
        database, never the platform."""
        cached = self._cache.get((platform, user_id))
        return bool(cached) and time.monotonic() - cached[0] < CACHE_SECONDS

    def resolve_blocking(self, platform: str, user_id: str, email_lookup: Callable[[str], str | None] | None = None,
                         extra_keys: tuple[str, ...] = ()) -> Employee | None:
        """The employee behind a Slack or Teams user, or None, for a caller in a worker thread (a handler thread
        resolves the asker itself: no thread hop of its own on the event loop). A user found by e-mail is remembered
        on their record (so the platform is asked once), and misses are cached for a while so an unknown user cannot
        make us call the platform on every message. `email_lookup` blocks until the platform answers."""
        if not user_id:
            return None
        key = (platform, user_id)
        cached = self._cache.get(key)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return self.store.get_employee(cached[1]) if cached[1] else None
        employee = self._find(user_id, extra_keys)
        if employee is None and email_lookup is not None:
            try:
                email = email_lookup(user_id)
            except Exception:  # the platform being unreachable must not break the conversation
                log.warning("e-mail lookup for %s user %s failed", platform, user_id, exc_info=True)
                email = None
            if email:
                employee = self.store.find_employee(email)
                if employee is not None:
                    self._remember(employee, platform, user_id)
        self._cache[key] = (time.monotonic(), employee.id if employee else None)
        return employee

    def _find(self, user_id: str, extra_keys: tuple[str, ...]) -> Employee | None:
        for key in (user_id, *extra_keys):
            if key:
                employee = self.store.find_employee(key)
                if employee is not None:
                    return employee
        return None

    def _remember(self, employee: Employee, platform: str, user_id: str) -> None:
        if platform == "slack" and employee.slack_user_id != user_id:
            employee.slack_user_id = user_id
            self.store.update_fields(employee)
        elif platform == "teams" and employee.teams_user_id != user_id:
            employee.teams_user_id = user_id
            self.store.update_fields(employee)
