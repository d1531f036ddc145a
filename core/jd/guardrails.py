"""Guardrails at both ends of JD generation, in Korean and English.

In: every JD request (a custom request, notes on an instant draft, a section-rewrite or past-posting update
instruction) goes through the one request check every entry shares, core.guardrails.check_request: discriminatory
criteria are refused with the rule and a lawful rewording, attempts to override the assistant's instructions and
requests outside hiring are declined. `check_request` here is that check with the JD entries' names ("request",
"notes", "instruction").

Out (`check_draft` / `enforce`): a company's sensitive entities and personal data never reach a draft (they are
removed, or replaced by the entity's generic name); gender- and age-coded wording is flagged with a suggestion; every
skill and claim must trace to the company's material, its past postings or the user's request, and anything that
does not is flagged for the reviewer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterable

from core.guardrails import (CATEGORY_TEXT, DISCRIMINATION_CATEGORIES, Issue, Verdict, _normal,  # noqa: F401 (re-exported)
                             default_extractor, discriminatory_spans)
from core.guardrails import check_request as _shared_check
from core.jd.model import LIST_SECTIONS, SECTIONS, Company, DocChunk, JdDraft, Posting, SensitiveEntity
from core.text import content_terms, tokenize_lines


def check_request(text: str, context: str = "request", lang: str | None = None) -> Verdict:
    """The shared request check for a JD entry. `context`: "request" (a free-text custom JD request: must be about
    hiring), "notes" or "instruction" (text inside the JD flow, such as notes on an instant draft or a rewrite
    instruction: only an explicit off-topic task is declined)."""
    return _shared_check(text, context, lang)


# ---- the output check ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    kind: str            # sensitive_entity / personal_data / coded_wording / untraced_skill / untraced_claim /
                         # catalog_skill
    section: str
    text: str            # the words found
    action: str          # removed / replaced / flagged
    suggestion: str = ""
    detail: str = ""     # entity kind, coded category, or the line a claim sits on

    @property
    def blocking(self) -> bool:
        """Blocked content is already gone from the draft enforce() returns; flags are for the reviewer."""
        return self.action in ("removed", "replaced")

    def to_dict(self) -> dict:
        return {"kind": self.kind, "section": self.section, "text": self.text, "action": self.action,
                "suggestion": self.suggestion, "detail": self.detail}

    @classmethod
    def from_dict(cls, data: dict) -> "Finding":
        return cls(**{k: data.get(k, "") for k in ("kind", "section", "text", "action", "suggestion", "detail")})


_SEPARATORS = r"[\s\-_.·・/]*"


@lru_cache(maxsize=512)
def _entity_pattern(name: str) -> re.Pattern:
    """Case-, width- and spacing-insensitive; ASCII ends must be word ends (ATLAS never matches Atlassian), while a
    Korean end may carry a particle (프로젝트X를, 오로라의)."""
    core = _normal(name).strip()
    chars = [re.escape(c) for c in core if not c.isspace() and c not in "-_.·・/"]
    body = _SEPARATORS.join(chars)
    left = r"(?<![A-Za-z0-9])" if re.match(r"[A-Za-z0-9]", core) else r"(?<![가-힣])"
    right = r"(?![A-Za-z0-9])" if re.search(r"[A-Za-z0-9]$", core) else ""
    return re.compile(left + body + right, re.IGNORECASE)


def find_sensitive(text: str, entities: Iterable[SensitiveEntity]) -> list[tuple[SensitiveEntity, int, int]]:
    text = _normal(text)
    found = []
    for entity in sorted(entities, key=lambda e: -len(e.name)):
        if len(entity.name.strip()) < 2:
            continue
        for match in _entity_pattern(entity.name).finditer(text):
            if not any(s <= match.start() < e for _, s, e in found):
                found.append((entity, match.start(), match.end()))
    return sorted(found, key=lambda f: f[1])


def _personal_data(text: str) -> tuple[str, list[str]]:
    """(text without e-mails, phone numbers and resident registration numbers, the kinds found)."""
    from core.resume.redaction import redact_contact_details

    redacted, counts = redact_contact_details(text)
    kinds = [kind for kind in ("email", "phone", "rrn") if counts.get(kind)]
    if not kinds:
        return text, []
    for placeholder in ("[email]", "[phone]", "[rrn]"):
        redacted = redacted.replace(placeholder, "")
    return re.sub(r"[ \t]{2,}", " ", re.sub(r"\(\s*\)|:\s*(?=$|\n)", "", redacted)).strip(), kinds


# Gender- and age-coded words: flagged with a neutral alternative. (Discriminatory criteria are refused at input;
# these are softer signals a reviewer should see.)
CODED_WORDING: list[tuple[str, str, str, str]] = [
    # (pattern, category, suggestion en, suggestion ko)
    (r"\brock\s?stars?\b", "gender-coded", "skilled / outstanding", "뛰어난"),
    (r"\bninjas?\b", "gender-coded", "expert", "전문가"),
    (r"\bgurus?\b", "gender-coded", "expert", "전문가"),
    (r"\bwizards?\b", "gender-coded", "specialist", "전문가"),
    (r"\bsuperheroe?s?\b", "gender-coded", "expert", "전문가"),
    (r"\baggressive(?:ly)?\b", "gender-coded", "ambitious / proactive", "적극적인"),
    (r"\bdominant\b|\bdominate\b", "gender-coded", "lead", "주도하는"),
    (r"\bfearless\b", "gender-coded", "confident", "자신감 있는"),
    (r"\bmanpower\b", "gender-coded", "staff / workforce", "인력"),
    (r"\bsales\s?m[ae]n\b", "gender-coded", "salesperson", "영업 담당자"),
    (r"\bchairman\b", "gender-coded", "chair", "의장"),
    (r"\bguys\b", "gender-coded", "team / everyone", "여러분"),
    (r"\bbrotherhood\b", "gender-coded", "team", "팀"),
    (r"\b(?:he|she)\s+(?:will|must|should|is|has)\b", "gender-coded", "you will / they will", "—"),
    (r"남성적|남자다운|사나이", "gender-coded", "decisive", "주도적인 / 책임감 있는"),
    (r"여성스러운|여성\s*특유의|여자다운", "gender-coded", "attentive", "세심한"),
    (r"싹싹한", "gender-coded", "friendly and proactive", "친절하고 적극적인"),
    (r"\byoung\b|\byouthful\b", "age-coded", "motivated", "의욕적인"),
    (r"\bdigital\s+natives?\b", "age-coded", "comfortable with digital tools", "디지털 도구에 익숙한"),
    (r"\b(?:high-)?energetic\b", "age-coded", "motivated", "의욕적인"),
    (r"\b(?:recent|fresh)\s+(?:college\s+)?graduates?\b", "age-coded", "entry-level", "신입"),
    (r"젊은|어린", "age-coded", "motivated", "열정적인 / 유연한"),
    (r"패기\s*(?:넘치는|있는|가\s*넘치는)?|혈기\s*왕성", "age-coded", "bold", "도전적인"),
    (r"디지털\s*네이티브", "age-coded", "comfortable with digital tools", "디지털 도구에 익숙한"),
    (r"막내", "age-coded", "team member", "팀원"),
    (r"MZ\s*세대|MZ\s*감성", "age-coded", "trend-aware", "트렌드에 밝은"),
    (r"신체\s*건강한|건장한", "disability-coded", "describe the task", "필요한 업무 조건을 구체적으로"),
    (r"\bnative\s+(?:english\s+|korean\s+)?speakers?\b|원어민", "origin-coded", "native-level proficiency",
     "원어민 수준의 언어 능력"),
]
_CODED = [(re.compile(p, re.IGNORECASE), category, en, ko) for p, category, en, ko in CODED_WORDING]


def coded_wording(text: str, lang: str = "en") -> list[tuple[str, str, str]]:
    """(words, category, suggestion) for every coded word in a text."""
    found = []
    for pattern, category, en, ko in _CODED:
        for match in pattern.finditer(_normal(text)):
            if category == "origin-coded" and re.search(r"수준|level", text[match.end():match.end() + 6], re.I):
                continue              # "원어민 수준의 영어", "native-level": a proficiency, not an origin
            found.append((match.group(0), category, ko if lang == "ko" else en))
    return found


# ---- traceability ---------------------------------------------------------------------------------------------------------
_NUMBER = re.compile(r"\d[\d,.]*")


@dataclass
class Sources:
    """What a draft may draw on: the company's material, its past postings and documents, and the user's request."""

    company: Company | None = None
    postings: list[Posting] = field(default_factory=list)
    chunks: list[DocChunk] = field(default_factory=list)
    request: str = ""                       # the user's request, notes or instruction (and the chosen level)
    extra: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        out = []
        if self.company is not None:
            c = self.company
            out.extend([c.name, c.description, c.ideal_candidate, c.culture, c.industry, *c.benefits, *c.locations])
        out.extend(p.text() for p in self.postings)
        out.extend(f"{ch.heading}\n{ch.text}" for ch in self.chunks)
        out.append(self.request)
        out.extend(self.extra)
        return [t for t in out if t]


@dataclass
class SourceIndex:
    """The vocabulary, skills and numbers of the sources, computed once per company and reused for every draft."""

    terms: frozenset[str]
    skills: frozenset[str]
    numbers: frozenset[str]

    @classmethod
    def build(cls, sources: "Sources | Iterable[str]", extractor=None) -> "SourceIndex":
        from core.jd.templates import SCAFFOLD_TEXT

        texts = sources.texts() if isinstance(sources, Sources) else [t for t in sources if t]
        lines = [line for text in texts for line in text.splitlines() if line.strip()]
        tokens = tokenize_lines(lines + SCAFFOLD_TEXT.splitlines())
        terms = frozenset(t for toks in tokens for t in content_terms(toks))
        skills: set[str] = set()
        if extractor is not None:
            for line, toks in zip(lines, tokens):
                skills.update(extractor._match_tokens(toks))
        numbers = frozenset(n.strip(",.") for text in texts for n in _NUMBER.findall(text))
        return cls(terms, frozenset(skills), numbers)

    def extended(self, text: str, extractor=None) -> "SourceIndex":
        """This index plus one more text (the user's notes at request time)."""
        extra = SourceIndex.build([text], extractor)
        return SourceIndex(self.terms | extra.terms, self.skills | extra.skills, self.numbers | extra.numbers)


# One extractor over the shipped taxonomy for the request check and the output check alike.
_default_extractor = default_extractor


_CLAIM_SECTIONS = ("summary", "responsibilities", "requirements", "preferred", "benefits", "ideal_candidate")


def trace(draft: JdDraft, index: SourceIndex, extractor=None, min_coverage: float = 0.6) -> list[Finding]:
    """Skills and claims of a draft that its sources do not support, flagged for the reviewer."""
    lang = draft.lang
    findings: list[Finding] = []
    pairs = [(section, line) for section, line in draft.lines() if section in _CLAIM_SECTIONS]
    if not pairs:
        return findings
    tokens = tokenize_lines([line for _, line in pairs])
    seen_skills: set[str] = set()
    for (section, line), toks in zip(pairs, tokens):
        if extractor is not None and section in ("requirements", "preferred", "responsibilities"):
            for skill_id in extractor._match_tokens(toks):
                if skill_id not in index.skills and skill_id not in seen_skills:
                    seen_skills.add(skill_id)
                    name = extractor.taxonomy.name(skill_id, lang)
                    findings.append(Finding(
                        "untraced_skill", section, name, "flagged", detail=line,
                        suggestion=("회사 자료·과거 공고·요청 어디에도 없는 기술입니다. 필요한지 확인해 주세요." if lang == "ko" else
                                    "Not in the company's material, past postings or the request; confirm it is needed.")))
        terms = content_terms(toks)
        novel = [t for t in terms if t not in index.terms]
        numbers = [n.strip(",.") for n in _NUMBER.findall(line)]
        new_numbers = [n for n in numbers if n and n not in index.numbers]
        if new_numbers or (len(novel) >= 2 and (1 - len(novel) / max(len(terms), 1)) < min_coverage):
            findings.append(Finding(
                "untraced_claim", section, line, "flagged", detail=", ".join(new_numbers or novel[:6]),
                suggestion=("근거 자료에서 찾을 수 없는 내용입니다. 사실인지 확인해 주세요." if lang == "ko" else
                            "Could not be traced to the sources; check that it is true.")))
    return findings


def _scrub_text(text: str, entities: list[SensitiveEntity], section: str, lang: str,
                findings: list[Finding]) -> str:
    """Replace entities that have a generic name; report the rest so the caller drops their sentence or item."""
    hits = find_sensitive(text, entities)
    if not hits:
        return text
    out, last, dropped = [], 0, False
    normal = _normal(text)
    for entity, start, end in hits:
        generic = entity.generic_for(lang)
        if generic:
            particle = _PARTICLE_AFTER.match(normal, end)
            rest = normal[:start] + normal[end:]
            following = normal[particle.end() if particle else end:].split()[:1]
            echoes = bool(following) and len(following[0]) >= 2 and following[0].lower() in _normal(generic).lower().split()
            if _normal(generic).lower() in rest.lower() or echoes:
                # "대한글로벌은행 등 제휴 금융기관" -> "제휴 금융기관", "FDS-Sentinel 이상거래탐지 모델" -> "이상거래탐지 모델":
                # the sentence already says it generically
                out.append(normal[last:start])
                last = particle.end() if particle else end
            else:
                out.append(normal[last:start] + (_josa_for(generic, particle.group(1)) if particle and
                                                 particle.group(1) else generic))
                last = particle.start(1) + len(particle.group(1)) if particle and particle.group(1) else end
            findings.append(Finding("sensitive_entity", section, normal[start:end], "replaced", generic, entity.kind))
        else:
            dropped = True
            findings.append(Finding("sensitive_entity", section, normal[start:end], "removed", "", entity.kind))
    if dropped:
        return ""
    out.append(normal[last:])
    return re.sub(r"[ \t]{2,}", " ", "".join(out)).strip()


# A Korean particle right after an entity (re-chosen for its generic name), or a joining word to drop with it.
_PARTICLE_AFTER = re.compile(r"(으로|로|을|를|이|가|은|는|과|와)?(?:\s*(?:등|및|,|and|or)?\s*)", re.IGNORECASE)
_PAIRS = {"으로": "으로/로", "로": "으로/로", "을": "을/를", "를": "을/를", "이": "이/가", "가": "이/가", "은": "은/는",
          "는": "은/는", "과": "과/와", "와": "과/와"}


def _josa_for(word: str, particle: str) -> str:
    from core.jd.templates import josa

    return josa(word, _PAIRS[particle])


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?。])\s+|\n+", text or "") if s.strip()]


def enforce(draft: JdDraft, company: Company | None, sources: "Sources | SourceIndex | None" = None,
            extractor=None, trace_claims: bool = True) -> tuple[JdDraft, list[Finding]]:
    """The draft with sensitive entities and personal data gone (replaced by the entity's generic name, or the
    item / sentence dropped), and every finding: what was removed, and what is flagged for the reviewer."""
    entities = list(company.sensitive_entities) if company else []
    findings: list[Finding] = []
    values: dict[str, object] = {}
    for section in SECTIONS:
        value = getattr(draft, section)
        items = list(value) if section in LIST_SECTIONS else ([value] if section == "title" else _sentences(value))
        kept = []
        for item in items:
            clean = _scrub_text(item, entities, section, draft.lang, findings)
            if clean:
                clean, kinds = _personal_data(clean)
                for kind in kinds:
                    findings.append(Finding("personal_data", section, kind, "removed", "", item))
            if clean.strip():
                kept.append(clean.strip())
        if section in LIST_SECTIONS:
            values[section] = kept
        elif section == "title":
            values[section] = kept[0] if kept else ""
        else:
            values[section] = " ".join(kept)
    clean_draft = replace(draft, **values)
    for section, line in clean_draft.lines():
        for words, category, suggestion in coded_wording(line, draft.lang):
            findings.append(Finding("coded_wording", section, words, "flagged", suggestion, category))
    if trace_claims and sources is not None:
        extractor = extractor or _default_extractor()
        index = sources if isinstance(sources, SourceIndex) else SourceIndex.build(sources, extractor)
        findings.extend(trace(clean_draft, index, extractor))
    return clean_draft, findings


def check_draft(draft: JdDraft, company: Company | None, sources: "Sources | SourceIndex | Iterable[str] | None" = None,
                extractor=None) -> list[Finding]:
    """Every finding for a draft as it stands: sensitive entities and personal data (which enforce() removes),
    coded wording, and skills or claims the sources do not support."""
    if sources is not None and not isinstance(sources, (Sources, SourceIndex)):
        sources = Sources(extra=list(sources))
    return enforce(draft, company, sources, extractor)[1]


def leaks(draft: JdDraft, company: Company | None) -> list[str]:
    """Sensitive entities or personal data still present in a draft (empty for anything enforce() returned)."""
    text = draft.render()
    out = [text[s:e] for _, s, e in find_sensitive(text, company.sensitive_entities if company else [])]
    out.extend(_personal_data(text)[1])
    return out
