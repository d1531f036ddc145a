"""Remembering deliveries already handled, for platforms that deliver a request again when they are unsure."""
from __future__ import annotations

import time
from collections import OrderedDict


class DeliveryLog:
    """Remembers deliveries already handled, so a delivery Slack retries never runs the work twice."""

    def __init__(self, size: int = 5000, ttl: float = 3600):
        self.size, self.ttl = size, ttl
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        now = time.monotonic()
        while self._seen and (len(self._seen) > self.size or now - next(iter(self._seen.values())) > self.ttl):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True
