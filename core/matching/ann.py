"""Candidate generation from a database's approximate-nearest-neighbour index (TiDB HNSW), with filters.

TiDB uses its vector index only for `ORDER BY VEC_COSINE_DISTANCE(...) LIMIT n` without a WHERE clause, so filters
cannot go into that query. Instead we ask for more neighbours than needed, drop the ineligible ones here, and widen
(4x each time) until `want` eligible people are found or the table is exhausted: a search never returns fewer than
k results while k eligible people exist.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

AnnSearch = Callable[[np.ndarray, int], list[tuple[str, float]]]
FIRST_FETCH_FACTOR = 4
MIN_FETCH = 100


def eligible_neighbours(ann_search: AnnSearch, query_vector: np.ndarray, row_of: dict[str, int],
                        eligible: np.ndarray, want: int) -> tuple[list[int], int]:
    """(rows of eligible neighbours, best first; how many neighbours were fetched in the last round)."""
    fetch = max(MIN_FETCH, want * FIRST_FETCH_FACTOR)
    total_eligible = int(eligible.sum())
    while True:
        hits = ann_search(query_vector, fetch)
        rows = [row_of[eid] for eid, _ in hits if eid in row_of and eligible[row_of[eid]]]
        exhausted = len(hits) < fetch
        if len(rows) >= min(want, total_eligible) or exhausted:
            return rows, fetch
        fetch *= FIRST_FETCH_FACTOR
