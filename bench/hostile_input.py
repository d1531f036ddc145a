"""Hostile input, timed: what a pathological file or message costs before it is processed or refused.

    python -m bench.hostile_input [--repeat 5]

Prints medians for: 1 MB of text redacted (contact details, target <= 1 s; and the whole redaction a model's text
goes through), the 60 KB one-line resume (redaction, and the whole upload analysis offline), a zip-bomb .docx
(refused from its table of contents), a folder import with one bad file of each kind among good ones, and a
90,000-character message (refused at the door). The machine's load average is printed with them.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def median_s(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    from bench.common import scratch_app
    from bot.adapters.documents import document_reader
    from core.documents import DocumentError
    from core.domain import Employee
    from core.resume.redaction import redact_contact_details, redact_for_model
    from handlers.requests import Request
    from tests.hostile import megabyte_text, one_line_resume, zip_bomb_docx

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    app = scratch_app()
    app.extractor.extract_query("워밍업 Kafka")       # the Korean analyser loads outside the timings
    redact_for_model("warm up 김지우 010-1234-5678")

    text = megabyte_text()
    one_line = one_line_resume(1_000_000)
    print(f"1 MB of resume text ({len(text):,} chars, with 5,000-letter runs):")
    print(f"  contact details redacted       {median_s(lambda: redact_contact_details(text), args.repeat):6.2f} s"
          "  (target <= 1 s; a quadratic pattern took 17 s)")
    print(f"  all of redact_for_model        {median_s(lambda: redact_for_model(text), max(1, args.repeat // 2)):6.2f} s")
    print(f"  contact details, one 1 MB line {median_s(lambda: redact_contact_details(one_line), args.repeat):6.2f} s")

    sixty = one_line_resume()
    me = Employee(id="E9999", display_name="Jane Doe")
    print(f"60 KB one-line resume ({len(sixty):,} chars; took 73 s before):")
    print(f"  redact_for_model               {median_s(lambda: redact_for_model(sixty, ['Jane Doe']), args.repeat):6.2f} s")
    pipeline = app.router.resume.pipeline
    print(f"  whole upload analysis, offline {median_s(lambda: pipeline.analyse('cv.txt', sixty.encode(), me, 'en'), max(1, args.repeat // 2)):6.2f} s")

    reader = document_reader()
    bomb = zip_bomb_docx(200)

    def refuse_bomb():
        try:
            reader.read_bytes("cv.docx", bomb)
        except DocumentError as exc:
            assert exc.code == "unpacks_too_large"

    print(f"zip-bomb .docx ({len(bomb) / 1e3:.0f} KB unpacking to 210 MB): refused in "
          f"{median_s(refuse_bomb, args.repeat) * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "res"
        folder.mkdir()
        good = 30
        rows = ["id,display_name,title"] + [f"E{i:04d},Person {i},Engineer" for i in range(good + 3)]
        (folder / "people.csv").write_text("\n".join(rows) + "\n")
        for i in range(good):
            (folder / f"E{i:04d}.txt").write_text(f"Backend engineer {i}\n- Kafka, Java and Kubernetes in production\n")
        (folder / f"E{good:04d}.docx").write_bytes(bomb)                    # zip bomb
        (folder / f"E{good + 1:04d}.pdf").write_bytes(b"%PDF-1.4 garbage")  # damaged
        (folder / f"E{good + 2:04d}.txt").write_text("a" * 200_000)        # over the text cap
        os.symlink("/etc/passwd", folder / "E0107.txt")                     # a link out of the folder
        start = time.perf_counter()
        report = app.importer.import_path(folder)
        elapsed = time.perf_counter() - start
        print(f"folder import: {good} good resumes + 4 bad files in {elapsed:.2f} s: {report.added} added, "
              f"{len(report.rejected)} rejected, {len(report.skipped)} skipped")
        for where, why in [*report.rejected, *report.skipped]:
            print(f"    {where}: {why[:90]}")

    actor = app.store.find_employee("E0000") or next(iter(app.store.list_employees()))
    long_text = "find-candidates " + ("backend engineer kafka " * 4000)[:90_000]
    refused = median_s(lambda: app.router.handle(Request(actor=actor, platform="slack", text=long_text)), args.repeat)
    print(f"90,000-character message refused in {refused * 1000:.1f} ms (took 16 s before)")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    app.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
