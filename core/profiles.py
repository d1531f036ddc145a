"""Turning an employee record into a searchable profile: skills with evidence, terms and an embedding."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from core.domain import Employee
from core.fairness import matching_text
from core.matching.bridge import RequestBridge
from core.matching.lexical import encode_document
from core.matching.seniority import years_in_text
from core.skills.occupations import load_occupations
from core.skills.extractor import SkillExtractor
from core.text import content_terms, tokenize_lines


@dataclass
class BuiltProfile:
    employee: Employee
    resume_hash: str
    terms: tuple[str, ...]
    profile_words: int
    text: str          # the redacted matching text that gets embedded
    summary: str = ""  # its language-neutral summary (roles, canonical skills, work words, years), embedded too


def profile_hash(employee: Employee) -> str:
    """Changes exactly when the matching text's inputs change (title or resume), so unchanged resumes are not
    re-embedded on a repeated import."""
    digest = hashlib.sha256()
    for part in (employee.title, employee.resume_text, employee.display_name):
        digest.update((part or "").encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


class ProfileBuilder:
    def __init__(self, extractor: SkillExtractor, bridge: RequestBridge | None = None):
        self.extractor = extractor
        self._bridge = bridge

    @property
    def bridge(self) -> RequestBridge:
        if self._bridge is None:
            self._bridge = RequestBridge(self.extractor.taxonomy, load_occupations())
        return self._bridge

    def summary(self, employee: Employee) -> str:
        """The language-neutral summary of a stored profile (its skills as stored), from its matching text."""
        text = matching_text(employee.title, employee.resume_text, [employee.display_name])
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return self.bridge.profile_summary(lines, tokenize_lines(lines), [s.skill_id for s in employee.skills],
                                           employee.title)

    def build(self, employee: Employee, confirmed: bool = False) -> BuiltProfile:
        """`confirmed`: the employee confirmed or edited their skills, so they are kept (not re-extracted) and the
        ones the resume does not mention are added to the text that is embedded and matched."""
        resume = employee.resume_text
        if confirmed:
            names = [self.extractor.taxonomy.name(s.skill_id) for s in employee.skills]
            resume = "\n".join(filter(None, (resume, "Skills: " + ", ".join(names) if names else "")))
        text = matching_text(employee.title, resume, [employee.display_name])
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        line_tokens = tokenize_lines(lines)   # once, for both skills and lexical terms
        if not confirmed:
            employee.skills = self.extractor.extract_tokenized(lines, line_tokens, employee.title)
        tokens = [t for toks in line_tokens for t in toks]
        # The lexical document (core/matching/lexical.py): title words, resume words with their counts, years.
        title_tokens = content_terms(line_tokens[0]) if employee.title and lines else []
        body_tokens = content_terms(t for toks in line_tokens[1 if title_tokens else 0:] for t in toks)
        years = employee.details.years_experience if employee.details.years_experience else years_in_text(text)
        terms = encode_document(title_tokens, body_tokens, years)
        # From the same redacted text: protected attributes never reach the summary either.
        summary = self.bridge.profile_summary(lines, line_tokens, [s.skill_id for s in employee.skills],
                                              employee.title)
        return BuiltProfile(employee, profile_hash(employee), terms, len(tokens), text, summary)
