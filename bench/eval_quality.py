"""Matching quality, side by side: the demo organisation and the real-resume dev set, our ranker against BM25 alone
and embedding cosine alone on the same requests.

- Demo: the labelled queries in bench/eval/queries.json (labels from the generator's ground truth).
- Dev set: ../shared/datasets/livecareer-resumes (read at run time, imported through the real import path into a
  cached temporary folder: bench/devset.py) with the requests in bench/eval/devset_requests.json. TUNE = intents
  'a' over resume half A; HELD-OUT = intents 'b' over resume half B. Nothing is ever chosen on the held-out half.
- Baselines: "BM25" is plain bm25s over the raw title + resume text (English stemmer and stopwords, default
  parameters), an index per half; "embed" is the cosine of the product's own stored profile vectors.
- Also: EN/KO top-10 overlap of the same intent, strong-band precision on the dev set, the seniority check.

    python -m bench.eval_quality             # the report
    python -m bench.eval_quality --tune      # grid over the fusion on TUNE + demo, prints the best settings
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import statistics
import time
from pathlib import Path

import numpy as np

from core.domain import SearchFilters
from core.matching import lexical, scoring

EVAL = Path(__file__).parent / "eval"
QUERIES = EVAL / "queries.json"
DEV_REQUESTS = EVAL / "devset_requests.json"
SENIORITY = EVAL / "seniority_requests.json"
K = 10


# ---- metrics -----------------------------------------------------------------------------------------------------
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


def ndcg_at(ranked_grades: list[int], all_grades: list[int], k: int = K) -> float:
    def dcg(grades):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(all_grades, reverse=True))
    return dcg(ranked_grades) / ideal if ideal else 0.0


def overlap(a: list[str], b: list[str], k: int = K) -> float:
    return len(set(a[:k]) & set(b[:k])) / k


def mean(values) -> float:
    values = list(values)
    return statistics.mean(values) if values else float("nan")


# ---- the three systems -------------------------------------------------------------------------------------------
class PlainBM25:
    """bm25s with its own tokenizer (English stopwords, Snowball stemmer) over raw text: the keyword baseline."""

    def __init__(self, ids: list[str], texts: list[str]):
        import bm25s
        import Stemmer

        self.ids = ids
        self.stemmer = Stemmer.Stemmer("english")
        self.retriever = bm25s.BM25()
        self.retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, show_progress=False),
                             show_progress=False)

    def rank(self, text: str, k: int = K) -> list[str]:
        import bm25s

        tokens = bm25s.tokenize([text], stopwords="en", stemmer=self.stemmer, return_ids=False, show_progress=False)
        known = [t for t in tokens[0] if t in self.retriever.vocab_dict]
        if not known:   # no word of the request occurs anywhere: no keyword ranking at all
            return []
        scores = self.retriever.get_scores(known)
        return top_ids(self.ids, scores, np.ones(len(self.ids), bool), k)


def top_ids(ids: list[str], scores: np.ndarray, mask: np.ndarray, k: int = K) -> list[str]:
    masked = np.where(mask, scores, -np.inf)
    want = min(k, int(mask.sum()))
    if want <= 0:
        return []
    top = np.argpartition(-masked, want - 1)[:want]
    return [ids[r] for r in sorted(top.tolist(), key=lambda r: (-masked[r], ids[r]))]


def embed_rank(app, text: str, mask: np.ndarray, k: int = K) -> list[str]:
    index = app.matching.index()
    cos = index.vectors @ np.asarray(app.embedder.embed_query(text), dtype=np.float32)
    return top_ids(index.ids, cos, mask & index.has_vector, k)


def ours(app, text: str, lang: str, filters: SearchFilters, k: int = K):
    return app.matching.search(text, filters, limit=k, lang=lang).candidates


# ---- demo --------------------------------------------------------------------------------------------------------
def demo_eval(app, org) -> dict:
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    index = app.matching.index()
    everyone = np.ones(index.n, bool)
    texts = {e["id"]: f"{e.get('title', '')}\n{e.get('resume_text', '')}" for e in org.employees}
    plain = PlainBM25(list(texts), list(texts.values()))
    out = {"ndcg": {}, "tops": {}}
    for q in queries:
        labels = {eid: grade(t, q) for eid, t in org.truth.items()}
        ranked = {"ours": [c.employee_id for c in ours(app, q["text"], q["lang"], SearchFilters())],
                  "BM25": plain.rank(q["text"]), "embed": embed_rank(app, q["text"], everyone)}
        for system, ids in ranked.items():
            out["ndcg"].setdefault((system, q["lang"]), []).append(
                ndcg_at([labels.get(i, 0) for i in ids], list(labels.values())))
            out["tops"].setdefault((system, q["pair"]), {})[q["lang"]] = ids
    return out


def seniority_check(app, org) -> list[tuple[str, float, int]]:
    """(request, share of the top 5 at the asked rank/years or above, how many such people the family has)."""
    from core.domain import level_rank

    requests = json.loads(SENIORITY.read_text(encoding="utf-8"))["requests"]
    level = {e["id"]: level_rank(e.get("level", "")) or 0 for e in org.employees}
    out = []
    for r in requests:
        def ok(eid):
            truth = org.truth.get(eid, {})
            return (level.get(eid, 0) >= r.get("min_rank", 0)) and (truth.get("years", 0) >= r.get("min_years", 0))

        top = [c.employee_id for c in ours(app, r["text"], r["lang"], SearchFilters(), k=5)]
        pool = sum(1 for eid, t in org.truth.items() if t["family"] == r["family"] and ok(eid))
        out.append((r["text"], sum(ok(eid) for eid in top) / max(1, len(top)), pool))
    return out


# ---- dev set -----------------------------------------------------------------------------------------------------
def dev_requests() -> list[dict]:
    out = []
    for r in json.loads(DEV_REQUESTS.read_text(encoding="utf-8"))["requests"]:
        for lang in ("en", "ko"):
            out.append({**r, "lang": lang, "text": r[lang], "split": "tune" if r["intent"] == "a" else "held-out",
                        "half": "A" if r["intent"] == "a" else "B"})
    return out


def dev_grade(category: str, request: dict) -> int:
    return 2 if category == request["category"] else 1 if category in request.get("related", ()) else 0


def dev_eval(app, resumes, splits=("tune", "held-out")) -> dict:
    index = app.matching.index()
    category = {r.id: r.category for r in resumes}
    halves = {h: [r for r in resumes if r.half == h] for h in ("A", "B")}
    plain = {h: PlainBM25([r.id for r in rs], [f"{r.title}\n{r.body}" for r in rs]) for h, rs in halves.items()}
    half_mask = {h: np.array([category.get(i) is not None and i in {r.id for r in rs} for i in index.ids])
                 for h, rs in halves.items()}
    out = {"ndcg": {}, "tops": {}, "strong": {}, "bands": {}}
    for q in dev_requests():
        if q["split"] not in splits:
            continue
        members = halves[q["half"]]
        all_grades = [dev_grade(r.category, q) for r in members]
        cands = ours(app, q["text"], q["lang"], SearchFilters(departments=(f"dev-{q['half']}",)))
        ranked = {"ours": [c.employee_id for c in cands], "BM25": plain[q["half"]].rank(q["text"]),
                  "embed": embed_rank(app, q["text"], half_mask[q["half"]])}
        for system, ids in ranked.items():
            out["ndcg"].setdefault((system, q["split"], q["lang"]), []).append(
                ndcg_at([dev_grade(category.get(i, ""), q) for i in ids], all_grades))
            out["tops"].setdefault((system, q["split"], q["category"] + q["intent"]), {})[q["lang"]] = ids
        for c in cands:
            g = dev_grade(category.get(c.employee_id, ""), q)
            out["bands"].setdefault((c.band, q["split"]), []).append(g)
    return out


# ---- tuning ------------------------------------------------------------------------------------------------------
def collect_signals(app, requests):
    """[(signals, grades per row, lang)] for each request: what fusion settings are evaluated on, without search."""
    out = []
    for q in requests:
        index, sig = app.matching.request_signals(q["text"], q["filters"], q["lang"])
        grades = np.array([q["grade_of"](eid) for eid in index.ids], dtype=np.int8)
        out.append((index, sig, grades, q["lang"]))
    return out


def fused_ndcg(collected) -> dict:
    per_lang: dict[str, list[float]] = {}
    for index, sig, grades, lang in collected:
        fused = scoring.fuse(sig, index.completeness, index.thin)
        masked = np.where(sig.eligible, fused.final, -np.inf)
        top = np.argsort(-masked, kind="stable")[:K]
        per_lang.setdefault(lang, []).append(ndcg_at(grades[top].tolist(), grades[sig.eligible].tolist()))
    return {lang: mean(v) for lang, v in per_lang.items()}


def rrf_ndcg(collected, k_rrf: float = 60.0) -> dict:
    """Reciprocal-rank fusion of the three signals (the rank-based alternative), for comparison."""
    per_lang: dict[str, list[float]] = {}
    for index, sig, grades, lang in collected:
        eligible = sig.eligible
        total = np.zeros(index.n, dtype=np.float64)
        for signal in (sig.cosine, sig.bm25) + ((sig.skills,) if sig.has_skills else ()):
            order = np.argsort(-np.where(eligible, signal, -np.inf), kind="stable")
            ranks = np.empty(index.n)
            ranks[order] = np.arange(index.n)
            total += 1.0 / (k_rrf + ranks)
        total *= sig.seniority
        top = np.argsort(-np.where(eligible, total, -np.inf), kind="stable")[:K]
        per_lang.setdefault(lang, []).append(ndcg_at(grades[top].tolist(), grades[eligible].tolist()))
    return {lang: mean(v) for lang, v in per_lang.items()}


def tune(demo_app, org, dev_app, resumes, args) -> None:
    category = {r.id: r.category for r in resumes}
    demo_qs = [{"text": q["text"], "lang": q["lang"], "filters": SearchFilters(),
                "grade_of": (lambda q: lambda eid: grade(org.truth[eid], q) if eid in org.truth else 0)(q)}
               for q in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]]
    dev_qs = [{"text": q["text"], "lang": q["lang"], "filters": SearchFilters(departments=("dev-A",)),
               "grade_of": (lambda q: lambda eid: dev_grade(category.get(eid, ""), q))(q)}
              for q in dev_requests() if q["split"] == "tune"]
    floats = lambda text: [float(v) for v in text.split(",")]   # noqa: E731
    rows = []
    for w_title, w_skills in itertools.product(floats(args.grid_title), floats(args.grid_skills_field)):
        lexical.W_TITLE, lexical.W_SKILLS = w_title, w_skills
        for app in (demo_app, dev_app):
            app.matching._index = None
        started = time.perf_counter()
        demo_sig, dev_sig = collect_signals(demo_app, demo_qs), collect_signals(dev_app, dev_qs)
        print(f"field weights title {w_title} skills {w_skills}: signals in {time.perf_counter() - started:.0f} s",
              flush=True)
        d, v = rrf_ndcg(demo_sig), rrf_ndcg(dev_sig)
        print(f"  rank fusion (RRF k=60): demo en {d['en']:.3f} ko {d['ko']:.3f}, tune en {v['en']:.3f} "
              f"ko {v['ko']:.3f}", flush=True)
        for w_sem, w_lex, floor, ceil, cov, w_sum in itertools.product(
                floats(args.grid_semantic), floats(args.grid_lexical), floats(args.grid_floor), floats(args.grid_ceil),
                floats(args.grid_coverage), floats(args.grid_summary)):
            scoring.COVERAGE_FULL, scoring.W_SUMMARY = cov, w_sum
            w_sk = round(1.0 - w_sem - w_lex, 3)
            if w_sk < 0:
                continue
            scoring.W_SEMANTIC, scoring.W_LEXICAL, scoring.W_SKILLS = w_sem, w_lex, w_sk
            scoring.SEMANTIC_FLOOR, scoring.SEMANTIC_CEIL = floor, ceil
            d, v = fused_ndcg(demo_sig), fused_ndcg(dev_sig)
            objective = statistics.mean([d["en"], d["ko"], v["en"], v["ko"]])
            rows.append((objective, d["en"], d["ko"], v["en"], v["ko"], w_title, w_skills, w_sem, w_lex, w_sk,
                         floor, ceil, cov, w_sum))
    rows.sort(reverse=True)
    print("objective demo-en demo-ko tune-en tune-ko | title skills-field w_sem w_lex w_skills floor ceil coverage "
          "w_summary")
    for row in rows[:15]:
        print("  ".join(f"{v:.3f}" for v in row[:5]), "|", "  ".join(str(v) for v in row[5:]))


# ---- report ------------------------------------------------------------------------------------------------------
def report(demo, dev, seniority, splits=("tune", "held-out")) -> None:
    systems = ("ours", "BM25", "embed")
    print("\nnDCG@10                      " + "  ".join(f"{s:>6}" for s in systems))
    for lang in ("en", "ko"):
        print(f"  demo            {lang}          " + "  ".join(f"{mean(demo['ndcg'][(s, lang)]):6.3f}" for s in systems))
    for split in splits:
        for lang in ("en", "ko"):
            print(f"  dev {split:<9}   {lang}          "
                  + "  ".join(f"{mean(dev['ndcg'][(s, split, lang)]):6.3f}" for s in systems))
    if "held-out" not in splits:
        print("  (held-out half not evaluated: --tune-half-only)")
    else:
        held_out_target(dev, systems)
    _report_rest(demo, dev, seniority, systems, splits)


def held_out_target(dev, systems) -> None:
    ho = {s: mean(dev["ndcg"][(s, "held-out", "en")]) for s in systems}
    ho_ko = mean(dev["ndcg"][("ours", "held-out", "ko")])
    print(f"  held-out target: ours EN {ho['ours']:.3f} vs max(BM25, embed) + 0.03 = "
          f"{max(ho['BM25'], ho['embed']) + 0.03:.3f} -> {'met' if ho['ours'] >= max(ho['BM25'], ho['embed']) + 0.03 else 'NOT met'}; "
          f"KO {ho_ko:.3f} (gap {ho['ours'] - ho_ko:+.3f}, target <= 0.03)")


def _report_rest(demo, dev, seniority, systems, splits) -> None:
    print("\nEN/KO top-10 overlap (same intent)  " + "  ".join(f"{s:>6}" for s in systems))
    print("  demo                              " + "  ".join(
        f"{mean(overlap(v['en'], v['ko']) for (sys_, _), v in demo['tops'].items() if sys_ == s and len(v) == 2):6.3f}"
        for s in systems))
    for split in splits:
        print(f"  dev {split:<9}                     " + "  ".join(
            f"{mean(overlap(v['en'], v['ko']) for (sys_, sp, _), v in dev['tops'].items() if sys_ == s and sp == split):6.3f}"
            for s in systems))

    print("\nBands on the dev set (our top 10 of every request): share relevant (same category) / relevant or related")
    for band_name in ("strong", "good", "partial", "weak"):
        for split in splits:
            grades = dev["bands"].get((band_name, split), [])
            if grades:
                print(f"  {band_name:<8} {split:<9} n={len(grades):4d}  {mean(g == 2 for g in grades):.2f} / "
                      f"{mean(g >= 1 for g in grades):.2f}")

    print("\nSeniority (demo): share of the top 5 at the asked level/years or above")
    for text, share, pool in seniority:
        print(f"  {share:4.0%}  (family has {pool:3d} such people)  {text}")
    qualifying = [share for _, share, pool in seniority if pool >= 5]
    print(f"  mean over {len(qualifying)} requests with >= 5 such people: {mean(qualifying):.0%} (target >= 90%)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=None, help="reuse a folder that already holds the demo organisation")
    parser.add_argument("--demo-only", action="store_true", help="skip the dev set")
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--tune-half-only", action="store_true",
                        help="evaluate the dev set's TUNE half only (while working on the ranking: the held-out half "
                             "is looked at once, at the end)")
    parser.add_argument("--feedback", action="store_true", help="nDCG@10 from the 👍/👎 and moves recorded in the "
                        "data folder (--data-dir, default: as configured), re-run through today's ranker")
    parser.add_argument("--grid-semantic", default="0.2,0.3,0.4,0.5")
    parser.add_argument("--grid-lexical", default="0.2,0.3,0.4,0.5,0.6")
    parser.add_argument("--grid-floor", default="0.05,0.15")
    parser.add_argument("--grid-ceil", default="0.6,0.7")
    parser.add_argument("--grid-coverage", default="0,0.5,0.8,1.0")
    parser.add_argument("--grid-summary", default="0,0.3,0.5,0.7,1.0", help="W_SUMMARY: the summaries' share of meaning")
    parser.add_argument("--grid-title", default=str(lexical.W_TITLE))
    parser.add_argument("--grid-skills-field", default=str(lexical.W_SKILLS))
    parser.add_argument("--ann-from", type=int, default=None, metavar="N",
                        help="search through the in-process HNSW graph from N profiles on (INTERNAL_HIRE_ANN_MIN_PROFILES; "
                             "1 = always), every request through the graph however few people its filters leave")
    args = parser.parse_args(argv)
    if args.ann_from is not None:
        import os

        from core.matching import ann

        os.environ["INTERNAL_HIRE_ANN_MIN_PROFILES"] = str(args.ann_from)
        ann.EXACT_ELIGIBLE_ROWS = 0

    from bench.common import scratch_app
    from bot.demo import generate_demo_org

    if args.feedback:                    # judgements users recorded: bench/eval_feedback.py
        from bench.eval_feedback import open_data, run

        raise SystemExit(run(open_data(args.data_dir)))

    demo_app = scratch_app(args.data_dir, autoload=True)
    org = generate_demo_org()
    dev_app, resumes = (None, None)
    if not args.demo_only:
        from bench.devset import build_app

        dev_app, resumes = build_app()
    if args.tune:
        tune(demo_app, org, dev_app, resumes, args)
        return
    demo = demo_eval(demo_app, org)
    seniority = seniority_check(demo_app, org)
    if dev_app is None:
        for lang in ("en", "ko"):
            print(f"demo {lang}: " + "  ".join(f"{s} {mean(demo['ndcg'][(s, lang)]):.3f}" for s in ("ours", "BM25", "embed")))
        return
    splits = ("tune",) if args.tune_half_only else ("tune", "held-out")
    dev = dev_eval(dev_app, resumes, splits)
    print(f"demo: {len(org.employees)} employees, {len(json.loads(QUERIES.read_text())['queries'])} queries; "
          f"dev set: {len(resumes)} resumes (A {sum(r.half == 'A' for r in resumes)}, B "
          f"{sum(r.half == 'B' for r in resumes)}), {len(dev_requests())} requests")
    print(f"fusion: semantic {scoring.W_SEMANTIC}, lexical {scoring.W_LEXICAL}, skills {scoring.W_SKILLS}; "
          f"semantic range [{scoring.SEMANTIC_FLOOR}, {scoring.SEMANTIC_CEIL}]; BM25 fields title {lexical.W_TITLE}, "
          f"skills {lexical.W_SKILLS}, resume {lexical.W_RESUME}")
    report(demo, dev, seniority, splits)


if __name__ == "__main__":
    main()
