"""Fairness by construction: the only text that is embedded or scored is built here, without personal details.

Names, contact details and ID numbers are removed here; protected attributes (age, sex, marital and family status,
pregnancy, religion, disability, nationality and ethnicity, region of origin, military-service status, appearance,
sexual orientation) are removed by `core.protected`, however they are written: as labelled fields, inside sentences,
in Korean or English. This happens before anything is embedded, tokenized for lexical match, or scanned for skills.
"""
from __future__ import annotations

import re

from core.text import split_long_line
from core.protected import default_redactor

# A line that states a personal detail ("Gender: Female", "생년월일: 1990.01.02", "Address - 12 Teheran-ro").
_PERSONAL_LABELS = [
    r"name", r"full\s*name", r"date\s*of\s*birth", r"d\.?o\.?b\.?", r"birth\s*date", r"birthday", r"born", r"age",
    r"gender", r"sex", r"marital\s*status", r"married", r"family", r"children", r"nationality", r"citizenship",
    r"address", r"home", r"residence", r"phone", r"mobile", r"tel", r"e-?mail", r"photo", r"picture", r"religion",
    r"military\s*service", r"height", r"weight", r"blood\s*type", r"linkedin", r"github", r"contact",
    r"이름", r"성명", r"생년월일", r"출생", r"생일", r"나이", r"연령", r"성별", r"결혼\s*여부", r"결혼", r"혼인", r"가족\s*관계",
    r"국적", r"주소", r"거주지", r"연락처", r"전화", r"휴대폰", r"핸드폰", r"이메일", r"사진", r"종교", r"병역", r"신장", r"체중",
    r"혈액형", r"주민등록번호",
]
_PERSONAL_LINE = re.compile(
    r"^\s*[-*•·]?\s*(?:" + "|".join(_PERSONAL_LABELS) + r")\s*(?:[:：\-–|\t]|\s{2,})", re.IGNORECASE)
# Label and value with a single space, as PDF text often comes out ("Gender Female", "Nationality Korean").
_PERSONAL_PAIR = re.compile(
    r"^\s*[-*•·]?\s*(?:gender|sex|nationality|citizenship|marital\s*status|date\s*of\s*birth|dob|religion|"
    r"성별|국적|생년월일|결혼\s*여부|종교)\s+\S", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")   # each run tried once: linear
_PHONE = re.compile(r"(?:\+?\d{1,3}[\s.-]?)?(?:\(?\d{2,4}\)?[\s.-]?)\d{3,4}[\s.-]?\d{4}")
_RRN = re.compile(r"\b\d{6}\s*-\s*[1-4]\d{6}\b")  # Korean resident registration number
_URL = re.compile(r"https?://\S+")
_DIGIT = re.compile(r"\d")


def redact_personal_details(text: str, names: list[str] | tuple[str, ...] = (), protected: bool = True) -> str:
    """Drop personal-detail lines and scrub names, e-mails, phone numbers, ID numbers and links; then remove protected
    attributes wherever they are written (`protected=False` skips that step, for measuring what it removes)."""
    name_patterns: list[str] = []
    part_patterns: list[str] = []
    for name in names:
        name = (name or "").strip()
        if not name:
            continue
        if re.search(r"[\uac00-\ud7a3]", name):
            # Korean: the full name only, particles may follow (김지우는). The given name alone (지원, 성실) is
            # too often an ordinary word to remove.
            name_patterns.append(re.escape(name))
            continue
        # Whole words only, so that the name "Park" never eats "Spark" and "Ng" never eats "Django".
        name_patterns.append(r"(?<![\w])" + re.escape(name) + r"(?![\w])")
        # Single parts ("Emily", "Carter") only on short header-like lines: in prose a surname such as Seo or Park
        # is too often also a skill or a word (SEO, park).
        part_patterns.extend(r"(?<![\w])" + re.escape(p) + r"(?![\w])" for p in name.split() if len(p) >= 2)
    name_re = re.compile(r"|".join(sorted(name_patterns, key=len, reverse=True)), re.IGNORECASE) if name_patterns else None
    part_re = re.compile(r"|".join(sorted(part_patterns, key=len, reverse=True)), re.IGNORECASE) if part_patterns else None

    redactor = default_redactor()
    budget = redactor.budget(text)
    kept = []
    # a resume extracted as one 60 KB line is read as lines of about a thousand characters: a personal detail then
    # costs its own piece, not the whole resume, and the work stays linear
    for line in (piece for whole in (text or "").splitlines() for piece in split_long_line(whole)):
        if _PERSONAL_LINE.match(line) or _PERSONAL_PAIR.match(line):
            continue
        # each pattern needs what most lines lack (a digit, @, a link): checking for it first keeps this linear and fast
        digits = _DIGIT.search(line) is not None
        if digits:
            line = _RRN.sub(" ", line)
        if "@" in line:
            line = _EMAIL.sub(" ", line)
        if "http" in line:
            line = _URL.sub(" ", line)
        if digits:
            line = _PHONE.sub(" ", line)
        if name_re is not None:
            line = name_re.sub(" ", line)
        if part_re is not None and len(line.split()) <= 4:
            line = part_re.sub(" ", line)
        line = re.sub(r"[ \t]{2,}", " ", line).strip()
        if protected:
            line = redactor.redact_line(line, budget)    # protected attributes, by meaning (core/protected.py)
        if line:
            kept.append(line)
    return "\n".join(kept)


def matching_text(title: str, resume_text: str, names: list[str] | tuple[str, ...] = ()) -> str:
    """The one text a profile is embedded and scored from: job title plus the redacted resume."""
    body = redact_personal_details(resume_text, names)
    title = redact_personal_details(title or "", names)
    return (title + "\n" + body).strip() if title else body
