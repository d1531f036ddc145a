"""The one versioned cache: a value built from the store, rebuilt when its version changes (the store's data version,
or a time bucket), one build at a time. Used by the search index, the mentor index and the JD source indexes."""
from __future__ import annotations

import threading
from typing import Callable, Generic, Hashable, TypeVar

T = TypeVar("T")


class VersionedCache(Generic[T]):
    """`get(key)` returns the value built by `build(key)` while `version()` is unchanged since it was built.

    Readers never wait for each other; a rebuild is done by one thread while the others wait for it (double-checked),
    so a change to the data costs one build, not one per concurrent request."""

    def __init__(self, version: Callable[[], Hashable], build: Callable[[Hashable], T],
                 after_build: Callable[[T], None] | None = None):
        self._version = version
        self._build = build
        self._after_build = after_build
        self._entries: dict[Hashable, tuple[Hashable, T]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable = None) -> T:
        version = self._version()
        entry = self._entries.get(key)
        if entry is not None and entry[0] == version:
            return entry[1]
        with self._lock:
            version = self._version()
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                value = self._build(key)
                self._entries[key] = entry = (version, value)
                if self._after_build is not None:
                    self._after_build(value)
        return entry[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
