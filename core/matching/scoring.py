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
# The language-neutral channel (core/matching/bridge.py): the request's canonical text against each profile's summary
# (roles, canonical skills, work words, years), both embedded; its share of the semantic part. Summaries are short
# and alike, so their cosines sit higher than raw-text ones: their own range.
W_SUMMARY = 0.5
SUMMARY_FLOOR = 0.2
SUMMARY_CEIL = 0.9
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
