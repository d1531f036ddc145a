"""Matching quality on the demo organisation: nDCG@10 for English and Korean queries.

Labels come from the demo generator's ground truth (each employee's job family and specialties) and the criteria in
bench/eval/queries.json, written independently of the ranking code. `--tune` grid-searches the score weights.

    python -m bench.eval_quality            # report with the shipped weights
    python -m bench.eval_quality --tune     # search weights, print the best
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import statistics
from pathlib import Path

from core.matching import scoring

QUERIES = Path(__file__).parent / "eval" / "queries.json"


def grade(truth: dict, query: dict) -> int:
    for level, key in ((2, "relevant"), (1, "partially_relevant")):
        crit = query.get(key)
        if not crit:
            continue
        spec = set(truth["specialties"])
        if crit.get("families") and truth["family"] not in crit["families"]:
            continue
        if not set(crit.get("all_of", [])) <= spec:
            continue
        if crit.get("any_of") and not spec & set(crit["any_of"]):
            continue
        return level
    return 0


def ndcg_at(ranked_grades: list[int], all_grades: list[int], k: int = 10) -> float:
    def dcg(grades):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(all_grades, reverse=True))
    return dcg(ranked_grades) / ideal if ideal else 0.0


def evaluate(app, org, queries: list[dict], k: int = 10) -> dict:
    per_lang: dict[str, list[float]] = {}
    per_query = []
    for q in queries:
        labels = {eid: grade(t, q) for eid, t in org.truth.items()}
        page = app.matching.search(q["text"], limit=k, lang=q["lang"])
        ranked = [labels.get(c.employee_id, 0) for c in page.candidates]
        score = ndcg_at(ranked, list(labels.values()), k)
        per_lang.setdefault(q["lang"], []).append(score)
        per_query.append((q["id"], q["lang"], q["text"], score))
    return {"by_lang": {lang: statistics.mean(v) for lang, v in per_lang.items()}, "per_query": per_query}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=None, help="reuse a folder that already holds the demo organisation")
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--grid-semantic", default="0.2,0.35,0.5,0.65")
    parser.add_argument("--grid-lexical", default="0,0.1,0.2,0.3")
    parser.add_argument("--grid-floor", default="0.05,0.1,0.15")
    parser.add_argument("--grid-ceil", default="0.5,0.6,0.7")
    args = parser.parse_args(argv)

    from bench.common import scratch_app
    from bot.demo import generate_demo_org

    app = scratch_app(args.data_dir, autoload=True)
    org = generate_demo_org()
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]

    if args.tune:
        results = []
        def floats(text):
            return [float(v) for v in text.split(",")]

        grid = itertools.product(floats(args.grid_semantic), floats(args.grid_lexical), floats(args.grid_floor),
                                 floats(args.grid_ceil))
        for w_sem, w_lex, floor, ceil in grid:
            w_sk = 1.0 - w_sem - w_lex
            if w_sk < 0.1:
                continue
            scoring.W_SEMANTIC, scoring.W_LEXICAL, scoring.W_SKILLS = w_sem, w_lex, w_sk
            scoring.SEMANTIC_FLOOR, scoring.SEMANTIC_CEIL = floor, ceil
            r = evaluate(app, org, queries)["by_lang"]
            # Optimise the mean, but penalise a gap between the languages: both must be served equally well.
            objective = (r["en"] + r["ko"]) / 2 - max(0.0, abs(r["en"] - r["ko"]) - 0.02)
            results.append((objective, r["en"], r["ko"], w_sem, w_lex, round(w_sk, 2), floor, ceil))
        results.sort(reverse=True)
        print("objective  en     ko     w_sem w_lex w_skills floor ceil")
        for row in results[:10]:
            print("  ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
        return

    result = evaluate(app, org, queries)
    if args.verbose:
        for qid, lang, text, score in result["per_query"]:
            print(f"{qid:>5} {lang} {score:.3f}  {text}")
    en, ko = result["by_lang"].get("en", 0.0), result["by_lang"].get("ko", 0.0)
    print(f"queries: {len(queries)} ({len(queries) // 2} English/Korean pairs), employees: {len(org.employees)}")
    print(f"weights: semantic {scoring.W_SEMANTIC}, lexical {scoring.W_LEXICAL}, skills {scoring.W_SKILLS}; "
          f"semantic range [{scoring.SEMANTIC_FLOOR}, {scoring.SEMANTIC_CEIL}]")
    print(f"nDCG@10  English {en:.3f}   Korean {ko:.3f}   gap {abs(en - ko):.3f}")


if __name__ == "__main__":
    main()
