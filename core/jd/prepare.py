"""Drafts prepared in advance, so the three instant drafts cost zero tokens and come back at once.

`prepare_all` (a command and a nightly job) builds, per company × job family × level that has past postings: the
required and preferred skills with how often the postings ask for them (mapped to the skill taxonomy), the
responsibilities, and three drafts — concise, detailed, and in the style of the company's past postings — from
templates and the company's own material, in each language the company posts in. Each draft has already passed the
output guardrails (sensitive entities and personal data removed; coded wording and untraced claims flagged).

`instant_drafts` reads them back (one database read, no model call, well under 300 ms). When the exact family and
level were never posted, it re-levels the nearest level of the same family, or builds a generic draft for the family
from the company profile, and says which.

`update_posting` and `rewrite_section` change only the parts an instruction names (level, years, skills, shorter,
longer, drop a line) offline and return a section-level diff; what they could not do offline is returned as
`unapplied`, for the custom (model) path.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Iterable

from core.jd.diff import SectionDiff, diff_sections
from core.jd.guardrails import Finding, SourceIndex, Sources, Verdict, check_request, enforce, _default_extractor
from core.jd.knowledge import family_query, retrieve_sections
from core.jd.model import (JOB_FAMILIES, JOB_LEVELS, LIST_SECTIONS, SECTIONS, Company, JdDraft, JobFamily, JobLevel,
                           Posting, find_level, job_title)
from core.jd.templates import (generic_responsibilities, skills_preferred, skills_requirement, summary_sentence,
                               years_in)
from core.text import content_terms, detect_language, tokenize_lines

PREPARE_VERSION = "1"        # part of every stored set's hash, with the code itself (see _code_fingerprint)
STYLES = ("concise", "detailed", "past_style")
ProgressFn = Callable[[int, int], None]


# ---- mining the postings ----------------------------------------------------------------------------------------------
@dataclass
class _Line:
    text: str
    posting: Posting
    terms: frozenset[str]
    skills: tuple[str, ...]


@dataclass
class _Cluster:
    """Near-identical lines across postings ("Kafka 기반 이벤트 파이프라인 설계" in three of them)."""

    text: str                    # as the newest posting says it
    postings: set[str]
    terms: frozenset[str]
    skills: tuple[str, ...]
    lang: str

    @property
    def count(self) -> int:
        return len(self.postings)


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    overlap = len(a & b)
    return overlap / len(a | b) >= 0.5 or overlap / min(len(a), len(b)) >= 0.85


def _lines(postings: list[Posting], section: str, extractor) -> list[_Line]:
    raw = [(text, p) for p in postings for text in p.items(section)]
    tokens = tokenize_lines([text for text, _ in raw])
    return [_Line(text, p, frozenset(content_terms(toks)), tuple(dict.fromkeys(extractor._match_tokens(toks))))
            for (text, p), toks in zip(raw, tokens)]


def _clusters(lines: list[_Line]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    for line in lines:                       # postings come newest first, so a cluster keeps the newest wording
        for cluster in clusters:
            if cluster.lang == line.posting.lang and _similar(cluster.terms, line.terms):
                cluster.postings.add(line.posting.id)
                break
        else:
            clusters.append(_Cluster(line.text, {line.posting.id}, line.terms, line.skills, line.posting.lang))
    return clusters


@dataclass(frozen=True)
class SkillStat:
    skill_id: str
    count: int          # postings that ask for it
    share: float        # count / postings considered

    def to_dict(self) -> dict:
        return {"id": self.skill_id, "count": self.count, "share": round(self.share, 3)}


def _skill_stats(lines: list[_Line], n_postings: int) -> dict[str, SkillStat]:
    seen: dict[str, set[str]] = {}
    for line in lines:
        for skill_id in line.skills:
            seen.setdefault(skill_id, set()).add(line.posting.id)
    stats = {sid: SkillStat(sid, len(ids), len(ids) / max(n_postings, 1)) for sid, ids in seen.items()}
    return dict(sorted(stats.items(), key=lambda kv: (-kv[1].count, kv[0])))


def _rank(clusters: list[_Cluster], stats: dict[str, SkillStat]) -> list[_Cluster]:
    def score(c: _Cluster) -> float:
        return c.count * 2 + sum(stats[s].share for s in c.skills if s in stats) + (0.5 if years_in(c.text) else 0)
    order = {id(c): i for i, c in enumerate(clusters)}
    return sorted(clusters, key=lambda c: (-score(c), order[id(c)]))


# ---- re-levelling (shared by instant drafts, past-style drafts and update_posting) ------------------------------------
_YEARS_SPAN = re.compile(r"(\d{1,2})(\s*(?:\+\s*)?(?:년|years?|yrs?))")
_ALL_PREFIXES = sorted({p for lv in JOB_LEVELS.values() for p in (lv.title_prefix_en, lv.title_prefix_ko) if p}
                       | {"Senior", "Junior", "Lead", "Principal", "Staff", "시니어", "주니어", "리드", "수석", "신입"},
                       key=len, reverse=True)
_PREFIX = re.compile(r"(?:(?<=^)|(?<=\s)|(?<=\())(" + "|".join(map(re.escape, _ALL_PREFIXES)) + r")(?=\s|$|\))",
                     re.IGNORECASE)


def _retitle(title: str, level: JobLevel, lang: str) -> str:
    prefix = level.title_prefix_ko if lang == "ko" else level.title_prefix_en
    if _PREFIX.search(title):
        new = _PREFIX.sub(prefix, title, count=1)
    else:
        new = f"{prefix} {title}" if prefix else title
    new = re.sub(r"\(\s*\)", "", new)
    return re.sub(r"\s{2,}", " ", new).strip()


def _set_years(items: list[str], years: int, lang: str, single: bool = False) -> list[str]:
    """Every "N년 이상" / "N+ years" becomes `years`; without one, the years line is added first. `single`: lines
    borrowed from several postings keep one years line (the first, moved to the top)."""
    if years <= 0:
        phrase = JOB_LEVELS["L1"].years_phrase(lang)
        kept = [item for item in items if not _YEARS_SPAN.search(item)]
        return [phrase] + kept
    out, with_years = [], []
    for item in items:
        if _YEARS_SPAN.search(item):
            new = _YEARS_SPAN.sub(lambda m: f"{years}{m.group(2)}", item)
            if single and with_years:
                continue
            with_years.append(new)
            out.append(new)
        else:
            out.append(item)
    if not with_years:
        phrase = f"관련 경력 {years}년 이상" if lang == "ko" else f"{years}+ years of relevant experience"
        out.insert(0, phrase)
    elif single:
        out.remove(with_years[0])
        out.insert(0, with_years[0])
    return out


def _relevel_words(text: str, level: JobLevel, lang: str) -> str:
    """Seniority words in prose ("주니어 프론트엔드 개발자를 찾습니다") follow the new level."""
    prefix = level.title_prefix_ko if lang == "ko" else level.title_prefix_en.lower()
    return re.sub(r"\s{2,}", " ", _PREFIX.sub(prefix, text)).strip()


def relevel(draft: JdDraft, level: JobLevel, years: int | None = None) -> JdDraft:
    """The draft for another level: the title's seniority word and the years of experience change, nothing else."""
    years = level.min_years if years is None else years
    summary = _relevel_words(draft.summary, level, draft.lang)
    return replace(draft, level=level.code, title=_retitle(draft.title, level, draft.lang), summary=summary,
                   requirements=_set_years(list(draft.requirements), years, draft.lang, single=True),
                   basis={**draft.basis, "relevelled_from": draft.level})


# ---- building the drafts ----------------------------------------------------------------------------------------------
def _sentences_in(text: str, lang: str) -> list[str]:
    sentences = [s.strip() for s in re.split(r"(?<=[.!?。])\s+|\n+", text or "") if s.strip()]
    return [s for s in sentences if detect_language(s) == lang]


def _posting_draft(posting: Posting, company: Company, family: str, level: str) -> JdDraft:
    """A past posting as a draft, section by section (the starting point of past-style drafts and updates)."""
    return JdDraft(title=posting.title, summary=" ".join(posting.items("summary")),
                   responsibilities=posting.items("responsibilities"), requirements=posting.items("requirements"),
                   preferred=posting.items("preferred"), benefits=posting.items("benefits"),
                   ideal_candidate=" ".join(posting.items("ideal_candidate")), style="past_style", lang=posting.lang,
                   company_id=company.id, family=family, level=level, source="template",
                   basis={"posting": posting.id})


@dataclass
class _Material:
    """A company's lines for one family and level in one language."""

    lang: str
    postings: list[Posting]                   # in this language: the level's own, else the family's
    own_level: bool                           # False when borrowed from other levels of the family
    responsibilities: list[_Cluster]
    requirements: list[_Cluster]
    preferred: list[_Cluster]
    benefits: list[_Cluster]


def _skill_names(extractor, ids: Iterable[str], lang: str) -> list[str]:
    return [extractor.taxonomy.name(sid, lang) for sid in ids]


def _skills_of(lines: Iterable[str], extractor) -> list[str]:
    tokens = tokenize_lines(list(lines))
    return list(dict.fromkeys(sid for toks in tokens for sid in extractor._match_tokens(toks)))


def _build_drafts(company: Company, family: JobFamily, level: JobLevel, material: _Material,
                  required: dict[str, SkillStat], preferred: dict[str, SkillStat], years: int, doc_sentences: list[str],
                  extractor) -> dict[str, JdDraft]:
    lang = material.lang
    title = job_title(family, level, lang)
    basis = {"prepared": [family.code, level.code], "postings": [p.id for p in material.postings], "lang": lang}
    newest = material.postings[0] if material.postings else None

    def texts(clusters: list[_Cluster], n: int) -> list[str]:
        return [c.text for c in clusters[:n]]

    def with_years(items: list[str]) -> list[str]:
        if not material.own_level:
            return _set_years(items, years, lang, single=True)
        return items if any(years_in(i) for i in items) else _set_years(items, years, lang)

    responsibilities = texts(material.responsibilities, 7) or generic_responsibilities(
        family.group, family.area_name(lang), lang)
    requirement_lines = texts(material.requirements, 6)
    if not requirement_lines:
        must = [sid for sid, s in required.items() if s.share >= 0.5][:4] or list(family.seed_skills[:3])
        requirement_lines = [skills_requirement(_skill_names(extractor, must, lang), lang)]
    preferred_lines = texts(material.preferred, 5)
    if not preferred_lines and preferred:
        preferred_lines = [skills_preferred(_skill_names(extractor, list(preferred)[:3], lang), lang)]
    if material.benefits and lang != company.lang:
        benefits = texts(material.benefits, 6)
    else:
        benefits = [b for b in company.benefits if detect_language(b) == lang] or list(company.benefits) or \
            texts(material.benefits, 6)
    ideal_sentences = _sentences_in(company.ideal_candidate, lang) or ([company.ideal_candidate]
                                                                       if company.ideal_candidate else [])
    posting_summary = " ".join(newest.items("summary")) if newest and material.own_level else ""
    concise_summary = posting_summary or summary_sentence(company.name, title, lang)
    description = _sentences_in(company.description, lang)[:2]
    detailed_summary = " ".join(dict.fromkeys([*description, posting_summary or summary_sentence(company.name, title,
                                                                                                 lang),
                                               *doc_sentences[:1]]))
    culture = _sentences_in(company.culture, lang)[:1]

    concise = JdDraft(title=title, summary=concise_summary, responsibilities=responsibilities[:4],
                      requirements=with_years(requirement_lines[:4]), preferred=preferred_lines[:3],
                      benefits=benefits[:3], ideal_candidate=" ".join(ideal_sentences[:1]), style="concise",
                      lang=lang, company_id=company.id, family=family.code, level=level.code, basis=dict(basis))
    detailed = JdDraft(title=title, summary=detailed_summary, responsibilities=responsibilities[:7],
                       requirements=with_years(requirement_lines[:6]), preferred=preferred_lines[:5],
                       benefits=benefits[:6], ideal_candidate=" ".join([*ideal_sentences, *culture]),
                       style="detailed", lang=lang, company_id=company.id, family=family.code, level=level.code,
                       basis=dict(basis))
    if newest is not None:
        past = _posting_draft(newest, company, family.code, level.code)
        if not material.own_level:
            past = relevel(past, level, years)
        present = set(_skills_of(past.requirements, extractor))
        for cluster in material.requirements:          # what most postings ask for and this one forgot
            if any(s not in present and required.get(s) and required[s].share >= 0.5 for s in cluster.skills) \
                    and cluster.text not in past.requirements:
                past.requirements.append(cluster.text)
                present.update(cluster.skills)
        past = replace(past, benefits=past.benefits or benefits[:4],
                       ideal_candidate=past.ideal_candidate or " ".join(ideal_sentences), basis={**basis, **past.basis})
    else:
        past = replace(concise, style="past_style")
    drafts = {"concise": concise, "detailed": detailed, "past_style": past}
    for style, draft in drafts.items():
        draft.required_skills = _skills_of(draft.requirements, extractor)
        draft.preferred_skills = [s for s in _skills_of(draft.preferred, extractor) if s not in draft.required_skills]
    return drafts


def _doc_sentences(store, company: Company, family: JobFamily, level: JobLevel, lang: str, taxonomy) -> list[str]:
    """A sentence or two about the team from the company's documents (the section that best fits the family)."""
    try:
        hits = retrieve_sections(store, company.id, family_query(family, level, taxonomy), k=2)
    except Exception:          # retrieval is a nicety; a broken document must not stop preparation
        return []
    out = []
    for hit in hits:
        out.extend(_sentences_in(hit.chunk.text, lang)[:1])
    return out


def source_index(company: Company, postings: list[Posting], chunks, extractor) -> SourceIndex:
    """Everything a company's drafts may draw on, plus the level and title wording the templates add."""
    extra = [lv.years_phrase(lang) for lv in JOB_LEVELS.values() for lang in ("ko", "en")]
    extra += [job_title(f, lv, lang) for f in JOB_FAMILIES.values() for lv in JOB_LEVELS.values() for lang in ("ko", "en")]
    extra += [f.area_name(lang) for f in JOB_FAMILIES.values() for lang in ("ko", "en")]
    return SourceIndex.build(Sources(company=company, postings=postings, chunks=list(chunks), extra=extra), extractor)


def build_prepared(store, company: Company, family: JobFamily, level: JobLevel, family_postings: list[Posting],
                   extractor, index: SourceIndex | None = None) -> dict:
    """The stored payload for one company × family × level (see module docstring)."""
    group = [p for p in family_postings if p.level == level.code]
    req_lines = _lines(group, "requirements", extractor)
    pref_lines = _lines(group, "preferred", extractor)
    required = _skill_stats(req_lines, len(group))
    preferred = {k: v for k, v in _skill_stats(pref_lines, len(group)).items()
                 if k not in required or v.count > required[k].count}
    required = {k: v for k, v in required.items() if k not in preferred}
    mined_years = Counter(y for line in req_lines if (y := years_in(line.text)) is not None)
    years = mined_years.most_common(1)[0][0] if mined_years else level.min_years
    # The language the level was posted in comes first (the default of instant drafts), then the company's.
    own_langs = [lang for lang, _ in Counter(p.lang for p in group).most_common()]
    langs = list(dict.fromkeys([*own_langs, company.lang, *(p.lang for p in family_postings)]))
    index = index or source_index(company, store.list_postings(company.id), store.list_doc_chunks(company.id),
                                  extractor)
    drafts: dict[str, dict] = {}
    findings: dict[str, dict] = {}
    materials: dict[str, dict] = {}
    for lang in langs:
        own = [p for p in group if p.lang == lang]
        in_lang = own or [p for p in family_postings if p.lang == lang]
        material = _Material(
            lang, in_lang, bool(own),
            *(_rank(_clusters(_lines(in_lang, section, extractor)), {**required, **preferred})
              for section in ("responsibilities", "requirements", "preferred", "benefits")))
        docs = _doc_sentences(store, company, family, level, lang, extractor.taxonomy)
        built = _build_drafts(company, family, level, material, required, preferred, years, docs, extractor)
        drafts[lang], findings[lang] = {}, {}
        for style, draft in built.items():
            clean, found = enforce(draft, company, index, extractor)
            drafts[lang][style] = clean.to_dict()
            findings[lang][style] = [f.to_dict() for f in found]
        materials[lang] = {section: [c.text for c in getattr(material, section)[:10]]
                           for section in ("responsibilities", "requirements", "preferred", "benefits")}
        materials[lang]["summary"] = docs
    return {
        "version": PREPARE_VERSION, "company_id": company.id, "family": family.code, "level": level.code,
        "postings": [p.id for p in group], "years": years, "langs": langs,
        "required_skills": [s.to_dict() for s in required.values()],
        "preferred_skills": [s.to_dict() for s in preferred.values()],
        "drafts": drafts, "findings": findings, "material": materials,
    }


@lru_cache(maxsize=1)
def _code_fingerprint() -> bytes:
    """The code that builds and checks drafts: a new release that changes it rebuilds every set on the next run."""
    from pathlib import Path

    here = Path(__file__).parent
    return b"".join((here / name).read_bytes() for name in ("prepare.py", "templates.py", "guardrails.py"))


def _source_hash(company: Company, family_postings: list[Posting], chunks) -> str:
    digest = hashlib.sha256(PREPARE_VERSION.encode() + _code_fingerprint())
    digest.update(json.dumps(company.to_dict(), sort_keys=True, ensure_ascii=False).encode())
    for posting in sorted(family_postings, key=lambda p: p.id):
        digest.update(posting.content_hash().encode())
    for chunk in chunks:
        digest.update(f"{chunk.doc_id}:{chunk.chunk_no}:{hashlib.sha1(chunk.text.encode()).hexdigest()}".encode())
    return digest.hexdigest()[:32]


@dataclass
class PrepareReport:
    built: int = 0
    unchanged: int = 0
    removed: int = 0
    keys: list[tuple[str, str, str]] = field(default_factory=list)     # (company, family, level) built
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"Prepared drafts: {self.built} sets built, {self.unchanged} unchanged, {self.removed} removed "
                f"({self.seconds:.1f} s).")

    def as_dict(self) -> dict:
        return {"built": self.built, "unchanged": self.unchanged, "removed": self.removed,
                "keys": [list(k) for k in self.keys], "seconds": round(self.seconds, 2)}


def prepare_all(store, extractor=None, companies: Iterable[str] | None = None, force: bool = False,
                progress: ProgressFn | None = None) -> PrepareReport:
    """Build (or refresh) the prepared sets of every company (or the named ones). A set whose postings, company
    profile and documents did not change is skipped unless `force`; sets whose postings are gone are removed.
    `progress(done, total)` counts company × family × level combinations."""
    started = time.perf_counter()
    extractor = extractor or _default_extractor()
    report = PrepareReport()
    wanted = set(companies) if companies is not None else None
    plan: list[tuple[Company, str, str, list[Posting]]] = []
    stale: list[tuple[str, str, str]] = []
    for company in store.list_companies():
        if wanted is not None and company.id not in wanted:
            continue
        postings = store.list_postings(company.id)
        combos = sorted({(p.family, p.level) for p in postings if p.family in JOB_FAMILIES and p.level in JOB_LEVELS})
        for family, level in combos:
            plan.append((company, family, level, [p for p in postings if p.family == family]))
        stale.extend((company.id, f, lv) for f, lv, _ in store.prepared_keys(company.id) if (f, lv) not in combos)
    total = len(plan)
    indexes: dict[str, SourceIndex] = {}
    chunks_of: dict[str, list] = {}
    for done, (company, family, level, family_postings) in enumerate(plan, start=1):
        chunks = chunks_of.setdefault(company.id, store.list_doc_chunks(company.id))
        source_hash = _source_hash(company, family_postings, chunks)
        existing = {(f, lv): h for f, lv, h in store.prepared_keys(company.id)}
        if not force and existing.get((family, level)) == source_hash:
            report.unchanged += 1
        else:
            if company.id not in indexes:
                indexes[company.id] = source_index(company, store.list_postings(company.id), chunks, extractor)
            payload = build_prepared(store, company, JOB_FAMILIES[family], JOB_LEVELS[level], family_postings,
                                     extractor, indexes[company.id])
            store.save_prepared(company.id, family, level, payload, source_hash)
            report.built += 1
            report.keys.append((company.id, family, level))
        if progress:
            progress(done, total)
    for company_id, family, level in stale:
        report.removed += int(store.delete_prepared(company_id, family, level))
    report.seconds = time.perf_counter() - started
    return report


# ---- instructions (offline) ---------------------------------------------------------------------------------------------
@dataclass
class Instruction:
    """What an offline edit understood of an instruction; `unparsed` holds the rest, for the custom (model) path."""

    level: JobLevel | None = None
    years: int | None = None
    add: list[tuple[str, str]] = field(default_factory=list)         # (skill id, "requirements" / "preferred")
    remove: list[str] = field(default_factory=list)                  # skill ids
    swap: list[tuple[str, str]] = field(default_factory=list)        # (old skill id, new skill id)
    remove_phrases: list[str] = field(default_factory=list)
    shorter: bool = False
    longer: bool = False
    unparsed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.level or self.years is not None or self.add or self.remove or self.swap
                    or self.remove_phrases or self.shorter or self.longer)


# Clause boundaries: sentence ends, "그리고" / "and then", a comma after a verb ending ("바꿔줘, ..."), and a
# connective verb ending ("Java 빼고 Rust 추가"). A comma inside a list of skills ("Kotlin, Kafka 추가") is not one.
_CLAUSES = re.compile(
    r"[.;\n!?。]+|\s+(?:그리고|and\s+then|also)\s+|,\s*(?:and|그리고)\s+|(?<=[줘요고며해죠])\s*,\s*"
    r"|(?:" + "|".join(f"(?<={verb})" for verb in ("빼고", "넣고", "하고", "바꾸고", "지우고", "없애고", "올리고", "내리고",
                                                  "줄이고", "늘리고")) + r")\s+"
    r"|\s+and\s+(?=(?:add|remove|drop|replace|change|make|include|raise|lower|set|swap)\b)", re.IGNORECASE)
_SWAP = [re.compile(p, re.IGNORECASE) for p in (
    r"^(?P<old>.+?)\s*대신(?:에)?\s*(?P<new>.+?)(?:\s*(?:을|를)?\s*(?:으로|로)?\s*(?:바꿔|변경|교체|넣어|써|사용|요구).*)?$",
    r"^(?P<old>.+?)\s*(?:을|를|은|는)\s*(?P<new>.+?)\s*(?:으로|로)\s*(?:바꿔|변경|교체|대체|수정|올려|내려|낮춰|높여).*$",
    r"^(?:replace|swap)\s+(?P<old>.+?)\s+(?:with|for|by)\s+(?P<new>.+)$",
    r"^(?:change|switch|move|update|raise|lower)\s+(?:the\s+)?(?P<old>.+?)\s+to\s+(?P<new>.+)$",
    r"^(?P<old>.+?)\s*(?:->|→|=>)\s*(?P<new>.+)$")]
_REMOVE = [re.compile(p, re.IGNORECASE) for p in (
    r"^(?P<what>.+?)\s*(?:은|는|을|를|도|관련\s*(?:내용|문장|항목)?(?:은|는|을|를)?)?\s*(?:빼|제외|삭제|없애|지워|제거).*$",
    r"^(?:please\s+)?(?:remove|drop|delete|exclude|take\s+out|cut)\s+(?:the\s+)?(?:lines?\s+|items?\s+|bullets?\s+|"
    r"sentences?\s+)?(?:about\s+|mentioning\s+|on\s+)?(?P<what>.+)$",
    r"^(?:no\s+longer\s+(?:require|need|ask\s+for)|without)\s+(?P<what>.+)$")]
_ADD = [re.compile(p, re.IGNORECASE) for p in (
    r"^(?P<what>.+?)\s*(?:을|를|도|은|는)?\s*(?:추가|넣어|포함|필수|요구|우대).*$",
    r"^(?:please\s+)?(?:add|include|require|ask\s+for|mention)\s+(?P<what>.+)$")]
_SHORTER = re.compile(r"짧게|간결|줄여|요약|압축|shorter|shorten|concise|brief|trim|tighten", re.IGNORECASE)
_LONGER = re.compile(r"자세히|길게|늘려|구체적|풍부|상세|more\s+detail|longer|expand|elaborate|flesh\s+out", re.IGNORECASE)
_PREFERRED_WORDS = re.compile(r"우대|선호|있으면\s*좋|플러스|preferred|nice\s+to\s+have|a\s+plus|bonus|ideally", re.IGNORECASE)
_LEVEL_WORDS = re.compile(r"(?<![A-Za-z0-9])L[1-6](?![0-9])|(?<![A-Za-z])(?:entry|junior|mid-?level|senior|lead|staff|"
                          r"principal)(?![A-Za-z])|신입|주니어|미들|시니어|테크\s*리드|리드|수석", re.IGNORECASE)
_PARTICLES = re.compile(r"(?:관련|에\s*대한|에\s*관한)?\s*(?:내용|문장|항목|줄|부분)?\s*(?:은|는|을|를|이|가|도)?\s*$")


# Words that make a comma-separated piece an instruction of its own; a piece without one ("Java" in "Java, Kotlin
# 빼줘") belongs to the next piece.
_OPERATION = re.compile(
    r"대신|바꿔|바꾸|변경|교체|대체|올려|내려|빼|제외|삭제|없애|지워|제거|추가|넣어|포함|필수|요구|우대|선호|짧게|간결|줄여|요약|자세히|길게|"
    r"늘려|구체적|상세|\d+\s*년|->|→|=>|\b(?:replace|swap|change|switch|remove|drop|delete|exclude|without|add|include|"
    r"require|preferred|nice\s+to\s+have|plus|shorter|shorten|concise|trim|longer|expand|elaborate|\d+\+?\s*years?)\b",
    re.IGNORECASE)


def _clauses(text: str) -> list[str]:
    out: list[str] = []
    for clause in _CLAUSES.split(text or ""):
        pending = ""
        for piece in clause.split(","):
            piece = f"{pending}, {piece.strip()}" if pending else piece.strip()
            if _OPERATION.search(piece) or _LEVEL_WORDS.search(piece):
                out.append(piece)
                pending = ""
            else:
                pending = piece
        if pending.strip():
            out.append(pending)
    return [c.strip(" ,") for c in out if c.strip(" ,")]


def _level_in(text: str) -> JobLevel | None:
    match = _LEVEL_WORDS.search(text or "")
    return find_level(match.group(0)) if match else None


def parse_instruction(text: str, extractor=None, allow_level: bool = True) -> Instruction:
    """Level, years, skills to add / drop / swap, shorter / longer, lines to drop — in Korean or English."""
    extractor = extractor or _default_extractor()
    result = Instruction()
    for clause in _clauses(text):
        understood = False
        if _SHORTER.search(clause):
            result.shorter = understood = True
        if _LONGER.search(clause):
            result.longer = understood = True
        swapped = False
        for pattern in _SWAP:
            match = pattern.match(clause)
            if not match:
                continue
            old, new = extractor.extract_query(match.group("old")), extractor.extract_query(match.group("new"))
            if old and new:
                result.swap.extend(zip(old, new))
                swapped = True
                break
        if swapped:
            continue
        for pattern in _REMOVE:
            match = pattern.match(clause)
            if not match:
                continue
            skills = extractor.extract_query(match.group("what"))
            if skills:
                result.remove.extend(skills)
            else:
                phrase = _PARTICLES.sub("", match.group("what")).strip(" \"'“”‘’")
                if phrase:
                    result.remove_phrases.append(phrase)
            understood = True
            break
        if understood:
            continue
        skills = extractor.extract_query(clause)
        target = "preferred" if _PREFERRED_WORDS.search(clause) else "requirements"
        add_verb = any(p.match(clause) for p in _ADD)
        if skills and (add_verb or not years_in(clause)):
            result.add.extend((s, target) for s in skills)
            understood = True
        if years_in(clause) is not None:
            result.years = years_in(clause)
            understood = True
        if allow_level and not skills and _level_in(clause) is not None:
            result.level = _level_in(clause)
            understood = True
        if not understood:
            result.unparsed.append(clause)
    return result


# ---- applying an instruction to a draft -----------------------------------------------------------------------------------
def _skill_span(line: str, skill_id: str, taxonomy) -> tuple[int, int] | None:
    skill = taxonomy.get(skill_id)
    if skill is None:
        return None
    for form in sorted((f for f in skill.surface_forms if f), key=len, reverse=True):
        left = r"(?<![A-Za-z0-9])" if re.match(r"[A-Za-z0-9]", form) else ""
        right = r"(?![A-Za-z0-9])" if re.search(r"[A-Za-z0-9]$", form) else ""
        match = re.search(left + re.escape(form) + right, line, re.IGNORECASE)
        if match:
            return match.span()
    return None


_JOINERS = re.compile(r"^\s*(?:,|/|·|또는|혹은|및|와|과|or|and)\s*|\s*(?:,|/|·|또는|혹은|및|or|and)\s*$", re.IGNORECASE)


def _drop_skill(line: str, skill_id: str, extractor) -> str | None:
    """The line without the skill (its list separator too); None when the line was about that skill alone."""
    span = _skill_span(line, skill_id, extractor.taxonomy)
    if span is None:
        return line
    others = [s for s in extractor.skills_in_line(line) if s != skill_id]
    if not others:
        return None
    before, after = line[:span[0]], line[span[1]:]
    if _JOINERS.match(after):                       # "Redis, MySQL" / "Redis와 MySQL": drop the joiner after it
        return _tidy(before + re.sub(r"^(?:와|과)", "", _JOINERS.sub("", after, count=1)))
    before = re.sub(r"\s*(?:,|/|·|또는|혹은|및|or|and|와|과)\s*$", "", before, flags=re.IGNORECASE)
    particle = re.match(r"(으로|로|을|를|이|가|은|는|과|와)(?=\s|$)", after)
    if particle and before.strip():                 # "MySQL, Redis를" -> "MySQL을": the particle moves over
        from core.jd.templates import josa

        pairs = {"으로": "으로/로", "로": "으로/로", "을": "을/를", "를": "을/를", "이": "이/가", "가": "이/가",
                 "은": "은/는", "는": "은/는", "과": "과/와", "와": "과/와"}
        return _tidy(josa(before.rstrip(), pairs[particle.group(1)]) + after[particle.end():])
    return _tidy(before.rstrip() + " " + after.lstrip(" ,"))


def _tidy(text: str) -> str | None:
    text = re.sub(r"\s{2,}", " ", text).strip(" ,/")
    return text or None


def _swap_skill(line: str, old: str, new: str, lang: str, taxonomy) -> str:
    span = _skill_span(line, old, taxonomy)
    if span is None:
        return line
    written_in_latin = line[span[0]:span[1]].isascii()      # "Kafka" in a Korean posting stays in Latin letters
    name = taxonomy.name(new, "en" if written_in_latin else lang)
    return line[:span[0]] + name + line[span[1]:]


@dataclass
class DraftChange:
    """An offline edit: the draft before and after, the section diffs, and what was and was not understood."""

    before: JdDraft
    after: JdDraft
    diffs: list[SectionDiff]
    applied: list[dict] = field(default_factory=list)    # {"op": ..., "value": ..., "section": ...}
    unapplied: list[str] = field(default_factory=list)   # parts of the instruction that need the custom path
    findings: list[Finding] = field(default_factory=list)
    fallback: object = None      # core.ai.provider.FallbackReason: the model was asked and the offline rules answered

    @property
    def understood(self) -> bool:
        return bool(self.applied)


def apply_instruction(draft: JdDraft, instruction: Instruction, extractor, sections: tuple[str, ...] = SECTIONS,
                      material: dict | None = None) -> tuple[JdDraft, list[dict], list[str]]:
    """The draft with the instruction applied to `sections` only; (draft, applied, not applicable)."""
    taxonomy = extractor.taxonomy
    lang = draft.lang
    values = {s: (list(getattr(draft, s)) if s in LIST_SECTIONS else getattr(draft, s)) for s in SECTIONS}
    applied: list[dict] = []
    skipped: list[str] = []
    skill_sections = [s for s in ("requirements", "preferred", "responsibilities") if s in sections]

    if instruction.level is not None and "title" in sections:
        values["title"] = _retitle(values["title"], instruction.level, lang)
        applied.append({"op": "level", "value": instruction.level.code, "section": "title"})
        if "summary" in sections:
            values["summary"] = _relevel_words(values["summary"], instruction.level, lang)
    years = instruction.years if instruction.years is not None else (
        instruction.level.min_years if instruction.level is not None else None)
    if years is not None and "requirements" in sections:
        values["requirements"] = _set_years(values["requirements"], years, lang)
        applied.append({"op": "years", "value": years, "section": "requirements"})
    for old, new in instruction.swap:
        hit = False
        for section in skill_sections:
            lines = [_swap_skill(line, old, new, lang, taxonomy) for line in values[section]]
            hit |= lines != values[section]
            values[section] = lines
        if hit:
            applied.append({"op": "swap", "value": [old, new], "section": ",".join(skill_sections)})
        else:
            skipped.append(f"{taxonomy.name(old, lang)} → {taxonomy.name(new, lang)}")
    for skill_id in instruction.remove:
        hit = False
        for section in skill_sections:
            kept = []
            for line in values[section]:
                new_line = _drop_skill(line, skill_id, extractor)
                hit |= new_line != line
                if new_line:
                    kept.append(new_line)
            values[section] = kept
        if hit:
            applied.append({"op": "remove", "value": skill_id, "section": ",".join(skill_sections)})
        else:
            skipped.append(taxonomy.name(skill_id, lang))
    adds: dict[str, list[str]] = {}
    for skill_id, target in instruction.add:
        if target not in sections:
            target = next((s for s in ("requirements", "preferred") if s in sections), "")
        if not target:
            skipped.append(taxonomy.name(skill_id, lang))
            continue
        where = {section: [line for line in values[section] if skill_id in extractor.skills_in_line(line)]
                 for section in ("requirements", "preferred")}
        if target == "requirements" and where["preferred"] and not where["requirements"] \
                and "preferred" in sections:
            # "TypeScript 필수" when TypeScript was only a nice-to-have: its lines move up
            values["preferred"] = [line for line in values["preferred"] if line not in where["preferred"]]
            values["requirements"] = values["requirements"] + where["preferred"]
            applied.append({"op": "move", "value": skill_id, "section": "requirements"})
            continue
        if where["requirements"] or where["preferred"]:
            applied.append({"op": "already_present", "value": skill_id, "section": target})
            continue
        adds.setdefault(target, []).append(skill_id)
    for target, ids in adds.items():
        names = [taxonomy.name(s, lang) for s in ids]
        line = skills_requirement(names, lang) if target == "requirements" else skills_preferred(names, lang)
        values[target].append(line)
        applied.extend({"op": "add", "value": s, "section": target} for s in ids)
    for phrase in instruction.remove_phrases:
        hit = False
        for section in sections:
            if section == "title":
                continue
            if section in LIST_SECTIONS:
                kept = [line for line in values[section] if phrase.lower() not in line.lower()]
            else:
                sentences = re.split(r"(?<=[.!?。])\s+", values[section])
                kept = " ".join(s for s in sentences if phrase.lower() not in s.lower())
            hit |= kept != values[section]
            values[section] = kept
        if hit:
            applied.append({"op": "remove_text", "value": phrase, "section": ",".join(sections)})
        else:
            skipped.append(phrase)
    for section in sections:
        if section == "title":
            continue
        if instruction.shorter:
            if section in LIST_SECTIONS and len(values[section]) > 2:
                values[section] = values[section][:max(2, math.ceil(len(values[section]) * 0.6))]
                applied.append({"op": "shorter", "value": "", "section": section})
            elif section not in LIST_SECTIONS:
                sentences = [s for s in re.split(r"(?<=[.!?。])\s+", values[section]) if s]
                if len(sentences) > 1:
                    values[section] = " ".join(sentences[:math.ceil(len(sentences) / 2)])
                    applied.append({"op": "shorter", "value": "", "section": section})
        if instruction.longer:
            extra = [line for line in (material or {}).get(section, []) if line not in values[section]]
            if extra and section in LIST_SECTIONS:
                values[section] = values[section] + extra[:2]
                applied.append({"op": "longer", "value": "", "section": section})
            elif extra:
                values[section] = (values[section] + " " + extra[0]).strip()
                applied.append({"op": "longer", "value": "", "section": section})
    if instruction.longer and not any(a["op"] == "longer" for a in applied):
        skipped.append("longer")
    if instruction.shorter and not any(a["op"] == "shorter" for a in applied):
        skipped.append("shorter")
    after = replace(draft, **values, level=instruction.level.code if instruction.level else draft.level)
    after.required_skills = _skills_of(after.requirements, extractor)
    after.preferred_skills = [s for s in _skills_of(after.preferred, extractor) if s not in after.required_skills]
    return after, applied, skipped


def update_posting(posting: Posting, instruction: str, company: Company | None = None, extractor=None) -> DraftChange:
    """A past posting updated offline: only what the instruction names changes (level, years, skills, a line), and
    the diff shows exactly that. Sensitive entities and personal data of the old posting never come along."""
    extractor = extractor or _default_extractor()
    company = company or Company(id=posting.company_id, name="")
    before, _ = enforce(_posting_draft(posting, company, posting.family, posting.level), company, None,
                        trace_claims=False)
    before = replace(before, style="updated")
    parsed = parse_instruction(instruction, extractor, allow_level=True)
    after, applied, skipped = apply_instruction(before, parsed, extractor)
    after, findings = enforce(after, company, None, trace_claims=False)
    after.basis = {**after.basis, "updated_from": posting.id, "instruction": instruction}
    return DraftChange(before, after, diff_sections(before, after), applied, parsed.unparsed + skipped, findings)


def rewrite_section(draft: JdDraft, section: str, instruction: str, company: Company | None = None,
                    material: dict | None = None, extractor=None) -> DraftChange:
    """One section rewritten offline from an instruction (shorter, longer, add / drop / swap a skill, years, drop a
    line); every other section stays as it was. `material` is the prepared set's lines for that language
    (`instant.material`), used by "longer". Not understood -> `understood` is False and `unapplied` says what."""
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}; sections are {', '.join(SECTIONS)}")
    extractor = extractor or _default_extractor()
    parsed = parse_instruction(instruction, extractor, allow_level=section == "title")
    after, applied, skipped = apply_instruction(draft, parsed, extractor, sections=(section,), material=material)
    after, findings = enforce(after, company, None, trace_claims=False)
    return DraftChange(draft, after, diff_sections(draft, after, (section,)), applied, parsed.unparsed + skipped,
                       findings)


# ---- instant drafts ------------------------------------------------------------------------------------------------------
@dataclass
class InstantDrafts:
    """The three ready drafts for a request, or why there are none. `fallback` says when they were built for
    another level (`{"kind": "level", "from_level": "L4"}`) or from the company profile because the family was
    never posted (`{"kind": "family", "nearest": ["1000230"]}`)."""

    company_id: str
    family: str
    level: str
    lang: str
    drafts: list[JdDraft] = field(default_factory=list)          # concise, detailed, past_style
    findings: dict[str, list[Finding]] = field(default_factory=dict)   # per style
    fallback: dict | None = None
    verdict: Verdict | None = None                                # set when the notes were declined
    applied_notes: list[dict] = field(default_factory=list)
    unapplied_notes: list[str] = field(default_factory=list)
    material: dict = field(default_factory=dict)                  # lines "rewrite: longer" can draw on
    skills: dict = field(default_factory=dict)                    # {"required": [...], "preferred": [...]} stats
    error: str = ""                                               # unknown_company / unknown_family / unknown_level
    elapsed_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return bool(self.drafts)

    def fallback_message(self, lang: str | None = None) -> str:
        lang = lang or self.lang
        if not self.fallback or "kind" not in self.fallback:    # e.g. only "lang_unavailable": said elsewhere
            return ""
        family = JOB_FAMILIES[self.family].name(lang)
        if self.fallback["kind"] == "level":
            other = JOB_LEVELS[self.fallback["from_level"]]
            wanted = JOB_LEVELS[self.level]
            if lang == "ko":
                return (f"{family} {wanted.name('ko')}({wanted.code}) 공고가 없어 {other.name('ko')}({other.code}) 공고를 "
                        f"바탕으로 직함과 경력 연차를 조정했습니다.")
            return (f"There are no past {family} postings at {wanted.code} ({wanted.name('en')}), so these are the "
                    f"{other.code} ({other.name('en')}) drafts with the title and years adjusted.")
        nearest = ", ".join(JOB_FAMILIES[c].name(lang) for c in self.fallback.get("nearest", []))
        if lang == "ko":
            return (f"이 회사에는 {family} 공고가 없어 회사 소개와 직군 카탈로그로 만든 기본 초안입니다."
                    + (f" 비슷한 직군의 준비된 초안: {nearest}." if nearest else ""))
        return (f"This company has never posted a {family} role, so these are generic drafts built from the company "
                f"profile and the job-family catalogue." + (f" Prepared drafts exist for: {nearest}." if nearest else ""))


def _nearest_level(keys: list[tuple[str, str, str]], family: str, level: JobLevel) -> str | None:
    levels = [lv for f, lv, _ in keys if f == family and lv in JOB_LEVELS]
    if not levels:
        return None
    return min(levels, key=lambda lv: (abs(JOB_LEVELS[lv].rank - level.rank), -JOB_LEVELS[lv].rank))


def _generic_drafts(company: Company, family: JobFamily, level: JobLevel, lang: str, extractor) -> dict[str, JdDraft]:
    material = _Material(lang, [], False, [], [], [], [])
    drafts = _build_drafts(company, family, level, material, {}, {}, level.min_years, [], extractor)
    for draft in drafts.values():
        draft.basis = {**draft.basis, "generic": True}
    return drafts


def instant_drafts(store, company_id: str, family: str, level: str, notes: str = "", lang: str | None = None,
                   extractor=None) -> InstantDrafts:
    """The three prepared drafts (concise, detailed, past style), from storage: no model call. Notes are checked by
    the input guardrails and applied offline where they name skills or years; the rest is in `unapplied_notes`."""
    started = time.perf_counter()
    family_def = JOB_FAMILIES.get(family)
    level_def = JOB_LEVELS.get((level or "").upper())
    result = InstantDrafts(company_id, family, (level or "").upper(), lang or "")
    company = store.get_company(company_id)
    if company is None or family_def is None or level_def is None:
        result.error = ("unknown_company" if company is None else "unknown_family" if family_def is None
                        else "unknown_level")
        return result
    if notes and notes.strip():
        verdict = check_request(notes, context="notes")
        if not verdict.ok:
            result.verdict = verdict
            result.lang = lang or verdict.lang
            return result
    payload = store.load_prepared(company_id, family, level_def.code)
    if payload is None:
        keys = store.prepared_keys(company_id)
        nearest = _nearest_level(keys, family, level_def)
        if nearest is not None:
            payload = store.load_prepared(company_id, family, nearest)
            result.fallback = {"kind": "level", "from_level": nearest}
    extractor_needed = bool(notes and notes.strip()) or payload is None
    extractor = extractor or (_default_extractor() if extractor_needed else None)
    if payload is not None:
        langs = payload.get("langs") or [company.lang]
        chosen = lang if lang in langs else langs[0]
        result.lang = chosen
        drafts = {style: JdDraft.from_dict(payload["drafts"][chosen][style]) for style in STYLES}
        result.findings = {style: [Finding.from_dict(f) for f in payload["findings"][chosen][style]]
                           for style in STYLES}
        result.material = payload.get("material", {}).get(chosen, {})
        result.skills = {"required": payload.get("required_skills", []),
                         "preferred": payload.get("preferred_skills", [])}
        if result.fallback:
            drafts = {style: relevel(d, level_def) for style, d in drafts.items()}
        if lang and lang != chosen:
            result.fallback = {**(result.fallback or {}), "lang_unavailable": lang}
    else:
        chosen = lang if lang in ("ko", "en") else company.lang
        result.lang = chosen
        drafts = _generic_drafts(company, family_def, level_def, chosen, extractor)
        nearest = sorted({f for f, _, _ in store.prepared_keys(company_id)
                          if f in JOB_FAMILIES and JOB_FAMILIES[f].group == family_def.group})
        result.fallback = {"kind": "family", "nearest": nearest}
        for style, draft in drafts.items():
            clean, found = enforce(draft, company, None, trace_claims=False)
            drafts[style] = clean
            result.findings[style] = found + [
                Finding("catalog_skill", "requirements", extractor.taxonomy.name(s, chosen), "flagged",
                        "직군 카탈로그의 기본 기술입니다. 필요한지 확인해 주세요." if chosen == "ko" else
                        "A typical skill of the job family, not from this company's postings; confirm it.",
                        "catalogue") for s in draft.required_skills]
    if notes and notes.strip():
        parsed = parse_instruction(notes, extractor, allow_level=False)
        for style, draft in drafts.items():
            changed, applied, skipped = apply_instruction(draft, parsed, extractor,
                                                          sections=("requirements", "preferred"))
            clean, found = enforce(changed, company, None, trace_claims=False)
            drafts[style] = replace(clean, basis={**clean.basis, "notes": notes})
            result.findings[style] = result.findings.get(style, []) + [f for f in found if f.kind != "coded_wording"]
            if style == "concise":
                result.applied_notes = applied
                result.unapplied_notes = parsed.unparsed + skipped
    result.drafts = [drafts[style] for style in STYLES]
    result.elapsed_ms = (time.perf_counter() - started) * 1000
    return result
