"""One request, the same people, in either language: EN/KO top-10 overlap on the demo and on real resumes.

For each pair of requests that say the same thing in English and in Korean, the share of the ten people shown for
the English request that the Korean one also shows (|top10(en) & top10(ko)| / 10), HR view (no filters).

- Demo: the pairs of bench/eval/queries.json, with nDCG@10 per language against the generator's ground truth.
- Dev set: the pairs of bench/bilingual_pairs.json over the real resumes in ../shared/datasets/livecareer-resumes
  (read at run time, imported into a scratch folder, never copied into the project), with nDCG@10 per language
  where a resume of the pair's category is relevant. `held` pairs never guided the occupation lexicon.

    python -m bench.bilingual_overlap                      # both sets
    python -m bench.bilingual_overlap --only dev --verbose
    python -m bench.bilingual_overlap --dev-dir /tmp/ih-dev  # reuse an imported dev folder (re-imports changes)
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import time
from pathlib import Path

DEFAULT_DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "livecareer-resumes" / "resumes.csv"
PAIRS = Path(__file__).parent / "bilingual_pairs.json"
DEMO_QUERIES = Path(__file__).parent / "eval" / "queries.json"


def overlap(a: list[str], b: list[str], k: int = 10) -> float:
    return len(set(a[:k]) & set(b[:k])) / k


def ndcg(ranked: list[int], n_relevant: int, k: int = 10) -> float:
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(ranked[:k]))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, n_relevant)))
    return dcg / ideal if ideal else 0.0


def _dataset_path() -> Path:
    for candidate in (DEFAULT_DATASET, Path("/work/shared/datasets/livecareer-resumes/resumes.csv")):
        if candidate.exists():
            return candidate
    raise SystemExit(f"the dev set is missing: {DEFAULT_DATASET}")


def load_dev_records(path: Path) -> tuple[list[dict], dict[str, str]]:
    csv.field_size_limit(1 << 30)
    records, category = [], {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = (row.get("Resume_str") or "").strip()
            if not text:
                continue
            eid = f"LC{row['ID']}"
            category[eid] = row["Category"]
            records.append({"id": eid, "display_name": f"Resume {row['ID']}", "title": "", "level": "",
                            "resume_text": text, "role": "employee", "open_to_moves": "yes"})
    return records, category


def build_dev_app(folder: str | None):
    from bench.common import scratch_app
    from core.importer import ImportReport, record_to_employee

    app = scratch_app(folder)
    records, category = load_dev_records(_dataset_path())
    report = ImportReport()
    employees = [(r["id"], record_to_employee(r, None, report)) for r in records]
    started = time.perf_counter()
    app.importer.upsert(employees, report)
    print(f"dev set: {len(records)} resumes ({report.reembedded} analysed in {time.perf_counter() - started:.0f} s)")
    return app, category


def run_pairs(app, pairs: list[tuple[str, str, str, str]], relevant_of, verbose: bool) -> dict:
    """pairs: (pair id, split, English text, Korean text); relevant_of(pair id) -> {id: grade} (grades 0-2)."""
    rows = []
    for pid, split, en, ko in pairs:
        en_ids = [c.employee_id for c in app.matching.search(en, limit=10, lang="en").candidates]
        ko_ids = [c.employee_id for c in app.matching.search(ko, limit=10, lang="ko").candidates]
        grades = relevant_of(pid)
        ideal = sorted(grades.values(), reverse=True)

        def score(ids):
            got = [grades.get(i, 0) for i in ids]
            dcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(got[:10]))
            best = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal[:10]))
            return dcg / best if best else 0.0

        row = (pid, split, overlap(en_ids, ko_ids), score(en_ids), score(ko_ids), en, ko)
        rows.append(row)
        if verbose:
            print(f"  {pid:>5} {split:<4} overlap {row[2]:.1f}  nDCG en {row[3]:.2f} ko {row[4]:.2f}  {en} / {ko}")
    out = {}
    for name, subset in (("all", rows), ("tune", [r for r in rows if r[1] == "tune"]),
                         ("held", [r for r in rows if r[1] == "held"])):
        if subset:
            out[name] = (len(subset), statistics.mean(r[2] for r in subset), statistics.mean(r[3] for r in subset),
                         statistics.mean(r[4] for r in subset))
    return out


def _print(label: str, result: dict) -> None:
    for name, (n, ov, en, ko) in result.items():
        print(f"{label} [{name}] pairs {n}: EN/KO top-10 overlap {ov:.3f}   nDCG@10 en {en:.3f} ko {ko:.3f}")


def demo(args) -> dict:
    from bench.common import scratch_app
    from bench.eval_quality import grade
    from bot.demo import generate_demo_org

    app = scratch_app(args.demo_dir, autoload=True)
    org = generate_demo_org()
    queries = json.loads(DEMO_QUERIES.read_text(encoding="utf-8"))["queries"]
    by_pair: dict[str, dict] = {}
    for q in queries:
        by_pair.setdefault(q["pair"], {})[q["lang"]] = q
    pairs = [(pid, "demo", p["en"]["text"], p["ko"]["text"]) for pid, p in by_pair.items() if "en" in p and "ko" in p]
    result = run_pairs(app, pairs, lambda pid: {eid: grade(t, by_pair[pid]["en"]) for eid, t in org.truth.items()},
                       args.verbose)
    _print("demo", result)
    return result


def dev(args) -> dict:
    app, category = build_dev_app(args.dev_dir)
    spec = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    cat_of = {p["id"]: p["category"] for p in spec}
    pairs = [(p["id"], p["split"], p["en"], p["ko"]) for p in spec]
    result = run_pairs(app, pairs, lambda pid: {eid: 1 for eid, c in category.items() if c == cat_of[pid]},
                       args.verbose)
    _print("dev ", result)
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("demo", "dev"))
    parser.add_argument("--demo-dir", default=None, help="reuse a folder that already holds the demo organisation")
    parser.add_argument("--dev-dir", default=None, help="folder for the imported dev set (reused when it exists)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.only in (None, "demo"):
        demo(args)
    if args.only in (None, "dev"):
        dev(args)


if __name__ == "__main__":
    main()
