"""In-process search index: exact cosine search (numpy) plus lexical and skill postings, with filters applied
before the top k is taken. Used by the embedded default and by any store without native vector search."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from core.domain import SearchFilters, level_rank
from core.matching import scoring
from core.matching.lexical import LexicalIndexBuilder
from core.matching.seniority import SeniorityAsk, profile_rank
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


class SearchIndex:
    def __init__(self, rows: Iterable[IndexRow], dim: int, taxonomy=None):
        """Built in one pass over `rows` (a stream from the store), so 100k profiles never sit in memory twice.
        The lexical (BM25) index is built in the same pass, so it always matches the vectors and filters."""
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
        lexical = LexicalIndexBuilder(taxonomy)
        zero = np.zeros(dim, dtype=np.float32)
        summaries: list[tuple[int, np.ndarray]] = []
        for i, r in enumerate(rows):
            self.ids.append(r.id)
            ok = r.vector is not None and len(r.vector) == dim
            vectors.append(r.vector if ok else zero)
            has_vector.append(ok)
            if r.summary_vector is not None and len(r.summary_vector) == dim:
                summaries.append((i, r.summary_vector))
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
        self.vectors = np.vstack(vectors).astype(np.float32, copy=False) if n else np.zeros((0, dim), np.float32)
        del vectors
        self.has_vector = np.array(has_vector, dtype=bool)
        # float32 like the raw vectors (numpy has no fast half-precision product: 14x slower measured).
        self.summaries = np.zeros((n if summaries else 0, dim), dtype=np.float32)
        self.has_summary = np.zeros(n, dtype=bool)
        for i, vector in summaries:
            self.summaries[i] = vector
            self.has_summary[i] = True
        del summaries
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

    def __len__(self) -> int:
        return self.n

    def _summary_similarity(self, query: np.ndarray, candidates: np.ndarray | None) -> np.ndarray:
        q = np.asarray(query, dtype=np.float32)
        if candidates is None:
            cos = self.summaries @ q
        else:
            cos = np.zeros(self.n, dtype=np.float32)
            picked = np.flatnonzero(candidates)
            cos[picked] = self.summaries[picked] @ q
        return np.clip((cos - scoring.SUMMARY_FLOOR) / (scoring.SUMMARY_CEIL - scoring.SUMMARY_FLOOR), 0, 1)

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
        mask = self.eligible_mask(filters)
        total = int(mask.sum())
        bm25 = self.lexical.scores(lexical_terms)
        candidates = None
        if ann_search is not None and query_vector is not None and n:
            from core.matching.ann import eligible_neighbours

            rows, _ = eligible_neighbours(ann_search, query_vector, self.row_of, mask, want)
            candidates = np.zeros(n, dtype=bool)
            candidates[rows] = True
            for sid in query_skills:
                post = self.skill_postings.get(sid)
                if post is not None:
                    candidates[post] = True
            lexical_hits = np.flatnonzero(bm25 > 0)
            if len(lexical_hits) > 4 * want:
                lexical_hits = lexical_hits[np.argpartition(-bm25[lexical_hits], 4 * want)[:4 * want]]
            candidates[lexical_hits] = True
            candidates &= mask

        cosine = np.zeros(n, dtype=np.float32)
        if query_vector is not None and n:
            query = np.asarray(query_vector, dtype=np.float32)
            if candidates is None:
                cosine = self.vectors @ query
            else:   # only the candidates: the point of having the database's vector index
                picked = np.flatnonzero(candidates)
                cosine[picked] = self.vectors[picked] @ query
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
                    post = self.skill_postings.get(rel)
                    if post is not None:
                        credit[post] = scoring.RELATED_CREDIT
                post = self.skill_postings.get(sid)
                if post is not None:
                    credit[post] = 1.0
                skills += credit
            skills /= len(query_skills)
        return Signals(cosine, bm25, skills, scoring.seniority_factor(self.rank, self.years, ask), bool(query_skills),
                       self.lexical.coverage(lexical_terms), mask if candidates is None else candidates, total,
                       summary)

    def score(self, query_vector: np.ndarray | None, query_terms: list[str], query_skills: list[str],
              related_of: dict[str, tuple[str, ...]], filters: SearchFilters, limit: int, offset: int = 0,
              ann_search=None, ask: SeniorityAsk = SeniorityAsk(),
              summary_vector: np.ndarray | None = None) -> ScoredRows:
        """Fused 0-100 scores (scoring.fuse), filtered before the top k. `query_terms` are stemmed lexical terms
        (core.matching.lexical.expand_request)."""
        sig = self.signals(query_vector, query_terms, query_skills, related_of, filters, offset + limit, ann_search,
                           ask, summary_vector)
        n = self.n
        total = sig.total_eligible
        fused = scoring.fuse(sig, self.completeness, self.thin)
        final, semantic, lexical = fused.final, fused.semantic, fused.lexical
        masked = np.where(sig.eligible, final, -np.inf)
        available = int(sig.eligible.sum())
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
        return ScoredRows(order, final[order], semantic[order], lexical[order], sig.skills[order],
                          self.completeness[order], total, sig.seniority[order])
