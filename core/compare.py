"""Side-by-side comparison of 2-4 people for a role: a skills matrix (the role's skills, then other notable skills
they have), experience, availability and coverage. Cells use the gap analysis's rule (present / partial / missing)."""
from __future__ import annotations

from dataclasses import dataclass

from core.domain import Employee, WorkRole
from core.gaps import MISSING, PROFICIENCY_RANK, coverage_percent, held_skills, match_skill
from core.skills.taxonomy import Taxonomy

MIN_PEOPLE, MAX_PEOPLE = 2, 4
MAX_NOTABLE = 6
MAX_ROLES = 3


@dataclass(frozen=True)
class Cell:
    status: str               # present / partial / missing
    credit: float = 0.0       # 1, the related-skill credit, or 0
    proficiency: str = ""
    via: str | None = None    # the related skill id behind a partial
    evidence: str = ""


@dataclass(frozen=True)
class MatrixRow:
    skill_id: str
    required: bool
    cells: tuple[Cell, ...]   # one per person, in the order of Comparison.people


@dataclass(frozen=True)
class PersonSummary:
    employee_id: str
    display_name: str
    title: str
    department: str
    level: str
    years_experience: float | None
    top_roles: tuple[WorkRole, ...]
    open_to_moves: bool
    coverage: int | None       # % of the required skills, None when none were given


@dataclass(frozen=True)
class Comparison:
    people: tuple[PersonSummary, ...]
    rows: tuple[MatrixRow, ...]
    required: tuple[str, ...]


def _cell(skill_id: str, held, taxonomy: Taxonomy) -> Cell:
    found = match_skill(skill_id, held, taxonomy)
    if found.status == MISSING:
        return Cell(MISSING)
    return Cell(found.status, found.credit, found.evidence.proficiency, found.via, found.evidence.evidence)


def _notable(held: list[dict], exclude: set[str], most: int) -> list[str]:
    """Skills beyond the required ones, most widely held among these people first, then by stated proficiency,
    then by how early their resumes mention them."""
    stats: dict[str, list] = {}
    for person_held in held:
        for position, (skill_id, evidence) in enumerate(person_held.items()):
            if skill_id in exclude:
                continue
            entry = stats.setdefault(skill_id, [0, 0, position])
            entry[0] += 1
            entry[1] = max(entry[1], PROFICIENCY_RANK.get(evidence.proficiency, 0))
            entry[2] = min(entry[2], position)
    ranked = sorted(stats, key=lambda sid: (-stats[sid][0], -stats[sid][1], stats[sid][2], sid))
    return ranked[:most]


def compare(employees: list[Employee], required: list[str] | tuple[str, ...], taxonomy: Taxonomy,
            notable: int = MAX_NOTABLE) -> Comparison:
    """Compare 2 to 4 different people on `required` skill ids; raises ValueError for any other number."""
    ids = [e.id for e in employees]
    if len(set(ids)) != len(ids):
        raise ValueError("compare needs different people; the same person was given twice")
    if not MIN_PEOPLE <= len(employees) <= MAX_PEOPLE:
        raise ValueError(f"compare needs {MIN_PEOPLE} to {MAX_PEOPLE} people, got {len(employees)}")
    required = list(dict.fromkeys(required))
    unknown = [s for s in required if s not in taxonomy]
    if unknown:
        raise ValueError(f"unknown skill ids: {', '.join(unknown)}")
    held = [held_skills(e) for e in employees]
    rows = [MatrixRow(sid, True, tuple(_cell(sid, h, taxonomy) for h in held)) for sid in required]
    for sid in _notable(held, set(required), notable):
        rows.append(MatrixRow(sid, False, tuple(_cell(sid, h, taxonomy) for h in held)))
    people = []
    for column, e in enumerate(employees):
        credits = [row.cells[column].credit for row in rows if row.required]
        people.append(PersonSummary(e.id, e.display_name, e.title, e.department, e.level,
                                    e.details.years_experience, tuple(e.details.roles[:MAX_ROLES]), e.open_to_moves,
                                    coverage_percent(credits)))
    return Comparison(tuple(people), tuple(rows), tuple(required))
