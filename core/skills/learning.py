"""The curated learning catalogue shipped in core/skills/data/learning.json: public courses, books and docs per
canonical skill, used to suggest how to close a skill gap.

Format: {"version": 1, "skills": {"<taxonomy id>": [{"title_en", "title_ko", "kind", "provider", "url", "hours"}]}},
one skill per line, 1-3 resources each, `kind` one of KINDS, every url https.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.skills.taxonomy import Taxonomy

DEFAULT_LEARNING_PATH = Path(__file__).parent / "data" / "learning.json"
KINDS = ("course", "book", "docs", "internal")


@dataclass(frozen=True)
class LearningResource:
    title_en: str
    title_ko: str
    kind: str
    provider: str
    url: str
    hours: float

    def title(self, lang: str = "en") -> str:
        return self.title_ko if lang == "ko" and self.title_ko else self.title_en


@dataclass(frozen=True)
class LearningSuggestion:
    skill_id: str
    resources: tuple[LearningResource, ...]
    via: str | None = None   # the related skill whose resources these are, when the skill has none of its own


class LearningCatalogue:
    def __init__(self, entries: dict[str, tuple[LearningResource, ...]]):
        self.entries = entries

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, skill_id: str) -> bool:
        return skill_id in self.entries

    def resources(self, skill_id: str) -> tuple[LearningResource, ...]:
        return self.entries.get(skill_id, ())

    def suggest(self, skill_id: str, taxonomy: Taxonomy) -> LearningSuggestion:
        """The skill's own resources; else those of the first related skill that has some (taxonomy order, then
        skills that list this one as related), named in `via` so the reader knows it is a neighbouring topic."""
        own = self.resources(skill_id)
        if own:
            return LearningSuggestion(skill_id, own)
        for related in self._neighbours(skill_id, taxonomy):
            found = self.resources(related)
            if found:
                return LearningSuggestion(skill_id, found, via=related)
        return LearningSuggestion(skill_id, ())

    def _neighbours(self, skill_id: str, taxonomy: Taxonomy) -> list[str]:
        forward = list(taxonomy.related(skill_id))
        backward = sorted(s.id for s in taxonomy.skills.values() if skill_id in s.related and s.id not in forward)
        return forward + backward

    @classmethod
    def from_file(cls, path: Path) -> "LearningCatalogue":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        entries = {
            skill_id: tuple(LearningResource(title_en=r["title_en"], title_ko=r.get("title_ko", ""), kind=r["kind"],
                                             provider=r.get("provider", ""), url=r["url"],
                                             hours=float(r.get("hours", 0))) for r in items)
            for skill_id, items in data["skills"].items()
        }
        return cls(entries)


@lru_cache(maxsize=2)
def load_learning_catalogue(path: str | None = None) -> LearningCatalogue:
    return LearningCatalogue.from_file(Path(path) if path else DEFAULT_LEARNING_PATH)
