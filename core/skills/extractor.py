"""Offline skill extraction from resumes and queries, in Korean and English, onto canonical skills."""
from __future__ import annotations

import re

from core.domain import SkillEvidence
from core.skills.taxonomy import Taxonomy
from core.text import add_korean_user_words, join_key, tokenize_line, tokenize_lines

_BULLET = re.compile(r"^\s*(?:[-*•·▪●◦]|\d+[.)])\s*")
_LIST_HEADER = re.compile(r"^\s*(skills?|tech(nical)?\s*stack|기술\s*스택|보유\s*기술|기술|스킬|core competencies)\s*[:：]",
                          re.IGNORECASE)
MAX_EVIDENCE_CHARS = 180


def _evidence_quality(line: str) -> float:
    """Prefer a sentence describing work over a bare skills list."""
    commas = line.count(",") + line.count("、") + line.count("/")
    words = len(line.split())
    score = min(words, 25)
    if _LIST_HEADER.match(line) or commas >= 3:
        score -= 20
    return score


def clean_evidence(line: str) -> str:
    text = _BULLET.sub("", line).strip()
    if len(text) > MAX_EVIDENCE_CHARS:
        text = text[: MAX_EVIDENCE_CHARS - 1].rstrip() + "…"
    return text


class SkillExtractor:
    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        add_korean_user_words(form for skill in taxonomy.skills.values() for form in (skill.ko, *skill.aliases))

    def _match_tokens(self, tokens: list[str]) -> list[str]:
        """Greedy longest match of token n-grams against the taxonomy's surface forms."""
        found = []
        i, n = 0, len(tokens)
        max_n = self.taxonomy.max_tokens
        while i < n:
            for width in range(min(max_n, n - i), 0, -1):
                skill_id = self.taxonomy.by_surface.get(join_key(tokens[i:i + width]))
                if skill_id:
                    found.append(skill_id)
                    i += width
                    break
            else:
                i += 1
        return found

    def skills_in_line(self, line: str) -> list[str]:
        return self._match_tokens(tokenize_line(line))

    def extract(self, text: str) -> list[SkillEvidence]:
        """Canonical skills of a resume, each with the line that best evidences it, in order of first mention."""
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        return self.extract_tokenized(lines, tokenize_lines(lines))

    def extract_tokenized(self, lines: list[str], line_tokens: list[list[str]]) -> list[SkillEvidence]:
        """As extract(), for lines the caller already tokenized (the import path tokenizes once for everything)."""
        best: dict[str, tuple[float, str]] = {}
        order: list[str] = []
        for line, tokens in zip(lines, line_tokens):
            if not line:
                continue
            quality = None      # once per line, not per skill: a 60 KB line names hundreds of skills
            for skill_id in self._match_tokens(tokens):
                if quality is None:
                    quality = _evidence_quality(line)
                if skill_id not in best:
                    order.append(skill_id)
                    best[skill_id] = (quality, line)
                elif quality > best[skill_id][0]:
                    best[skill_id] = (quality, line)
        return [SkillEvidence(sid, clean_evidence(best[sid][1])) for sid in order]

    def extract_query(self, text: str) -> list[str]:
        seen: list[str] = []
        for line in (text or "").splitlines():
            for skill_id in self.skills_in_line(line):
                if skill_id not in seen:
                    seen.append(skill_id)
        return seen
