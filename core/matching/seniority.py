"""Seniority and experience: read from requests ("senior", "lead", "5+ years", "시니어", "5년 이상") and from profiles
(level L1-L6, years of experience, title words), used by ranking as a soft signal and shown in explanations.

Ranks follow the directory's levels: 1 junior, 2 associate, 3 mid, 4 senior, 5 lead/staff, 6 principal/director.
When a profile has no level, its rank is estimated from its years (the demo organisation's level bands: L4 starts
at about 7 years) and raised or capped by its title words ("Senior …" is at least 4, "Intern …" at most 2).
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

# Request words -> the minimum rank they ask for. Junior words ask for no minimum (seniors are not penalised).
# "an experienced engineer" asks for a senior; "experienced in X" only for experience of X, as "X 해 본" does in Korean.
_ASK_WORDS = [
    (6, r"principal|director|head of|vp|vice president|chief|수석|이사|본부장|임원|디렉터"),
    (5, r"(?<!to )(?<!can )(?<!will )(?<!who )(?<!and )(?<!or )lead|staff|팀장|리드|책임|파트장"),
    (4, r"senior|sr\.?|seasoned|veteran|experienced(?!\s+(?:in|with|at|on)\b)|시니어|선임|고참|베테랑|숙련된|경력직"),
    (3, r"mid|mid-level|intermediate|미들|중급|중견"),
]
_JUNIOR = re.compile(r"(?<![a-z])(junior|jr\.?|entry[- ]level|graduate|intern|trainee)(?![a-z])|주니어|신입|인턴|초급",
                     re.IGNORECASE)
_ASK = [(rank, re.compile(r"(?<![a-z])(?:" + words + r")(?![a-z])", re.IGNORECASE)) for rank, words in _ASK_WORDS]
# "5+ years", "at least 5 years", "5 yrs", "5년 이상", "경력 5년", "5년차"
_YEARS_EN = re.compile(r"(\d{1,2})\s*\+?\s*(?:or more\s+)?(?:years?|yrs?)\b", re.IGNORECASE)
_YEARS_KO = re.compile(r"(\d{1,2})\s*년\s*(?:이상|차|넘|경력|\+)|경력\s*(\d{1,2})\s*년")

# Profile titles
_TITLE_AT_LEAST = [
    (6, re.compile(r"(?<![a-z])(principal|director|vp|vice president|chief|head of)(?![a-z])|수석|이사|본부장|임원",
                   re.IGNORECASE)),
    (5, re.compile(r"(?<![a-z])(lead|staff|head)(?![a-z])|팀장|리드|책임|파트장", re.IGNORECASE)),
    (4, re.compile(r"(?<![a-z])(senior|sr\.?|manager|supervisor)(?![a-z])|시니어|선임|매니저", re.IGNORECASE)),
]
_TITLE_AT_MOST = re.compile(r"(?<![a-z])(junior|jr\.?|intern|trainee|assistant|apprentice|entry[- ]level)(?![a-z])"
                            r"|주니어|인턴|신입|수습", re.IGNORECASE)

_THIS_YEAR = datetime.date.today().year
_RANGE = re.compile(
    r"((?:19[6-9]\d|20[0-4]\d))\s*(?:[./년]\s*\d{1,2}\s*월?)?\s*(?:-|–|—|~|to|until|through)\s*"
    r"(?:\d{1,2}\s*/\s*)?(?:[A-Za-z]{3,9}\.?\s+)?((?:19[6-9]\d|20[0-4]\d)|current|present|now|today|date|현재|재직\s*중)",
    re.IGNORECASE)
_CLAIM_EN = re.compile(r"(\d{1,2})\s*\+?\s*(?:years?|yrs?)(?:'|’)?\s+(?:of\s+)?(?:\w+\s+){0,3}?(?:experience|expertise)",
                       re.IGNORECASE)
_CLAIM_KO = re.compile(r"(\d{1,2})\s*년\s*(?:차|간|이상)?\s*(?:의\s*)?경력|경력\s*(\d{1,2})\s*년")


@dataclass(frozen=True)
class SeniorityAsk:
    min_rank: int = 0          # 0: no level asked for
    min_years: float = 0.0     # 0: no years asked for
    junior: bool = False

    def __bool__(self) -> bool:
        return bool(self.min_rank or self.min_years)


def read_request(text: str) -> SeniorityAsk:
    text = text or ""
    years = 0.0
    for m in _YEARS_EN.finditer(text):
        years = max(years, float(m.group(1)))
    for m in _YEARS_KO.finditer(text):
        years = max(years, float(m.group(1) or m.group(2)))
    rank = next((r for r, pattern in _ASK if pattern.search(text)), 0)
    junior = bool(_JUNIOR.search(text))
    if junior and rank <= 4:
        rank = 0     # "junior or mid", "신입/경력": not a minimum
    return SeniorityAsk(rank, min(years, 30.0), junior)


def years_in_text(text: str) -> float | None:
    """Years of experience a resume shows: the longest "N years of experience" it claims, or else the union of the
    date ranges of its jobs. None when it shows neither."""
    claims = [int(m.group(1) or m.group(2)) for m in (*_CLAIM_EN.finditer(text or ""), *_CLAIM_KO.finditer(text or ""))
              if (m.group(1) or m.group(2))]
    claimed = max((c for c in claims if c <= 45), default=None)
    spans = []
    for m in _RANGE.finditer(text or ""):
        start = int(m.group(1))
        end_text = m.group(2)
        end = int(end_text) if end_text[:1].isdigit() else _THIS_YEAR
        if start <= end <= _THIS_YEAR + 1:
            spans.append((start, end))
    covered = 0.0
    if spans:
        spans.sort()
        cur_s, cur_e = spans[0]
        for s, e in spans[1:]:
            if s <= cur_e:
                cur_e = max(cur_e, e)
            else:
                covered += cur_e - cur_s
                cur_s, cur_e = s, e
        covered += cur_e - cur_s
        covered = max(covered, 0.5)
    if claimed is not None:
        return float(max(claimed, covered if covered <= claimed + 5 else claimed))
    return covered if spans else None


def rank_from_years(years: float) -> int:
    for rank, floor in ((6, 14), (5, 10), (4, 7), (3, 4), (2, 2)):
        if years >= floor:
            return rank
    return 1


def profile_rank(level_rank: int, years: float | None, title: str) -> int:
    """The profile's seniority rank 1-6, or 0 when nothing shows it."""
    if level_rank:
        return level_rank
    rank = rank_from_years(years) if years is not None else 0
    for at_least, pattern in _TITLE_AT_LEAST:
        if pattern.search(title or ""):
            rank = max(rank, at_least)
            break
    else:
        if _TITLE_AT_MOST.search(title or ""):
            rank = min(rank, 2) if rank else 1
    return rank
