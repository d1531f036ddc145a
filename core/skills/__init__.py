from core.skills.taxonomy import Skill, Taxonomy, load_taxonomy
from core.skills.extractor import SkillExtractor

__all__ = ["Skill", "Taxonomy", "load_taxonomy", "SkillExtractor"]
