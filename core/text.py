"""Language detection and bilingual tokenization (Korean through the Kiwi morphological analyser)."""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
# ASCII-ish technical tokens: keeps C++, C#, node.js, CI/CD, K-IFRS, GA4, .NET together.
_ASCII_TOKEN = re.compile(r"\.?[A-Za-z0-9][A-Za-z0-9+#]*(?:[.\-/&][A-Za-z0-9+#]+)*\+*")

# Kiwi tags kept as content: nouns, roots, foreign words, numbers, and verb/adjective stems.
_KIWI_CONTENT_TAGS = ("NNG", "NNP", "XR", "SL", "SH", "SN", "VV", "VA", "XSN")


def detect_language(text: str) -> str:
    """'ko' when the text is mostly Hangul, else 'en'. Mixed Korean with English terms counts as Korean."""
    hangul = len(_HANGUL.findall(text or ""))
    latin = len(_LATIN.findall(text or ""))
    if hangul == 0:
        return "en"
    # Korean sentences routinely carry English product names; 2 Hangul syllables carry about as much as 5 letters.
    return "ko" if hangul * 2.5 >= latin * 0.5 else "en"


# What says nothing about the language a person writes in: URLs, e-mail addresses, our ids (jd-1a2b3c…, op-…, job
# and search ids, E0123), other long hex/uuid tokens, search options (dept:"Data & AI", -dept:X, level:L4+,
# exclude:E0012, --open-only) and @mentions. Counting their letters made "JD 이력 jd-abcdef…" English.
_NOT_LANGUAGE = re.compile(
    r"https?://\S+|www\.\S+|mailto:\S+|(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+"
    r"|(?<![\w-])[-!]?(?:dept|department|부서|loc|location|근무지|지역|exclude|id|제외|level|lvl|레벨|limit|top|n|open)"
    r":(?:\"[^\"]*\"|“[^”]*”|'[^']*'|\S+)"                          # dept:"Data & AI", -dept:X, level:L4+
    r"|(?<![\w-])--[A-Za-z가-힣][\w-]*"                              # --open-only
    r"|<@[\w]+>|(?<!\w)@[\w.-]+"
    r"|(?<![\w-])(?:jd|op|job|set|work|brief)-[0-9a-f]{4,}(?:-[0-9a-f]+)*\b"
    r"|\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b"
    r"|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b"
    r"|\b[A-Za-z]\d{3,}\b",                                        # employee ids: E0123
    re.IGNORECASE)


def request_language(text: str, fallback: str | None = None) -> str:
    """The language a request is written in, decided once per request: 'ko' or 'en'.

    Ids, links, e-mail addresses and search options are ignored; a request with no words left (a bare id, an
    empty button press) takes `fallback` (the language of the card or conversation it came from), else English.
    """
    words = _NOT_LANGUAGE.sub(" ", text or "")
    if not _HANGUL.search(words) and not _LATIN.search(words):
        return fallback if fallback in ("ko", "en") else "en"
    return detect_language(words)



_LANGUAGE_NAMES = {"ko": "ko", "kor": "ko", "korean": "ko", "한국어": "ko", "en": "en", "eng": "en", "english": "en",
                   "영어": "en"}


def person_language(languages, display_name: str = "", fallback: str | None = None) -> str:
    """The language to write to someone who did not ask (alerts, digests, home): the first Korean or English entry
    of their profile's languages, else `fallback` when given, else the script of their name."""
    for entry in languages or ():
        code = _LANGUAGE_NAMES.get(str(entry).strip().lower())
        if code:
            return code
    if fallback:
        return fallback
    return "ko" if request_language(display_name) == "ko" else "en"


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def squash(text: str) -> str:
    """Key for surface-form lookup: normalized, without whitespace or hyphens
    (스프링 부트 == 스프링부트, Spring Boot == springboot, Go-to-Market == go to market)."""
    return re.sub(r"[\s\-]+", "", normalize(text))


def join_key(tokens) -> str:
    """The lookup key of a run of tokens; matches squash() of the same words."""
    return "".join(tokens).replace("-", "")


class _KiwiHolder:
    _lock = threading.Lock()
    _kiwi = None
    _user_words: set[str] = set()

    @classmethod
    def get(cls):
        if cls._kiwi is None:
            with cls._lock:
                if cls._kiwi is None:
                    from kiwipiepy import Kiwi  # loaded lazily: ~1 s and ~100 MB, only needed for Korean text

                    kiwi = Kiwi()
                    for word in sorted(cls._user_words):
                        kiwi.add_user_word(word, "NNP", 0.0)
                    cls._kiwi = kiwi
        return cls._kiwi


def add_korean_user_words(words) -> None:
    """Teach Kiwi compound terms (skill names such as 스프링부트) so that 스프링부트로 splits into 스프링부트 + 로.
    Applied when the analyser is first loaded (or at once if it already is)."""
    new = {w for w in (re.sub(r"\s+", "", w) for w in words) if _HANGUL.search(w) and len(w) >= 2 and w.isalnum()}
    with _KiwiHolder._lock:
        added = new - _KiwiHolder._user_words
        _KiwiHolder._user_words |= added
        kiwi = _KiwiHolder._kiwi
    if kiwi is not None:
        for word in sorted(added):
            kiwi.add_user_word(word, "NNP", 0.0)


def _ascii_pieces(line: str) -> list[tuple[int, str]]:
    pieces = []
    for m in _ASCII_TOKEN.finditer(line):
        tok = m.group(0).rstrip(".-/&")
        if tok:
            pieces.append((m.start(), normalize(tok)))
    return pieces


def _merge(line: str, korean: list[tuple[int, str]]) -> list[str]:
    pieces = _ascii_pieces(line)
    if korean:
        pieces.extend(korean)
        pieces.sort(key=lambda p: p[0])
    return [p[1] for p in pieces]


def tokenize_line(line: str) -> list[str]:
    """Content tokens of one line in reading order: ASCII technical tokens plus Korean morphemes."""
    return tokenize_lines([line])[0]


MAX_SEGMENT_CHARS = 1000   # longer lines are analysed in pieces cut at spaces: Kiwi slows down on very long ones


def split_long_line(line: str, size: int = MAX_SEGMENT_CHARS) -> list[str]:
    """A line cut at spaces into pieces of at most `size` characters (a long word is cut where it must be)."""
    if len(line) <= size:
        return [line]
    parts, start = [], 0
    while start < len(line):
        end = min(len(line), start + size)
        if end < len(line):
            space = line.rfind(" ", start + size // 2, end)
            end = space + 1 if space > start else end
        parts.append(line[start:end])
        start = end
    return parts


def tokenize_lines(lines: list[str]) -> list[list[str]]:
    """tokenize_line for many lines, with the Korean ones sent to the analyser in one batch (much faster). A line of
    60 KB (a PDF without line breaks) is tokenized in pieces, so the work stays linear in its length."""
    if any(len(line) > MAX_SEGMENT_CHARS for line in lines):
        pieces = [split_long_line(line) for line in lines]
        flat = tokenize_lines([segment for segments in pieces for segment in segments])
        out, at = [], 0
        for segments in pieces:
            out.append([token for tokens in flat[at:at + len(segments)] for token in tokens])
            at += len(segments)
        return out
    korean_idx = [i for i, line in enumerate(lines) if _HANGUL.search(line)]
    korean: dict[int, list[tuple[int, str]]] = {}
    if korean_idx:
        kiwi = _KiwiHolder.get()
        results = kiwi.tokenize([lines[i] for i in korean_idx])
        for i, toks in zip(korean_idx, results):
            korean[i] = [(t.start, normalize(t.form)) for t in toks
                         if t.tag.startswith(_KIWI_CONTENT_TAGS) and _HANGUL.search(t.form)]
    return [_merge(line, korean.get(i, [])) for i, line in enumerate(lines)]


@lru_cache(maxsize=4096)
def tokenize_query(text: str) -> tuple[str, ...]:
    return tuple(t for line in (text or "").splitlines() for t in tokenize_line(line))


ENGLISH_STOPWORDS = frozenset("""
a an and are as at be by for from has have in is it its of on or our the to was were will with who which that
this we you your i me my us they them their he she his her not no but if so than then there these those
do does did can could should would may might must about into over under up down out very also just
experience experienced years year yrs work worked working looking find candidate candidates someone people
person need needs want wants knows know knowing strong good great plus skills skill role team
""".split())

KOREAN_STOPWORDS = frozenset("""
있 없 하 되 이 그 저 것 수 등 및 때 경우 위 통하 대하 관련 사람 분 찾 경험 가능 잘 알 다루 보유 년 이상 후보 후보자
필요 원하 담당 업무 역량 능력 를 을 가 는
""".split())


def content_terms(tokens) -> list[str]:
    """Tokens that carry meaning for lexical matching (stopwords and 1-letter ASCII dropped)."""
    out = []
    for text in tokens:
        if text in ENGLISH_STOPWORDS or text in KOREAN_STOPWORDS:
            continue
        if len(text) == 1 and text.isascii() and text not in ("c", "r"):
            continue
        if text.isdigit():
            continue
        out.append(text)
    return out
