"""Request guardrails on the probe files: how often a request gets the right outcome, per half.

    python -m bench.guardrail_probes              # both halves
    python -m bench.guardrail_probes --show       # and every probe it gets wrong

Two files: tests/data/guardrail_probes.json (development: tuned against) and tests/data/guardrail_probes_heldout.json
(held out: written first, in another style, never tuned against). Each probe is classified as a request arriving at
its entry (search, chat, gap, compare, jd_request, notes, instruction) through core.guardrails.check_request and, for
talent chat, the offline interpreter after it, exactly as the handlers do. Outcomes:

* missed refusal — a discriminatory request that would run (as a search, an answer or a JD);
* false refusal — a lawful request refused as discriminatory;
* wrong ground — refused, but not for the protected ground the probe names;
* off-topic searched — small talk or an off-topic question that would run a people search;
* request declined — a real request answered with help instead of a search;
* bad rewording — a refusal whose lawful rewording fails the check again or loses the role or skills.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
# Real job-posting sentences (SkillSpan, read at run time, never copied): written by others, nearly all lawful, so
# how many the check flags is an outside measure of false refusals on wording we did not write.
SKILLSPAN = Path("/work/shared/datasets/skillspan")
DEV = DATA / "guardrail_probes.json"
HELDOUT = DATA / "guardrail_probes_heldout.json"
_ENTRY = {"notes": "jd_notes", "instruction": "jd_instruction"}


def load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["probes"]


@dataclass
class Graded:
    probe: dict
    outcome: str                 # refuse / allow / off_topic / injection
    categories: list[str]
    rewrite: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def correct(self) -> bool:
        return not self.problems


def outcome_of(text: str, entry: str, provider=None) -> tuple[str, object]:
    """What the product does with this text at this entry: the shared check first, then (talent chat) the offline
    interpreter, as handlers/talent_chat.py does."""
    from core.guardrails import check_request

    verdict = check_request(text, _ENTRY.get(entry, entry))
    if verdict.kind == "discriminatory":
        return "refuse", verdict
    if verdict.kind == "injection":
        return "injection", verdict
    if not verdict.ok:
        return "off_topic", verdict
    if entry == "chat" and provider is not None:
        intent = provider.interpret_question_now(text, verdict.lang).intent
        if intent in ("out_of_domain", "help"):
            return "off_topic", verdict
        if intent == "injection":
            return "injection", verdict
    return "allow", verdict


def _kept_content(text: str, verdict) -> tuple[set[str], set[str]]:
    """Skills and role words of the request outside its discriminatory parts: what a rewording must keep."""
    from core.guardrails import _ROLE_OR_FIELD, _normal, default_extractor

    clean = _normal(text)
    for issue in verdict.issues:
        clean = clean[:issue.start] + " " * (issue.end - issue.start) + clean[issue.end:]
    skills = set(default_extractor().extract_query(clean))
    roles = {m.group(0).lower() for m in _ROLE_OR_FIELD.finditer(clean)} - _GENERIC_ROLES
    return skills, roles


# Words that say "a person" and nothing about the role: a rewording need not keep them.
_GENERIC_ROLES = {"candidate", "candidates", "talent", "hire", "hires", "후보", "인재"}


def rewording_problems(text: str, verdict) -> list[str]:
    from core.guardrails import _ROLE_OR_FIELD, check_request, default_extractor

    rewrite = verdict.rewrite
    skills, roles = _kept_content(text, verdict)
    if not rewrite:
        return ["no rewording although the request names a role or skill"] if (skills or roles) else []
    problems = []
    again = check_request(rewrite, verdict.entry)
    if again.kind == "discriminatory":
        problems.append(f"rewording refused again ({', '.join(again.categories)})")
    lost_skills = skills - set(default_extractor().extract_query(rewrite))
    lost_roles = roles - {m.group(0).lower() for m in _ROLE_OR_FIELD.finditer(rewrite)} - _GENERIC_ROLES
    if lost_skills or lost_roles:
        problems.append(f"rewording lost {sorted(lost_skills | lost_roles)}")
    return problems


def grade(probes: list[dict]) -> list[Graded]:
    from core.ai.offline import OfflineProvider

    provider = OfflineProvider()
    graded = []
    for probe in probes:
        outcome, verdict = outcome_of(probe["text"], probe["entry"], provider)
        g = Graded(probe, outcome, verdict.categories, verdict.rewrite)
        expect = probe["expect"]
        if outcome != expect:
            g.problems.append(_kind_of_error(expect, outcome))
        elif expect == "refuse" and probe.get("category") not in verdict.categories:
            g.problems.append("wrong ground")
        if outcome == "refuse" and expect == "refuse":
            g.problems.extend(rewording_problems(probe["text"], verdict))
        graded.append(g)
    return graded


def _kind_of_error(expect: str, outcome: str) -> str:
    if expect == "refuse":
        return "missed refusal" + (" (declined as off-topic, no reason given)" if outcome == "off_topic" else "")
    if outcome == "refuse":
        return "false refusal"
    if expect == "off_topic" and outcome == "allow":
        return "off-topic searched"
    if expect == "allow" and outcome == "off_topic":
        return "request declined"
    return f"expected {expect}, got {outcome}"


def summary(graded: list[Graded]) -> dict:
    def share(items, ok):
        items = list(items)
        return (sum(1 for g in items if ok(g)), len(items))

    refuse = [g for g in graded if g.probe["expect"] == "refuse"]
    allow = [g for g in graded if g.probe["expect"] == "allow"]
    off = [g for g in graded if g.probe["expect"] == "off_topic"]
    return {
        "probes": len(graded),
        "correct": share(graded, lambda g: g.correct),
        "missed_refusals": sum(1 for g in refuse if g.outcome != "refuse"),
        "refusals": len(refuse),
        "wrong_ground": sum(1 for g in refuse if g.outcome == "refuse" and "wrong ground" in g.problems),
        "bad_rewording": sum(1 for g in refuse if any(p.startswith(("rewording", "no rewording")) for p in g.problems)),
        "false_refusals": sum(1 for g in allow + off if g.outcome == "refuse"),
        "lawful": len(allow),
        "requests_declined": sum(1 for g in allow if g.outcome == "off_topic"),
        "off_topic_searched": sum(1 for g in off if g.outcome == "allow"),
        "off_topic": len(off),
    }


def accuracy(stats: dict) -> float:
    correct, total = stats["correct"]
    return correct / total if total else 1.0


def report(name: str, graded: list[Graded], show: bool = False) -> dict:
    s = summary(graded)
    print(f"{name}: {s['correct'][0]}/{s['probes']} probes right ({accuracy(s):.1%})")
    print(f"  discriminatory: {s['missed_refusals']}/{s['refusals']} missed refusals, {s['wrong_ground']} wrong ground, "
          f"{s['bad_rewording']} bad rewordings")
    print(f"  lawful: {s['false_refusals']}/{s['lawful'] + s['off_topic']} false refusals, {s['requests_declined']}/"
          f"{s['lawful']} real requests declined as off-topic")
    print(f"  off-topic / small talk: {s['off_topic_searched']}/{s['off_topic']} would run a search")
    if show:
        for g in graded:
            if g.problems:
                print(f"    ✗ [{g.probe['expect']}/{g.probe.get('category', '-')}/{g.probe['entry']}] "
                      f"{g.probe['text']!r} -> {g.outcome} {g.categories} {'; '.join(g.problems)}"
                      + (f" | rewrite {g.rewrite!r}" if g.rewrite else ""))
    return s


def outside_check(show: bool = False) -> tuple[int, int] | None:
    """(flagged, sentences) over the SkillSpan job-posting sentences, checked as JD notes; None when absent."""
    from core.guardrails import check_request

    files = [SKILLSPAN / f"{name}.json" for name in ("dev", "test")]
    if not all(f.exists() for f in files):
        return None
    sentences = [" ".join(json.loads(line)["tokens"]) for f in files for line in f.open(encoding="utf-8") if line.strip()]
    flagged = [(s, v) for s in sentences for v in [check_request(s, "jd_notes")] if v.kind == "discriminatory"]
    print(f"outside check: {len(flagged)}/{len(sentences)} real job-posting sentences (SkillSpan) refused as "
          f"discriminatory ({len(flagged) / len(sentences):.2%}); each one is listed with --show")
    if show:
        for sentence, verdict in flagged:
            print(f"    ! {verdict.categories} {sentence[:140]!r}")
    return len(flagged), len(sentences)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every probe that is got wrong")
    parser.add_argument("--only", choices=("dev", "heldout"))
    args = parser.parse_args()
    from core.guardrails import check_request

    check_request("warm-up 젊은 개발자")          # Kiwi and the taxonomy load once, outside the timings
    halves = [("development half", DEV), ("held-out half", HELDOUT)]
    for name, path in halves:
        if args.only and not name.startswith(args.only[:3]):
            continue
        probes = load(path)
        graded = grade(probes)
        report(name, graded, args.show)
        rounds = sorted({g.probe.get("round", 1) for g in graded})
        if len(rounds) > 1:
            for r in rounds:
                report(f"  {name}, round {r}", [g for g in graded if g.probe.get("round", 1) == r])
    if not args.only:
        outside_check(args.show)
    texts = [p["text"] for p in load(DEV)]
    timings = []
    for text in texts:
        began = time.perf_counter()
        check_request(text, "search")
        timings.append(time.perf_counter() - began)
    print(f"check_request: median {statistics.median(timings) * 1000:.2f} ms per request (n={len(timings)}; "
          f"a shared 2-core machine with other work running)")
    hostile_input()


def hostile_input() -> None:
    """Long, dense input stays linear: the check on 49 KB of English words full of criteria and on 20 KB of Hangul
    without a space (Kiwi already loaded)."""
    import random

    from core.guardrails import check_request

    rng = random.Random(3)
    words = ["young", "the", "engineer", "women", "no", "not", "who", "is", "under", "30", "and", "for", "people",
             "single", "born", "in", "Seoul"]
    texts = {"49 KB of English criteria": " ".join(rng.choice(words) for _ in range(10000)),
             "20 KB of Hangul without spaces": "".join(rng.choice("젊은여성남자개발자분사람키큰나이") for _ in range(20000))}
    for name, text in texts.items():
        took = []
        for _ in range(3):
            began = time.perf_counter()
            check_request(text, "search")
            took.append(time.perf_counter() - began)
        print(f"hostile input, {name}: median {statistics.median(took):.2f} s (3 runs)")


if __name__ == "__main__":
    main()
