"""Worst-case wall time of a chat request when Gemini misbehaves (issue 13.19), for the four flows that ask a model
while a person waits: resume analysis, talent chat (two chained calls), a JD section rewrite and a custom JD brief.

The real google-genai client talks to the local fake (tests/gemini_fake.py), which hangs, answers 500 to every
attempt, or sends a body that is not a Gemini response. Settings as in the issue: INTERNAL_HIRE_AI_TIMEOUT=5, three
retries, and the default INTERNAL_HIRE_CHAT_DEADLINE (10 s). `--without-deadline` runs the same with the deadline off
(each call bounded only by its timeout, retries and back-off, as before), to show what the deadline saves.

    python -m bench.ai_faults                       # about 2 minutes (the demo organisation is built once)
    python -m bench.ai_faults --runs 3 --without-deadline
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from cards.text import render_text
from handlers.requests import Request, Upload
from tests.gemini_fake import Behaviour, FakeGemini, error, slow

RESUME = b"Backend Engineer, Demo Corp, 2019 - present\n- Built Kafka event pipelines\n- Ran Kubernetes on AWS\n"
FAULTS = {"hang": lambda: slow(600), "500": lambda: error(500),
          "garbage": lambda: Behaviour(status=200, raw_body="<html>overloaded</html>")}


def final(reply) -> str:
    cards = reply.cards
    for later in reply.updates or ():
        if later is not None:
            cards = later
    return " ".join(render_text(cards)[0].split())


def flows(app):
    hr, manager, employee = (app.store.find_employee(i) for i in ("E0001", "E0002", "E0003"))
    handle = app.router.handle

    def press(card, action_id, form=None):
        button = next(b for b in card.buttons if b.action_id == action_id)
        return handle(Request(actor=hr, platform="local", action_id=action_id, action_value=button.value,
                              form=form or {}))

    def rewrite():
        drafts = handle(Request(actor=hr, platform="local", text="new jd hanbit-pay backend L4"))
        form = press(press(drafts.cards[0], "jd_use").cards[0], "jd_rewrite")
        return lambda: press(form.cards[0], "jd_rewrite_preview", {"section": "summary",
                                                                   "instruction": "make it sparkle"})

    return {
        "resume analysis": lambda: (lambda: handle(Request(actor=employee, platform="local",
                                                           upload=Upload("resume.txt", RESUME)))),
        "talent chat (2 calls)": lambda: (lambda: handle(Request(actor=manager, platform="local",
                                                                  text="who knows Kafka in Seoul?"))),
        "JD section rewrite": rewrite,
        "custom JD brief": lambda: (lambda: handle(Request(actor=hr, platform="local",
                                                           text="custom jd: Hanbit Pay backend engineer L4, Kafka"))),
    }


def make_app(data_dir: Path, autoload: bool = False):
    from bot.bootstrap import build_app, ensure_demo_data
    from bot.settings import load_settings

    app = build_app(load_settings(INTERNAL_HIRE_DATA_DIR=data_dir, INTERNAL_HIRE_DEMO_AUTOLOAD=autoload))
    if autoload:
        ensure_demo_data(app)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="runs per flow and fault (the worst is reported)")
    parser.add_argument("--without-deadline", action="store_true", help="also measure with the deadline off")
    args = parser.parse_args()
    import logging

    logging.basicConfig(level=logging.ERROR)          # each fallback logs a warning: not what is measured here

    modes = [("10 s deadline (default)", "10")] + ([("no deadline", "0")] if args.without_deadline else [])
    with FakeGemini() as fake, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(GEMINI_API_KEY="bench-key", GEMINI_BASE_URL=fake.base_url, INTERNAL_HIRE_AI_TIMEOUT="5",
                          INTERNAL_HIRE_AI_RETRIES="3")
        base = Path(tmp) / "org"
        make_app(base, autoload=True).close()            # the demo organisation, once
        for label, seconds in modes:
            os.environ["INTERNAL_HIRE_CHAT_DEADLINE"] = seconds
            app = make_app(base)
            app.matching.search("Kafka 카프카 backend", limit=1)      # loaded once per process in real use
            print(f"\n{label}: wall time of one request, worst of {args.runs} (seconds)")
            print(f"{'flow':<24}" + "".join(f"{fault:>10}" for fault in FAULTS) + "   plain reason on the card")
            worst = 0.0
            for name, prepare in flows(app).items():
                row, said = [], True
                for fault, behaviour in FAULTS.items():
                    times = []
                    for _ in range(args.runs):
                        request = prepare()
                        fake.reset()
                        fake.enqueue(*[behaviour() for _ in range(40)])
                        started = time.perf_counter()
                        text = final(request())
                        times.append(time.perf_counter() - started)
                        said = said and not any(w in text for w in ("AIError", "Error:", "Exception", "does not fit"))
                    row.append(max(times))
                worst = max(worst, *row)
                print(f"{name:<24}" + "".join(f"{t:>10.1f}" for t in row) + f"   {'yes' if said else 'NO'}")
            print(f"worst case over every flow and fault: {worst:.1f} s")
            app.close()


if __name__ == "__main__":
    main()
