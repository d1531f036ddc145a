"""Domain model: employees, their skills with evidence, search filters and ranked candidates."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Role(str, enum.Enum):
    EMPLOYEE = "employee"
    MANAGER = "manager"
    HR_ADMIN = "hr_admin"

    @classmethod
    def parse(cls, value: str | None) -> "Role":
        text = (value or "employee").strip().lower().replace("-", "_").replace(" ", "_")
        aliases = {"hr": cls.HR_ADMIN, "hradmin": cls.HR_ADMIN, "admin": cls.HR_ADMIN, "hr_admin": cls.HR_ADMIN,
                   "manager": cls.MANAGER, "mgr": cls.MANAGER, "employee": cls.EMPLOYEE, "staff": cls.EMPLOYEE}
        if text not in aliases:
            raise ValueError(f"unknown role {value!r} (expected employee, manager or hr_admin)")
        return aliases[text]

    @property
    def can_search_people(self) -> bool:
        return self in (Role.MANAGER, Role.HR_ADMIN)


@dataclass(frozen=True)
class SkillEvidence:
    """A canonical skill found in a profile, with the resume line that shows it."""

    skill_id: str
    evidence: str
    proficiency: str = ""   # beginner / intermediate / advanced / expert, when a resume analysis estimated it


@dataclass(frozen=True)
class WorkRole:
    title: str
    organisation: str = ""
    start: str = ""   # YYYY or YYYY-MM
    end: str = ""     # empty while current


@dataclass
class ProfileDetails:
    """What a resume analysis adds beyond skills; the employee confirms or edits it before it is saved."""

    roles: list[WorkRole] = field(default_factory=list)
    years_experience: float | None = None
    education: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    summary: str = ""

    def is_empty(self) -> bool:
        return not (self.roles or self.years_experience or self.education or self.certifications or self.summary)


@dataclass
class Employee:
    id: str
    display_name: str
    email: str = ""
    slack_user_id: str = ""
    teams_user_id: str = ""
    department: str = ""
    title: str = ""
    level: str = ""
    location: str = ""
    role: Role = Role.EMPLOYEE
    open_to_moves: bool = False
    languages: list[str] = field(default_factory=list)
    resume_text: str = ""
    skills: list[SkillEvidence] = field(default_factory=list)
    updated_at: str = ""
    details: ProfileDetails = field(default_factory=ProfileDetails)
    mentor: bool = False      # opted in to be suggested as a mentor for their skills

    @property
    def skill_ids(self) -> list[str]:
        return [s.skill_id for s in self.skills]


# Fields of an employee record that the product never stores or matches on (fairness by construction).
PROTECTED_FIELDS = frozenset({
    "gender", "sex", "birth_date", "date_of_birth", "dob", "birthday", "age", "marital_status", "married",
    "nationality", "citizenship", "address", "home_address", "photo", "photo_url", "picture", "religion",
    "disability", "ethnicity", "race",
})


LEVELS = ("L1", "L2", "L3", "L4", "L5", "L6")


def level_rank(level: str) -> int | None:
    """L1..L6 -> 1..6; anything else -> None (unknown level never passes a level filter)."""
    text = (level or "").strip().upper()
    if len(text) == 2 and text[0] == "L" and text[1].isdigit():
        return int(text[1])
    return None


@dataclass(frozen=True)
class SearchFilters:
    departments: tuple[str, ...] = ()          # include only these (case-insensitive); empty = all
    exclude_departments: tuple[str, ...] = ()
    open_only: bool = False
    exclude_ids: tuple[str, ...] = ()
    min_level: int | None = None
    max_level: int | None = None
    locations: tuple[str, ...] = ()           # include only these work locations (case-insensitive); empty = all

    def describe(self) -> list[str]:
        parts = []
        if self.departments:
            parts.append("dept:" + ",".join(self.departments))
        if self.exclude_departments:
            parts.append("-dept:" + ",".join(self.exclude_departments))
        if self.open_only:
            parts.append("--open-only")
        if self.min_level or self.max_level:
            parts.append(f"level:L{self.min_level or 1}-L{self.max_level or 6}")
        if self.exclude_ids:
            parts.append("exclude:" + ",".join(self.exclude_ids))
        if self.locations:
            parts.append("loc:" + ",".join(self.locations))
        return parts


@dataclass(frozen=True)
class MatchedSkill:
    skill_id: str
    name: str
    evidence: str
    via: str | None = None  # a related skill that earned partial credit, when not an exact match


@dataclass(frozen=True)
class ScoreParts:
    semantic: float
    lexical: float
    skills: float
    completeness: float


@dataclass(frozen=True)
class Candidate:
    employee_id: str
    display_name: str
    department: str
    title: str
    level: str
    location: str
    open_to_moves: bool
    score: int                      # 0-100, see core.matching.scoring for its meaning
    band: str                       # strong / good / partial / weak
    parts: ScoreParts
    matched: tuple[MatchedSkill, ...]
    missing: tuple[str, ...]        # display names of requested skills the profile does not show
    thin_profile: bool
    years: float | None = None      # years of experience the profile shows (resume analysis or its dates)
    seniority_rank: int = 0         # 1 junior .. 6 principal (level, else years and title); 0 when nothing shows it
    below_asked: int = 0            # the rank the request asked for when this person is below it, else 0


@dataclass(frozen=True)
class SearchPage:
    query: str
    filters: SearchFilters
    candidates: tuple[Candidate, ...]
    offset: int
    total_eligible: int
    query_skills: tuple[str, ...]
