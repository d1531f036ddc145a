"""In-process search index: exact cosine search (numpy) plus lexical and skill postings, with filters applied
before the top k is taken. Used by the embedded default and by any store without native vector search."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from core.domain import SearchFilters, level_rank
from core.matching import scoring
from core.ports import IndexRow


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

    def __len__(self) -> int:
        return self.n

    def idf(self, term: str) -> float:
        df = len(self.term_postings.get(term, ()))
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def eligible_mask(self, filters: SearchFilters) -> np.ndarray:
        mask = np.ones(self.n, dtype=bool)
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
                post = self.skill_postings.get(sid)
                if post is not None:
                    candidates[post] = True
            candidates &= mask

        semantic = np.zeros(n, dtype=np.float32)
        if query_vector is not None and n:
            query = np.asarray(query_vector, dtype=np.float32)
            if candidates is None:
                cos = self.vectors @ query
            else:   # only the candidates: the point of having the database's vector index
                cos = np.zeros(n, dtype=np.float32)
                picked = np.flatnonzero(candidates)
                cos[picked] = self.vectors[picked] @ query
            semantic = scoring.semantic_part(cos)
            semantic[~self.has_vector] = 0.0

        lexical = np.zeros(n, dtype=np.float32)
        terms = list(dict.fromkeys(query_terms))
        idf_total = sum(self.idf(t) for t in terms)
        if idf_total > 0:
            for t in terms:
                post = self.term_postings.get(t)
                if post is not None:
                    lexical[post] += self.idf(t)
            lexical /= idf_total

        skills = np.zeros(n, dtype=np.float32)
        if query_skills:
            for sid in query_skills:
                credit = np.zeros(n, dtype=np.float32)
                for rel in related_of.get(sid, ()):
                    post = self.skill_postings.get(rel)
                    if post is not None:
                        credit[post] = scoring.RELATED_CREDIT
                post = self.skill_postings.get(sid)
                if post is not None:
                    credit[post] = 1.0
                skills += credit
            skills /= len(query_skills)

        final = scoring.fuse(semantic, lexical, skills, self.completeness, self.thin, bool(query_skills))

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
