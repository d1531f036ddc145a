"""The bilingual occupation and role lexicon shipped in core/skills/data/occupations.json.

Two parts, both Korean <-> English:
- occupations: roles in every job family we search (law, healthcare, teaching, sales, hospitality, construction,
  aviation, finance and banking, design and arts, agriculture, apparel, automotive, customer service, consulting,
  engineering, fitness, HR, IT and software, marketing and PR, operations), each with its names in both languages,
  other titles people write, and the words its work is described with;
- vocabulary: groups of everyday work words that mean the same in both languages (세무 = tax, 현장 = job site).

Matching runs on the same tokens as everything else (core.text), so Korean endings and spacing do not matter
(회계 담당자를 = 회계담당자), and English plurals match their singular (teachers = teacher).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.text import content_terms, tokenize_lines

_HANGUL_SYLLABLE = re.compile(r"^[\uac00-\ud7a3]$")


def is_fragment(token: str, written: str) -> bool:
    """A one-syllable Korean token the analyser cut out of a longer written word or phrase (손님 -> 손 + 님, 목표치 ->
    목표 + 치, 물 관리 -> 물 + 관리): alone it matches noise (손 is a hand, 님 any honorific), so it is never a search
    term and never a form of its own. A word written as one syllable (옷, 팀) is not a fragment."""
    return bool(_HANGUL_SYLLABLE.match(token)) and len(re.sub(r"\s+", "", written)) > 1

DEFAULT_OCCUPATIONS_PATH = Path(__file__).parent / "data" / "occupations.json"


@dataclass(frozen=True)
class Occupation:
    id: str
    family: str
    en: str
    ko: str
    aliases: tuple[str, ...]
    terms_en: tuple[str, ...]
    terms_ko: tuple[str, ...]

    def name(self, lang: str = "en") -> str:
        return self.ko if lang == "ko" and self.ko else self.en


@dataclass(frozen=True)
class WordGroup:
    """Words that mean the same thing in English and Korean; `en[0]` is the canonical English word."""
    index: int
    en: tuple[str, ...]
    ko: tuple[str, ...]


@dataclass(frozen=True)
class LexiconHit:
    kind: str            # "occupation" or "word"
    key: str             # occupation id, or "w<index>" for a word group
    start: int           # token span in the line
    end: int


def is_word_key(key: str) -> bool:
    """Word groups are keyed "w<index>"; occupation ids are words, and some start with w (waiter, writer)."""
    return key[:1] == "w" and key[1:].isdigit()


def match_token(token: str) -> str:
    """The form a token is compared in: English plurals fold onto the singular (teachers, classes, companies)."""
    if token.isascii() and len(token) > 3 and token.isalpha():
        if token.endswith("ies"):
            return token[:-3] + "y"
        if token.endswith("s") and not token.endswith("ss"):
            return token[:-1]
    return token


def _key(tokens) -> str:
    return " ".join(match_token(t) for t in tokens)


def _tokenized(texts: list[str], source: bytes | None) -> list[list[str]]:
    """tokenize_lines, cached per lexicon content and analyser in the user's cache folder (as the taxonomy's surface
    index is): the analyser needs a few seconds for the whole lexicon, which the first search would otherwise pay."""
    if source is None:
        return tokenize_lines(texts)
    try:
        from importlib.metadata import version

        analyser = version("kiwipiepy")
    except Exception:
        analyser = "unknown"
    from core.text import _KiwiHolder

    # Korean compounds the analyser was taught (the skills') change how forms split: part of the key.
    taught = "\x00".join(sorted(_KiwiHolder._user_words))
    digest = hashlib.sha256(source + analyser.encode() + "\x00".join(texts).encode() + taught.encode()).hexdigest()[:16]
    cache_dir = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "internal-hire"
    cache_file = cache_dir / f"occupation-tokens-{digest}.json"
    try:
        cached = json.loads(cache_file.read_text(encoding="utf-8"))
        if isinstance(cached, list) and len(cached) == len(texts):
            return cached
    except (OSError, ValueError):
        pass
    tokens = tokenize_lines(texts)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cache_file)
    except OSError:
        pass  # a read-only home only costs the time
    return tokens


class OccupationLexicon:
    def __init__(self, occupations: list[Occupation], groups: list[WordGroup], source: bytes | None = None):
        self.occupations = {o.id: o for o in occupations}
        self.groups = groups
        forms: list[tuple[str, str]] = []        # (key, surface form)
        for occ in occupations:
            forms += [(occ.id, f) for f in (occ.en, occ.ko, *occ.aliases) if f]
        for group in groups:
            forms += [(f"w{group.index}", f) for f in (*group.en, *group.ko) if f]
        flat_words = self._words(occupations, groups)
        tokenized_all = _tokenized([f for _, f in forms] + [w for _, w, _ in flat_words], source)
        tokenized = tokenized_all[:len(forms)]
        self.by_form: dict[str, str] = {}
        # Forms that are a role and also an everyday work word ("server": a restaurant server, or the machines):
        # form -> the word group, for a reader that can tell from the rest of the request (RequestBridge.bridge).
        self.word_sense: dict[str, str] = {}
        self.max_tokens = 1
        for (key, written), tokens in zip(forms, tokenized):
            if not tokens or (len(tokens) == 1 and is_fragment(tokens[0], written)):
                continue
            # An occupation wins over a word group on the same form ("teacher" is a role before it is a word).
            current = self.by_form.get(_key(tokens))
            if current is None or (is_word_key(current) and not is_word_key(key)):
                self.by_form[_key(tokens)] = key
            elif is_word_key(key) and not is_word_key(current):
                self.word_sense.setdefault(_key(tokens), key)
            self.max_tokens = max(self.max_tokens, len(tokens))
        # The content terms each entry stands for in both languages, in the token space of profile terms.
        self._terms: dict[str, tuple[str, ...]] = {}
        for (key, word, is_name), tokens in zip(flat_words, tokenized_all[len(forms):]):
            terms = content_terms(tokens)
            if is_name and len(tokens) > 1 and _key(tokens) in self.by_form:
                terms = []   # a title of several words counts through its one-word names and main activity
            elif len(tokens) > 1 and is_word_key(key):
                # A phrase ("pest management", "물 관리") stands for its group through its own words only: a word
                # that is another group's form on its own (management, 관리) would make every manager an irrigation
                # hit (a role's name stays: "personal trainer" keeps trainer). A phrase made only of other groups'
                # words ("close deals") keeps them all.
                own = [t for t in terms if self.by_form.get(_key([t]), key) == key
                       or not is_word_key(self.by_form.get(_key([t]), key))]
                terms = own or terms
            terms = [t for t in terms if not is_fragment(t, word)]
            self._terms[key] = tuple(dict.fromkeys(self._terms.get(key, ()) + tuple(terms)))
        # A Korean compound the analyser splits when it stands alone (헬프데스크 -> 헬프 데스크) may stay one token
        # inside a sentence (헬프데스크를): the joined form finds it too.
        for form, key in list(self.by_form.items()):
            joined = form.replace(" ", "")
            if " " in form and not form.isascii() and all(not part.isascii() for part in form.split()):
                self.by_form.setdefault(joined, key)

    @staticmethod
    def _words(occupations, groups) -> list[tuple[str, str]]:
        out = []
        for occ in occupations:
            # A role stands for its one-word names and its main activity (accountant, 경리, accounting, 회계);
            # the words of longer titles ("staff", "senior", "담당자") say nothing about the role on their own. The
            # main activity is kept in both languages even when it is several words ("human resources", "인사"):
            # else an English request for an HR generalist would look for the Korean word alone.
            out += [(occ.id, f, True) for f in (occ.en, occ.ko, *occ.aliases) if f]
            out += [(occ.id, f, False) for f in (*occ.terms_en[:1], *occ.terms_ko[:1])]
        for group in groups:
            out += [(f"w{group.index}", w, False) for w in (*group.en, *group.ko)]
        return out

    def __len__(self) -> int:
        return len(self.occupations)

    def families(self) -> set[str]:
        return {o.family for o in self.occupations.values()}

    def terms(self, key: str) -> tuple[str, ...]:
        return self._terms.get(key, ())

    def group(self, key: str) -> WordGroup | None:
        return self.groups[int(key[1:])] if is_word_key(key) else None

    def canonical(self, key: str) -> str:
        """The language-neutral (English) name of an entry."""
        occ = self.occupations.get(key)
        if occ is not None:
            return occ.en.lower()
        group = self.group(key)
        return group.en[0].lower() if group else key

    def find(self, tokens: list[str], taken: set[int] | None = None) -> list[LexiconHit]:
        """Greedy longest matches in a line's tokens, skipping token positions in `taken` (matched by something
        more specific, such as a skill)."""
        taken = taken or set()
        hits = []
        i, n = 0, len(tokens)
        forms = [match_token(t) for t in tokens]     # once per token, not once per window (an import's hot loop)
        while i < n:
            if i in taken:
                i += 1
                continue
            for width in range(min(self.max_tokens, n - i), 0, -1):
                if taken and any(j in taken for j in range(i, i + width)):
                    continue
                key = self.by_form.get(" ".join(forms[i:i + width]))      # == _key(tokens[i:i + width])
                if key:
                    hits.append(LexiconHit("word" if is_word_key(key) else "occupation", key, i, i + width))
                    i += width
                    break
            else:
                i += 1
        return hits

    @classmethod
    def from_file(cls, path: Path) -> "OccupationLexicon":
        source = Path(path).read_bytes()
        data = json.loads(source.decode("utf-8"))
        occupations = [Occupation(id=o["id"], family=o["family"], en=o["en"], ko=o["ko"],
                                  aliases=tuple(o.get("aliases", ())), terms_en=tuple(o.get("terms_en", ())),
                                  terms_ko=tuple(o.get("terms_ko", ())))
                       for o in data["occupations"]]
        groups = [WordGroup(i, tuple(g["en"]), tuple(g["ko"])) for i, g in enumerate(data.get("vocabulary", ()))]
        return cls(occupations, groups, source)


@lru_cache(maxsize=2)
def load_occupations(path: str | None = None) -> OccupationLexicon:
    return OccupationLexicon.from_file(Path(path) if path else DEFAULT_OCCUPATIONS_PATH)
