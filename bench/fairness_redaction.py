"""False removals of the protected-attribute redaction, measured on real resumes.

Reads /work/shared/datasets/livecareer-resumes/resumes.csv at run time (never copied into the project). For every
resume, the skills the extractor finds before the protected-attribute removal (contact details and names already
removed, as stored) are compared with the skills it finds in the matching text after it. A skill mention lost is a
false removal: protected statements never name a skill, so the target is zero.

    python -m bench.fairness_redaction [--csv PATH] [--limit N] [--examples N]

Prints: resumes, skill mentions before, mentions lost, lines touched, time per resume, and with --examples a few of
the removed phrases by category (for a person to read, not for the repository).
"""
from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

DEFAULT_CSV = Path("/work/shared/datasets/livecareer-resumes/resumes.csv")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--examples", type=int, default=0, help="print this many removed phrases")
    args = parser.parse_args(argv)
    if not args.csv.exists():
        print(f"{args.csv} is not here; nothing to measure.", file=sys.stderr)
        return 2
    csv.field_size_limit(10_000_000)

    from core.fairness import redact_personal_details
    from core.protected import default_redactor
    from core.skills import SkillExtractor, load_taxonomy

    extractor = SkillExtractor(load_taxonomy())
    redactor = default_redactor()
    resumes = 0
    before_total = lost_total = 0
    lines_total = lines_touched = lines_dropped = 0
    lost_by_skill: Counter = Counter()
    examples: list[tuple[str, str]] = []
    times: list[float] = []
    with args.csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row.get("Resume_str") or ""
            if not text.strip():
                continue
            resumes += 1
            # what matching saw before this change: the same redaction without the protected-attribute step
            plain = redact_personal_details(text, protected=False)
            started = time.perf_counter()
            redacted = redact_personal_details(text)
            times.append(time.perf_counter() - started)
            before = {s.skill_id for s in extractor.extract(plain)}
            after = {s.skill_id for s in extractor.extract(redacted)}
            lost = before - after
            before_total += len(before)
            lost_total += len(lost)
            lost_by_skill.update(lost)
            budget = redactor.budget()
            for line in plain.splitlines():
                lines_total += 1
                new = redactor.redact_line(line, budget)
                if new != line.strip().rstrip(".。").strip() and new != line.strip():
                    lines_touched += 1
                    lines_dropped += not new
                    if len(examples) < args.examples:
                        examples.append((line.strip(), new))
            if args.limit and resumes >= args.limit:
                break
    print(f"resumes: {resumes}")
    print(f"skill mentions before the protected-attribute removal: {before_total}")
    print(f"skill mentions lost: {lost_total} ({100 * lost_total / max(1, before_total):.3f}%)")
    if lost_by_skill:
        print("lost skills: " + ", ".join(f"{k} x{v}" for k, v in lost_by_skill.most_common(15)))
    print(f"lines: {lines_total}; changed by the removal: {lines_touched} (dropped whole: {lines_dropped})")
    print(f"redaction time per resume: median {1000 * statistics.median(times):.1f} ms, "
          f"p99 {1000 * sorted(times)[int(0.99 * (len(times) - 1))]:.1f} ms")
    for old, new in examples:
        print(f"  - {old!r}\n    -> {new!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
