"""Evidence that is evidence: precision of the quoted line on real resumes.

Builds profiles (the product's own ProfileBuilder, offline) for a seeded sample of the real resumes in
../shared/datasets/livecareer-resumes (read at run time, never copied), takes 100 (skill, quoted line) pairs at
random, and prints them for hand-checking with three automatic checks per pair:

- `names`: the line names the skill (a surface form of it, as the extractor reads lines);
- `title`: the line is a job title, heading or job-entry header (must never be quoted);
- `reused`: the same line is quoted for three or more skills of that person.

A pair is judged correct when a reader of the line alone would agree that it shows the person has or used the skill
(not merely names a word that is also the skill's name, such as "Excel" in "excel at", or lists it in passing in a
title). The sample is drawn by a hash of (seed, resume id, skill id), so changing the extractor re-draws only the
pairs whose line it changed. Hand judgments live in bench/evidence_judgments.json, keyed by resume id, skill id and a hash of the quoted
line (no resume text), so a verdict never carries over to a different line; the precision printed is over the judged
pairs of the sample, and unjudged pairs are listed.

    python -m bench.evidence_precision            # sample, checks, precision from the judgments
    python -m bench.evidence_precision --seed 7   # another sample (judge it before quoting a number)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections import Counter
from pathlib import Path

from bench.bilingual_overlap import _dataset_path, load_dev_records

JUDGMENTS = Path(__file__).parent / "evidence_judgments.json"


def pair_key(rid: str, sid: str, line: str) -> str:
    return f"{rid}|{sid}|{hashlib.sha1(line.encode('utf-8')).hexdigest()[:8]}"


def sample_pairs(seed: int, resumes: int, pairs: int):
    from core.domain import Employee
    from core.profiles import ProfileBuilder
    from core.skills import SkillExtractor, load_taxonomy

    taxonomy = load_taxonomy()
    extractor = SkillExtractor(taxonomy)
    builder = ProfileBuilder(extractor)
    records, category = load_dev_records(_dataset_path())
    rng = random.Random(seed)
    chosen = rng.sample(records, k=min(resumes, len(records)))
    found, stats = [], Counter()
    for record in chosen:
        employee = Employee(id=record["id"], display_name=record["display_name"], resume_text=record["resume_text"])
        profile = builder.build(employee)
        quoted = Counter(s.evidence for s in profile.employee.skills if s.evidence)
        for skill in profile.employee.skills:
            stats["skills"] += 1
            if not skill.evidence:
                stats["title_only"] += 1
                continue
            found.append((record["id"], category[record["id"]], skill.skill_id, skill.evidence, quoted[skill.evidence]))
    # The sample is drawn by a hash of (seed, person, skill), not by shuffling the list, so a change to the extractor
    # only changes the pairs whose quoted line it changed (and those are judged again: the key holds the line's hash).
    found.sort(key=lambda pair: hashlib.sha1(f"{seed}|{pair[0]}|{pair[2]}".encode()).hexdigest())
    return found[:pairs], stats, extractor, taxonomy


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--resumes", type=int, default=200, help="resumes to build profiles for")
    parser.add_argument("--pairs", type=int, default=100)
    args = parser.parse_args(argv)

    from core.skills.extractor import is_title_like

    pairs, stats, extractor, taxonomy = sample_pairs(args.seed, args.resumes, args.pairs)
    judgments = json.loads(JUDGMENTS.read_text(encoding="utf-8")) if JUDGMENTS.exists() else {}
    judged = good = names = titles = reused = 0
    unjudged = []
    for number, (rid, cat, sid, line, times) in enumerate(pairs, start=1):
        has_name = sid in extractor.skills_in_line(line)
        title = is_title_like(line)
        names += has_name
        titles += title
        reused += times >= 3
        key = pair_key(rid, sid, line)
        verdict = judgments.get(key)
        mark = "?" if verdict is None else ("ok" if verdict["ok"] else "NO")
        if verdict is None:
            unjudged.append(key)
        else:
            judged += 1
            good += bool(verdict["ok"])
        why = f"  [{verdict['why']}]" if verdict and verdict.get("why") else ""
        print(f"{number:>3} {mark:>2} {key} {cat:<22} {taxonomy.name(sid, 'en')!r:<32} "
              f"names={'y' if has_name else 'N'} title={'Y' if title else 'n'} quoted_for={times}{why}\n"
              f"        “{line}”")
    n = len(pairs)
    print(f"\nprofiles: {args.resumes} resumes, {stats['skills']} skills, {stats['title_only']} named only in a title "
          f"(shown without a quote)")
    print(f"sample: {n} (skill, line) pairs; line names the skill {names}/{n}; title or heading quoted {titles}/{n}; "
          f"line quoted for 3+ skills {reused}/{n}")
    if judged:
        print(f"evidence precision (hand-judged): {good}/{judged} = {good / judged:.2f}")
    if unjudged:
        print(f"unjudged pairs ({len(unjudged)}): add them to {JUDGMENTS.name}: " + ", ".join(unjudged[:20])
              + (" …" if len(unjudged) > 20 else ""))


if __name__ == "__main__":
    main()
