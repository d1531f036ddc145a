"""Candidate search: hybrid ranking over the in-process index, explanations with evidence, access rules, audit."""
from __future__ import annotations

import gc
from pathlib import Path

import numpy as np


from core import audit
from core.access import AccessDenied, visible_filters  # noqa: F401  (the access rule lives in core.access)
from core.domain import Candidate, Employee, MatchedSkill, ScoreParts, SearchFilters, SearchPage
from core.matching import scoring
from core.matching.index import SearchIndex
from core.matching.refresh import IndexHolder
from core.matching.lexical import expand_request
from core.matching.seniority import read_request
from core.ports import Embedder, EmployeeStore
from core.skills.extractor import SkillExtractor
from core.skills.taxonomy import Taxonomy
from core.errors import EmbedderMismatchError
from core.matching.bridge import BridgedRequest, RequestBridge
from core.skills.occupations import load_occupations
from core.text import content_terms, request_language, tokenize_query



# Korean and common spellings of work locations -> the lower-cased name the directory uses.
LOCATION_ALIASES = {"서울": "seoul", "판교": "pangyo", "부산": "busan", "도쿄": "tokyo", "동경": "tokyo",
                    "싱가포르": "singapore", "싱가폴": "singapore", "원격": "remote", "재택": "remote",
                    "seoul office": "seoul", "pangyo office": "pangyo"}


def _freeze_heap(_index) -> None:
    """The index and the models are long-lived: take them out of the cyclic garbage collector's scans, whose full
    passes over ~1M objects otherwise show up as 100 ms latency spikes."""
    gc.collect()
    gc.freeze()


class _SavedIndex:
    """IndexHolder's loader: a saved SearchIndex gets the live taxonomy back (it is not saved with the index)."""

    def __init__(self, taxonomy):
        self.taxonomy = taxonomy

    saved_stamp = staticmethod(SearchIndex.saved_stamp)

    def load(self, folder) -> SearchIndex:
        index = SearchIndex.load(folder)
        index.taxonomy = self.taxonomy
        return index


class MatchingService:
    def __init__(self, store: EmployeeStore, embedder: Embedder, taxonomy: Taxonomy, extractor: SkillExtractor,
                 index_folder: Path | None = None, bridge: RequestBridge | None = None,
                 ann_min_rows: int | None = None):
        self.store = store
        self.ann_min_rows = ann_min_rows    # from this many profiles, an in-process HNSW graph (core/matching/ann.py)
        self.embedder = embedder
        self.taxonomy = taxonomy
        self.extractor = extractor
        # Profile writes reach the index incrementally (core/matching/refresh.py); searches never wait for a rebuild.
        # With `index_folder`, a built index is saved there and a cold start maps it (validated against the database).
        self.indexes = IndexHolder(store, self._build_index, snapshot=index_folder, identity=self._index_identity,
                                   loader=_SavedIndex(taxonomy))
        self._bridge = bridge
        self._canonical_vectors: dict[str, np.ndarray] = {}

    # ---- start-up checks ---------------------------------------------------------------------------------------
    def check_embedder(self) -> None:
        stored = self.store.embedding_model()
        if stored and (stored[0] != self.embedder.model_id or stored[1] != self.embedder.dim):
            raise EmbedderMismatchError(
                f"The stored profile embeddings were made by '{stored[0]}' (dimension {stored[1]}), but the "
                f"configured embedder is '{self.embedder.model_id}' (dimension {self.embedder.dim}). "
                "Run `internal-hire reindex` to re-embed every profile with the configured embedder.")

    # ---- index -------------------------------------------------------------------------------------------------
    def _index_identity(self) -> dict:
        instance = getattr(self.store, "instance_id", None)
        return {"embedder": self.embedder.model_id, "dim": self.embedder.dim,
                "database": instance() if instance else None,
                "taxonomy": getattr(self.taxonomy, "version", None), "ann_min_rows": self.ann_min_rows}

    def _build_index(self, rows) -> SearchIndex:
        expected = self.store.count_employees() if self.ann_min_rows is not None else 0
        index = SearchIndex(rows, self.embedder.dim, self.taxonomy, ann_min_rows=self.ann_min_rows,
                            expected_rows=expected)
        _freeze_heap(index)
        return index

    def index(self) -> SearchIndex:
        return self.indexes.current()

    def warm_up(self) -> None:
        """Load what the first search would otherwise wait for: the index (saved or built), the embedder's model and
        the Korean analyser. A server calls it at start, in the background."""
        index = self.index()
        self.embedder.embed_query("warm up")
        self.extractor.extract_query("백엔드 개발자 warm up")
        index.fault_in()      # the saved index's pages, so the first searches do not pay for them

    def departments(self) -> list[str]:
        """Department names as first written (for suggestions), most common first."""
        index = self.index()
        counts = np.bincount(index.dept_code[index.alive], minlength=len(index.dept_display)) if index.n else []
        order = sorted(range(len(index.dept_display)), key=lambda code: -counts[code])
        return [index.dept_display[code] for code in order if index.dept_display[code] and counts[code]]

    def unknown_departments(self, names) -> list[str]:
        index = self.index()
        return [n for n in names if n.strip().lower() not in index.dept_codes]

    def resolve_locations(self, names) -> tuple[tuple[str, ...], list[str]]:
        """Work locations as the directory writes them ("서울" -> "seoul" when the directory says Seoul), and the
        names that match no location."""
        index = self.index()
        found, unknown = [], []
        for name in names:
            key = LOCATION_ALIASES.get(name.strip().lower(), name.strip().lower())
            (found if key in index.location_codes else unknown).append(key if key in index.location_codes else name)
        return tuple(found), unknown

    def count_with_skills(self, actor: Employee, skill_ids: list[str], filters: SearchFilters = SearchFilters(),
                          query: str = "") -> int:
        """How many people visible to the actor show every one of these skills (audited; nobody is named)."""
        effective = visible_filters(actor, filters)
        index = self.index()
        mask = index.eligible_mask(effective)
        for skill_id in skill_ids:
            has = np.zeros(index.n, dtype=bool)
            rows = index.skill_rows(skill_id)
            if rows is not None:
                has[rows] = True
            mask &= has
        count = int(mask.sum()) if skill_ids else 0
        audit.record(self.store, actor, "count", query, (), skills=list(skill_ids), count=count,
                     filters=effective.describe())
        return count

    def locations(self) -> list[str]:
        return sorted(x for x in self.index().location_codes if x)

    def _ann(self):
        """The database's vector index when it has one (TiDB); None searches every row exactly, in-process."""
        ready = getattr(self.store, "ann_ready", None)
        if ready is not None and ready(self.embedder.dim):
            return lambda vector, n: self.store.ann_search(vector, n)
        return None

    # ---- search ------------------------------------------------------------------------------------------------
    @property
    def bridge(self) -> RequestBridge:
        if self._bridge is None:
            self._bridge = RequestBridge(self.taxonomy, load_occupations())
        return self._bridge

    def bridge_request(self, query: str, query_skills: list[str] | None = None) -> BridgedRequest:
        """The request in both languages, for retrieval (core/matching/bridge.py)."""
        return self.bridge.bridge(query, query_skills if query_skills is not None else self.extractor.extract_query(query))

    def _canonical_vector(self, canonical: str) -> np.ndarray | None:
        if not canonical:
            return None
        vector = self._canonical_vectors.get(canonical)
        if vector is None:
            vector = self.embedder.embed_query(canonical)
            if len(self._canonical_vectors) >= 2048:     # requests repeat; a small bounded memo is enough
                self._canonical_vectors.clear()
            self._canonical_vectors[canonical] = vector
        return vector

    def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 5, offset: int = 0,
               lang: str | None = None) -> SearchPage:
        lang = lang or request_language(query)
        index = self.index()
        query_skills = self.extractor.extract_query(query)
        bridged = self.bridge_request(query, query_skills)
        terms = self._lexical_terms(query, lang, query_skills, bridged)
        ask = read_request(query)
        vector = self.embedder.embed_query(query) if query.strip() else None
        summary_vector = self._canonical_vector(bridged.canonical) if vector is not None else None
        related = {sid: self.taxonomy.related(sid) for sid in query_skills}
        scored = index.score(vector, terms, query_skills, related, filters, limit, offset, ann_search=self._ann(),
                             summary_vector=summary_vector, ask=ask)
        ids = [index.ids[r] for r in scored.rows]
        employees = self.store.get_employees(ids)
        if filters.open_only:
            # The index is a snapshot: someone who opted out a moment ago is not shown to a manager.
            employees = {k: e for k, e in employees.items() if e.open_to_moves}
        candidates = []
        for pos, eid in enumerate(ids):
            emp = employees.get(eid)
            if emp is None:  # deleted between index build and now
                continue
            row = int(scored.rows[pos])
            score = int(round(float(scored.scores[pos])))
            matched, missing = self.explain_skills(emp, query_skills, lang, query)
            candidates.append(Candidate(
                employee_id=eid, display_name=emp.display_name, department=emp.department, title=emp.title,
                level=emp.level, location=emp.location, open_to_moves=emp.open_to_moves, score=score,
                band=scoring.band(score),
                parts=ScoreParts(float(scored.semantic[pos]), float(scored.lexical[pos]), float(scored.skills[pos]),
                                 float(scored.completeness[pos])),
                matched=tuple(matched), missing=tuple(missing), thin_profile=bool(index.thin[row]),
                years=None if np.isnan(index.years[row]) else float(index.years[row]),
                seniority_rank=int(index.rank[row]),
                below_asked=ask.min_rank if ask.min_rank and 0 < index.rank[row] < ask.min_rank else 0))
        return SearchPage(query=query, filters=filters, candidates=tuple(candidates), offset=offset,
                          total_eligible=scored.total_eligible,
                          query_skills=tuple(self.taxonomy.name(s, lang) for s in query_skills))

    def request_signals(self, query: str, filters: SearchFilters = SearchFilters(), lang: str | None = None):
        """(index, raw signals of every row) for a request, as search computes them: for evaluation and tuning."""
        lang = lang or request_language(query)
        index = self.index()
        query_skills = self.extractor.extract_query(query)
        terms = self._lexical_terms(query, lang, query_skills)
        vector = self.embedder.embed_query(query) if query.strip() else None
        summary_vector = self._canonical_vector(self.bridge_request(query, query_skills).canonical) if vector is not None else None
        related = {sid: self.taxonomy.related(sid) for sid in query_skills}
        return index, index.signals(vector, terms, query_skills, related, filters, ask=read_request(query),
                                    summary_vector=summary_vector)

    def _lexical_terms(self, query: str, lang: str, query_skills: list[str],
                       bridged: BridgedRequest | None = None) -> list:
        """The bridge's groups of alternatives (both languages), plus the skill-name groups of
        core.matching.lexical.expand_request (and any expander registered there). `bridged`: the request already
        bridged (search bridges it once)."""
        bridged = bridged if bridged is not None else self.bridge_request(query, query_skills)
        groups = bridged.shared_groups() if scoring.SHARED_LEXICAL_QUERY else bridged.term_groups
        return list(dict.fromkeys([*groups, *expand_request("", lang, query_skills, self.taxonomy)]))

    def explain_skills(self, emp: Employee, query_skills: list[str], lang: str, query_text: str = "") -> tuple[list[MatchedSkill], list[str]]:
        have = {s.skill_id: s.evidence for s in emp.skills}
        matched, missing = [], []
        for sid in query_skills:
            name = self.taxonomy.name(sid, lang)
            if sid in have:
                matched.append(MatchedSkill(sid, name, have[sid]))
                continue
            via = scoring.related_held(self.taxonomy.related(sid), have)
            if via:
                matched.append(MatchedSkill(sid, name, have[via], via=self.taxonomy.name(via, lang)))
            else:
                missing.append(name)
        if not query_skills:
            # Nothing canonical was asked for: cite the profile lines that share the most words with the request.
            terms = [t for t in content_terms(tokenize_query(query_text)) if len(t) > 1]
            ranked = sorted(emp.skills, key=lambda s: -sum(t in s.evidence.lower() for t in terms))
            for s in ranked[:3]:
                matched.append(MatchedSkill(s.skill_id, self.taxonomy.name(s.skill_id, lang), s.evidence))
        return matched, missing

    def search_as(self, actor: Employee, query: str, filters: SearchFilters = SearchFilters(), limit: int = 5,
                  offset: int = 0, lang: str | None = None, action: str = "search") -> SearchPage:
        """A search under the actor's role, written to the audit log with exactly who was shown."""
        effective = visible_filters(actor, filters)
        page = self.search(query, effective, limit=limit, offset=offset, lang=lang)
        audit.record(self.store, actor, action, query, [c.employee_id for c in page.candidates],
                     filters=effective.describe(), offset=offset)
        return page
