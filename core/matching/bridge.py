"""One request, the same people, in either language.

`RequestBridge.bridge(text)` reads a request in Korean, English or both into what retrieval needs on both sides:

- `skills`: canonical skill ids (the bilingual skills dictionary);
- `roles`: occupation ids (the bilingual occupation lexicon, core/skills/occupations.py); a request that names
  none is read as the one role whose work it describes (infer_role), as its translation may name it outright;
- `term_groups`: the request's words for lexical matching, each a group of alternatives in both languages
  (세무 -> {세무, 세금, tax, taxes, taxation}); a word the lexicon does not know is a group of one. A Korean and an
  English request that say the same thing give the same groups, so lexical retrieval finds the same people;
- `canonical`: a language-neutral English text (roles, skills, work words) embedded and compared with each profile's
  language-neutral summary (`profile_summary`), beside the raw-text embedding.

`profile_summary` builds that summary for a profile from its redacted matching text (core.fairness.matching_text),
so it can only carry what matching may see: roles, canonical skills, work words and years of experience.
Retrieval (core/matching/index.py, and any lexical index) consumes a BridgedRequest; it never re-reads the text.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from core.matching.lexical import all_skill_terms
from core.skills.occupations import OccupationLexicon, is_fragment
from core.skills.taxonomy import Taxonomy
from core.text import content_terms, join_key, tokenize_lines, tokenize_query

MAX_SUMMARY_SKILLS = 15
MAX_SUMMARY_WORDS = 8
MAX_SUMMARY_ROLES = 3
# A request that names no role is read as the role whose work it describes when at least this many of its concepts
# (skills, a related skill, work words) are among that role's own and no other role has as many: "someone who can
# run our corporate tax filings and month-end close" is an accountant's work, as "회계 담당자" says outright.
INFER_ROLE_MIN = 2
# Words that say only that a person is wanted (담당자, specialist): Korean requests end with them, English ones rarely.
GENERIC_PERSON_WORDS = ("specialist",)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")

_YEARS = re.compile(
    r"(\d{1,2})\s*\+?\s*(?:years?|yrs?)\b(?:\s+of)?(?:\s+\w+){0,3}?\s+(?:experience|in\b|as\b)"
    r"|(?:경력|총)\s*(\d{1,2})\s*년|(\d{1,2})\s*년\s*(?:차|간|이상)?\s*(?:의\s*)?경력",
    re.IGNORECASE)


@dataclass(frozen=True)
class BridgedRequest:
    text: str
    skills: tuple[str, ...]
    roles: tuple[str, ...]
    term_groups: tuple[tuple[str, ...], ...]
    canonical: str
    words: tuple[str, ...] = field(default=())      # canonical English work words found (word-group heads)
    free: tuple[str, ...] = field(default=())       # words neither dictionary knows (a group of one each)
    neutral: tuple[str, ...] = field(default=())    # free words written the same in either language (FAA, SAP)

    def shared_groups(self) -> list[tuple[str, ...]]:
        """The groups both languages' versions of the request would give: the bridged groups and the free words
        written the same in either language. A free word of one language ("quota", "재배") can only find resumes
        of that language and would pull the two versions of a request apart; the request's other words carry its
        meaning to the embedding. Every group when nothing was bridged."""
        dropped = set(self.free) - set(self.neutral)
        kept = [g for g in self.term_groups if not (len(g) == 1 and g[0] in dropped)]
        return kept if len(kept) > len([g for g in kept if len(g) == 1 and g[0] in self.neutral]) else list(self.term_groups)

    def expanded_text(self) -> str:
        """Every alternative of every group, space-separated: the request in both languages, for a lexical index
        that takes text (BM25)."""
        return " ".join(t for group in self.term_groups for t in group)

    def terms(self) -> list[str]:
        """Every alternative once, in order."""
        return list(dict.fromkeys(t for group in self.term_groups for t in group))


class RequestBridge:
    def __init__(self, taxonomy: Taxonomy, lexicon: OccupationLexicon):
        self.taxonomy = taxonomy
        self.lexicon = lexicon
        self._skill_terms: dict[str, tuple[str, ...]] = {}
        self._role_concepts: dict[str, frozenset] | None = None
        self._roles_by_concept: dict[str, set[str]] | None = None

    # ---- skills with their token positions ---------------------------------------------------------------------
    def _skill_hits(self, tokens: list[str]) -> list[tuple[str, int, int]]:
        found = []
        i, n = 0, len(tokens)
        by_surface, max_n = self.taxonomy.by_surface, self.taxonomy.max_tokens
        while i < n:
            for width in range(min(max_n, n - i), 0, -1):
                skill_id = by_surface.get(join_key(tokens[i:i + width]))
                if skill_id:
                    found.append((skill_id, i, i + width))
                    i += width
                    break
            else:
                i += 1
        return found

    def _hits(self, tokens: list[str]):
        """Skills and lexicon entries in a line, the longest match winning at each position (a skill on a tie):
        "백엔드 개발자" is the backend engineer role, "백엔드" alone the backend skill."""
        skill_hits = self._skill_hits(tokens)
        lexicon_hits = self.lexicon.find(tokens)
        candidates = sorted([(a, -(b - a), 0, (sid, a, b)) for sid, a, b in skill_hits]
                            + [(h.start, -(h.end - h.start), 1, h) for h in lexicon_hits], key=lambda c: c[:3])
        kept_skills, kept_hits, free_from = [], [], 0
        for start, _, kind, hit in candidates:
            if start < free_from:
                continue
            if kind == 0:
                kept_skills.append(hit)
                free_from = hit[2]
            else:
                kept_hits.append(hit)
                free_from = hit.end
        return kept_skills, kept_hits

    def skill_terms(self, skill_id: str) -> tuple[str, ...]:
        """The content terms of a skill's English and Korean names: one lexical group, either language."""
        if not self._skill_terms:      # every skill at once, from tokens cached on disk (lexical.all_skill_terms)
            for sid, terms in all_skill_terms(self.taxonomy).items():
                skill = self.taxonomy.get(sid)
                # 최적화 -> 최적 + 화, 관계형 -> 관계 + 형: the one-syllable piece alone matches any such word
                words = set(skill.ko.split()) if skill and skill.ko else set()
                self._skill_terms[sid] = tuple(t for t in terms if t in words or not (skill and skill.ko
                                                                                     and is_fragment(t, skill.ko)))
        cached = self._skill_terms.get(skill_id)
        if cached is None:
            skill = self.taxonomy.get(skill_id)
            forms = [f for f in ((skill.en, skill.ko) if skill else (skill_id,)) if f]
            cached = tuple(dict.fromkeys(t for toks in tokenize_lines(forms) for t in content_terms(toks)))
            self._skill_terms[skill_id] = cached
        return cached

    # ---- roles as concepts --------------------------------------------------------------------------------------
    def _role_table(self) -> dict[str, frozenset]:
        """Every role's concepts: the skills and work-word groups of the words its work is described with
        (Occupation.terms_en / terms_ko), tokenized once through the lexicon's token cache."""
        if self._role_concepts is None:
            from core.skills.occupations import _tokenized

            occupations = list(self.lexicon.occupations.values())
            work = [[*o.terms_en, *o.terms_ko] for o in occupations]
            tokens = iter(_tokenized([w for ws in work for w in ws], b"role work words"))
            concepts = {}
            for occupation, words in zip(occupations, work):
                found: set[str] = set()
                for _ in words:
                    skill_hits, hits = self._hits(list(next(tokens)))
                    found.update(sid for sid, _, _ in skill_hits)
                    found.update(h.key for h in hits if h.kind == "word")
                concepts[occupation.id] = frozenset(found)
            self._role_concepts = concepts
        return self._role_concepts

    def infer_role(self, skill_ids, word_keys) -> str | None:
        """The one role whose own concepts hold at least INFER_ROLE_MIN of the request's (a requested skill's related
        skill counts for it), or None."""
        asked = [(sid, *self.taxonomy.related(sid)) for sid in skill_ids] + [(k,) for k in word_keys]
        if len(asked) < INFER_ROLE_MIN:
            return None
        if self._roles_by_concept is None:
            by_concept: dict[str, set[str]] = {}
            for role, own in self._role_table().items():
                for concept in own:
                    by_concept.setdefault(concept, set()).add(role)
            self._roles_by_concept = by_concept
        score: Counter = Counter()
        for concepts in asked:      # each of the request's concepts counts once per role, however many ways it hits
            score.update(set().union(*(self._roles_by_concept.get(c, ()) for c in concepts)))
        ranked = score.most_common(2)
        if not ranked or ranked[0][1] < INFER_ROLE_MIN or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return ranked[0][0]

    def _senses(self, tokens: list[str], hits, skill_ids) -> list:
        """A role named by a word that is also an everyday work word ("servers") is that role only when the rest of
        the request is about its work: "manage our network, servers and help desk" asks for machines, not for a
        restaurant server; "a server for our restaurant" keeps the role. Alone, a role stays a role."""
        from core.skills.occupations import LexiconHit, _key

        out = []
        for hit in hits:
            sense = self.lexicon.word_sense.get(_key(tokens[hit.start:hit.end])) if hit.kind == "occupation" else None
            if sense:
                context = {s for sid in skill_ids for s in (sid, *self.taxonomy.related(sid))}
                context |= {h.key for h in hits if h is not hit}
                own = self._role_table().get(hit.key, frozenset()) | {hit.key}
                if context and not context & own:
                    hit = LexiconHit("word", sense, hit.start, hit.end)
            out.append(hit)
        return out

    # ---- requests ------------------------------------------------------------------------------------------------
    def bridge(self, text: str, skills: list[str] | None = None) -> BridgedRequest:
        """`skills`: the request's canonical skills when the caller already extracted them (same tokens)."""
        tokens = list(tokenize_query(text or ""))
        skill_hits, hits = self._hits(tokens)
        taken = {j for _, a, b in skill_hits for j in range(a, b)} | {j for h in hits for j in range(h.start, h.end)}

        skill_ids = list(dict.fromkeys(skills if skills is not None else [s for s, _, _ in skill_hits]))
        hits = self._senses(tokens, hits, skill_ids)
        roles = list(dict.fromkeys(h.key for h in hits if h.kind == "occupation"))
        word_keys = [k for k in dict.fromkeys(h.key for h in hits if h.kind == "word")
                     if self.lexicon.canonical(k) not in GENERIC_PERSON_WORDS]
        if not roles:
            inferred = self.infer_role(skill_ids, word_keys)
            if inferred:
                roles.append(inferred)

        groups: list[tuple[str, ...]] = []
        for sid in skill_ids:
            groups.append(self.skill_terms(sid))
        for key in roles + word_keys:
            groups.append(self.lexicon.terms(key))
        free = [t for j, token in enumerate(tokens) if j not in taken for t in content_terms([token])]
        groups += [(t,) for t in free]
        korean = any(_HANGUL.search(t) for t in tokens)
        # Latin words in a Korean request, capitals in an English one: names and acronyms, the same in both
        neutral = [t for t in free if t.isascii() and (korean or re.search(rf"\b{re.escape(t.upper())}\b", text or ""))]
        seen, unique = set(), []
        for group in groups:
            group = tuple(t for t in group if t)
            if group and group not in seen:
                seen.add(group)
                unique.append(group)

        words = tuple(self.lexicon.canonical(k) for k in word_keys)
        canonical = canonical_text([self.lexicon.canonical(r) for r in roles],
                                   [self.taxonomy.name(s, "en") for s in skill_ids], words)
        return BridgedRequest(text=text, skills=tuple(skill_ids), roles=tuple(roles), term_groups=tuple(unique),
                              canonical=canonical, words=words, free=tuple(dict.fromkeys(free)),
                              neutral=tuple(dict.fromkeys(neutral)))

    # ---- profiles ------------------------------------------------------------------------------------------------
    def profile_summary(self, lines: list[str], line_tokens: list[list[str]], skill_ids: list[str],
                        title: str = "") -> str:
        """The language-neutral summary of a profile: its roles, canonical skills, work words and years, in
        English whatever the resume's language. `lines`/`line_tokens` are the redacted matching text's lines."""
        role_score: Counter = Counter()
        word_count: Counter = Counter()
        for number, tokens in enumerate(line_tokens):
            # The title (first line of the matching text) and the resume's opening lines say what someone is.
            weight = 3 if (number == 0 and title) else 2 if number < 4 else 1
            for hit in self._hits(tokens)[1]:
                if hit.kind == "occupation":
                    role_score[hit.key] += weight
                else:
                    word_count[hit.key] += 1
        roles = [k for k, score in role_score.most_common() if score >= 2][:MAX_SUMMARY_ROLES]
        words = [self.lexicon.canonical(k) for k, _ in word_count.most_common(MAX_SUMMARY_WORDS)]
        years = years_of_experience("\n".join(lines))
        return canonical_text([self.lexicon.canonical(r) for r in roles],
                              [self.taxonomy.name(s, "en") for s in skill_ids[:MAX_SUMMARY_SKILLS]], words, years)


def canonical_text(roles, skills, words, years: int | None = None) -> str:
    parts = []
    if roles:
        parts.append(", ".join(roles) + ".")
    if skills:
        parts.append("Skills: " + ", ".join(skills) + ".")
    if words:
        parts.append("Work: " + ", ".join(words) + ".")
    if years:
        parts.append(f"{years} years of experience.")
    return " ".join(parts)


def years_of_experience(text: str) -> int | None:
    """The largest number of years of experience a text states ("7 years of experience", "경력 5년"), if any."""
    best = None
    for m in _YEARS.finditer(text or ""):
        value = int(next(g for g in m.groups() if g))
        if 0 < value <= 50:
            best = max(best or 0, value)
    return best
