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
import math
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
from core.ports import IndexRow


# From this many rows the exact scan runs with the wide BLAS pool: below it (and on a busy 2-core machine at 100k) the
# pool's start-up and spinning cost more than the second core saves (bench/search_latency.py --threads).
SCAN_WIDE_ROWS = 500_000
SNAPSHOT_FORMAT = 1        # bump when SearchIndex's attributes change: an older saved index is then rebuilt


@dataclass
class ScoredRows:
    rows: np.ndarray          # row indices, best first
    scores: np.ndarray        # final 0-100 floats for those rows
    semantic: np.ndarray
    lexical: np.ndarray
    skills: np.ndarray
    completeness: np.ndarray
    total_eligible: int


class SearchIndex:
    def __init__(self, rows: Iterable[IndexRow], dim: int):
        """Built in one pass over `rows` (a stream from the store), so 100k profiles never sit in memory twice."""
        self.dim = dim
        self.ids: list[str] = []
        vectors: list[np.ndarray] = []
        has_vector: list[bool] = []
        dept_codes: dict[str, int] = {}
        display_names: list[str] = []
        location_codes: dict[str, int] = {}
        locations: list[int] = []
        dept, open_flags, levels, words, n_skills = [], [], [], [], []
        skill_post: dict[str, list[int]] = defaultdict(list)
        term_post: dict[str, list[int]] = defaultdict(list)
        zero = np.zeros(dim, dtype=np.float32)
        for i, r in enumerate(rows):
            self.ids.append(r.id)
            ok = r.vector is not None and len(r.vector) == dim
            vectors.append(r.vector if ok else zero)
            has_vector.append(ok)
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
            for term in set(r.terms):
                term_post[term].append(i)
        n = len(self.ids)
        self.n = n
        self.row_of = {eid: i for i, eid in enumerate(self.ids)}
        self.vectors = np.vstack(vectors).astype(np.float32, copy=False) if n else np.zeros((0, dim), np.float32)
        del vectors
        self.has_vector = np.array(has_vector, dtype=bool)
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
        self.term_postings = {k: np.array(v, dtype=np.int32) for k, v in term_post.items()}
        self._vector_buffer = self.vectors       # rows [n, capacity) are room for profiles added later
        self.alive = np.ones(n, dtype=bool)      # False: the profile was deleted after the build
        self.live = n
        self._stale = np.zeros(n, dtype=bool)    # True: the row's built postings are out of date (see _overlay)
        self._overlay: dict[int, tuple[frozenset, frozenset]] = {}   # row -> (skills, terms) now
        self._overlay_skills: dict[str, np.ndarray] = {}
        self._overlay_terms: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return self.live

    @property
    def changed_rows(self) -> int:
        """Rows changed since the build (what a rebuild would fold back in)."""
        return len(self._overlay) + int(self.n - self.live)

    def skill_rows(self, skill_id: str) -> np.ndarray | None:
        return self._rows(self.skill_postings, self._overlay_skills, skill_id)

    def term_rows(self, term: str) -> np.ndarray | None:
        return self._rows(self.term_postings, self._overlay_terms, term)

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

    def idf(self, term: str) -> float:
        post = self.term_rows(term)
        df = 0 if post is None else len(post)
        return math.log(1 + (self.live - df + 0.5) / (df + 0.5))

    # ---- following profile writes ----------------------------------------------------------------------------
    def with_changes(self, rows: list[IndexRow], deleted: Iterable[str] = ()) -> "SearchIndex":
        """A new index with these rows added or replaced and `deleted` ids removed; this one is left as it was
        (except the vectors of replaced rows, overwritten in place: a search running meanwhile scores that profile
        with its old or its new vector)."""
        new = copy.copy(self)
        known = [r for r in rows if r.id in self.row_of]
        added = [r for r in rows if r.id not in self.row_of]
        gone = [self.row_of[eid] for eid in dict.fromkeys(deleted) if eid in self.row_of]
        n = self.n + len(added)
        new.ids = self.ids + [r.id for r in added] if added else self.ids
        new.row_of = dict(self.row_of) if added else self.row_of
        for i, r in enumerate(added):
            new.row_of[r.id] = self.n + i
        buffer = self._vector_buffer
        if n > len(buffer):     # room for a quarter more, so a stream of new hires does not copy every time
            buffer = np.zeros((n + max(64, n // 4), self.dim), dtype=np.float32)
            buffer[:self.n] = self.vectors
            new._vector_buffer = buffer
        new.vectors = buffer[:n]

        def extended(array: np.ndarray, fill) -> np.ndarray:
            out = np.empty(n, dtype=array.dtype)
            out[:self.n] = array
            out[self.n:] = fill
            return out

        new.has_vector = extended(self.has_vector, False)
        new.dept_code = extended(self.dept_code, 0)
        new.location_code = extended(self.location_code, 0)
        new.open = extended(self.open, False)
        new.level = extended(self.level, 0)
        new.thin = extended(self.thin, True)
        new.completeness = extended(self.completeness, 0.0)
        new.alive = extended(self.alive, True)
        new._stale = extended(self._stale, True)
        new.dept_codes, new.dept_display = dict(self.dept_codes), list(self.dept_display)
        new.location_codes = dict(self.location_codes)
        new._overlay = dict(self._overlay)
        for row in gone:
            new.alive[row] = False
            new.has_vector[row] = False
            new._stale[row] = True
            new._overlay.pop(row, None)
        for r in known + added:
            row = new.row_of[r.id]
            ok = r.vector is not None and len(r.vector) == self.dim
            new.vectors[row] = r.vector if ok else 0.0
            new.has_vector[row] = ok
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
            new._overlay[row] = (frozenset(r.skill_ids), frozenset(r.terms))
        # The overlay postings change only for the keys the changed rows had or have now: one pass over those rows.
        touched = sorted(set(gone) | {new.row_of[r.id] for r in known + added})
        is_touched = np.zeros(n, dtype=bool)
        is_touched[touched] = True
        for part, (old_post, attr) in enumerate(((self._overlay_skills, "_overlay_skills"),
                                                 (self._overlay_terms, "_overlay_terms"))):
            fresh: dict[str, list[int]] = defaultdict(list)
            keys = set()
            for row in touched:
                entry = self._overlay.get(row)
                if entry is not None:
                    keys.update(entry[part])
                entry = new._overlay.get(row)
                if entry is not None:
                    for key in entry[part]:
                        fresh[key].append(row)
            keys.update(fresh)
            post = dict(old_post)
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
            setattr(new, attr, post)
        new.n, new.live = n, int(new.alive.sum())
        return new

    # ---- persistence: a cold start maps the saved index instead of re-reading every row -----------------------
    def save(self, folder: Path, stamp: dict) -> None:
        """Write the index to `folder` (replaced atomically): the vectors as a .npy file that `load` memory-maps, the
        rest pickled, and `stamp` (what it was built from) for the caller to validate."""
        folder = Path(folder)
        tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        np.save(tmp / "vectors.npy", np.ascontiguousarray(self.vectors))
        state = {k: v for k, v in self.__dict__.items() if k not in ("vectors", "_vector_buffer")}
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
        index.vectors = np.load(folder / "vectors.npy", mmap_mode="c")
        index._vector_buffer = index.vectors
        return index

    def _scan(self, query: np.ndarray) -> np.ndarray:
        """Cosine of every row: BLAS threads only where they pay (core/blas.py; bench/search_latency.py --threads)."""
        if self.n >= SCAN_WIDE_ROWS:
            with blas.wide():
                return self.vectors @ query
        return self.vectors @ query

    def eligible_mask(self, filters: SearchFilters) -> np.ndarray:
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

    def score(self, query_vector: np.ndarray | None, query_terms: list[str], query_skills: list[str],
              related_of: dict[str, tuple[str, ...]], filters: SearchFilters, limit: int, offset: int = 0,
              ann_search=None) -> ScoredRows:
        """Hybrid scores, filtered before the top k. With `ann_search` (a database's vector index), only the
        eligible nearest neighbours plus everyone holding a requested skill are scored, instead of every row."""
        n = self.n
        mask = self.eligible_mask(filters)
        total = int(mask.sum())
        candidates = None
        if ann_search is not None and query_vector is not None and n:
            from core.matching.ann import eligible_neighbours

            rows, _ = eligible_neighbours(ann_search, query_vector, self.row_of, mask, offset + limit)
            candidates = np.zeros(n, dtype=bool)
            candidates[rows] = True
            for sid in query_skills:
                post = self.skill_rows(sid)
                if post is not None:
                    candidates[post] = True
            candidates &= mask

        semantic = np.zeros(n, dtype=np.float32)
        if query_vector is not None and n:
            query = np.asarray(query_vector, dtype=np.float32)
            if candidates is None:
                cos = self._scan(query)
            else:   # only the candidates: the point of having the database's vector index
                cos = np.zeros(n, dtype=np.float32)
                picked = np.flatnonzero(candidates)
                cos[picked] = self.vectors[picked] @ query
            semantic = np.clip((cos - scoring.SEMANTIC_FLOOR) / (scoring.SEMANTIC_CEIL - scoring.SEMANTIC_FLOOR), 0, 1)
            semantic[~self.has_vector] = 0.0

        lexical = np.zeros(n, dtype=np.float32)
        terms = list(dict.fromkeys(query_terms))
        idf_total = sum(self.idf(t) for t in terms)
        if idf_total > 0:
            for t in terms:
                post = self.term_rows(t)
                if post is not None:
                    lexical[post] += self.idf(t)
            lexical /= idf_total

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
            w_sem, w_lex, w_sk = scoring.W_SEMANTIC, scoring.W_LEXICAL, scoring.W_SKILLS
        else:
            spread = scoring.W_SEMANTIC + scoring.W_LEXICAL
            w_sem, w_lex, w_sk = scoring.W_SEMANTIC / spread, scoring.W_LEXICAL / spread, 0.0

        factor = 0.5 + 0.5 * self.completeness
        final = 100.0 * factor * (w_sem * semantic + w_lex * lexical + w_sk * skills)
        final = np.where(self.thin, np.minimum(final, scoring.THIN_PROFILE_CAP), final)

        masked = np.where(mask if candidates is None else candidates, final, -np.inf)
        available = total if candidates is None else int(candidates.sum())
        want = min(offset + limit, available)
        if want <= 0:
            empty = np.zeros(0, dtype=np.int32)
            return ScoredRows(empty, np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), total)
        if want < n:
            top = np.argpartition(-masked, want - 1)[:want]
        else:
            top = np.arange(n)
        # Best first; ties broken by employee id so pages are stable.
        order = sorted(top.tolist(), key=lambda r: (-masked[r], self.ids[r]))
        order = np.array(order[offset:offset + limit], dtype=np.int64)
        return ScoredRows(order, final[order], semantic[order], lexical[order], skills[order],
                          self.completeness[order], total)
