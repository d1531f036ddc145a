"""The bilingual skill taxonomy shipped in core/skills/data/taxonomy.json."""
from __future__ import annotations

import hashlib
import inspect
import json
import re
import os
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from core.text import join_key, squash, tokenize_line

DEFAULT_TAXONOMY_PATH = Path(__file__).parent / "data" / "taxonomy.json"


@dataclass(frozen=True)
class Skill:
    id: str
    en: str
    ko: str
    category: str
    aliases: tuple[str, ...]
    related: tuple[str, ...]

    def name(self, lang: str = "en") -> str:
        return self.ko if lang == "ko" and self.ko else self.en

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.en, self.ko, *self.aliases)


# Surface forms that are everyday words on their own ("go home", "plan C"): the skill is still found through its
# unambiguous forms (Golang, Go언어, C언어, R language).
AMBIGUOUS_KEYS = frozenset({"go", "c", "r"})
_HANGUL = re.compile("[가-힣]")


def _surface_index(skills: list[Skill]) -> tuple[dict[str, str], int]:
    """squashed surface form -> skill id. A form is indexed both as written and as our tokenizer re-joins it, so
    "Node.js", "node js" and "노드" share one key space with the tokens of a resume line."""
    by_surface: dict[str, str] = {}
    max_tokens = 1
    for skill in skills:
        for form in skill.surface_forms:
            if not form:
                continue
            tokens = tokenize_line(form)
            joined = join_key(tokens)
            # A Korean loanword the analyser cuts before it knows it ("채널톡" -> 채널, "도커" -> 크, "고언어" -> 언어)
            # would index an everyday word; the form itself is still indexed, and user words keep it whole in text.
            lost = _HANGUL.search(form) and len(joined) < 0.75 * len(squash(form))
            for key in (squash(form), "" if lost else joined):
                if key and key not in AMBIGUOUS_KEYS:
                    by_surface.setdefault(key, skill.id)
            max_tokens = max(max_tokens, len(tokens) or 1)
    return by_surface, max_tokens


def _cached_surface_index(skills: list[Skill], source: bytes) -> tuple[dict[str, str], int]:
    """Korean forms need the morphological analyser (~2 s for the whole taxonomy), so the index is cached per
    taxonomy content and analyser version in the user's cache folder."""
    try:
        from importlib.metadata import version

        analyser = version("kiwipiepy")
    except Exception:
        analyser = "unknown"
    # The key covers the taxonomy, the analyser and the indexing rules, so any change rebuilds the cache.
    rules = ",".join(sorted(AMBIGUOUS_KEYS)) + inspect.getsource(_surface_index)
    digest = hashlib.sha256(source + analyser.encode() + rules.encode()).hexdigest()[:16]
    cache_dir = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "internal-hire"
    cache_file = cache_dir / f"skill-index-{digest}.json"
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
        return data["by_surface"], data["max_tokens"]
    except (OSError, ValueError, KeyError):
        pass
    by_surface, max_tokens = _surface_index(skills)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"by_surface": by_surface, "max_tokens": max_tokens}, ensure_ascii=False),
                       encoding="utf-8")
        tmp.replace(cache_file)
    except OSError:
        pass  # a read-only home only costs the start-up time
    return by_surface, max_tokens


class Taxonomy:
    def __init__(self, skills: list[Skill], source: bytes | None = None):
        self.skills = {s.id: s for s in skills}
        if source is None:
            self.by_surface, self.max_tokens = _surface_index(skills)
        else:
            self.by_surface, self.max_tokens = _cached_surface_index(skills, source)

    def __len__(self) -> int:
        return len(self.skills)

    @cached_property
    def version(self) -> str:
        """A digest of what an index built with this taxonomy depends on (each skill's id and names): a saved search
        index built with another dictionary is rebuilt."""
        digest = hashlib.sha256()
        for sid in sorted(self.skills):
            skill = self.skills[sid]
            digest.update("\x1f".join((sid, skill.en, skill.ko, *skill.aliases, *skill.related)).encode() + b"\x1e")
        return digest.hexdigest()[:16]

    def __contains__(self, skill_id: str) -> bool:
        return skill_id in self.skills

    def get(self, skill_id: str) -> Skill | None:
        return self.skills.get(skill_id)

    def name(self, skill_id: str, lang: str = "en") -> str:
        skill = self.skills.get(skill_id)
        return skill.name(lang) if skill else skill_id

    def related(self, skill_id: str) -> tuple[str, ...]:
        skill = self.skills.get(skill_id)
        return skill.related if skill else ()

    def lookup(self, surface: str) -> str | None:
        """Canonical id for a surface form in either language (k8s, 쿠버네티스 -> kubernetes)."""
        return self.by_surface.get(squash(surface)) or self.by_surface.get(join_key(tokenize_line(surface)))

    def lookup_name(self, name: str) -> str | None:
        """Like lookup, for text that is only a skill's name (a line of a skills list someone typed): there "Go",
        "C" and "R" can only mean the languages, which lookup leaves out because in prose they are everyday words."""
        found = self.lookup(name)
        if found or squash(name) not in AMBIGUOUS_KEYS:
            return found
        return next((s.id for s in self.skills.values() if s.en.lower() == name.strip().lower()), None)

    @classmethod
    def from_file(cls, path: Path) -> "Taxonomy":
        source = Path(path).read_bytes()
        data = json.loads(source.decode("utf-8"))
        skills = [
            Skill(id=s["id"], en=s["en"], ko=s.get("ko", ""), category=s.get("category", "general"),
                  aliases=tuple(s.get("aliases", ())), related=tuple(s.get("related", ())))
            for s in data["skills"]
        ]
        return cls(skills, source)


@lru_cache(maxsize=4)
def load_taxonomy(path: str | None = None) -> Taxonomy:
    return Taxonomy.from_file(Path(path) if path else DEFAULT_TAXONOMY_PATH)
