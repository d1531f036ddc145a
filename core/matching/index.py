"""In-process search index: exact cosine search (numpy) plus lexical and skill postings, with filters applied
before the top k is taken. Used by the embedded default and by any store without native vector search.

Profile writes reach a built index through `with_changes` (core/matching/refresh.py calls it): a NEW index that
shares the big arrays with the old one, so searches running on the old one are undisturbed and nothing is re-read.
Changed rows keep their place (their vector is overwritten; a deleted row is marked dead), new rows are appended
into spare capacity; their postings go to a small overlay (`_overlay`) that lookups merge with the built postings,
which skip the rows marked stale. When the overlay grows past COMPACT_ROWS the refresher rebuilds in the background.
"""
from __future__ import annotations

import copy
import json
import os
import pickle
import shutil
from pathlib import Path
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from core import blas
from core.domain import SearchFilters, level_rank
from core.matching import scoring
from core.matching.lexical import LexicalIndexBuilder, decode_document
from core.matching.seniority import SeniorityAsk, profile_rank
from core.ports import IndexRow


# From this many rows the exact scan runs with the wide BLAS pool: below it (and on a busy 2-core machine at 100k) the
# pool's start-up and spinning cost more than the second core saves (bench/search_latency.py --threads).
SCAN_WIDE_ROWS = 500_000
# From this many rows the summary similarity is computed only where it can change the top (scoring.fuse_top, exact):
# a full second scan would double the search's CPU at 100k profiles.
SUMMARY_PRUNE_ROWS = 20_000
MASK_CACHE_SIZE = 16       # filters whose eligible rows an index keeps (1 bit a profile each: 1M rows, 1 MB)
# The exact search first scores the profiles with keyword or skill evidence and this many of the best by cosine
# (times the share the filters leave out); the score they reach bounds which other profiles must be scored too.
SEED_ROWS = 256
# Rows gathered for a matrix product cost ~5x a row of a sequential scan (bench/search_latency.py at 100k): from
# 1/GATHER_SHARE of the rows on, the summaries are scanned whole instead.
GATHER_SHARE = 5
LEXICAL_CANDIDATES_MOST = 400  # with the in-process graph: the best eligible BM25 rows added as candidates
SKILL_CANDIDATES_MOST = 2_000   # with the in-process graph: holders of a requested skill added as candidates, at most
SNAPSHOT_FORMAT = 3        # bump when SearchIndex's attributes change: an older saved index is then rebuilt


@dataclass
class ScoredRows:
    rows: np.ndarray          # row indices, best first
    scores: np.ndarray        # final 0-100 floats for those rows
    semantic: np.ndarray
    lexical: np.ndarray
    skills: np.ndarray
    completeness: np.ndarray
    total_eligible: int
    seniority: np.ndarray | None = None   # the seniority factor (1.0: at or above the asked level, or none asked)


@dataclass
class Signals:
    """Every row's raw ranking signals for one request (what scoring.fuse combines)."""
    cosine: np.ndarray         # embedding cosine similarity
    bm25: np.ndarray           # BM25 over title / skills / resume
    skills: np.ndarray         # share of the requested canonical skills shown (related skills: partial credit)
    seniority: np.ndarray      # soft factor, 1.0 when at or above the asked level or nothing was asked
    has_skills: bool           # the request names canonical skills
    coverage: float            # the idf share of the request's terms that occur in any profile (lexical.coverage)
    eligible: np.ndarray       # rows the filters allow (and, with a database vector index, the candidates)
    total_eligible: int
    summary: np.ndarray | None = None   # language-neutral summary similarity, 0-1 (nan: the profile has none)


def _rows_dot(matrix: np.ndarray, rows: np.ndarray, query: np.ndarray, chunk: int = 4_096) -> np.ndarray:
    """matrix[rows] @ query in float32, a chunk of rows at a time (reduced-precision rows are converted as read)."""
    if isinstance(matrix, Int8Rows):
        out = np.empty(len(rows), dtype=np.float32)
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            out[start:start + len(part)] = (matrix.codes[part].astype(np.float32) @ query) * matrix.scale[part]
        return out
    if len(rows) <= chunk:
        return matrix[rows].astype(np.float32, copy=False) @ query
    out = np.empty(len(rows), dtype=np.float32)
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        out[start:start + len(part)] = matrix[part].astype(np.float32, copy=False) @ query
    return out


class _SummaryMemo:
    """One request's calibrated summary similarities, computed once per row (search may score a set of rows twice,
    SearchIndex._exact_top); a scan of every summary fills in every row at once."""

    def __init__(self, index: "SearchIndex", query: np.ndarray):
        self.index, self.query = index, query
        self.values: np.ndarray | None = None      # by row; nan: not computed yet

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        index = self.index
        if self.values is None:
            if len(rows) * GATHER_SHARE <= index.n or isinstance(index.summaries, Int8Rows):
                return index._summary_rows(self.query, rows)     # the usual case: no second round
            self.values = np.full(index.n, np.nan, dtype=np.float32)
        missing = rows[np.isnan(self.values[rows])]
        if len(missing) * GATHER_SHARE > index.n and not isinstance(index.summaries, Int8Rows):
            self.values = index._summary_all(self.query)
        elif len(missing):
            self.values[missing] = index._summary_rows(self.query, missing)
        return self.values[rows]


class Int8Rows:
    """Vectors kept as int8 with one float32 scale per row (row ~= codes * scale; the scale maps the row's largest
    component to 127). A quarter of float32, half of float16: at 1M profiles of 512 dimensions the vectors and the
    summary vectors take 0.5 GB each instead of 1 GB, which is what keeps the build under 3 GB beside the graph.
    Only the ANN path uses it, where just the candidates are scored: a cosine is off by about 1e-3 at most
    (bench/ann_million.py prints recall; bench/eval_quality.py --ann-from prints nDCG).

    Behaves like the float32 matrix it stands for where SearchIndex uses one: `m[rows]` (float32), `m[:n]` (a view),
    `m[row] = vector`, `m @ query` (a chunk of rows at a time), `len`, `shape`, `np.asarray(m)`."""

    dtype = np.dtype(np.int8)
    CHUNK = 65_536

    def __init__(self, codes: np.ndarray, scale: np.ndarray):
        self.codes = codes
        self.scale = scale

    @classmethod
    def zeros(cls, rows: int, dim: int) -> "Int8Rows":
        return cls(np.zeros((rows, dim), dtype=np.int8), np.zeros(rows, dtype=np.float32))

    @classmethod
    def from_array(cls, matrix: np.ndarray) -> "Int8Rows":
        out = cls.zeros(len(matrix), matrix.shape[1])
        for start in range(0, len(matrix), cls.CHUNK):    # no float32 copy of the whole matrix
            out[start:start + cls.CHUNK] = matrix[start:start + cls.CHUNK]
        return out

    @property
    def shape(self) -> tuple[int, int]:
        return self.codes.shape

    @property
    def nbytes(self) -> int:
        return int(self.codes.nbytes + self.scale.nbytes)

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return Int8Rows(self.codes[key], self.scale[key])
        codes = self.codes[key]
        return codes.astype(np.float32) * (self.scale[key][..., None] if codes.ndim == 2 else self.scale[key])

    def __setitem__(self, key, value) -> None:
        value = np.asarray(value, dtype=np.float32)
        # How many rows the key selects, without indexing a matrix-sized array: a build writes one row at a time,
        # and np.arange(len) per row made the 1M build's row pass quadratic (1.2 ms a row at 1M).
        if isinstance(key, slice):
            rows = len(range(*key.indices(len(self.codes))))
        elif np.ndim(key) == 0:
            rows = 1
        else:
            picked = np.asarray(key)
            rows = int(np.count_nonzero(picked)) if picked.dtype == bool else len(picked)
        value = np.broadcast_to(value, (rows, self.codes.shape[1])) if value.ndim < 2 else value
        peak = np.abs(value).max(axis=1)
        scale = (peak / 127.0).astype(np.float32)
        safe = np.where(scale > 0, scale, 1.0).astype(np.float32)
        codes = np.rint(value / safe[:, None]).astype(np.int8)
        if not isinstance(key, slice) and np.ndim(key) == 0:
            codes, scale = codes[0], scale[0]
        self.codes[key] = codes
        self.scale[key] = scale

    def __matmul__(self, query: np.ndarray) -> np.ndarray:
        query = np.asarray(query, dtype=np.float32)
        out = np.empty(len(self.codes), dtype=np.float32)
        for start in range(0, len(self.codes), self.CHUNK):
            out[start:start + self.CHUNK] = (self.codes[start:start + self.CHUNK].astype(np.float32) @ query) \
                * self.scale[start:start + self.CHUNK]
        return out

    def __array__(self, dtype=None, copy=None):
        out = self.codes.astype(np.float32) * self.scale[:, None]
        return out if dtype is None else out.astype(dtype)

    def grown(self, rows: int) -> "Int8Rows":
        """A copy with room for `rows` rows (the new ones zero)."""
        bigger = Int8Rows.zeros(rows, self.codes.shape[1])
        bigger.codes[:len(self.codes)] = self.codes
        bigger.scale[:len(self.scale)] = self.scale
        return bigger

    def save(self, path: Path) -> None:
        np.save(path, np.ascontiguousarray(self.codes))
        np.save(_scale_path(path), np.ascontiguousarray(self.scale))

    @staticmethod
    def load(path: Path):
        """The saved matrix: Int8Rows when a scale file sits beside it, else the plain array (memory-mapped
        copy-on-write: pages are read when first used, and a changed row never writes to the file)."""
        codes = np.load(path, mmap_mode="c")
        if _scale_path(path).exists():
            return Int8Rows(codes, np.load(_scale_path(path)))
        return codes


def _scale_path(path: Path) -> Path:
    return Path(path).with_name(Path(path).stem + "_scale.npy")


def _save_matrix(path: Path, matrix) -> None:
    if isinstance(matrix, Int8Rows):
        matrix.save(path)
    else:
        np.save(path, np.ascontiguousarray(matrix))


def return_freed_memory() -> None:
    """Hand freed heap back to the system (glibc keeps freed pages): before the graph is built, where at 1M profiles
    the build's temporaries left hundreds of MB resident (bench/ann_million.py); bench/import_throughput.py too. On a
    system without glibc: nothing."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class _GrowingMatrix:
    """Rows written one at a time into a preallocated array that grows by half when full (a build never holds a list
    of per-row arrays and a stacked copy at once: at 1M profiles that was twice the vectors' size). dtype int8: an
    Int8Rows."""

    def __init__(self, dim: int, dtype, capacity: int):
        capacity = max(capacity, 1024)
        self.array = Int8Rows.zeros(capacity, dim) if np.dtype(dtype) == np.int8 else \
            np.zeros((capacity, dim), dtype=dtype)

    def put(self, row: int, vector: np.ndarray) -> None:
        if row >= len(self.array):
            size = len(self.array) + len(self.array) // 2 + 1
            if isinstance(self.array, Int8Rows):
                self.array = self.array.grown(size)
            else:
                bigger = np.zeros((size, self.array.shape[1]), self.array.dtype)
                bigger[:len(self.array)] = self.array
                self.array = bigger
        self.array[row] = vector


class SearchIndex:
    def __init__(self, rows: Iterable[IndexRow], dim: int, taxonomy=None, ann_min_rows: int | None = None,
                 expected_rows: int = 0, progress=None):
        """Built in one pass over `rows` (a stream from the store), so 100k profiles never sit in memory twice.
        The lexical (BM25) index is built in the same pass, so it always matches the vectors and filters.

        From `ann_min_rows` profiles on (INTERNAL_HIRE_ANN_MIN_PROFILES), searches take their semantic candidates
        from an in-process HNSW graph (core/matching/ann.py VectorGraph) instead of scanning every row, and the
        vectors and summary vectors are kept as int8 with a per-row scale (Int8Rows; only candidates are scored).
        `expected_rows` sizes the buffers (and decides the precision before the first row); `progress(rows)` is told
        as the build goes."""
        self.dim = dim
        self.ids: list[str] = []
        reduced = ann_min_rows is not None and expected_rows >= ann_min_rows
        vector_rows = _GrowingMatrix(dim, np.int8 if reduced else np.float32, expected_rows)
        summary_rows: _GrowingMatrix | None = None
        has_vector: list[bool] = []
        dept_codes: dict[str, int] = {}
        display_names: list[str] = []
        location_codes: dict[str, int] = {}
        locations: list[int] = []
        dept, open_flags, levels, words, n_skills = [], [], [], [], []
        skill_post: dict[str, list[int]] = defaultdict(list)
        lexical = LexicalIndexBuilder(taxonomy)
        has_summary: list[int] = []
        for i, r in enumerate(rows):
            self.ids.append(r.id)
            ok = r.vector is not None and len(r.vector) == dim
            vector_rows.put(i, r.vector if ok else 0.0)
            has_vector.append(ok)
            if r.summary_vector is not None and len(r.summary_vector) == dim:
                if summary_rows is None:
                    summary_rows = _GrowingMatrix(dim, vector_rows.array.dtype, max(expected_rows, i + 1))
                summary_rows.put(i, r.summary_vector)
                has_summary.append(i)
            if progress is not None and i % 50_000 == 49_999:
                progress(i + 1)
            key = r.department.strip().lower()
            if key not in dept_codes:
                display_names.append(r.department.strip())
            dept.append(dept_codes.setdefault(key, len(dept_codes)))
            locations.append(location_codes.setdefault(r.location.strip().lower(), len(location_codes)))
            open_flags.append(r.open_to_moves)
            levels.append(level_rank(r.level) or 0)
            words.append(r.profile_words)
            n_skills.append(len(r.skill_ids))
            for sid in set(r.skill_ids):
                skill_post[sid].append(i)
            lexical.add(i, r.terms, r.skill_ids)
        n = len(self.ids)
        self.n = n
        self.row_of = {eid: i for i, eid in enumerate(self.ids)}
        self.has_vector = np.array(has_vector, dtype=bool)
        use_graph = ann_min_rows is not None and n >= ann_min_rows and n > 0
        if use_graph and not reduced:
            vector_rows.array = Int8Rows.from_array(vector_rows.array[:n])
            if summary_rows is not None:
                summary_rows.array = Int8Rows.from_array(summary_rows.array[:n])
        # float32 for the exact scan (numpy has no fast reduced-precision product: float16 was 14x slower measured);
        # int8 with a per-row scale (Int8Rows) only with the graph, where just the candidates are scored.
        self._vector_buffer = vector_rows.array
        self.vectors = self._vector_buffer[:n]
        self._summary_buffer = summary_rows.array if summary_rows is not None else \
            _GrowingMatrix(dim, vector_rows.array.dtype, 0).array[:0]
        self.summaries = self._summary_buffer[:n if summary_rows is not None else 0]
        self.has_summary = np.zeros(n, dtype=bool)
        self.has_summary[has_summary] = True
        del has_summary, vector_rows, summary_rows
        self.dept_code = np.array(dept, dtype=np.int32)
        self.dept_codes = dept_codes
        self.dept_display = display_names
        self.location_code = np.array(locations, dtype=np.int32)
        self.location_codes = location_codes
        self.open = np.array(open_flags, dtype=bool)
        self.level = np.array(levels, dtype=np.int8)
        words_arr = np.array(words, dtype=np.float32)
        self.thin = (words_arr < scoring.THIN_PROFILE_WORDS) | (np.array(n_skills, dtype=np.int32) == 0)
        self.completeness = np.minimum(1.0, words_arr / scoring.FULL_PROFILE_WORDS).astype(np.float32)
        self.skill_postings = {k: np.array(v, dtype=np.int32) for k, v in skill_post.items()}
        self.lexical = lexical.build(n)
        self.years = self.lexical.years
        self.rank = np.array([profile_rank(int(levels[i]), None if np.isnan(self.years[i]) else float(self.years[i]),
                                           " ".join(self.lexical.title_tokens[i])) for i in range(n)], dtype=np.int8)
        self.lexical.title_tokens = []
        # The build's per-row Python lists and the BM25 builder are dropped before the graph is built, which is when
        # the memory peaks (at 1M rows they are hundreds of MB of Python objects).
        del lexical, skill_post, dept, open_flags, levels, words, n_skills, locations, has_vector, words_arr
        if use_graph:
            return_freed_memory()
        self.taxonomy = taxonomy                 # not saved (SearchIndex.save): the loader sets it back
        self.graph = None                        # the HNSW graph over the vectors, from ann_min_rows profiles on
        if use_graph:
            from core.matching.ann import VectorGraph

            self.graph = VectorGraph(dim)
            self.graph.add_chunked(self.vectors, self.has_vector, threads=blas.wide_threads(),
                                   progress=(lambda done: progress(n, graph=done)) if progress else None)
        self.alive = np.ones(n, dtype=bool)      # False: the profile was deleted after the build
        self.live = n
        self._stale = np.zeros(n, dtype=bool)    # True: the row's built skill postings are out of date (see _overlay)
        self._overlay: dict[int, frozenset] = {}   # row -> its skills now
        self._overlay_skills: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return self.live

    @property
    def changed_rows(self) -> int:
        """Rows changed since the build (what a rebuild would fold back in)."""
        return len(self._overlay) + int(self.n - self.live)

    def skill_rows(self, skill_id: str) -> np.ndarray | None:
        return self._rows(self.skill_postings, self._overlay_skills, skill_id)

    def _rows(self, built: dict, overlay: dict, key: str) -> np.ndarray | None:
        post = built.get(key)
        if self._overlay or self.live != self.n:
            if post is not None:
                post = post[~self._stale[post]]
            extra = overlay.get(key)
            if extra is not None:
                post = extra if post is None else np.concatenate([post, extra])
            if post is not None and not len(post):
                return None
        return post

    # ---- following profile writes ----------------------------------------------------------------------------
    def with_changes(self, rows: list[IndexRow], deleted: Iterable[str] = ()) -> "SearchIndex":
        """A new index with these rows added or replaced and `deleted` ids removed; this one is left as it was
        (except the vectors and summary vectors of replaced rows, overwritten in place: a search running meanwhile
        scores that profile with its old or its new vector). BM25 follows through LexicalIndex.with_changes (the
        changed rows are scored with the build's idf and average length until the next rebuild); the seniority
        rank and years of changed rows are recomputed as the build computes them."""
        new = copy.copy(self)
        new._masks = {}           # the filters' masks of this index do not hold for the new one
        known = [r for r in rows if r.id in self.row_of]
        added = [r for r in rows if r.id not in self.row_of]
        gone = [self.row_of[eid] for eid in dict.fromkeys(deleted) if eid in self.row_of]
        n = self.n + len(added)
        new.ids = self.ids + [r.id for r in added] if added else self.ids
        new.row_of = dict(self.row_of) if added else self.row_of
        for i, r in enumerate(added):
            new.row_of[r.id] = self.n + i

        def grown(buffer: np.ndarray, current: np.ndarray) -> np.ndarray:
            if n > len(buffer):     # room for a quarter more, so a stream of new hires does not copy every time
                if isinstance(current, Int8Rows):
                    return current.grown(n + max(64, n // 4))
                bigger = np.zeros((n + max(64, n // 4), self.dim), dtype=self.vectors.dtype)
                bigger[:len(current)] = current
                return bigger
            return buffer

        new._vector_buffer = grown(self._vector_buffer, self.vectors)
        new.vectors = new._vector_buffer[:n]
        changed = known + added
        wants_summaries = len(self.summaries) or any(
            r.summary_vector is not None and len(r.summary_vector) == self.dim for r in changed)
        if wants_summaries:
            buffer = self._summary_buffer if len(self.summaries) else \
                _GrowingMatrix(self.dim, self.vectors.dtype, 0).array[:0]
            new._summary_buffer = grown(buffer, self.summaries)
            new.summaries = new._summary_buffer[:n]

        def extended(array: np.ndarray, fill) -> np.ndarray:
            out = np.empty(n, dtype=array.dtype)
            out[:self.n] = array
            out[self.n:] = fill
            return out

        new.has_vector = extended(self.has_vector, False)
        new.has_summary = extended(self.has_summary, False)
        new.dept_code = extended(self.dept_code, 0)
        new.location_code = extended(self.location_code, 0)
        new.open = extended(self.open, False)
        new.level = extended(self.level, 0)
        new.thin = extended(self.thin, True)
        new.completeness = extended(self.completeness, 0.0)
        new.rank = extended(self.rank, 0)
        new.alive = extended(self.alive, True)
        new._stale = extended(self._stale, True)
        new.dept_codes, new.dept_display = dict(self.dept_codes), list(self.dept_display)
        new.location_codes = dict(self.location_codes)
        new._overlay = dict(self._overlay)
        lexical_changed: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}   # row -> (terms, skills), this step
        for row in gone:
            new.alive[row] = False
            new.has_vector[row] = False
            new.has_summary[row] = False
            new._stale[row] = True
            new._overlay.pop(row, None)
        for r in changed:
            row = new.row_of[r.id]
            ok = r.vector is not None and len(r.vector) == self.dim
            new.vectors[row] = r.vector if ok else 0.0
            new.has_vector[row] = ok
            has_summary = r.summary_vector is not None and len(r.summary_vector) == self.dim
            if wants_summaries:
                new.summaries[row] = r.summary_vector if has_summary else 0.0
            new.has_summary[row] = has_summary
            key = r.department.strip().lower()
            if key not in new.dept_codes:
                new.dept_display.append(r.department.strip())
            new.dept_code[row] = new.dept_codes.setdefault(key, len(new.dept_codes))
            new.location_code[row] = new.location_codes.setdefault(r.location.strip().lower(),
                                                                   len(new.location_codes))
            new.open[row] = r.open_to_moves
            new.level[row] = level_rank(r.level) or 0
            words = float(r.profile_words)
            new.thin[row] = words < scoring.THIN_PROFILE_WORDS or not r.skill_ids
            new.completeness[row] = min(1.0, words / scoring.FULL_PROFILE_WORDS)
            new.alive[row] = True
            new._stale[row] = True
            new._overlay[row] = frozenset(r.skill_ids)
            lexical_changed[row] = (tuple(r.terms), tuple(r.skill_ids))
        # BM25: this step's documents into the lexical overlay, this step's deleted rows matching nothing.
        new.lexical = self.lexical.with_changes(n, lexical_changed, [row for row in gone if row not in lexical_changed],
                                                taxonomy=getattr(self, "taxonomy", None))
        new.years = new.lexical.years
        for r in changed:
            row = new.row_of[r.id]
            years = float(new.years[row])
            title = decode_document(r.terms).title
            new.rank[row] = profile_rank(int(new.level[row]), None if np.isnan(years) else years, " ".join(title))
        # The overlay postings change only for the skills the changed rows had or have now: one pass over those rows.
        touched = sorted(set(gone) | {new.row_of[r.id] for r in changed})
        is_touched = np.zeros(n, dtype=bool)
        is_touched[touched] = True
        fresh: dict[str, list[int]] = defaultdict(list)
        keys = set()
        for row in touched:
            keys.update(self._overlay.get(row, ()))
            for key in new._overlay.get(row, ()):
                fresh[key].append(row)
        keys.update(fresh)
        post = dict(self._overlay_skills)
        for key in keys:
            kept = post.get(key)
            if kept is not None:
                kept = kept[~is_touched[kept]]
                merged = np.concatenate([kept, np.array(fresh.get(key, ()), dtype=np.int32)])
            else:
                merged = np.array(fresh.get(key, ()), dtype=np.int32)
            if len(merged):
                post[key] = merged
            else:
                post.pop(key, None)
        new._overlay_skills = post
        new.n, new.live = n, int(new.alive.sum())
        graph = getattr(self, "graph", None)
        if graph is not None:     # shared with this index: its searches drop rows they do not know
            placed = [new.row_of[r.id] for r in changed]
            with_vector = np.array([row for row in placed if new.has_vector[row]], dtype=np.int64)
            graph.remove(list(gone) + [row for row in placed if not new.has_vector[row]])
            graph.add(with_vector, new.vectors[with_vector])
        return new

    # ---- persistence: a cold start maps the saved index instead of re-reading every row -----------------------
    def save(self, folder: Path, stamp: dict) -> None:
        """Write the index to `folder` (replaced atomically): the vectors as a .npy file that `load` memory-maps, the
        rest pickled, and `stamp` (what it was built from) for the caller to validate."""
        folder = Path(folder)
        tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        _save_matrix(tmp / "vectors.npy", self.vectors)
        _save_matrix(tmp / "summaries.npy", self.summaries)
        state = {k: v for k, v in self.__dict__.items()
                 if k not in ("vectors", "_vector_buffer", "summaries", "_summary_buffer", "taxonomy", "graph",
                              "_masks")}
        if getattr(self, "graph", None) is not None:
            self.graph.save(tmp)
        with open(tmp / "index.pkl", "wb") as f:
            pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
        (tmp / "stamp.json").write_text(json.dumps({**stamp, "format": SNAPSHOT_FORMAT}), encoding="utf-8")
        old = folder.with_name(folder.name + f".old{os.getpid()}")
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def saved_stamp(folder: Path) -> dict | None:
        try:
            stamp = json.loads((Path(folder) / "stamp.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return stamp if stamp.get("format") == SNAPSHOT_FORMAT else None

    @classmethod
    def load(cls, folder: Path) -> "SearchIndex":
        folder = Path(folder)
        index = cls.__new__(cls)
        with open(folder / "index.pkl", "rb") as f:
            index.__dict__.update(pickle.load(f))
        # copy-on-write mapping: pages are read when first scanned, and a changed row never writes to the file
        index.vectors = Int8Rows.load(folder / "vectors.npy")
        index._vector_buffer = index.vectors
        index.summaries = Int8Rows.load(folder / "summaries.npy")
        index._summary_buffer = index.summaries
        index.taxonomy = None
        index.graph = None
        if (folder / "graph.usearch").exists():
            from core.matching.ann import VectorGraph

            index.graph = VectorGraph.load(folder, index.dim, "i8")
        return index

    def fault_in(self) -> None:
        """Map every page of the memory-mapped vectors and summary vectors now (a saved index is mapped lazily, and
        a page first touched by a search costs that search ~5 us a row it gathers: the first searches' p99). One
        strided read; about 25 ms of CPU at 100k profiles. A server calls it while it warms up. Not with the vector
        graph: its searches read only their candidates' rows, and mapping every page would add them all to the
        process's resident memory (1 GB at 1M profiles)."""
        if getattr(self, "graph", None) is not None:
            return
        for matrix in (self.vectors, self.summaries):
            codes = matrix.codes if isinstance(matrix, Int8Rows) else matrix
            if not isinstance(codes, np.memmap) or not codes.size:
                continue
            flat = codes.reshape(-1)
            step = max(1, 4096 // codes.itemsize)          # one element a page
            for start in range(0, len(flat), step * 4096):  # 16 MB at a time: other threads get the GIL between
                flat[start:start + step * 4096:step].max()

    def _scan(self, query: np.ndarray) -> np.ndarray:
        """Cosine of every row: BLAS threads only where they pay (core/blas.py; bench/search_latency.py --threads)."""
        if self.n >= SCAN_WIDE_ROWS:
            with blas.wide():
                return self.vectors @ query
        return self.vectors @ query

    def _summary_similarity(self, query: np.ndarray, candidates: np.ndarray | None) -> np.ndarray:
        q = np.asarray(query, dtype=np.float32)
        if candidates is None:
            cos = self.summaries @ q
        else:
            cos = np.zeros(self.n, dtype=np.float32)
            picked = np.flatnonzero(candidates)
            cos[picked] = _rows_dot(self.summaries, picked, q)
        return np.clip((cos - scoring.SUMMARY_FLOOR) / (scoring.SUMMARY_CEIL - scoring.SUMMARY_FLOOR), 0, 1)

    def _summary_rows(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        query = np.asarray(query, dtype=np.float32)
        if len(rows) * GATHER_SHARE > self.n and not isinstance(self.summaries, Int8Rows):
            return self._summary_all(query)[rows]     # many rows: one sequential scan beats gathering them
        cos = _rows_dot(self.summaries, rows, query)
        return np.clip((cos - scoring.SUMMARY_FLOOR) / (scoring.SUMMARY_CEIL - scoring.SUMMARY_FLOOR), 0, 1)

    def _summary_all(self, query: np.ndarray) -> np.ndarray:
        """The calibrated summary similarity of every row (one scan)."""
        cos = self.summaries @ np.asarray(query, dtype=np.float32)
        return np.clip((cos - scoring.SUMMARY_FLOOR) / (scoring.SUMMARY_CEIL - scoring.SUMMARY_FLOOR), 0, 1)

    def eligible_mask(self, filters: SearchFilters) -> np.ndarray:
        """Rows the filters allow (a new array the caller may change)."""
        return self._eligible(filters)[0].copy()

    def _eligible(self, filters: SearchFilters) -> tuple[np.ndarray, int]:
        """(rows the filters allow, how many), kept per filters for this index (an index never changes after it is
        made: with_changes makes a new one), so repeated requests skip the department and location look-ups."""
        cache = self.__dict__.setdefault("_masks", {})
        hit = cache.get(filters)
        if hit is None:
            mask = self._filter_mask(filters)
            mask.flags.writeable = False
            hit = (mask, int(mask.sum()))
            if len(cache) >= MASK_CACHE_SIZE:
                cache.clear()        # (not one by one: another thread may be adding meanwhile)
            cache[filters] = hit
        return hit

    def _filter_mask(self, filters: SearchFilters) -> np.ndarray:
        mask = self.alive.copy()
        if filters.departments:
            codes = [self.dept_codes[d.strip().lower()] for d in filters.departments if d.strip().lower() in self.dept_codes]
            mask &= np.isin(self.dept_code, np.array(codes, dtype=np.int32))
        if filters.exclude_departments:
            codes = [self.dept_codes[d.strip().lower()] for d in filters.exclude_departments
                     if d.strip().lower() in self.dept_codes]
            if codes:
                mask &= ~np.isin(self.dept_code, np.array(codes, dtype=np.int32))
        if filters.locations:
            codes = [self.location_codes[x.strip().lower()] for x in filters.locations
                     if x.strip().lower() in self.location_codes]
            mask &= np.isin(self.location_code, np.array(codes, dtype=np.int32))
        if filters.open_only:
            mask &= self.open
        if filters.min_level:
            mask &= self.level >= filters.min_level
        if filters.max_level:
            mask &= (self.level <= filters.max_level) & (self.level > 0)
        for eid in filters.exclude_ids:
            row = self.row_of.get(eid)
            if row is not None:
                mask[row] = False
        return mask

    def signals(self, query_vector: np.ndarray | None, lexical_terms: list[str], query_skills: list[str],
                related_of: dict[str, tuple[str, ...]], filters: SearchFilters, want: int = 10,
                ann_search=None, ask: SeniorityAsk = SeniorityAsk(),
                summary_vector: np.ndarray | None = None) -> Signals:
        """Raw signals of every row. With `ann_search` (a database's vector index), only the eligible nearest
        neighbours, the best BM25 rows and everyone holding a requested skill are candidates, instead of every row.

        `lexical_terms`: words, or groups of alternative words (a tuple: the same word in English and Korean, from
        core/matching/bridge.py); a group counts as its best word in each profile.
        `summary_vector`: the request's language-neutral text embedded (BridgedRequest.canonical), compared with
        each profile's summary vector; scoring.fuse blends it into the semantic part with weight scoring.W_SUMMARY."""
        n = self.n
        mask, total = self._eligible(filters)
        bm25, lexical_rows = self.lexical.scores_and_rows(lexical_terms)
        candidates = None
        rows = self._ann_candidates(query_vector, query_skills, bm25, lexical_rows, mask, total, want, ann_search)
        if rows is not None:
            candidates = np.zeros(n, dtype=bool)
            candidates[rows] = True

        cosine = np.zeros(n, dtype=np.float32)
        if query_vector is not None and n:
            query = np.asarray(query_vector, dtype=np.float32)
            if candidates is None:
                cosine = self._scan(query)
            else:   # only the candidates: the point of having a vector index
                picked = np.flatnonzero(candidates)
                cosine[picked] = _rows_dot(self.vectors, picked, query)
            cosine[~self.has_vector] = 0.0
        summary = None
        if summary_vector is not None and n and len(self.summaries):
            summary = self._summary_similarity(summary_vector, candidates)
            summary[~(self.has_summary & self.has_vector)] = np.nan    # nan: no summary, the raw text alone

        skills = np.zeros(n, dtype=np.float32)
        if query_skills:
            for sid in query_skills:
                credit = np.zeros(n, dtype=np.float32)
                for rel in related_of.get(sid, ()):
                    post = self.skill_rows(rel)
                    if post is not None:
                        credit[post] = scoring.RELATED_CREDIT
                post = self.skill_rows(sid)
                if post is not None:
                    credit[post] = 1.0
                skills += credit
            skills /= len(query_skills)
        return Signals(cosine, bm25, skills, scoring.seniority_factor(self.rank, self.years, ask), bool(query_skills),
                       self.lexical.coverage(lexical_terms), mask.copy() if candidates is None else candidates, total,
                       summary)

    def _ann_candidates(self, query_vector, query_skills, bm25, lexical_rows, mask, total: int, want: int,
                        ann_search) -> np.ndarray | None:
        """With `ann_search` (a database's vector index) or the in-process graph: the eligible rows worth scoring (the
        eligible nearest neighbours, the best BM25 rows, the holders of a requested skill), ascending; None when every
        row is scored exactly."""
        graph = getattr(self, "graph", None)
        if not ((ann_search is not None or graph is not None) and query_vector is not None and self.n):
            return None
        from core.matching import ann

        if ann_search is not None:
            rows, _ = ann.eligible_neighbours(ann_search, query_vector, self.row_of, mask, want)
        elif total <= ann.EXACT_ELIGIBLE_ROWS:
            rows = np.flatnonzero(mask)      # few enough people pass the filters: all of them, exactly
        else:
            rows, _ = ann.eligible_rows(graph.search, query_vector, mask, want, total, min_fetch=ann.GRAPH_MIN_FETCH)
        parts = [np.asarray(rows, dtype=np.int64)]
        # The skill holders and BM25 rows are taken among the ELIGIBLE people (taking the best overall and filtering
        # afterwards kept 4 % of them under a 4 % filter), and with the graph the best LEXICAL_CANDIDATES_MOST BM25
        # rows: they reach the top rows the semantic neighbours miss (bench/ann_million.py at 1M: fused recall@10
        # 0.92 with 40 of them, 1.00 with 400 or 800).
        for sid in query_skills:
            post = self.skill_rows(sid)
            if post is not None:
                post = post[mask[post]]
                if graph is not None and len(post) > SKILL_CANDIDATES_MOST:   # the holders the text fits best
                    post = post[np.argpartition(-bm25[post], SKILL_CANDIDATES_MOST)[:SKILL_CANDIDATES_MOST]]
                parts.append(post)
        hits = lexical_rows[mask[lexical_rows]]
        most = max(4 * want, LEXICAL_CANDIDATES_MOST if graph is not None and ann_search is None else 0)
        if len(hits) > most:
            hits = hits[np.argpartition(-bm25[hits], most - 1)[:most]]
        parts.append(hits)
        picked = np.unique(np.concatenate(parts).astype(np.int64, copy=False))
        return picked[mask[picked]]

    def _skill_credit(self, query_skills: list[str], related_of: dict, rows: np.ndarray) -> np.ndarray:
        """signals().skills for `rows` only (ascending): the same floats, from the postings of the requested and
        related skills."""
        out = np.zeros(len(rows), dtype=np.float32)
        if not query_skills or not len(rows):
            return out
        postings = {key: self.skill_rows(key) for sid in query_skills for key in (sid, *related_of.get(sid, ()))}
        named = sum(len(post) for post in postings.values() if post is not None)
        if named * max(1, int(len(rows)).bit_length()) < self.n:     # few holders: look each up among the rows
            def local(post):
                at = np.searchsorted(rows, post)
                inside = at < len(rows)
                at, post = at[inside], post[inside]
                return at[rows[at] == post]
        else:                                                         # many: one map from row to position
            position = np.full(self.n, -1, dtype=np.int32)
            position[rows] = np.arange(len(rows), dtype=np.int32)

            def local(post):
                at = position[post]
                return at[at >= 0]

        for sid in query_skills:
            credit = np.zeros(len(rows), dtype=np.float32)
            for rel in related_of.get(sid, ()):
                post = postings[rel]
                if post is not None:
                    credit[local(post)] = scoring.RELATED_CREDIT
            post = postings[sid]
            if post is not None:
                credit[local(post)] = 1.0
            out += credit
        out /= len(query_skills)
        return out

    def _compact(self, rows, cosine, bm25, query_skills, related_of, ask, coverage: float, summaries: bool):
        """Signals of `rows` only (ascending, all eligible), and which of them have a summary to compare."""
        has_vector = self.has_vector[rows]
        cos = np.where(has_vector, cosine, np.float32(0.0)) if cosine is not None else \
            np.zeros(len(rows), dtype=np.float32)
        sig = Signals(cos.astype(np.float32, copy=False), bm25[rows],
                      self._skill_credit(query_skills, related_of, rows),
                      scoring.seniority_factor(self.rank[rows], self.years[rows], ask), bool(query_skills), coverage,
                      np.ones(len(rows), dtype=bool), len(rows))
        has_summary = self.has_summary[rows] & has_vector if summaries else np.zeros(len(rows), dtype=bool)
        return sig, has_summary

    def score(self, query_vector: np.ndarray | None, query_terms: list[str], query_skills: list[str],
              related_of: dict[str, tuple[str, ...]], filters: SearchFilters, limit: int, offset: int = 0,
              ann_search=None, ask: SeniorityAsk = SeniorityAsk(),
              summary_vector: np.ndarray | None = None) -> ScoredRows:
        """Fused 0-100 scores, filtered before the top k: the same rows and scores as scoring.fuse over signals()
        (tests/unit/test_search_exactness.py), best first, ties by employee id. `query_terms` are stemmed lexical
        terms (core.matching.lexical.expand_request).

        Only the rows that can reach the top are scored (the cosine scan still covers every row, or the candidates
        of the vector graph / database index): every profile with keyword or skill evidence, the best by cosine, and
        whoever else scoring.cosine_needed says could still reach the k-th best score found. So the work after the
        scan follows the number of such rows, not the organisation's size."""
        n = self.n
        want = offset + limit
        mask, total = self._eligible(filters)
        if total == 0 or want <= 0:
            empty = np.zeros(0, dtype=np.int64)
            return ScoredRows(empty, np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), total)
        bm25, lexical_rows = self.lexical.scores_and_rows(query_terms)
        coverage = self.lexical.coverage(query_terms)
        summaries = summary_vector is not None and n > 0 and len(self.summaries) > 0
        query = np.asarray(query_vector, dtype=np.float32) if query_vector is not None and n else None
        summary_query = np.asarray(summary_vector, dtype=np.float32) if summaries else None
        weights = scoring.fusion_weights(bool(query_skills), coverage)

        known = _SummaryMemo(self, summary_query) if summaries else None

        def fused_rows(rows: np.ndarray, cosine: np.ndarray | None, lexical_best: float | None):
            sig, has_summary = self._compact(rows, cosine, bm25, query_skills, related_of, ask, coverage, summaries)
            fused = scoring.fuse_top(sig, self.completeness[rows], self.thin[rows], has_summary,
                                     lambda local: known(rows[local]), want,
                                     lexical_best=lexical_best, one_pass_rows=n // GATHER_SHARE)
            return sig, fused

        candidates = self._ann_candidates(query_vector, query_skills, bm25, lexical_rows, mask, total, want,
                                          ann_search)
        if candidates is not None:      # only the candidates: the point of having a vector index
            rows = candidates
            cosine = _rows_dot(self.vectors, rows, query) if len(rows) else np.zeros(0, dtype=np.float32)
            sig, fused = fused_rows(rows, cosine, None)       # BM25 relative to the best candidate
        else:
            rows, sig, fused = self._exact_top(query, bm25, lexical_rows, query_skills, related_of, mask, total,
                                               want, summaries, weights, fused_rows)
        final = fused.final
        k = min(want, len(rows))
        if k <= 0:
            empty = np.zeros(0, dtype=np.int64)
            return ScoredRows(empty, np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), total)
        kth = np.partition(final, len(final) - k)[len(final) - k]
        best = np.flatnonzero(final >= kth)       # the top k and everyone tied with the k-th
        # Best first; ties broken by employee id so pages are stable.
        order = sorted(best.tolist(), key=lambda j: (-final[j], self.ids[rows[j]]))[offset:offset + limit]
        local = np.array(order, dtype=np.int64)
        picked = rows[local]
        return ScoredRows(picked, final[local], fused.semantic[local], fused.lexical[local], sig.skills[local],
                          self.completeness[picked], total, sig.seniority[local])

    def _exact_top(self, query, bm25, lexical_rows, query_skills, related_of, mask, total, want, summaries, weights,
                   fused_rows):
        """Every eligible row considered, few scored: (rows scored, their signals, their fused scores).

        1. The best eligible rows by cosine and by BM25 are scored exactly: their k-th best score is a floor that
           the top k reaches. 2. Every other eligible row is bounded from above (scoring.score_bound: completeness,
           seniority and summary similarity at their best), from its cosine, its BM25 and whether it holds a
           requested skill; the rows whose bound reaches the floor are scored too. A row with neither keyword nor
           skill evidence is bounded by its cosine alone (scoring.cosine_needed), so it is one comparison a row."""
        n = self.n
        cosine = self._scan(query) if query is not None else None
        eligible_hits = lexical_rows[mask[lexical_rows]]
        lexical_best = float(bm25[eligible_hits].max()) if len(eligible_hits) else 0.0

        def scored(picked: np.ndarray):
            rows = np.flatnonzero(picked)
            return (rows, *fused_rows(rows, cosine[rows] if cosine is not None else None, lexical_best))

        picked = np.zeros(n, dtype=bool)
        if cosine is not None:
            seeds = min(n, max(SEED_ROWS, 4 * want) * max(1, -(-n // max(total, 1))))
            picked[np.argpartition(cosine, n - seeds)[n - seeds:] if seeds < n else slice(None)] = True
        if len(eligible_hits) > SEED_ROWS:
            eligible_hits = eligible_hits[np.argpartition(-bm25[eligible_hits], SEED_ROWS)[:SEED_ROWS]]
        picked[eligible_hits] = True
        picked &= mask
        rows, sig, fused = scored(picked)
        if len(rows) >= total:
            return rows, sig, fused
        k = min(want, len(rows))
        floor = np.partition(fused.final, len(rows) - k)[len(rows) - k] - 1e-3 if k >= min(want, total) else -np.inf
        if floor == -np.inf:
            return scored(mask)
        # rows with keyword or skill evidence, not scored yet: bounded one by one
        evidence = np.zeros(n, dtype=bool)
        evidence[lexical_rows] = True
        held = np.zeros(n, dtype=bool) if query_skills else None
        for sid in query_skills:
            for key in (sid, *related_of.get(sid, ())):
                post = self.skill_rows(key)
                if post is not None:
                    held[post] = True
        if held is not None:
            evidence |= held
        evidence &= mask & ~picked
        others = np.flatnonzero(evidence)
        if len(others):
            bound = scoring.score_bound(
                cosine[others] if cosine is not None else np.zeros(len(others), dtype=np.float32),
                bm25[others] / lexical_best if lexical_best > 0 else np.zeros(len(others), dtype=np.float32),
                held[others] if held is not None else np.zeros(len(others), dtype=bool), weights, summaries)
            more = others[bound >= floor]
        else:
            more = others
        # rows with neither: their cosine alone
        needed = scoring.cosine_needed(floor, weights[0], summaries)
        if needed == -np.inf:
            plain = np.flatnonzero(mask & ~picked & ~evidence)
        elif needed == np.inf or cosine is None:       # (no query vector: every cosine is 0, and needed > 0)
            plain = np.zeros(0, dtype=np.int64)
        else:
            plain = np.flatnonzero(cosine >= np.float32(needed - 1e-6))
            plain = plain[mask[plain] & ~picked[plain]]
        if not len(more) and not len(plain):
            return rows, sig, fused
        picked[more] = True
        picked[plain] = True
        return scored(picked)
