"""Remembering deliveries already handled, for platforms that deliver a request again when they are unsure.

Slack retries an event it did not see acknowledged in time (to whichever instance the load balancer picks, or over
another Socket Mode connection), Teams repeats an activity, a button payload can arrive twice. The memory is the
database (`deliveries` table, one row per key until it expires), so the repeat is recognised by every instance on that
database and after a restart; a small in-process memory answers repeats to the same instance without a query.

Chat requests are acknowledged before the database is asked (`begin`, at arrival): the claim runs in its own thread
while the platform gets its answer, and the request waits for the claim's outcome only afterwards (`Delivery.first`),
for at most CLAIM_WAIT_S from arrival, so a frozen database neither holds the acknowledgement past Slack's 3 s nor
pushes the answer past the request's deadline.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass

from scheduler.jobs import instance_name

log = logging.getLogger(__name__)

DELIVERY_TTL_S = 3600.0     # Slack retries within minutes; Teams within seconds. An hour leaves room for both.
# After the acknowledgement a request waits for its claim at most CLAIM_WAIT_S from its arrival, and at most half its
# deadline, then is handled (see DeliveryLog). Long, because waiting costs nothing a user sees: when the database
# does not record the claim in that time, it would not answer the request either, which ends with the deadline's
# notice all the same; when it is only busy (a burst of 200, or the backlog right after a freeze), giving up sooner
# turns load into duplicates (bench/multi_instance.py saw that at 2 s and at 5 s).
CLAIM_WAIT_S = 7.5
CLAIM_THREADS = 4           # claims have threads of their own: they never queue behind searches or lookups
_CLAIMS = ThreadPoolExecutor(max_workers=CLAIM_THREADS, thread_name_prefix="delivery-claim")
PURGE_INTERVAL_S = 300.0    # expired rows are deleted at most this often per instance


def stable_key(prefix: str, value: str) -> str:
    """A key that fits the table's 191 characters whatever the platform's id looks like."""
    key = f"{prefix}:{value}"
    return key if len(key) <= 120 else f"{prefix}:sha256:{hashlib.sha256(value.encode()).hexdigest()}"


class DeliveryLog:
    """`first_time(key)` is True for exactly one delivery of each key across every instance on the store's database.

    When the database cannot be asked (down, or no answer within CLAIM_WAIT_S of the request's arrival) the delivery
    is handled: answering twice is better than answering never, and the request itself then meets the same database
    and says so.
    """

    def __init__(self, store=None, ttl: float = DELIVERY_TTL_S, size: int = 5000, holder: str | None = None):
        self.store, self.ttl, self.size = store, ttl, size
        self.holder = holder or instance_name()
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._next_purge = 0.0

    def _seen_here(self, key: str) -> bool:
        now = time.monotonic()
        while self._seen and (len(self._seen) > self.size or now - next(iter(self._seen.values())) > self.ttl):
            self._seen.popitem(last=False)
        if key in self._seen:
            return True
        self._seen[key] = now
        return False

    def begin(self, key: str | None, arrived: float | None = None, deadline_s: float | None = None) -> "Delivery":
        """Start recording `key` at a request's arrival without waiting (call from the event loop); the request asks
        the returned Delivery whether it is the first, after it has been acknowledged."""
        arrived = time.monotonic() if arrived is None else arrived
        if key is None:
            return Delivery(None, arrived, deadline_s)
        if self._seen_here(key):
            return Delivery(key, arrived, deadline_s, repeated=True)
        if self.store is None:
            return Delivery(key, arrived, deadline_s)
        claim = asyncio.get_running_loop().run_in_executor(_CLAIMS, self._claim_or_handle, key)
        return Delivery(key, arrived, deadline_s, claim=claim)

    def first_time(self, key: str) -> bool:
        """For callers in a worker thread (or without a store)."""
        return not self._seen_here(key) and (self.store is None or self._claim_or_handle(key))

    def _claim_or_handle(self, key: str) -> bool:
        try:
            first = self.store.claim_delivery(key, self.holder, self.ttl)
        except Exception as exc:    # noqa: BLE001 - see the class docstring
            log.warning("could not record delivery %s in the database (%s); handling it", key, exc)
            return True
        self._purge_now_and_then()
        return first

    def _purge_now_and_then(self) -> None:
        now = time.monotonic()
        if now < self._next_purge:
            return
        self._next_purge = now + PURGE_INTERVAL_S
        try:
            self.store.purge_deliveries()
        except Exception:   # noqa: BLE001 - a later purge catches up
            log.debug("purging expired deliveries failed", exc_info=True)


@dataclass
class Delivery:
    """One request's delivery: when it arrived, and its claim in the database (None: nothing to claim)."""
    key: str | None
    arrived: float                # time.monotonic(): the request's deadline counts from here
    deadline_s: float | None = None
    claim: asyncio.Future | None = None
    repeated: bool = False        # already seen by this instance

    async def first(self) -> bool:
        """False when another delivery of the same request was recorded first (this one is dropped). When the
        database has not answered CLAIM_WAIT_S after arrival (or half the request's deadline), True: the
        request is handled, at the risk of a duplicate if another instance handles its retry too (see DeliveryLog)."""
        if self.repeated:
            return False
        if self.claim is None:
            return True
        wait = CLAIM_WAIT_S if not self.deadline_s else min(CLAIM_WAIT_S, self.deadline_s / 2)
        try:
            return await asyncio.wait_for(self.claim, max(0.0, self.arrived + wait - time.monotonic()))
        except asyncio.TimeoutError:
            log.warning("the database did not record delivery %s within %.1f s of its arrival; handling it",
                        self.key, wait)
            return True


_current: ContextVar[Delivery | None] = ContextVar("internal_hire_delivery", default=None)


def current() -> Delivery | None:
    """The delivery being handled (set by the platform's middleware; tasks started from it inherit it)."""
    return _current.get()


def set_current(delivery: Delivery | None) -> None:
    _current.set(delivery)
