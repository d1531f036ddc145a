"""(De)serialisation of employee rows between the domain objects and the store's columns."""
from __future__ import annotations

import json
import sys

import numpy as np

from core.domain import Employee, ProfileDetails, Role, SkillEvidence, WorkRole
from core.ports import IndexRow


def skills_to_json(skills: list[SkillEvidence]) -> str:
    return json.dumps([[s.skill_id, s.evidence, s.proficiency] if s.proficiency else [s.skill_id, s.evidence]
                       for s in skills], ensure_ascii=False)


def skills_from_json(text: str | None) -> list[SkillEvidence]:
    return [SkillEvidence(*item) for item in json.loads(text or "[]")]


def details_to_json(details: ProfileDetails) -> str:
    if details.is_empty():
        return ""
    return json.dumps({"roles": [[r.title, r.organisation, r.start, r.end] for r in details.roles],
                       "years_experience": details.years_experience, "education": details.education,
                       "certifications": details.certifications, "summary": details.summary}, ensure_ascii=False)


def details_from_json(text: str | None) -> ProfileDetails:
    if not text:
        return ProfileDetails()
    data = json.loads(text)
    return ProfileDetails(roles=[WorkRole(*r) for r in data.get("roles", [])],
                          years_experience=data.get("years_experience"), education=data.get("education", []),
                          certifications=data.get("certifications", []), summary=data.get("summary", ""))


def vector_to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def vector_from_blob(blob: bytes | None) -> np.ndarray | None:
    if not blob:
        return None
    return np.frombuffer(blob, dtype="<f4")


EMPLOYEE_COLUMNS = ("id", "display_name", "email", "slack_user_id", "teams_user_id", "department", "title", "level",
                    "location", "role", "open_to_moves", "languages", "resume_text", "skills", "updated_at",
                    "details", "mentor")


def employee_values(e: Employee) -> tuple:
    return (e.id, e.display_name, e.email, e.slack_user_id, e.teams_user_id, e.department, e.title, e.level,
            e.location, e.role.value, 1 if e.open_to_moves else 0, json.dumps(e.languages), e.resume_text,
            skills_to_json(e.skills), e.updated_at, details_to_json(e.details), 1 if e.mentor else 0)


def employee_from_row(row) -> Employee:
    (eid, name, email, slack, teams, dept, title, level, location, role, open_flag, langs, resume, skills,
     updated, details, mentor) = row
    return Employee(id=eid, display_name=name, email=email or "", slack_user_id=slack or "",
                    teams_user_id=teams or "", department=dept or "", title=title or "", level=level or "",
                    location=location or "", role=Role(role), open_to_moves=bool(open_flag),
                    languages=json.loads(langs or "[]"), resume_text=resume or "", skills=skills_from_json(skills),
                    updated_at=updated or "", details=details_from_json(details), mentor=bool(mentor))


def index_row(eid, department, level, open_flag, skills_json, terms, profile_words, blob, location="",
              summary_blob=None) -> IndexRow:
    """One row of the search index from stored columns. Terms are interned: 100k profiles share one copy of each."""
    skill_ids = tuple(sys.intern(item[0]) for item in json.loads(skills_json or "[]"))
    return IndexRow(eid, department or "", level or "", bool(open_flag), skill_ids,
                    tuple(sys.intern(t) for t in (terms or "").split()), profile_words or 0, vector_from_blob(blob),
                    sys.intern(location or ""), vector_from_blob(summary_blob) if summary_blob else None)


def union_of_json_lists(pages) -> set[str]:
    """The union of the JSON lists of strings in `pages` (each page a list of JSON texts): one parse per page, which
    is several times faster than one per row when a year of audit log is half a million rows."""
    from itertools import chain

    people: set[str] = set()
    for page in pages:
        if page:
            people.update(chain.from_iterable(json.loads("[" + ",".join(page) + "]")))
    return people


def counts_by_category(rows) -> dict[str, dict[str, int]]:
    """(category, value, count) rows -> {category: {value: count}}."""
    out: dict[str, dict[str, int]] = {}
    for category, value, n in rows:
        out.setdefault(category, {})[value] = int(n)
    return out
