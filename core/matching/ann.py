"""Candidate generation from an approximate-nearest-neighbour index, with filters: a database's (TiDB HNSW) or the
in-process one that large organisations get (`VectorGraph`, usearch HNSW).

TiDB uses its vector index only for `ORDER BY VEC_COSINE_DISTANCE(...) LIMIT n` without a WHERE clause, so filters
cannot go into that query. Instead we ask for more neighbours than needed, drop the ineligible ones here, and widen
(4x each time) until `want` eligible people are found or the table is exhausted: a search never returns fewer than
k results while k eligible people exist. The in-process index is asked the same way (by row), starting from a fetch
sized by the eligible share; when the filters leave few enough people, those are scored exactly instead (cheaper
than widening, and exact).

Why usearch (bench/ann_million.py --compare): at the same graph size it stores vectors as int8 (a quarter of
hnswlib's float32, which alone would take 2 GB at 1M profiles of 512 dimensions) with the recall we need, answers
in well under a millisecond, builds with several threads, and adds, replaces and removes single keys in place.
"""
from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Callable

import numpy as np

AnnSearch = Callable[[np.ndarray, int], list[tuple[str, float]]]
RowSearch = Callable[[np.ndarray, int], np.ndarray]     # (query, n) -> rows, nearest first
FIRST_FETCH_FACTOR = 4
MIN_FETCH = 100
GRAPH_MIN_FETCH = 300           # the in-process graph's first fetch (a database is asked for MIN_FETCH)
EXACT_ELIGIBLE_ROWS = 20_000    # filters leaving at most this many people: score them exactly instead of widening
SHARE_OVERFETCH = 3             # a filtered first fetch expects this many times `want` eligible neighbours in it


def eligible_rows(search: RowSearch, query_vector: np.ndarray, eligible: np.ndarray, want: int,
                  total_eligible: int | None = None, by_share: bool = True,
                  min_fetch: int | None = None) -> tuple[list[int], int]:
    """(eligible neighbour rows, best first; how many neighbours were fetched in the last round). With `by_share`
    the first fetch is over-sized by the share of people the filters leave (a filter leaving 5 % asks for 20x more;
    an in-process graph answers a large fetch in one pass cheaper than several small ones)."""
    total = int(eligible.sum()) if total_eligible is None else total_eligible
    fetch = max(MIN_FETCH if min_fetch is None else min_fetch, want * FIRST_FETCH_FACTOR)
    if by_share:
        fetch = max(fetch, int(math.ceil(want * SHARE_OVERFETCH * len(eligible) / max(total, 1))))
    while True:
        hits = search(query_vector, fetch)
        exhausted = len(hits) < fetch
        hits = hits[(hits >= 0) & (hits < len(eligible))]     # rows added after this index's view was taken
        rows = hits[eligible[hits]].tolist()
        if len(rows) >= min(want, total) or exhausted:
            return rows, fetch
        fetch *= FIRST_FETCH_FACTOR


def eligible_neighbours(ann_search: AnnSearch, query_vector: np.ndarray, row_of: dict[str, int],
                        eligible: np.ndarray, want: int) -> tuple[list[int], int]:
    """The same for a database's index, which answers with employee ids."""
    def by_row(query: np.ndarray, n: int) -> np.ndarray:
        hits = ann_search(query, n)
        return np.array([row_of.get(eid, -1) for eid, _ in hits], dtype=np.int64)
    return eligible_rows(by_row, query_vector, eligible, want, by_share=False)


def int8_codes(vectors: np.ndarray) -> np.ndarray:
    """Rows as int8 with each row's largest component at +-127 (Int8Rows' codes). usearch's own conversion of float
    input to an int8 graph maps 1.0 to 127, which leaves a unit vector of 512 dimensions about +-20 levels: its
    neighbours were found noticeably worse (200k synthetic profiles, ef 256: the graph's raw top 10 held 0.90 of the
    true one, 0.98 with these codes)."""
    v = np.asarray(vectors, dtype=np.float32)
    peak = np.abs(v).max(axis=-1, keepdims=True)
    return np.rint(v * (127.0 / np.where(peak > 0, peak, 1.0))).astype(np.int8)


class VectorGraph:
    """An in-process HNSW graph over the index's rows (usearch; keys are row numbers, cosine metric). Stores int8
    vectors by default: recall@10 holds (bench/ann_million.py) and 1M profiles of 512 dimensions take 0.5 GB.

    One graph is shared by successive SearchIndex objects (a patched index adds, replaces and removes rows in it
    in place); searches on an older index drop rows it does not know. Writers are serialised by a lock; usearch
    answers searches concurrently with a writer."""

    CONNECTIVITY = 16
    EXPANSION_ADD = 64        # build effort: the over-fetched candidates are re-scored exactly, recall holds
    EXPANSION_SEARCH = 512     # at 1M, ef 256 sometimes ends in the wrong cluster (0 of the true top 10)
    FILE = "graph.usearch"

    def __init__(self, dim: int, dtype: str = "i8", index=None):
        from usearch.index import Index

        self.dim = dim
        self.dtype = dtype
        self._index = index if index is not None else Index(
            ndim=dim, metric="cos", dtype=dtype, connectivity=self.CONNECTIVITY, expansion_add=self.EXPANSION_ADD,
            expansion_search=self.EXPANSION_SEARCH)
        self._write = threading.Lock()

    def __len__(self) -> int:
        return len(self._index)

    def add(self, rows: np.ndarray, vectors: np.ndarray, threads: int = 0) -> None:
        """Add (or replace) rows; `vectors` any float dtype, or int8 codes (`Int8Rows.codes`: a row's scale does not
        change a cosine)."""
        rows = np.asarray(rows, dtype=np.uint64)
        if not len(rows):
            return
        if self.dtype != "i8":
            vectors = np.asarray(vectors, dtype=np.float32)
        elif np.asarray(vectors).dtype != np.int8:
            vectors = int8_codes(vectors)
        with self._write:
            present = np.array([self._index.contains(int(r)) for r in rows], dtype=bool) if len(self._index) else \
                np.zeros(len(rows), dtype=bool)
            if present.any():
                self._index.remove(rows[present])
            self._index.add(rows, np.ascontiguousarray(vectors), threads=threads)

    def add_chunked(self, vectors, keep: np.ndarray, chunk: int = 65_536, threads: int = 0,
                    progress: Callable[[int], None] | None = None) -> None:
        """Add every kept row of `vectors` (a build), a chunk at a time; an Int8Rows gives its codes as they are
        (no float32 copy)."""
        codes = getattr(vectors, "codes", None) if self.dtype == "i8" else None
        for start in range(0, len(vectors), chunk):
            rows = np.flatnonzero(keep[start:start + chunk]) + start
            self.add(rows, codes[rows] if codes is not None else vectors[rows], threads)
            if progress is not None:
                progress(min(start + chunk, len(vectors)))

    def remove(self, rows) -> None:
        rows = [int(r) for r in rows]
        with self._write:
            gone = [r for r in rows if self._index.contains(r)]
            if gone:
                self._index.remove(np.array(gone, dtype=np.uint64))

    def search(self, query: np.ndarray, n: int) -> np.ndarray:
        """Rows of the `n` nearest vectors, nearest first."""
        if not len(self._index):
            return np.zeros(0, dtype=np.int64)
        query = int8_codes(query) if self.dtype == "i8" else np.asarray(query, dtype=np.float32)
        found = self._index.search(query, n, exact=False, threads=1)
        return np.asarray(found.keys, dtype=np.int64)[:len(found)]

    def save(self, folder: Path) -> None:
        with self._write:
            self._index.save(str(Path(folder) / self.FILE))

    @classmethod
    def load(cls, folder: Path, dim: int, dtype: str) -> "VectorGraph":
        from usearch.index import Index

        index = Index.restore(str(Path(folder) / cls.FILE), view=False)
        if index is None:
            raise ValueError(f"no vector graph in {folder}")
        index.expansion_search = cls.EXPANSION_SEARCH
        return cls(dim, dtype, index)

    def nbytes(self) -> int:
        return int(self._index.memory_usage)
