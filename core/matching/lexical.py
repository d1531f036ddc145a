"""Lexical retrieval: BM25 over three weighted fields (title, skills, resume) with bm25s.

How a profile becomes a lexical document
----------------------------------------
The profile builder stores each profile's tokens (ASCII words and Kiwi morphemes, stopwords dropped) in the
`terms` column, in the format written by `encode_document`:

    @t <title tokens> @r <resume token>[*count] ... @y<years>

Tokens never contain "@" or "*". Rows written before this format (a plain set of tokens) read as a resume field with
every count 1. At index build, English tokens are stemmed (Snowball, PyStemmer), Korean morphemes are kept as they
are, and the profile's canonical skills add their English and Korean names as the skills field.

Field weighting (BM25F, simplified): each field's term counts are multiplied by its weight and summed before BM25's
term-frequency saturation and length normalisation, so a word in the title counts like W_TITLE words in the body.
The per-term BM25 impacts are computed with bm25s's own scoring functions (Lucene variant) into the CSC matrix that
bm25s retrieves from; building that matrix from counts (instead of bm25s's token-id lists) keeps 100k profiles
to one pass and no per-token Python objects.

The seam for request bridging: `expand_request(text, skills, taxonomy)` returns the request's tokens plus, for
every canonical skill it names, the skill's names in both languages. A bilingual occupation lexicon plugs in through
`register_expander` (it receives the request text and returns extra tokens in the other language).
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np

from core.text import content_terms, tokenize_line, tokenize_query

W_TITLE = 3.0          # a title word counts like 3 body words
W_SKILLS = 2.0         # each canonical skill's name (EN and KO) counts like 2 body words
W_RESUME = 1.0
BM25_K1 = 1.2
BM25_B = 0.75

TITLE_MARK, RESUME_MARK, YEARS_MARK = "@t", "@r", "@y"
_ASCII_WORD = re.compile(r"^[a-z][a-z\-]*$")


# ---- document format ---------------------------------------------------------------------------------------------
def encode_document(title_tokens: Iterable[str], resume_tokens: Iterable[str], years: float | None) -> tuple[str, ...]:
    """The stored lexical document of a profile (see the module doc)."""
    out = [TITLE_MARK, *dict.fromkeys(t for t in title_tokens if _storable(t)), RESUME_MARK]
    for term, count in sorted(Counter(t for t in resume_tokens if _storable(t)).items()):
        out.append(term if count == 1 else f"{term}*{count}")
    if years is not None:
        out.append(f"{YEARS_MARK}{int(round(years))}")
    return tuple(out)


def _storable(token: str) -> bool:
    return bool(token) and "@" not in token and "*" not in token and not token.isspace()


@dataclass
class LexicalDocument:
    title: list[str] = field(default_factory=list)
    resume: dict[str, int] = field(default_factory=dict)
    years: float | None = None


def decode_document(terms: Iterable[str]) -> LexicalDocument:
    doc = LexicalDocument()
    section = RESUME_MARK
    for token in terms:
        if token == TITLE_MARK or token == RESUME_MARK:
            section = token
        elif token.startswith(YEARS_MARK):
            try:
                doc.years = float(token[len(YEARS_MARK):])
            except ValueError:
                pass
        elif section == TITLE_MARK:
            doc.title.append(token)
        else:
            term, _, count = token.partition("*")
            doc.resume[term] = doc.resume.get(term, 0) + (int(count) if count.isdigit() else 1)
    return doc


# ---- stemming ----------------------------------------------------------------------------------------------------
class _Stems:
    """English Snowball stems, cached per word; Korean morphemes and technical tokens (c++, node.js) unchanged."""
    _lock = threading.Lock()
    _stemmer = None
    _cache: dict[str, str] = {}

    @classmethod
    def stem(cls, token: str) -> str:
        hit = cls._cache.get(token)
        if hit is not None:
            return hit
        if _ASCII_WORD.match(token) and len(token) > 3:
            if cls._stemmer is None:
                with cls._lock:
                    if cls._stemmer is None:
                        import Stemmer  # PyStemmer (Snowball), the stemmer bm25s uses

                        cls._stemmer = Stemmer.Stemmer("english")
            out = cls._stemmer.stemWord(token)
        else:
            out = token
        if len(cls._cache) < 500_000:
            cls._cache[token] = out
        return out


def stem(token: str) -> str:
    return _Stems.stem(token)


def analyse(text: str) -> list[str]:
    """The same tokens, stopwords and stems as the documents (for tests and tools; search passes raw terms)."""
    return [stem(t) for t in content_terms(tokenize_query(text))]


# ---- request expansion (the seam for bilingual bridging) -------------------------------------------------------
Expander = Callable[[str, str], list]   # (request text, language) -> extra words, or groups of alternative words
_expanders: list[Expander] = []


def register_expander(expander: Expander) -> None:
    """Add a request expander (for example a bilingual occupation and role lexicon). It returns raw tokens (as
    `tokenize_line` makes them) or tuples of alternatives (세무 -> ("세무", "tax", "taxation")): a group scores as
    its best alternative, so synonyms do not add up."""
    if expander not in _expanders:
        _expanders.append(expander)


Term = str | tuple   # a word, or a group of alternative words


def expand_request(text: str, lang: str, skill_ids: Iterable[str], taxonomy) -> list[Term]:
    """The request's lexical terms (raw tokens; LexicalIndex stems them): its own words, a group of the English and
    Korean names of every canonical skill it names, and whatever registered expanders add."""
    terms: list[Term] = list(content_terms(tokenize_query(text)))
    for sid in skill_ids:
        names = skill_terms(taxonomy, sid)
        if names:
            terms.append(names)
    for expander in _expanders:
        try:
            extra = expander(text, lang) or []
        except Exception:   # an expander must never break a search
            extra = []
        terms.extend(extra)
    return list(dict.fromkeys(terms))


_skill_terms_cache: dict[tuple[int, str], tuple[str, ...]] = {}


def all_skill_terms(taxonomy) -> dict[str, tuple[str, ...]]:
    """skill_terms of every skill of the taxonomy at once, from tokens cached on disk per taxonomy and analyser
    (core.skills.occupations._tokenized): the first search of a new process then never starts the Korean analyser
    (~3 CPU-s) for the skills an English request names."""
    from core.skills.occupations import _tokenized

    skills = list(getattr(taxonomy, "skills", {}).values())
    if not skills:
        return {}
    forms = [[f for f in (s.en, s.ko) if f] for s in skills]
    tokens = iter(_tokenized([f for fs in forms for f in fs], b"skill names"))
    return {s.id: tuple(dict.fromkeys(t for _ in fs for t in content_terms(next(tokens)))) for s, fs in zip(skills, forms)}


def skill_terms(taxonomy, skill_id: str) -> tuple[str, ...]:
    """Tokens of a skill's English and Korean names (unstemmed, like every term a request passes)."""
    key = (id(taxonomy), skill_id)
    if taxonomy is not None and (id(taxonomy), None) not in _skill_terms_cache:
        _skill_terms_cache[(id(taxonomy), None)] = ()
        _skill_terms_cache.update({(id(taxonomy), sid): terms for sid, terms in all_skill_terms(taxonomy).items()})
    hit = _skill_terms_cache.get(key)
    if hit is None:
        skill = taxonomy.get(skill_id) if taxonomy is not None else None
        names = (skill.en, skill.ko) if skill else (skill_id,)
        hit = tuple(dict.fromkeys(t for name in names if name for t in content_terms(tokenize_line(name))))
        _skill_terms_cache[key] = hit
    return hit


# ---- the index ---------------------------------------------------------------------------------------------------
def weigh_document(terms: Iterable[str], skill_ids: Iterable[str], taxonomy) -> tuple[LexicalDocument, dict[str, float]]:
    """A profile's decoded document and its field-weighted counts by stemmed term (BM25F, see the module doc)."""
    doc = decode_document(terms)
    weighted: dict[str, float] = {}
    for term, count in doc.resume.items():
        s = stem(term)
        weighted[s] = weighted.get(s, 0.0) + W_RESUME * count
    for term in doc.title:
        s = stem(term)
        weighted[s] = weighted.get(s, 0.0) + W_TITLE
    for sid in dict.fromkeys(skill_ids):
        for s in dict.fromkeys(stem(t) for t in skill_terms(taxonomy, sid)):
            weighted[s] = weighted.get(s, 0.0) + W_SKILLS
    return doc, weighted


class LexicalIndexBuilder:
    """Collects each profile's (term id, weighted count) pairs into flat typed buffers (4 bytes an entry, no object
    per profile), so 100k profiles cost ~10 bytes per distinct word per profile while building."""

    def __init__(self, taxonomy=None):
        from array import array

        self.taxonomy = taxonomy
        self.vocab: dict[str, int] = {}
        self._cols = array("i")
        self._tfs = array("f")
        self._counts = array("i")
        self.lengths = array("f")
        self.years = array("f")
        self.title_tokens: list[tuple[str, ...]] = []

    def add(self, row: int, terms: Iterable[str], skill_ids: Iterable[str]) -> None:
        """Rows must be added in order: 0, 1, 2, ..."""
        if row != len(self._counts):
            raise ValueError(f"rows must be added in order: expected {len(self._counts)}, got {row}")
        doc, weighted = weigh_document(terms, skill_ids, self.taxonomy)
        vocab = self.vocab
        self._cols.extend(vocab.setdefault(t, len(vocab)) for t in weighted)
        self._tfs.extend(weighted.values())
        self._counts.append(len(weighted))
        self.lengths.append(sum(weighted.values()))
        self.years.append(float("nan") if doc.years is None else doc.years)
        self.title_tokens.append(tuple(doc.title))

    def build(self, n: int) -> "LexicalIndex":
        return LexicalIndex(self, n)

    def take_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows, cols, tfs) as numpy arrays; the builder's buffers are released."""
        cols = np.array(self._cols, dtype=np.int32)
        self._cols = None
        tfs = np.array(self._tfs, dtype=np.float32)
        self._tfs = None
        rows = np.repeat(np.arange(len(self._counts), dtype=np.int32), np.array(self._counts, dtype=np.int64))
        self._counts = None
        return rows, cols, tfs


# Entries sorted per step of column_major: its temporaries are this size, not the whole index's.
COLUMN_SORT_CHUNK = 1 << 22


def column_major(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n_cols: int,
                 chunk: int = COLUMN_SORT_CHUNK) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(data, row indices, indptr) of the entries in column-major order, rows ascending within a column, as bm25s
    stores its scores; the entries come in ascending row order. A counting sort placed a chunk at a time: the same
    result as a stable argsort of `cols`, without its 8-byte index per entry and merge buffer (at a million profiles
    those temporaries were ~0.85 GiB, the build's peak)."""
    indptr = np.zeros(n_cols + 1, dtype=np.int64)
    np.cumsum(np.bincount(cols, minlength=n_cols), out=indptr[1:])
    data = np.empty(len(values), dtype=values.dtype)
    indices = np.empty(len(rows), dtype=np.int32)
    next_free = indptr[:-1].copy()          # per column: where its next entry goes
    for start in range(0, len(cols), chunk):
        part = cols[start:start + chunk]
        order = np.argsort(part, kind="stable")
        sorted_cols = part[order]
        counts = np.bincount(sorted_cols, minlength=n_cols)
        first_in_chunk = np.cumsum(counts) - counts         # where each column's run starts in sorted_cols
        place = next_free[sorted_cols] + (np.arange(len(order)) - first_in_chunk[sorted_cols])
        order += start
        data[place] = values[order]
        indices[place] = rows[order]
        next_free += counts
    return data, indices, indptr


class LexicalIndex:
    """bm25s over every profile, plus (after `with_changes`) a small overlay for profiles written since the build."""

    def __init__(self, built: LexicalIndexBuilder, n: int, idf: np.ndarray | None = None,
                 avg_length: float | None = None):
        import bm25s
        from bm25s.scoring import _score_idf_lucene, _score_tfc_lucene

        self.n = n
        self.vocab = built.vocab
        self.years = np.array(built.years, dtype=np.float32)
        self.title_tokens = built.title_tokens
        rows, cols, tfs = built.take_arrays()
        lengths = np.array(built.lengths, dtype=np.float32)     # by row: rows are added as 0, 1, 2, ...
        if avg_length is None:
            avg_length = float(lengths.mean()) if len(lengths) and lengths.sum() > 0 else 1.0
        avg_length = avg_length or 1.0
        self.avg_length = avg_length
        if idf is None:
            df = np.bincount(cols, minlength=len(self.vocab))
            idf = np.fromiter((_score_idf_lucene(d, max(n, 1)) for d in df.tolist()), dtype=np.float32,
                              count=len(df))
        elif len(idf) < len(self.vocab):   # words the build never saw: as rare as can be
            idf = np.concatenate([idf, np.full(len(self.vocab) - len(idf), _score_idf_lucene(1, max(n, 1)),
                                               dtype=np.float32)])
        self.idf = idf
        impacts = _score_tfc_lucene(tfs, lengths[rows] if len(rows) else tfs, avg_length, BM25_K1, BM25_B)
        del tfs
        impacts *= idf[cols]
        data, indices, indptr = column_major(rows, cols, impacts, len(self.vocab))
        del impacts, rows, cols
        self.bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B, method="lucene", backend="numpy")
        self.bm25.scores = {"data": data, "indices": indices, "indptr": indptr,
                            "num_docs": max(n, 1)}
        self.bm25.vocab_dict = self.vocab
        self.bm25.nonoccurrence_array = None
        self._stale: np.ndarray | None = None          # rows whose built entry is out of date
        # The overlay: profiles written since the build, each scored with the build's idf and average length.
        self._extra_vocab: dict[str, int] = {}         # words the build never saw: ids from len(vocab) on
        self._docs: dict[int, tuple[np.ndarray, np.ndarray]] = {}           # row -> (term ids, BM25 impacts)
        self._postings: dict[int, tuple[np.ndarray, np.ndarray]] = {}       # term id -> (rows, impacts)

    # ---- following profile writes ----------------------------------------------------------------------------
    def with_changes(self, n: int, changed: dict[int, tuple[tuple[str, ...], tuple[str, ...]]],
                     dead: Iterable[int] = (), taxonomy=None) -> "LexicalIndex":
        """A new index for `n` rows (>= self.n: new rows are appended) where the `changed` rows (row -> (terms,
        skill ids)) have new documents and the `dead` rows match nothing; both are what changed in THIS step (rows
        changed earlier keep their overlay documents). Shares the built arrays with this one, which is left as it
        was. The changed rows go to an overlay scored with the build's idf and average length (a rebuild folds them
        back in): each row's BM25 impacts are computed once, when it is written, and only the postings of the words
        those rows had or have now are touched, so a step costs what it changed, not what changed since the build."""
        import copy

        from bm25s.scoring import _score_tfc_lucene

        new = copy.copy(self)
        stale = np.zeros(n, dtype=bool)
        if self._stale is not None:
            stale[:len(self._stale)] = self._stale
        stale[self.n:] = True
        rows = sorted(changed)
        dead = sorted(set(dead) - set(rows))
        stale[rows] = True
        stale[dead] = True
        years = np.full(n, np.nan, dtype=np.float32)
        years[:len(self.years)] = self.years
        docs = dict(self._docs)
        extra = self._extra_vocab
        touched_terms: set[int] = set()
        for row in dead:
            old = docs.pop(row, None)
            if old is not None:
                touched_terms.update(old[0].tolist())
        fresh: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for row in rows:
            doc, weighted = weigh_document(*changed[row], taxonomy)
            years[row] = np.nan if doc.years is None else doc.years
            ids = np.empty(len(weighted), dtype=np.int32)
            for j, term in enumerate(weighted):
                tid = self.vocab.get(term)
                if tid is None:
                    tid = extra.get(term)
                    if tid is None:
                        if extra is self._extra_vocab:
                            extra = dict(extra)
                        tid = extra[term] = len(self.vocab) + len(extra)
                ids[j] = tid
            tfs = np.fromiter(weighted.values(), dtype=np.float32, count=len(weighted))
            length = np.full(len(tfs), sum(weighted.values()), dtype=np.float32)   # as the builder sums it
            impacts = (_score_tfc_lucene(tfs, length, self.avg_length, BM25_K1, BM25_B) * self._idf_of(ids)
                       ).astype(np.float32, copy=False)
            old = docs.get(row)
            if old is not None:
                touched_terms.update(old[0].tolist())
            docs[row] = fresh[row] = (ids, impacts)
            touched_terms.update(ids.tolist())
        new._extra_vocab = extra
        new.years = years
        new._docs = docs
        # Each touched word's posting: minus the rows of this step, plus their new entries.
        redone = np.zeros(n, dtype=bool)
        redone[rows] = True
        redone[dead] = True
        added: dict[int, tuple[list[int], list[float]]] = {}
        for row, (ids, impacts) in fresh.items():
            for tid, impact in zip(ids.tolist(), impacts.tolist()):
                entry = added.get(tid)
                if entry is None:
                    entry = added[tid] = ([], [])
                entry[0].append(row)
                entry[1].append(impact)
        postings = dict(self._postings)
        for tid in touched_terms:
            kept = postings.get(tid)
            more = added.get(tid)
            if kept is not None:
                keep = ~redone[kept[0]]
                kept = (kept[0][keep], kept[1][keep])
            if more is not None:
                more = (np.array(more[0], dtype=np.int64), np.array(more[1], dtype=np.float32))
                kept = more if kept is None else (np.concatenate([kept[0], more[0]]),
                                                  np.concatenate([kept[1], more[1]]))
            if kept is None or not len(kept[0]):
                postings.pop(tid, None)
            else:
                postings[tid] = kept
        new._postings = postings
        new._stale = stale
        new.total_rows = n
        return new

    def _idf_of(self, ids: np.ndarray) -> np.ndarray:
        """idf of term ids; words the build never saw are as rare as a word can be in the build."""
        out = np.full(len(ids), self._new_word_idf(), dtype=np.float32)
        known = ids < len(self.idf)
        out[known] = self.idf[ids[known]]
        return out

    def _new_word_idf(self) -> float:
        from bm25s.scoring import _score_idf_lucene

        return float(np.float32(_score_idf_lucene(1, max(self.n, 1))))

    def overlay_rows(self) -> int:
        """Rows whose documents are in the overlay."""
        return len(self._docs)

    # ---- retrieval ---------------------------------------------------------------------------------------------
    def coverage(self, terms: list) -> float:
        """How much of the request the lexical index can see: the idf share of its terms that occur in any profile
        (a term that occurs nowhere counts as the rarest). Near 0 for a Korean request over English resumes that no
        dictionary bridged, so fusion leans on meaning there instead of on a few stray word matches."""
        if not terms or not (len(self.idf) or self._extra_vocab):
            return 0.0
        rarest = float(self.idf.max()) if len(self.idf) else self._new_word_idf()
        if self._extra_vocab:
            rarest = max(rarest, self._new_word_idf())
        seen = known = 0.0
        for term in dict.fromkeys(terms):
            ids = self._ids(term)
            weight = max((float(self.idf[i]) if i < len(self.idf) else self._new_word_idf() for i in ids),
                         default=rarest)
            seen += weight
            if ids:
                known += weight
        return known / seen if seen else 0.0

    def _ids(self, term) -> list[int]:
        """Term ids of a word or a group of alternatives (the build's words, then words only the overlay has)."""
        words = term if isinstance(term, tuple) else (term,)
        out = []
        for s in (stem(w) for w in words):
            tid = self.vocab.get(s)
            if tid is None:
                tid = self._extra_vocab.get(s)
            if tid is not None:
                out.append(tid)
        return list(dict.fromkeys(out))

    def scores(self, terms: list) -> np.ndarray:
        """BM25 score of every row (bm25s retrieval). A term is a word or a group of alternative words; a group
        counts as its best alternative in each row. Zeros when no term is in the vocabulary."""
        return self.scores_and_rows(terms)[0]

    def scores_and_rows(self, terms: list) -> tuple[np.ndarray, np.ndarray]:
        """(BM25 score of every row, the rows scoring above 0 in ascending order): search takes the rows with any
        keyword evidence from here instead of a pass over every row."""
        named: list[np.ndarray] = []
        out = self._built_scores(terms, named)
        if self._stale is not None:
            full = np.zeros(len(self._stale), dtype=np.float32)
            full[:self.n] = out
            full[self._stale] = 0.0
            if self._postings:
                self._add_overlay_scores(terms, full)
            out = full
        elif sum(len(rows) for rows in named) * 8 < len(out):    # few rows named: no pass over every row
            return out, np.unique(np.concatenate(named)) if named else np.zeros(0, dtype=np.int64)
        return out, np.flatnonzero(out > 0)     # every posting's impact is > 0 (positive idf and term count)

    def _add_overlay_scores(self, terms: list, out: np.ndarray) -> None:
        """The overlay rows' BM25, added to `out` (where they are 0: their built entries are stale), computed in
        the order _built_scores adds them (groups as they come, then the sum of the single words), so a patched
        row scores bit for bit like the same row built."""
        seen: set[int] = set()
        groups = np.zeros(len(out), dtype=np.float32)
        singles = np.zeros(len(out), dtype=np.float32)
        touched = []
        for term in dict.fromkeys(terms):
            ids = [i for i in self._ids(term) if i not in seen]
            seen.update(ids)
            hits = [self._postings[i] for i in ids if i in self._postings]
            if len(ids) == 1:
                if hits:
                    singles[hits[0][0]] += hits[0][1]       # a posting names each row once
                    touched.append(hits[0][0])
            elif hits:
                rows = np.concatenate([h[0] for h in hits])
                best = np.zeros(len(out), dtype=np.float32)
                np.maximum.at(best, rows, np.concatenate([h[1] for h in hits]))
                unique = np.unique(rows)
                groups[unique] += best[unique]
                touched.append(unique)
        if touched:
            rows = np.unique(np.concatenate(touched))
            out[rows] += groups[rows] + singles[rows]

    def _built_scores(self, terms: list, named: list | None = None) -> np.ndarray:
        """The built index's BM25 of every row.

        The sum is made in the order bm25s's retrieval adds (each group's best alternative, groups as they come,
        then the single words' sum added last), so every row's score is the same float as bm25s's; but a group or
        word with a short posting touches only its rows, never every row (at 100k profiles a request's dozen word
        groups were a dozen full-length passes). `named`, when given, receives the postings' row arrays."""
        named = [] if named is None else named
        n = self.n
        out = np.zeros(n, dtype=np.float32)
        if not n:
            return out
        singles: list[int] = []
        seen: set[int] = set()
        s = self.bm25.scores
        data, indices, indptr = s["data"], s["indices"], s["indptr"]
        corrected = getattr(self.bm25, "nonoccurrence_array", None) is not None   # BM25L/BM25+: bm25s's own sum
        best = None

        def add(part: np.ndarray, rows: list[np.ndarray]) -> None:
            """out += part (zero outside `rows`), then part = 0: over every row when the rows are many."""
            named.extend(rows)
            if sum(len(r) for r in rows) * 4 > n:
                out.__iadd__(part)
                part.fill(0.0)
            elif rows:
                touched = np.concatenate(rows) if len(rows) > 1 else rows[0]
                out[touched] += part[touched]     # a row named twice is added once (a buffered fancy add)
                part[touched] = 0.0

        for term in dict.fromkeys(terms):
            ids = [i for i in self._ids(term) if i not in seen and i + 1 < len(indptr)]
            seen.update(ids)
            if len(ids) == 1:
                singles.append(ids[0])
            elif ids and corrected:
                group = np.zeros(n, dtype=np.float32)
                for i in ids:
                    np.maximum(group, self._posting_scores([i]), out=group)
                out += group
                named.append(np.flatnonzero(group > 0))
            elif ids:
                if best is None:
                    best = np.zeros(n, dtype=np.float32)    # each group's best alternative, back to 0 after use
                parts = []
                for i in ids:
                    rows = indices[indptr[i]:indptr[i + 1]]
                    if len(rows):     # a posting names each row once
                        best[rows] = np.maximum(best[rows], data[indptr[i]:indptr[i + 1]])
                        parts.append(rows)
                add(best, parts)
        if singles and corrected:
            single = self._posting_scores(singles)
            out += single
            named.append(np.flatnonzero(single > 0))
        elif singles:
            single = np.zeros(n, dtype=np.float32)
            parts = []
            for i in singles:
                rows = indices[indptr[i]:indptr[i + 1]]
                single[rows] += data[indptr[i]:indptr[i + 1]]
                parts.append(rows)
            add(single, parts)
        return out

    def _posting_scores(self, ids: list[int]) -> np.ndarray:
        """bm25s's get_scores_from_ids without np.add.at (a third of a search's CPU at 100k profiles): a term's
        posting holds each row once, so a plain indexed add per term is the same sum."""
        if getattr(self.bm25, "nonoccurrence_array", None) is not None:   # BM25L/BM25+: bm25s adds a correction
            return np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float32)
        s = self.bm25.scores
        data, indices, indptr = s["data"], s["indices"], s["indptr"]
        out = np.zeros(self.n, dtype=np.float32)
        for i in ids:
            start, end = indptr[i], indptr[i + 1]
            out[indices[start:end]] += data[start:end]
        return out

    def nbytes(self) -> int:
        s = self.bm25.scores
        return int(s["data"].nbytes + s["indices"].nbytes + s["indptr"].nbytes + self.idf.nbytes)
