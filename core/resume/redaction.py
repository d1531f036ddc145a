"""Contact details out of resume text before any model sees it.

`redact_contact_details` replaces e-mail addresses, phone numbers, resident registration numbers and street
addresses with placeholders ([email], [phone], [rrn], [address]) and counts them; the patterns are anchored on what
only contact details look like (a 0-prefixed Korean area code, a leading +, a road name ending in 로/길/Street), so
that years, date ranges, versions and amounts survive. `redact_for_model` adds core.fairness's removal of protected
attributes and names: it is the one function resume text passes through on its way to a provider.
"""
from __future__ import annotations

import re

from core.fairness import redact_personal_details

PLACEHOLDERS = {"email": "[email]", "phone": "[phone]", "rrn": "[rrn]", "address": "[address]"}
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
# Every run of name characters is tried once, from its start (the look-behind), and never given back (possessive
# quantifiers): a pattern that may start anywhere inside a 60 KB run of letters rescans it from every letter.
_OBFUSCATED_EMAIL = re.compile(r"(?<![\w.+-])[.+-]*+\b[\w.+-]++[ \t]*(?:\[at\]|\(at\)|[ \t] at[ \t])[ \t]*+[\w-]++[ \t]*+"
                               r"(?:\[dot\]|\(dot\)|\.)[ \t]*[a-z]{2,}\b",
                               re.IGNORECASE)
# Resident registration number, also masked (900101-1******, 900101-*******).
_RRN = re.compile(r"(?<![\d-])\d{6}[ \t]*-[ \t]*(?:[1-8][\d*xX●]{6}|[*xX●]{7})(?![\d*])")
_SEP = r"[ \t.\-]?"
_PHONE_PATTERNS = [
    # +82 forms: +82 10-1234-5678, +82-(0)2-123-4567, +82 31 123 4567
    rf"\+[ \t]?82{_SEP}\(?0?\)?{_SEP}(?:1[016789]|2|[3-6][1-5]|70){_SEP}\d{{3,4}}{_SEP}\d{{4}}",
    # Korean mobile and landline written domestically: 010-1234-5678, 02-123-4567, (031) 123-4567, 070 1234 5678
    rf"(?<![\d.\-+/])\(?0(?:1[016789]|2|[3-6][1-5]|70)\)?{_SEP}\d{{3,4}}{_SEP}\d{{4}}(?![\d\-])",
    # nationwide service numbers: 1588-1234, 1644 1234
    r"(?<![\d.\-+/])1[5-9]\d{2}-\d{4}(?![\d\-])",
    # international: +65 9123 4567, +81 90-1234-5678, +1 (415) 555-0100, +44 20 7946 0958
    r"\+[ \t]?\d{1,3}(?:[ \t.\-]?\(?\d{1,5}\)?){2,5}(?![\d])",
    # North American without a country code: (415) 555-0100, 415-555-0100
    r"(?<![\d\-])\(\d{3}\)[ \t]?\d{3}-\d{4}(?![\d\-])",
    r"(?<![\d.\-])\d{3}-\d{3}-\d{4}(?![\d\-])",
]
_PHONE = re.compile("|".join(f"(?:{p})" for p in _PHONE_PATTERNS))

_PROVINCE = (r"(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충청북|충청남|충북|충남|전라북|전라남|전북|전남|경상북|"
             r"경상남|경북|경남|제주)[가-힣]{0,5}")
# a road number, but not a count or a measure ("개발로 3배", "99.8%")
_ROAD_NUMBER = (r"\d{1,5}(?:-\d{1,5})?(?:[ \t]*번길[ \t]*\d{1,5}(?:-\d{1,5})?)?"
                r"(?![\d%]|[.,]\d|[ \t]*(?:배|개|년|명|건|회|차|위|%|x\b))")
_UNIT = (r"(?:[ \t]*,?[ \t]*(?:[가-힣A-Za-z0-9]*[ \t]*)?\d{1,4}[ \t]*동)?(?:[ \t]*,?[ \t]*\d{1,5}[ \t]*호)?"
         r"(?:[ \t]*\([^)\n]{1,30}\))?")
_KO_ADDRESS = re.compile(
    # 서울특별시 강남구 테헤란로 12, 경기도 성남시 분당구 판교역로 235 101동 1203호, 강남구 역삼동 123-45
    rf"(?:{_PROVINCE}[ \t]+)?(?:[가-힣]{{1,6}}(?:시|군|구)[ \t]+){{1,3}}(?:[가-힣0-9]{{1,8}}(?:읍|면)[ \t]+)?"
    rf"(?:[가-힣0-9]{{1,12}}(?:대로|로|길)[ \t]*{_ROAD_NUMBER}"
    rf"|[가-힣0-9]{{1,8}}동[ \t]+\d{{1,5}}(?:-\d{{1,5}})?(?![\d.,%])(?:[ \t]*번지)?)"
    rf"{_UNIT}"
)
_KO_UNIT_ONLY = re.compile(r"(?<![가-힣A-Za-z])[가-힣A-Za-z]*+[ \t]*\d{1,4}[ \t]*동[ \t]*\d{1,5}[ \t]*호")
_STREET_WORDS = (r"Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace|"
                 r"Parkway|Pkwy|Highway|Hwy|Square|Sq|Crescent|Close")
# postal codes: 62704, 088463, NW1 6XE (UK), M5V 3L9 (Canada)
_POSTCODE = r"\d{4,6}|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d"
_PLACE_TAIL = (rf"(?:,[ \t]*(?:{_POSTCODE}|[A-Z][A-Za-z'\-]*|[A-Z]{{2}}[ \t]+\d{{5}}(?:-\d{{4}})?)"
               rf"(?:[ \t]+(?:{_POSTCODE}|[A-Z][A-Za-z'\-]*))*){{0,4}}")
_EN_ADDRESS = re.compile(
    # 123 Main St, Springfield, IL 62704 / 45 Tanjong Pagar Road, Singapore 088463 / Apt 4B, 12 Baker Street
    rf"(?:(?:Apt|Unit|Suite|Flat)\.?[ \t]*\w+,?[ \t]+)?\b\d{{1,5}}[A-Za-z]?[ \t]+(?:[A-Z][A-Za-z'\-]*[ \t]+){{0,4}}"
    rf"(?:{_STREET_WORDS})\b\.?{_PLACE_TAIL}"
    # romanised Korean roads: 12 Teheran-ro, Gangnam-gu, Seoul / 235 Pangyoyeok-ro, Bundang-gu, Seongnam-si
    rf"|\b\d{{1,5}}(?:-\d{{1,5}})?[ \t]+(?:[A-Z][A-Za-z]*[ \t]+){{0,3}}[A-Za-z]+-(?:ro|gil|daero)\b"
    rf"(?:[ \t]*\d{{1,4}}(?:beon)?-gil)?"
    rf"(?:,[ \t]*[A-Z][A-Za-z]*(?:[ \t\-][A-Za-z]+)*){{0,4}}"
    # Japanese block addresses: 1-2-3 Shibuya, Shibuya-ku, Tokyo
    rf"|\b\d{{1,4}}-\d{{1,4}}-\d{{1,4}}[ \t]+[A-Z][A-Za-z]+(?:,[ \t]*[A-Z][A-Za-z]*(?:-ku|-shi)?)+"
)
# "주소: ..." / "Address - ..." : whatever follows the label is an address, in any format.
_ADDRESS_LABEL = re.compile(r"^([ \t]*[-*•·]?[ \t]*(?:주소|거주지|현[ \t]*주소|address|home[ \t]*address|residence)"
                            r"[ \t]*[:：\-–|][ \t]*)"
                            r"(?!\[address\])(\S.*)$", re.IGNORECASE | re.MULTILINE)


def _replace(pattern: re.Pattern, kind: str, text: str, counts: dict[str, int]) -> str:
    def sub(match: re.Match) -> str:
        counts[kind] += 1
        return PLACEHOLDERS[kind]

    return pattern.sub(sub, text)


_DIGIT = re.compile(r"\d")
_KO_DISTRICT = re.compile(r"[시군구][ \t]")
_OBFUSCATED_AT = re.compile(r"\[at\]|\(at\)|[ \t]at[ \t]", re.IGNORECASE)


def _redact_line(line: str, counts: dict[str, int]) -> str:
    # No pattern crosses a line, and each needs a character most lines lack (@, a digit, 시/군/구): testing for it
    # first keeps a megabyte of ordinary text well under a second.
    if "@" in line:
        line = _replace(_EMAIL, "email", line, counts)
    if _OBFUSCATED_AT.search(line):
        line = _replace(_OBFUSCATED_EMAIL, "email", line, counts)
    if _DIGIT.search(line):
        line = _replace(_RRN, "rrn", line, counts)             # before phones: an RRN also looks like digit groups
        if _KO_DISTRICT.search(line):
            line = _replace(_KO_ADDRESS, "address", line, counts)  # before phones: a road number must not join a phone
        if "동" in line:
            line = _replace(_KO_UNIT_ONLY, "address", line, counts)
        line = _replace(_EN_ADDRESS, "address", line, counts)
        line = _replace(_PHONE, "phone", line, counts)
    return line


def redact_contact_details(text: str) -> tuple[str, dict[str, int]]:
    """Replace e-mails, phone numbers, RRNs and street addresses with placeholders; counts per kind.

    Linear in the length of the text: every pattern starts only where a match can start and never rescans a run."""
    counts = {kind: 0 for kind in PLACEHOLDERS}
    text = "".join(_redact_line(line, counts) for line in (text or "").splitlines(keepends=True))

    def labelled(match: re.Match) -> str:
        counts["address"] += 1
        return match.group(1) + PLACEHOLDERS["address"]

    text = _ADDRESS_LABEL.sub(labelled, text)
    return text, counts


# The first line of most resumes is the person's name ("Minsu Kim (김민수)", "김 지 우", "JANE DOE").
_HEADING_WORDS = re.compile(r"^(?:이력서|경력[ \t]*기술서|자기[ \t]*소개서|resume|résumé|curriculum[ \t]+vitae|cv|profile|"
                            r"summary|about[ \t]+me)$", re.IGNORECASE)
_NAME_LABEL = re.compile(r"^[ \t]*[-*•·]?[ \t]*(?:name|full[ \t]*name|이름|성명)[ \t]*[:：\-–|][ \t]*(.+)$", re.IGNORECASE)
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'\-]+(?:[ \t]+[A-Z][A-Za-z'\-.]*){1,3}$")
KOREAN_SURNAMES = ("김이박최정강조윤장임한오서신권황안송류유홍전고문양손배백허남심노하곽성차주우구민진나지엄변채원천방공현함"
                   "염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형계피두감음빈동온호범좌팽승간상갈")
_COMPOUND_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문")
# A Korean name: a surname and a one- or two-syllable given name (김민수, 김 민수, 남궁민수).
_HANGUL_NAME = re.compile(rf"^(?:{'|'.join(_COMPOUND_SURNAMES)}|[{KOREAN_SURNAMES}])[ \t]?[가-힣]{{1,2}}$")
# Words of a job title or heading: a first line made of these is not a name ("Backend Engineer", "Data Scientist").
_NOT_NAME_WORDS = frozenset("""
engineer developer manager designer analyst scientist lead senior junior principal staff backend frontend
full stack data product marketing sales hr consultant specialist architect officer director intern head
software platform mobile web cloud devops security finance accountant recruiter partner resume cv profile
summary experience skills education contact career objective curriculum vitae team business operations
""".split())


def names_in_header(text: str) -> list[str]:
    """Names a resume states about its author: a "Name:" line, or a name-like first line. Parenthesised forms are
    separate names (Minsu Kim (김민수) -> Minsu Kim, 김민수)."""
    found: list[str] = []
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    candidates = [m.group(1) for line in lines[:15] if (m := _NAME_LABEL.match(line))]
    first = next((line for line in lines[:3] if not _HEADING_WORDS.match(line.strip("[]■ "))), "")
    if first:
        candidates.append(first)
    for candidate in candidates:
        for part in re.split(r"[()（）/|,]", candidate):
            part = part.strip()
            if _HANGUL_NAME.match(part):
                found.append(part.replace(" ", ""))
                if " " in part:
                    found.append(part)
            elif (_LATIN_NAME.match(part) or (part.isupper() and _LATIN_NAME.match(part.title()))) and not (
                    {w.lower().strip(".") for w in part.split()} & _NOT_NAME_WORDS):
                found.append(part)
    return list(dict.fromkeys(found))


def redact_for_model(text: str, names: list[str] | tuple[str, ...] = ()) -> tuple[str, dict[str, int]]:
    """The text a model may see: contact details replaced, protected attributes and names removed.

    `names` are the names the product knows (the employee's display name); names the resume itself states in its
    header are added. Counts are per contact kind plus `personal_lines`, the lines dropped as personal details.
    """
    contact_free, counts = redact_contact_details(text)
    all_names = [n for n in (*names, *names_in_header(contact_free)) if n and n.strip()]
    before = sum(1 for line in contact_free.splitlines() if line.strip())
    redacted = redact_personal_details(contact_free, all_names)
    # a line left with only punctuation or placeholders ("( )" where a name was, "[phone] / [email]") carries nothing
    redacted = "\n".join(line for line in redacted.splitlines() if re.search(r"[^\W_]", _PLACEHOLDER.sub("", line)))
    counts["personal_lines"] = max(0, before - sum(1 for line in redacted.splitlines() if line.strip()))
    return redacted, counts
