"""Resume upload -> draft -> the employee's confirmation -> profile.

`ResumePipeline.analyse` reads an uploaded file, removes contact and personal details before any model sees the text,
asks the AI provider for an extraction and turns it into a `ResumeDraft` on the canonical skill taxonomy. It writes
nothing: the draft is stored between the upload and the confirmation (`to_dict`/`from_dict`), the employee edits
it on the confirm card (`remove_skill`, `add_skill`, `set_proficiency`), and only `apply` + the caller's save
(core.importer.Importer.save_confirmed) change the profile.
"""
from __future__ import annotations

import copy
import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, get_args

from core.ai.provider import AIProvider, Proficiency, ResumeExtraction
from core.ai.runner import run_sync
from core.documents import TEXT_ONLY, DocumentError, DocumentReader
from core.domain import Employee, ProfileDetails, SkillEvidence, WorkRole
from core.fairness import redact_personal_details
from core.resume.redaction import redact_for_model
from core.skills.extractor import SkillExtractor, clean_evidence
from core.skills.taxonomy import Taxonomy
from core.text import detect_language

PROFICIENCY_LEVELS = get_args(Proficiency)   # beginner, intermediate, advanced, expert
ADDED_BY_EMPLOYEE = "added by the employee"   # the evidence of a skill the employee added on the confirm card
MAX_UNMAPPED = 30

# Spoken languages as resumes and models name them -> the codes Employee.languages holds.
_LANGUAGE_CODES = {
    "en": ("en", "english", "영어", "toeic", "toefl", "ielts", "teps", "opic"),
    "ko": ("ko", "korean", "한국어", "topik"),
    "ja": ("ja", "japanese", "일본어", "jlpt", "jpt"),
    "zh": ("zh", "chinese", "mandarin", "cantonese", "중국어", "hsk"),
    "es": ("es", "spanish", "스페인어"),
    "fr": ("fr", "french", "프랑스어", "불어"),
    "de": ("de", "german", "독일어"),
    "vi": ("vi", "vietnamese", "베트남어"),
    "ru": ("ru", "russian", "러시아어"),
}


class DraftEditError(ValueError):
    """An edit the confirm card cannot make; `code` (unknown_skill, no_such_skill, bad_level) and `value` let the
    handler say why in the user's language."""

    def __init__(self, message: str, code: str, value: str = ""):
        super().__init__(message)
        self.code = code
        self.value = value


@dataclass
class DraftSkill:
    skill_id: str
    evidence: str
    proficiency: str = "intermediate"


@dataclass
class ResumeDraft:
    """What an analysis found, awaiting the employee's confirmation. JSON-serialisable through to_dict()."""

    employee_id: str
    filename: str
    skills: list[DraftSkill]
    unmapped: list[str]            # skills the taxonomy does not know: shown to the employee, not matched on
    details: ProfileDetails
    languages: list[str]           # codes (ko, en, ...)
    text: str                      # the resume text after redaction; it becomes the stored resume
    source: str                    # "gemini" or "offline"
    model: str = ""
    note: str = ""                 # why the offline path answered, when it was a fallback (for the log)
    redactions: dict[str, int] = field(default_factory=dict)
    dropped: int = 0               # extracted skills whose evidence is not in the resume (model hallucinations)
    lang: str = "en"
    fallback: dict = field(default_factory=dict)    # core.ai.provider.FallbackReason as a dict, for the card

    @property
    def skill_ids(self) -> list[str]:
        return [s.skill_id for s in self.skills]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ResumeDraft":
        details = dict(data.get("details") or {})
        details["roles"] = [WorkRole(**role) for role in details.get("roles") or []]
        values = {f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data}
        values["skills"] = [DraftSkill(**skill) for skill in data.get("skills") or []]
        values["details"] = ProfileDetails(**details)
        values["unmapped"] = list(data.get("unmapped") or [])
        values["languages"] = list(data.get("languages") or [])
        values["redactions"] = dict(data.get("redactions") or {})
        values["fallback"] = dict(data.get("fallback") or {})
        return cls(**values)


def _normalise(text: str) -> str:
    """For comparing a quote with the resume: case, quotes, bullets, ellipses and line breaks do not matter."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"[\"'“”‘’`]", "", text)
    text = re.sub(r"(?m)^\s*(?:[-*•·▪●◦■]|\d+[.)])\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _quoted_from(evidence: str, text_normalised: str) -> bool:
    """True when the evidence is really in the text (a clipped quote ending in … counts by its visible part)."""
    pieces = [p.strip(" .") for p in _normalise(evidence).split("…")]
    pieces = [p for p in pieces if p]
    return bool(pieces) and sum(len(p) for p in pieces) >= 3 and all(p in text_normalised for p in pieces)


def language_codes(names: list[str]) -> list[str]:
    """["English (TOEIC 900)", "한국어", "ja"] -> ["en", "ko", "ja"]; names it does not know are left out."""
    codes: list[str] = []
    for name in names:
        lowered = (name or "").lower()
        for code, words in _LANGUAGE_CODES.items():
            if code in codes:
                continue
            if lowered.strip() == code or any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", lowered)
                                              for w in words[1:]):
                codes.append(code)
    return codes


class ResumePipeline:
    def __init__(self, provider: AIProvider, taxonomy: Taxonomy, extractor: SkillExtractor,
                 run: Callable[[Awaitable], Any] = run_sync, documents: DocumentReader = TEXT_ONLY):
        self.provider = provider
        self.documents = documents
        self.taxonomy = taxonomy
        self.extractor = extractor
        self.run = run

    # ---- analysis ----------------------------------------------------------------------------------------------
    def analyse(self, filename: str, data: bytes, employee: Employee, lang: str) -> ResumeDraft:
        """Read, redact, extract, canonicalise. Raises DocumentError (with its message) for a file we cannot use;
        writes nothing."""
        text = self.documents.read_bytes(filename, data)
        redacted, counts = redact_for_model(text, [employee.display_name])
        if not redacted.strip():
            raise DocumentError("the file has no resume text once contact and personal details are removed",
                                "no_resume_text")
        generated = self.run(self.provider.extract_resume(redacted, lang))
        draft = self._draft(generated.value, redacted, employee, filename, lang)
        draft.source, draft.model, draft.note = generated.source, generated.model, generated.note
        draft.fallback = dataclasses.asdict(generated.reason) if generated.reason is not None else {}
        draft.redactions = counts
        return draft

    def _draft(self, extraction: ResumeExtraction, redacted: str, employee: Employee, filename: str,
               lang: str) -> ResumeDraft:
        text_normalised = _normalise(redacted)
        skills: dict[str, DraftSkill] = {}
        unmapped: list[str] = []
        dropped = 0
        for extracted in extraction.skills:
            if not _quoted_from(extracted.evidence, text_normalised):
                dropped += 1
                continue
            skill_ids = self.canonical_ids(extracted.name)
            if not skill_ids:
                name = " ".join((extracted.name or "").split())[:60]
                if name and name.lower() not in {u.lower() for u in unmapped} and len(unmapped) < MAX_UNMAPPED:
                    unmapped.append(name)
                continue
            level = extracted.proficiency if extracted.proficiency in PROFICIENCY_LEVELS else "intermediate"
            for skill_id in skill_ids:
                known = skills.get(skill_id)
                if known is None:
                    skills[skill_id] = DraftSkill(skill_id, clean_evidence(extracted.evidence), level)
                elif PROFICIENCY_LEVELS.index(level) > PROFICIENCY_LEVELS.index(known.proficiency):
                    known.proficiency = level   # the same skill twice: keep the first quote, the higher level
        details = ProfileDetails(
            roles=[WorkRole(title=_line(r.title, 80), organisation=_line(r.organisation, 80), start=_line(r.start, 7),
                            end=_line(r.end, 7)) for r in extraction.roles if (r.title or r.organisation)][:15],
            years_experience=(round(float(extraction.years_experience), 1)
                              if extraction.years_experience is not None and 0 <= extraction.years_experience <= 60
                              else None),
            education=_unique(_line(e, 160) for e in extraction.education)[:6],
            certifications=_unique(_line(c, 120) for c in extraction.certifications)[:15],
            # the summary is model-written: scrub it as well, in case it repeats a personal detail
            summary=_line(redact_personal_details(extraction.summary or "", [employee.display_name]), 300),
        )
        languages = language_codes(extraction.languages)
        resume_language = detect_language(redacted)
        if resume_language not in languages:
            languages.append(resume_language)   # someone who writes their resume in a language reads it
        return ResumeDraft(employee_id=employee.id, filename=filename, skills=list(skills.values()),
                           unmapped=unmapped, details=details, languages=languages, text=redacted,
                           source="", dropped=dropped, lang=lang)

    def canonical_ids(self, name: str) -> list[str]:
        """Taxonomy ids for a skill as written ("k8s", "쿠버네티스", "Spring Boot 3") - [] when unknown."""
        name = (name or "").strip()
        if not name:
            return []
        skill_id = self.taxonomy.lookup(name)
        if skill_id:
            return [skill_id]
        return self.extractor.extract_query(name)

    @staticmethod
    def draft_from_dict(data: dict[str, Any]) -> ResumeDraft:
        """The draft stored between the upload and the confirmation."""
        return ResumeDraft.from_dict(data)

    # ---- confirmation --------------------------------------------------------------------------------------------
    def apply(self, employee: Employee, draft: ResumeDraft) -> Employee:
        """A copy of the employee with the draft's resume, skills, details and languages. Saving (and re-embedding)
        is the caller's: core.importer.Importer.save_confirmed(employee) keeps these skills and re-embeds."""
        if draft.employee_id != employee.id:
            raise ValueError(f"the draft belongs to {draft.employee_id}, not {employee.id}")
        return dataclasses.replace(
            employee,
            resume_text=draft.text,
            skills=[SkillEvidence(s.skill_id, s.evidence, s.proficiency) for s in draft.skills],
            details=copy.deepcopy(draft.details),
            languages=list(dict.fromkeys([*employee.languages, *draft.languages])),
            updated_at="",   # the store stamps the time of the save
        )

    # ---- edits on the confirm card (each returns a new draft) ----------------------------------------------------
    def remove_skill(self, draft: ResumeDraft, skill_id: str) -> ResumeDraft:
        if skill_id not in draft.skill_ids:
            raise DraftEditError(f"'{skill_id}' is not in the draft", "no_such_skill", skill_id)
        edited = copy.deepcopy(draft)
        edited.skills = [s for s in edited.skills if s.skill_id != skill_id]
        return edited

    def add_skill(self, draft: ResumeDraft, text: str) -> ResumeDraft:
        """Free text ("k8s", "카프카, Spark") -> canonical skills, evidence "added by the employee"."""
        skill_ids = self.canonical_ids(text)
        if not skill_ids:
            raise DraftEditError(f"'{text.strip()}' is not a skill we know; try another name for it",
                                 "unknown_skill", text.strip())
        edited = copy.deepcopy(draft)
        for skill_id in skill_ids:
            if skill_id not in edited.skill_ids:
                edited.skills.append(DraftSkill(skill_id, ADDED_BY_EMPLOYEE, "intermediate"))
        return edited

    def set_proficiency(self, draft: ResumeDraft, skill_id: str, level: str) -> ResumeDraft:
        level = (level or "").strip().lower()
        if level not in PROFICIENCY_LEVELS:
            raise DraftEditError(f"'{level}' is not a level (use {', '.join(PROFICIENCY_LEVELS)})", "bad_level", level)
        if skill_id not in draft.skill_ids:
            raise DraftEditError(f"'{skill_id}' is not in the draft", "no_such_skill", skill_id)
        edited = copy.deepcopy(draft)
        for skill in edited.skills:
            if skill.skill_id == skill_id:
                skill.proficiency = level
        return edited


def _line(value: str | None, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _unique(values) -> list[str]:
    out: list[str] = []
    for value in values:
        if value and value.lower() not in {v.lower() for v in out}:
            out.append(value)
    return out
