"""How a match score is made, and what it means.

score (0-100) = 100 * completeness_factor * (W_SEMANTIC * semantic + W_LEXICAL * lexical + W_SKILLS * skills)

- semantic: cosine similarity of the request and the profile embeddings, mapped linearly from
  [SEMANTIC_FLOOR, SEMANTIC_CEIL] onto [0, 1] (below the floor is unrelated text for this embedder).
- lexical: the IDF-weighted share of the request's words that appear in the profile.
- skills: the share of the request's canonical skills the profile shows; a related skill earns RELATED_CREDIT.
  When a request names no canonical skill, its weight is spread over the other two parts.
- completeness_factor: profiles with little text are discounted; a thin profile is capped at THIN_PROFILE_CAP so it
  can never look like a strong match.

Bands: 75+ strong (most requested skills with evidence, close in meaning), 55-74 good, 35-54 partial, below 35 weak.
Weights and the semantic range were chosen with bench/eval_quality.py --tune on the demo organisation's labelled
queries (nDCG@10, English and Korean together); the README quotes the numbers.
"""
from __future__ import annotations

# Measured with `python -m bench.eval_quality --tune` (grid over the four values below, 76 labelled queries):
# the optimum had W_LEXICAL = 0 (nDCG@10 en 0.862 / ko 0.877); 0.05 costs 0.004 and is kept because exact
# wording is the only signal beyond meaning for a request that names no canonical skill.
W_SEMANTIC = 0.35
W_LEXICAL = 0.05
W_SKILLS = 0.60
RELATED_CREDIT = 0.5
SEMANTIC_FLOOR = 0.05
SEMANTIC_CEIL = 0.70

FULL_PROFILE_WORDS = 30     # words of matching text from which a profile counts as complete
THIN_PROFILE_WORDS = 15     # fewer words than this (or no skills at all) is a thin profile
THIN_PROFILE_CAP = 30

BANDS = ((75, "strong"), (55, "good"), (35, "partial"), (0, "weak"))


def related_held(related: tuple[str, ...], held) -> str | None:
    """For a requested skill the profile lacks: the first of its related skills (taxonomy order) that the profile
    has, which earns RELATED_CREDIT; None when there is none. Search explanations and gap analyses share this rule."""
    return next((rel for rel in related if rel in held), None)


def band(score: int) -> str:
    for threshold, name in BANDS:
        if score >= threshold:
            return name
    return "weak"


def semantic_part(cosine):
    """Cosine similarity (a float or a numpy array) mapped onto the semantic part's [0, 1]."""
    import numpy as np

    return np.clip((cosine - SEMANTIC_FLOOR) / (SEMANTIC_CEIL - SEMANTIC_FLOOR), 0, 1)


def fuse(semantic, lexical, skills, completeness, thin, has_skills: bool):
    """The 0-100 score from its parts (floats or numpy arrays of one shape): the one formula behind people search
    and its reverse, openings for a person (core/openings.py). `has_skills`: the request names canonical skills;
    without any, the skills weight is spread over the other two parts."""
    import numpy as np

    if has_skills:
        w_sem, w_lex, w_sk = W_SEMANTIC, W_LEXICAL, W_SKILLS
    else:
        spread = W_SEMANTIC + W_LEXICAL
        w_sem, w_lex, w_sk = W_SEMANTIC / spread, W_LEXICAL / spread, 0.0
    factor = 0.5 + 0.5 * completeness
    final = 100.0 * factor * (w_sem * semantic + w_lex * lexical + w_sk * skills)
    return np.where(thin, np.minimum(final, THIN_PROFILE_CAP), final)
