"""Language detection and bilingual tokenization (Korean through the Kiwi morphological analyser)."""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
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


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def squash(text: str) -> str:
    """Key for surface-form lookup: normalized, without whitespace (스프링 부트 == 스프링부트, Spring Boot == springboot)."""
    return re.sub(r"\s+", "", normalize(text))


@dataclass(frozen=True)
class Token:
    text: str      # normalized form
    line: int      # index of the source line


class _KiwiHolder:
    _lock = threading.Lock()
    _kiwi = None

    @classmethod
    def get(cls):
        if cls._kiwi is None:
            with cls._lock:
                if cls._kiwi is None:
                    from kiwipiepy import Kiwi  # loaded lazily: ~1 s and ~100 MB, only needed for Korean text

                    cls._kiwi = Kiwi()
        return cls._kiwi


def add_korean_user_words(words: list[str]) -> None:
    """Teach Kiwi compound terms (e.g. skill names) so they are kept whole."""
    kiwi = _KiwiHolder.get()
    for word in words:
        if " " not in word and _HANGUL.search(word) and len(word) >= 2:
            kiwi.add_user_word(word, "NNP", 0.0)


def _korean_tokens(line: str) -> list[tuple[int, str]]:
    kiwi = _KiwiHolder.get()
    out = []
    for tok in kiwi.tokenize(line):
        if tok.tag.startswith(_KIWI_CONTENT_TAGS) and _HANGUL.search(tok.form):
            out.append((tok.start, normalize(tok.form)))
    return out


def tokenize_line(line: str) -> list[str]:
    """Content tokens of one line in reading order: ASCII technical tokens plus Korean morphemes."""
    pieces: list[tuple[int, str]] = []
    for m in _ASCII_TOKEN.finditer(line):
        tok = m.group(0).rstrip(".-/&")
        if tok:
            pieces.append((m.start(), normalize(tok)))
    if _HANGUL.search(line):
        pieces.extend(_korean_tokens(line))
        pieces.sort(key=lambda p: p[0])
    return [p[1] for p in pieces]


@lru_cache(maxsize=4096)
def tokenize_query(text: str) -> tuple[str, ...]:
    return tuple(t for line in (text or "").splitlines() for t in tokenize_line(line))


def tokenize(text: str) -> list[Token]:
    tokens = []
    for i, line in enumerate((text or "").splitlines()):
        tokens.extend(Token(t, i) for t in tokenize_line(line))
    return tokens


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
    for t in tokens:
        text = t.text if isinstance(t, Token) else t
        if text in ENGLISH_STOPWORDS or text in KOREAN_STOPWORDS:
            continue
        if len(text) == 1 and text.isascii() and text not in ("c", "r"):
            continue
        if text.isdigit():
            continue
        out.append(text)
    return out
