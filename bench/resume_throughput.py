"""Resume analysis throughput with the offline provider: uploads (PDF, DOCX, TXT made from demo-organisation resumes
in Korean and English) through ResumePipeline.analyse - read every page -> redact contact and personal details ->
extract skills, roles, education, certifications -> canonical draft. Files are made before the clock starts.

    python -m bench.resume_throughput --n 300
"""
from __future__ import annotations

import argparse
import statistics
import time

from bench.common import peak_rss_mb, percentile

FORMATS = ("pdf", "docx", "txt")
LINES_PER_PAGE = 30


def make_files(n: int, seed: int) -> list[tuple[str, bytes, dict]]:
    from bot.demo import generate_demo_org
    from tests.resume_files import docx_bytes, pdf_bytes

    files = []
    # a few demo profiles are empty on purpose; make enough for n files with text
    records = [r for r in generate_demo_org(size=n + n // 20 + 5, seed=seed).employees if r["resume_text"].strip()]
    for i, record in enumerate(records[:n]):
        kind = FORMATS[i % len(FORMATS)]
        lines = record["resume_text"].splitlines()
        if kind == "pdf":
            pages = [lines[k:k + LINES_PER_PAGE] for k in range(0, len(lines), LINES_PER_PAGE)]
            data = pdf_bytes(pages)
        elif kind == "docx":
            data = docx_bytes(lines)
        else:
            data = record["resume_text"].encode("utf-8")
        files.append((f"{record['id']}.{kind}", data, record))
    return files


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    from core.ai.offline import OfflineProvider
    from core.domain import Employee
    from core.resume.pipeline import ResumePipeline
    from core.skills import SkillExtractor, load_taxonomy

    started = time.perf_counter()
    files = make_files(args.n, args.seed)
    made_s = time.perf_counter() - started
    taxonomy = load_taxonomy()
    extractor = SkillExtractor(taxonomy)
    from bot.adapters.documents import document_reader

    pipeline = ResumePipeline(OfflineProvider(extractor, taxonomy), taxonomy, extractor,   # run_sync, as served
                              documents=document_reader())
    extractor.extract_query("워밍업 Kafka")   # load the Korean analyser outside the timing
    rss_before = peak_rss_mb()

    per_kind: dict[str, list[float]] = {kind: [] for kind in FORMATS}
    skills = 0
    t0 = time.perf_counter()
    for filename, data, record in files:
        employee = Employee(id=record["id"], display_name=record["display_name"])
        t = time.perf_counter()
        draft = pipeline.analyse(filename, data, employee, "en")
        per_kind[filename.rsplit(".", 1)[1]].append(time.perf_counter() - t)
        skills += len(draft.skills)
    total_s = time.perf_counter() - t0

    every = [s for values in per_kind.values() for s in values]
    print(f"made {len(files)} files ({', '.join(f'{len(v)} {k}' for k, v in per_kind.items())}) in {made_s:.1f} s")
    for kind, values in per_kind.items():
        if values:
            ms = [v * 1000 for v in values]
            print(f"  {kind:4} median {statistics.median(ms):6.1f} ms, p99 {percentile(ms, 99):6.1f} ms")
    print(f"all: median {statistics.median(every) * 1000:.1f} ms per file, {len(every) / total_s:.1f} resumes/s, "
          f"{skills / len(every):.1f} skills per resume")
    print(f"peak RSS {peak_rss_mb():.0f} MB (before analysing: {rss_before:.0f} MB)")


if __name__ == "__main__":
    main()
