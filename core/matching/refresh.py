"""Keeping in-process indexes current while profiles change, without making searches wait.

The protocol, for the people-search index and any other in-process index that follows profile writes (e.g. a
lexical index):
- an index is built from `store.index_rows()` (a full build), and
- it may offer `with_changes(rows, deleted_ids) -> new index | None`: a NEW object that includes the changed rows
  (IndexRow, read with `store.index_rows_for(ids)`) and leaves the old one usable by searches still running on it;
  None means "only a rebuild can include these".
  An index without `with_changes` is simply rebuilt (in the background when it is large) and swapped in.
- `changed_rows` (optional): how much of the index is patched; past `compact_rows` a rebuild is started in the
  background and swapped in when done, and the changes written meanwhile are applied on top of it.

IndexHolder does the bookkeeping: which point of the store's change feed (`index_changes_since`) the current index
includes, who applies the next changes (one thread; the others keep searching the current index), and background
rebuilds. A search never waits for a rebuild except the very first build (nothing to search yet) and, below
`sync_rebuild_rows` profiles, where a rebuild takes milliseconds and searches read their own writes.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable, Generic, Iterable, TypeVar

log = logging.getLogger(__name__)

Index = TypeVar("Index")

INCREMENTAL_MOST = 20_000     # changed profiles applied in place; more than that is a rebuild
SYNC_REBUILD_ROWS = 20_000    # below this many profiles a rebuild is quick: searches wait for it (read your writes)
COMPACT_ROWS = 5_000          # patched rows after which a background rebuild folds the overlay back in
COMPACT_SHARE = 0.05          # ... or this share of the index, whichever is larger
SNAPSHOT_MIN_ROWS = 200       # even the 360-person demo builds in 3 CPU-s (the Korean analyser) and loads in 3 ms
_save_lock = threading.Lock()


class IndexHolder(Generic[Index]):
    def __init__(self, store, build: Callable[[Iterable], Index], *, incremental_most: int = INCREMENTAL_MOST,
                 sync_rebuild_rows: int = SYNC_REBUILD_ROWS, compact_rows: int = COMPACT_ROWS,
                 on_swap: Callable[[Index], None] | None = None, snapshot: Path | None = None,
                 identity: Callable[[], dict] | None = None, loader=None):
        self.store = store
        self.build = build
        self.incremental_most = incremental_most
        self.sync_rebuild_rows = sync_rebuild_rows
        self.compact_rows = compact_rows
        self.on_swap = on_swap
        self.snapshot = snapshot           # a folder where a built index is saved for the next cold start
        self.identity = identity or dict   # what a saved index must have been built from (models, database)
        self.loader = loader               # .saved_stamp(folder) and .load(folder) of the saved index
        self._index: Index | None = None
        self._version = -1          # the store's data_version the index includes
        self._seq = 0               # the change-feed position the index includes
        self._apply_lock = threading.Lock()    # one thread applies changes; others search the current index
        self._rebuilding: threading.Thread | None = None
        self._saving: threading.Thread | None = None
        self.stats = {"builds": 0, "incremental": 0, "background_builds": 0, "loaded": 0}

    # ---- what searches call ----------------------------------------------------------------------------------
    def current(self) -> Index:
        """The index to search now: current with every write this thread has made, unless catching up needs a
        rebuild of a large index (then the previous index, until the rebuild swaps in)."""
        version = self.store.data_version()
        index = self._index
        if index is not None and version == self._version:
            return index
        if index is None:
            with self._apply_lock:
                if self._index is None:
                    if not self._load_saved():
                        self._full_build()
                return self._index
        # Something changed. One thread catches up; searches arriving meanwhile use the index they have.
        if not self._apply_lock.acquire(blocking=False):
            return index
        try:
            self._catch_up(version)
        finally:
            self._apply_lock.release()
        return self._index

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Block until no background rebuild runs (for benchmarks, tests and shutdown)."""
        for thread in (self._rebuilding, self._saving):
            if thread is not None:
                thread.join(timeout)
        return all(t is None or not t.is_alive() for t in (self._rebuilding, self._saving))

    # ---- catching up -----------------------------------------------------------------------------------------
    def _catch_up(self, version: int) -> None:
        """Under _apply_lock."""
        if version == self._version:
            return
        changes = self.store.index_changes_since(self._seq, self.incremental_most)
        if changes.ids is not None and self._apply(changes.ids):
            self._seq, self._version = changes.seq, version
            self._maybe_compact()
            return
        if self._size() < self.sync_rebuild_rows:
            self._full_build()
            return
        self._start_background_build("catching up with many changed profiles")

    def _apply(self, ids: tuple[str, ...]) -> bool:
        """Apply changed profiles to the current index; False when it cannot take them (rebuild instead)."""
        index = self._index
        if not ids:
            return True
        follow = getattr(index, "with_changes", None)
        if follow is None:
            return False
        rows = self.store.index_rows_for(ids)
        found = {r.id for r in rows}
        updated = follow(rows, [i for i in ids if i not in found])
        if updated is None:
            return False
        self._swap(updated)
        self.stats["incremental"] += 1
        return True

    def _size(self) -> int:
        index = self._index
        return len(index) if index is not None else 0

    def _maybe_compact(self) -> None:
        patched = getattr(self._index, "changed_rows", 0)
        if patched > max(self.compact_rows, COMPACT_SHARE * self._size()):
            self._start_background_build(f"{patched} patched rows")

    def _full_build(self) -> None:
        """Build now, in this thread (under _apply_lock)."""
        seq, version = self.store.index_change_seq(), self.store.data_version()
        self._swap(self.build(self.store.index_rows()))
        self._seq, self._version = seq, version
        self.stats["builds"] += 1
        self._save_later()

    # ---- the saved index (cold start) ------------------------------------------------------------------------
    def _stamp(self, seq: int, version: int) -> dict:
        return {"seq": seq, "version": version, "identity": self.identity()}

    def _load_saved(self) -> bool:
        """Start from the index saved in the data folder when it was built from this database and these models and
        the change feed still reaches back to it; then apply what changed since (under _apply_lock)."""
        folder = self.snapshot
        load = self.loader
        if folder is None or load is None:
            return False
        stamp = load.saved_stamp(folder)
        if stamp is None or stamp.get("identity") != self.identity():
            return False
        seq, version = int(stamp["seq"]), int(stamp["version"])
        if seq > self.store.index_change_seq() or version > self.store.data_version():
            return False       # not this database's history (restored from elsewhere): rebuild
        changes = self.store.index_changes_since(seq, self.incremental_most)
        if changes.ids is None:
            return False
        try:
            index = load.load(folder)
        except Exception:      # a damaged or foreign file is rebuilt, never trusted
            log.warning("search index: the saved index in %s cannot be read; rebuilding", folder, exc_info=True)
            return False
        self._swap(index)
        self._seq, self._version = seq, version
        self.stats["loaded"] += 1
        if changes.ids and not self._apply(changes.ids):
            return False
        self._seq, self._version = changes.seq, self.store.data_version() if not changes.ids else version
        return True

    def _save_later(self) -> None:
        """Save the index just built, in the background (a search does not wait for the disk)."""
        index, folder = self._index, self.snapshot
        save = getattr(index, "save", None)
        if folder is None or save is None or len(index) < SNAPSHOT_MIN_ROWS:
            return
        stamp = self._stamp(self._seq, self._version)

        def write() -> None:
            try:
                with _save_lock:
                    save(folder, stamp)
            except Exception:
                log.warning("search index: could not save it to %s", folder, exc_info=True)
        # not a daemon: a short-lived process (`internal-hire search`) finishes saving before it exits
        self._saving = threading.Thread(target=write, name="index-save", daemon=False)
        self._saving.start()

    def _start_background_build(self, why: str) -> None:
        if self._rebuilding is not None and self._rebuilding.is_alive():
            return
        log.info("search index: rebuilding in the background (%s)", why)
        self._rebuilding = threading.Thread(target=self._background_build, name="index-rebuild", daemon=True)
        self._rebuilding.start()

    def _background_build(self) -> None:
        try:
            started = time.perf_counter()
            seq, version = self.store.index_change_seq(), self.store.data_version()
            built = self.build(self.store.index_rows())
            with self._apply_lock:
                self._swap(built)
                self._seq, self._version = seq, version
                # Writes that landed while it was built go on top (re-applying one is harmless); when they cannot,
                # the next search finds the version changed and catches up again.
                changes = self.store.index_changes_since(seq, self.incremental_most)
                if changes.ids and self._apply(changes.ids):
                    self._seq = changes.seq
                self.stats["background_builds"] += 1
            if self.snapshot is not None and getattr(built, "save", None) is not None and len(built) >= SNAPSHOT_MIN_ROWS:
                with _save_lock:
                    built.save(self.snapshot, self._stamp(seq, version))
            self.store.prune_index_changes()
            log.info("search index: rebuilt %d profiles in %.1f s", self._size(), time.perf_counter() - started)
        except Exception:   # the old index keeps serving; the next change tries again
            log.exception("search index: the background rebuild failed")

    def _swap(self, index: Index) -> None:
        self._index = index
        if self.on_swap is not None:
            self.on_swap(index)
