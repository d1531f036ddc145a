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


class IdentityResolver:
    def __init__(self, store):
        self.store = store
        self._cache: dict[tuple[str, str], tuple[float, str | None]] = {}

    async def resolve(self, platform: str, user_id: str, email_lookup: EmailLookup | None = None,
                      extra_keys: tuple[str, ...] = ()) -> Employee | None:
        """The employee behind a Slack or Teams user, or None. A user found by e-mail is remembered on their record
        (so the platform is asked once), and misses are cached for a while so an unknown user cannot make us call
        the platform on every message."""
        if not user_id:
            return None
        key = (platform, user_id)
        cached = self._cache.get(key)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return await asyncio.to_thread(self.store.get_employee, cached[1]) if cached[1] else None
        employee = await asyncio.to_thread(self._find, user_id, extra_keys)
        if employee is None and email_lookup is not None:
            try:
                email = await email_lookup(user_id)
            except Exception:  # the platform being unreachable must not break the conversation
                log.warning("e-mail lookup for %s user %s failed", platform, user_id, exc_info=True)
                email = None
            if email:
                employee = await asyncio.to_thread(self.store.find_employee, email)
                if employee is not None:
                    await asyncio.to_thread(self._remember, employee, platform, user_id)
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
