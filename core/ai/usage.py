"""What the AI layer spends, and the cache that saves it.

`UsageLedger` counts tokens and calls per day and model (a cache hit is a call that cost no tokens); an optional
`sink` receives every row so the caller can persist it. `ContentCache` remembers the results of deterministic calls
by a sha256 of everything that determines them. Both are provider-neutral: the offline provider may use them too.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

log = logging.getLogger(__name__)

# Days of aggregates kept in memory; older ones live only in whatever the sink wrote.
_KEEP_DAYS = 31


@dataclass(frozen=True)
class UsageRow:
    at: str                # ISO 8601, UTC
    day: str               # YYYY-MM-DD, UTC
    model: str
    task: str
    prompt_tokens: int
    output_tokens: int
    cached: bool
    ms: float
    failed: bool = False


@dataclass
class ModelUsage:
    calls: int = 0                 # every call, cache hits and failures included
    cache_hits: int = 0
    failures: int = 0
    prompt_tokens: int = 0
    output_tokens: int = 0
    ms: float = 0.0
    tasks: dict[str, int] = field(default_factory=dict)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.output_tokens

    @property
    def cache_hit_rate(self) -> float:
        return self.cache_hits / self.calls if self.calls else 0.0

    def add(self, row: UsageRow) -> None:
        self.calls += 1
        self.cache_hits += int(row.cached)
        self.failures += int(row.failed)
        self.prompt_tokens += row.prompt_tokens
        self.output_tokens += row.output_tokens
        self.ms += row.ms
        self.tasks[row.task] = self.tasks.get(row.task, 0) + 1


class UsageLedger:
    """Thread-safe token and call counts per UTC day and model."""

    def __init__(self, sink: Callable[[UsageRow], None] | None = None,
                 now: Callable[[], datetime] | None = None) -> None:
        self.sink = sink
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._lock = threading.Lock()
        self._days: dict[str, dict[str, ModelUsage]] = {}

    def record(self, model: str, task: str, prompt_tokens: int, output_tokens: int, cached: bool, ms: float,
               failed: bool = False) -> UsageRow:
        at = self._now()
        row = UsageRow(at=at.isoformat(timespec="seconds"), day=at.date().isoformat(), model=model, task=task,
                       prompt_tokens=int(prompt_tokens or 0), output_tokens=int(output_tokens or 0),
                       cached=bool(cached), ms=round(float(ms), 1), failed=bool(failed))
        with self._lock:
            self._days.setdefault(row.day, {}).setdefault(model, ModelUsage()).add(row)
            for old in sorted(self._days)[:-_KEEP_DAYS]:
                del self._days[old]
        if self.sink is not None:
            try:
                self.sink(row)
            except Exception:   # persisting usage must never break the call it describes
                log.exception("usage sink failed")
        return row

    def day(self, day: str) -> dict[str, ModelUsage]:
        """Per-model totals for one UTC day (YYYY-MM-DD); copies, safe to keep."""
        with self._lock:
            return {model: _copy(usage) for model, usage in self._days.get(day, {}).items()}

    def today(self) -> dict[str, ModelUsage]:
        return self.day(self._now().date().isoformat())

    def totals(self, day: str | None = None) -> ModelUsage:
        """All models together, for one day (today by default)."""
        total = ModelUsage()
        for usage in (self.day(day) if day else self.today()).values():
            total.calls += usage.calls
            total.cache_hits += usage.cache_hits
            total.failures += usage.failures
            total.prompt_tokens += usage.prompt_tokens
            total.output_tokens += usage.output_tokens
            total.ms += usage.ms
            for task, n in usage.tasks.items():
                total.tasks[task] = total.tasks.get(task, 0) + n
        return total


def _copy(usage: ModelUsage) -> ModelUsage:
    return ModelUsage(usage.calls, usage.cache_hits, usage.failures, usage.prompt_tokens, usage.output_tokens,
                      usage.ms, dict(usage.tasks))


class ContentCache:
    """A bounded, thread-safe LRU of JSON-able values keyed by a sha256 of what produced them."""

    def __init__(self, max_entries: int = 2048) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(*parts: Any) -> str:
        """A stable digest of the parts (strings, numbers, or JSON-able structures)."""
        digest = hashlib.sha256()
        for part in parts:
            text = part if isinstance(part, str) else json.dumps(part, sort_keys=True, ensure_ascii=False,
                                                                 default=str)
            digest.update(text.encode("utf-8"))
            digest.update(b"\x1f")   # a separator, so ("ab", "c") and ("a", "bc") differ
        return digest.hexdigest()

    def get(self, key: str) -> Any | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
            return None

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._items
