"""Skill-gap analysis: how far an employee's profile covers a role's skills, with the evidence for what they have,
and for each gap the learning resources and the colleagues who offered to mentor it.

Partial credit follows the search's rule (core.matching.scoring): a required skill the profile lacks earns
RELATED_CREDIT when the profile has one of its related skills. Core returns data; handlers word it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from core.cache import VersionedCache
from core.domain import Employee, SkillEvidence, level_rank
from core.matching import scoring
from core.ports import EmployeeStore
from core.skills.extractor import SkillExtractor
from core.skills.learning import LearningCatalogue, LearningSuggestion, load_learning_catalogue
from core.skills.taxonomy import Taxonomy
from core.text import tokenize_line

PRESENT, PARTIAL, MISSING = "present", "partial", "missing"
MAX_MENTORS = 3
PROFICIENCY_RANK = {"expert": 4, "advanced": 3, "intermediate": 2, "beginner": 1}


# ---- one skill against one profile -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SkillMatch:
    status: str                            # present / partial / missing
    credit: float                          # 1, RELATED_CREDIT or 0
    evidence: SkillEvidence | None = None  # the profile's own line (of the related skill, when partial)
    via: str | None = None                 # the related skill id that earned partial credit


def match_skill(skill_id: str, held: dict[str, SkillEvidence], taxonomy: Taxonomy) -> SkillMatch:
    """Whether a profile (its skills by id) shows a skill: present, partial through a related skill, or missing."""
    if skill_id in held:
        return SkillMatch(PRESENT, 1.0, held[skill_id])
    via = scoring.related_held(taxonomy.related(skill_id), held)
    if via:
        return SkillMatch(PARTIAL, scoring.RELATED_CREDIT, held[via], via)
    return SkillMatch(MISSING, 0.0)


def held_skills(employee: Employee) -> dict[str, SkillEvidence]:
    held: dict[str, SkillEvidence] = {}
    for s in employee.skills:
        held.setdefault(s.skill_id, s)
    return held


def coverage_percent(credits: list[float]) -> int | None:
    """present = 1, partial = 1/2, over the skills asked for; None when none were asked for."""
    return int(round(100 * sum(credits) / len(credits))) if credits else None


# ---- role text -> required / preferred skills --------------------------------------------------------------------
_DECORATION = re.compile(r"^[\s#*\-•·▪●◦■□▶►◆◇\[\(【<]+|[\s*\]\)】>:：]+$")
_PREFERRED_HEADER = re.compile(
    r"^(preferred|nice[\s-]*to[\s-]*haves?|bonus|pluses|plus|good to have|우대|가산점|있으면 좋)", re.IGNORECASE)
_SECTION_HEADER = re.compile(
    r"^(required|requirements?|qualifications?|must[\s-]*haves?|minimum|basic qualifications|responsibilities|"
    r"what you('ll)? do|about|자격|필수|지원\s*자격|주요\s*업무|담당\s*업무|업무\s*내용|직무)", re.IGNORECASE)
# Preferred skills inside a line: after a marker ("Kafka, nice to have Kubernetes"), or before one that ends the
# line ("Kubernetes is a plus", "쿠버네티스 경험자 우대").
_PREFERRED_PREFIX = re.compile(r"(nice[\s-]*to[\s-]*have|preferred|bonus|우대\s*사항|우대\s*조건)", re.IGNORECASE)
_PREFERRED_SUFFIX = re.compile(
    r"(\bis\s+)?(\ba\s+plus|\ba\s+bonus|\bpreferred|\bnice[\s-]*to[\s-]*have|우대(합니다|해요)?|가산점|"
    r"있으면\s*좋(습니다|아요|음)?)[\s.!)]*$", re.IGNORECASE)
_REQUIRED_WORDS = re.compile(r"required|must|필수", re.IGNORECASE)
MAX_HEADER_CHARS = 40


def _split_preferred(text: str, is_bare_skill: Callable[[str], bool]) -> tuple[str, str]:
    """(required part, preferred part) of one line."""
    suffix = _PREFERRED_SUFFIX.search(text)
    if suffix:
        # The clause before the marker is preferred, and so are bare skill names listed just before it
        # ("Kafka, Spark 경험자 우대"), but not a clause of its own ("카프카 다루는 개발자, 헬름 경험자 우대") nor one
        # that says it is required ("Kafka required, Kubernetes is a plus").
        head = text[:suffix.start()]
        cuts = [-1] + [i for i, ch in enumerate(head) if ch in ",;、"]    # -1: the line's first item
        start = cuts.pop() + 1
        while cuts:
            item = text[cuts[-1] + 1:start - 1]
            if _REQUIRED_WORDS.search(item) or not is_bare_skill(item):
                break
            start = cuts.pop() + 1
        return text[:start], text[start:]
    prefix = _PREFERRED_PREFIX.search(text)
    if prefix:
        return text[:prefix.start()], text[prefix.start():]
    return text, ""


@dataclass(frozen=True)
class RoleRequirements:
    required: tuple[str, ...]
    preferred: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.required or self.preferred)


def _header_kind(line: str) -> tuple[str | None, str]:
    """('preferred' | 'required' | None, the rest of the line after "Header:")."""
    head, sep, rest = line.partition(":") if ":" in line else line.partition("：")
    candidate = _DECORATION.sub("", head if sep else line).strip()
    if not candidate or len(candidate) > MAX_HEADER_CHARS:
        return None, line
    if _PREFERRED_HEADER.match(candidate):
        return "preferred", rest if sep else ""
    if _SECTION_HEADER.match(candidate):
        return "required", rest if sep else ""
    return None, line


# ---- mentors -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mentor:
    """What a gap analysis may show about a colleague who opted in as a mentor: nothing beyond this."""

    employee_id: str      # for the audit log of who was shown; not displayed
    display_name: str
    department: str
    evidence: str         # their resume line that shows the skill


@dataclass(frozen=True)
class _MentorEntry:
    mentor: Mentor
    location: str
    order: tuple


class MentorIndex:
    """Opted-in mentors by skill, best first (stated proficiency, then seniority); built once per data version."""

    def __init__(self, employees):
        by_skill: dict[str, list[_MentorEntry]] = {}
        for e in employees:
            if not e.mentor:
                continue
            level = level_rank(e.level) or 0
            for s in held_skills(e).values():
                entry = _MentorEntry(Mentor(e.id, e.display_name, e.department, s.evidence),
                                     (e.location or "").strip().lower(),
                                     (-PROFICIENCY_RANK.get(s.proficiency, 0), -level, e.id))
                by_skill.setdefault(s.skill_id, []).append(entry)
        self._by_skill: dict[str, list[_MentorEntry]] = {}
        self._by_skill_location: dict[tuple[str, str], list[_MentorEntry]] = {}
        for skill_id, entries in by_skill.items():
            entries.sort(key=lambda x: x.order)
            self._by_skill[skill_id] = entries
            for entry in entries:
                self._by_skill_location.setdefault((skill_id, entry.location), []).append(entry)

    def for_skill(self, skill_id: str, exclude_id: str, location: str = "", most: int = MAX_MENTORS) -> list[Mentor]:
        """Up to `most` mentors for a skill, never `exclude_id`, colleagues at `location` first."""
        picked: list[Mentor] = []
        seen = {exclude_id}
        place = (location or "").strip().lower()
        pools = ([self._by_skill_location.get((skill_id, place), [])] if place else []) + \
            [self._by_skill.get(skill_id, [])]
        for pool in pools:
            for entry in pool:
                if len(picked) >= most:
                    return picked
                if entry.mentor.employee_id not in seen:
                    seen.add(entry.mentor.employee_id)
                    picked.append(entry.mentor)
        return picked


# ---- the analysis --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SkillGap:
    skill_id: str
    status: str
    credit: float
    evidence: str = ""          # the employee's line: for the skill itself, or for `via` when partial
    proficiency: str = ""
    via: str | None = None
    learning: LearningSuggestion | None = None   # for partial and missing skills
    mentors: tuple[Mentor, ...] = ()


@dataclass(frozen=True)
class GapReport:
    employee_id: str
    required: tuple[SkillGap, ...]
    preferred: tuple[SkillGap, ...] = ()
    coverage: int | None = None             # % of required skills (present 1, partial 1/2)
    preferred_coverage: int | None = None
    unknown: tuple[str, ...] = ()           # requested skills the taxonomy does not know

    @property
    def gaps(self) -> tuple[SkillGap, ...]:
        return tuple(g for g in self.required + self.preferred if g.status != PRESENT)

    def count(self, status: str) -> int:
        return sum(1 for g in self.required if g.status == status)

    @property
    def mentor_ids(self) -> list[str]:
        return list(dict.fromkeys(m.employee_id for g in self.gaps for m in g.mentors))


class GapAnalyzer:
    def __init__(self, taxonomy: Taxonomy, extractor: SkillExtractor, store: EmployeeStore,
                 catalogue: LearningCatalogue | None = None):
        self.taxonomy = taxonomy
        self.extractor = extractor
        self.store = store
        self.catalogue = catalogue if catalogue is not None else load_learning_catalogue()
        self._mentors = VersionedCache(lambda: self.store.data_version(),
                                       lambda _: MentorIndex(self.store.list_mentors()))

    # ---- role text ---------------------------------------------------------------------------------------------
    def requirements_from_text(self, text: str) -> RoleRequirements:
        """Skills of a role description or job posting. Lines under a "Preferred / Nice to have / 우대 사항" heading,
        or after such words within a line, are preferred; everything else is required."""
        required: list[str] = []
        preferred: list[str] = []
        section = "required"
        for raw in (text or "").splitlines():
            line = raw.strip()
            if not line:
                continue
            kind, rest = _header_kind(line)
            if kind is not None:
                if not rest.strip():
                    section = kind        # a heading on its own line opens a section
                    continue
                line_kind = kind          # "Preferred: Kubernetes" holds for this line only
            else:
                line_kind = section
            parts = [(line_kind, rest)]
            if line_kind == "required":
                required_part, preferred_part = _split_preferred(rest, self._is_bare_skill)
                parts = [("required", required_part), ("preferred", preferred_part)]
            for part_kind, part in parts:
                target = required if part_kind == "required" else preferred
                for skill_id in self.extractor.skills_in_line(part):
                    if skill_id not in target:
                        target.append(skill_id)
        return RoleRequirements(tuple(required), tuple(s for s in preferred if s not in required))

    def _is_bare_skill(self, text: str) -> bool:
        """A list item that is just a skill name ("Kafka", "Spring Boot", "Redis 경험"), not a clause of its own."""
        tokens = tokenize_line(text)
        found = self.extractor.skills_in_line(text)
        return bool(found) and len(tokens) - len(found) <= 1

    def required_from_text(self, text: str) -> list[str]:
        """The required skills of a role text (see requirements_from_text for the preferred ones)."""
        return list(self.requirements_from_text(text).required)

    def _canonical(self, skills) -> tuple[list[str], list[str]]:
        known, unknown = [], []
        for item in skills:
            skill_id = item if item in self.taxonomy else self.taxonomy.lookup(item)
            if skill_id is None:
                unknown.append(item)
            elif skill_id not in known:
                known.append(skill_id)
        return known, unknown

    # ---- mentors -------------------------------------------------------------------------------------------------
    def mentor_index(self) -> MentorIndex:
        return self._mentors.get()

    def mentors(self, skill_id: str, employee: Employee, most: int = MAX_MENTORS) -> list[Mentor]:
        return self.mentor_index().for_skill(skill_id, employee.id, employee.location, most)

    # ---- analysis ------------------------------------------------------------------------------------------------
    def analyse(self, employee: Employee, required: list[str] | tuple[str, ...] | str,
                preferred: list[str] | tuple[str, ...] = (), with_mentors: bool = True) -> GapReport:
        """`required` is a list of skill ids (or names) or a role text, whose preferred section adds to `preferred`."""
        unknown: list[str] = []
        if isinstance(required, str):
            parsed = self.requirements_from_text(required)
            required_ids = list(parsed.required)
            preferred_ids, unknown = self._canonical(list(parsed.preferred) + list(preferred))
        else:
            required_ids, unknown = self._canonical(required)
            preferred_ids, more_unknown = self._canonical(preferred)
            unknown += more_unknown
        preferred_ids = [s for s in preferred_ids if s not in required_ids]
        held = held_skills(employee)
        mentor_index = self.mentor_index() if with_mentors else None

        def assess(skill_id: str) -> SkillGap:
            found = match_skill(skill_id, held, self.taxonomy)
            evidence = found.evidence
            gap = SkillGap(skill_id, found.status, found.credit, evidence.evidence if evidence else "",
                           evidence.proficiency if evidence else "", found.via)
            if found.status == PRESENT:
                return gap
            mentors = tuple(mentor_index.for_skill(skill_id, employee.id, employee.location)) if mentor_index else ()
            return SkillGap(gap.skill_id, gap.status, gap.credit, gap.evidence, gap.proficiency, gap.via,
                            self.catalogue.suggest(skill_id, self.taxonomy), mentors)

        required_gaps = tuple(assess(s) for s in required_ids)
        preferred_gaps = tuple(assess(s) for s in preferred_ids)
        return GapReport(employee.id, required_gaps, preferred_gaps,
                         coverage_percent([g.credit for g in required_gaps]),
                         coverage_percent([g.credit for g in preferred_gaps]), tuple(unknown))
