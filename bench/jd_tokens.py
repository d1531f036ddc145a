"""Tokens for one custom JD: the prompt as built (core.jd.generation's small context) vs ONE naive prompt holding the
company's full documents and all its past postings plus the request (target: as built <= 40% of naive).

For every prepared company x job family x level of the three demo companies, a custom request is turned into a job
payload by the offline rules, the context is built exactly as the queue handler builds it, and both prompts are
sent by the real GeminiProvider / google-genai client to the local fake server (tests/gemini_fake.py), which counts
what it receives (system instruction + contents: one token per 4 ASCII characters plus one per 1.5 other
characters). Both prompts carry the same system instruction and get the same answer (the template JD, streamed), so
the difference is the context alone. No network; a few seconds.

    python -m bench.jd_tokens
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from pathlib import Path

from core.ai import prompts
from bot.adapters.ai.gemini import GeminiProvider
from core.jd.custom import extract_brief
from core.jd.generation import format_jd_text, generation_context
from core.jd.guardrails import _default_extractor
from core.jd.knowledge import DEMO_COMPANIES_PATH
from core.jd.model import JOB_FAMILIES, JOB_LEVELS, LIST_SECTIONS, SECTIONS, Company, Posting
from core.jd.prepare import STYLES, instant_drafts
from core.jd.service import JdService
from bot.adapters.storage import SqlStore
from tests.gemini_fake import FakeGemini, approx_tokens, chunks

TARGET = 0.40


def request_for(company: Company, family: str, level: str, top_skill: str) -> str:
    fam, lv = JOB_FAMILIES[family], JOB_LEVELS[level]
    years = max(lv.min_years, 1)
    if company.lang == "ko":
        return (f"{company.name} {lv.name('ko')} {fam.name('ko')} 채용 공고 부탁해요. {top_skill} 경험 필수, "
                f"경력 {years}년 이상, 팀과 함께 서비스를 키워 갈 분.")
    return (f"A job posting for a {lv.name('en').lower()} {fam.name('en').lower()} at {company.name}: {top_skill} "
            f"experience required, {years}+ years, someone who grows the product with the team.")


def posting_text(posting: Posting) -> str:
    lines = [posting.title]
    for section in SECTIONS[1:]:
        items = posting.items(section)
        if items:
            lines.append(f"[{section}]")
            lines.extend(f"- {i}" if section in LIST_SECTIONS else i for i in items)
    return "\n".join(lines)


def naive_prompt(company: Company, postings: list[Posting], documents: list[str], request: str,
                 lang: str) -> tuple[str, str]:
    """The same instruction; as context, the company profile, every document whole and every past posting."""
    system, _ = prompts.generate_jd({}, {"sensitive": [e.name for e in company.sensitive_entities]}, lang)
    profile = "\n".join(f"{k}: {v}" for k, v in (("company", company.name), ("about", company.description),
                                                 ("ideal candidate", company.ideal_candidate),
                                                 ("culture", company.culture),
                                                 ("benefits", "; ".join(company.benefits))) if v)
    material = "\n\n".join([profile, *documents, *(posting_text(p) for p in postings)])
    # Not through prompts.as_data: its size limit is part of the design being compared against.
    return system, f"<material>\n{material}\n</material>\n<request>\n{request}\n</request>"


def company_documents(company_id: str) -> list[str]:
    folder = DEMO_COMPANIES_PATH / company_id / "docs"
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*")) if p.suffix in (".md", ".txt")]


async def measure(store, extractor) -> list[dict]:
    rows = []
    with FakeGemini() as fake:
        provider = GeminiProvider("bench-key", base_url=fake.base_url, timeout_s=10, retries=0)
        for company in store.list_companies():
            postings = store.list_postings(company.id)
            documents = company_documents(company.id)
            for family, level, _ in store.prepared_keys(company.id):
                instant = instant_drafts(store, company.id, family, level, extractor=extractor)
                required = instant.skills.get("required") or []
                top = extractor.taxonomy.name(required[0]["id"], company.lang) if required else "SQL"
                request = request_for(company, family, level, top)
                brief = extract_brief(store, request, company.id, family, level, extractor)
                payload = brief.payload()
                lang = instant.lang
                instant = instant_drafts(store, company.id, family, level, notes=request, lang=lang,
                                         extractor=extractor)
                context = generation_context(store, company, payload, instant, extractor, lang)
                answer_text = format_jd_text(instant.drafts[STYLES.index("detailed")])
                fake.default = lambda request, text=answer_text: chunks(*text.split("\n## "))

                fake.reset()
                stream = await provider.generate_jd(payload, context, lang)
                _ = [c async for c in stream]
                built = fake.requests[-1]

                system, content = naive_prompt(company, postings, documents, request, lang)
                fake.reset()
                stream = await provider._stream("generate_jd", system, content, 0.4)
                _ = [c async for c in stream]
                naive = fake.requests[-1]

                b_system, b_content = prompts.generate_jd(payload, context, lang)
                rows.append({
                    "company": company.id, "family": family, "level": level, "lang": lang,
                    "built": built.prompt_tokens, "naive": naive.prompt_tokens,
                    "instruction": approx_tokens(b_system), "request": approx_tokens(context["request"]),
                    "sections": sum(approx_tokens(s["text"]) for s in context["sections"]),
                    "output": approx_tokens(answer_text),
                })
        await provider.aclose()
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args(argv)

    folder = Path(args.data_dir or tempfile.mkdtemp(prefix="ih-bench-jd-tokens-"))
    store = SqlStore.sqlite(folder / "internal_hire.sqlite3")
    store.migrate()
    extractor = _default_extractor()
    service = JdService(store, extractor)
    if not store.list_companies():
        service.load_demo()
    rows = asyncio.run(measure(store, extractor))
    store.close()

    print(f"prompt tokens for one custom JD, as built vs one naive prompt (fake server count), "
          f"{len(rows)} company x family x level cases")
    print(f"{'company':<12} {'family':<22} {'level':<5} {'lang':<4} {'built':>6} {'naive':>6} {'ratio':>6}   "
          f"{'instr':>5} {'docs':>5} {'req':>4}")
    for r in rows:
        print(f"{r['company']:<12} {JOB_FAMILIES[r['family']].en[:22]:<22} {r['level']:<5} {r['lang']:<4} "
              f"{r['built']:>6} {r['naive']:>6} {r['built'] / r['naive']:>6.0%}   {r['instruction']:>5} "
              f"{r['sections']:>5} {r['request']:>4}")
    ratios = [r["built"] / r["naive"] for r in rows]
    totals = [(r["built"] + r["output"]) / (r["naive"] + r["output"]) for r in rows]
    print()
    for company in dict.fromkeys(r["company"] for r in rows):
        mine = [r for r in rows if r["company"] == company]
        print(f"{company:<12} naive prompt {mine[0]['naive']} tokens; built median "
              f"{statistics.median(r['built'] for r in mine):.0f} "
              f"(ratio median {statistics.median(r['built'] / r['naive'] for r in mine):.0%})")
    print(f"prompt ratio: median {statistics.median(ratios):.0%}, worst {max(ratios):.0%} "
          f"(target <= {TARGET:.0%}: {'met' if max(ratios) <= TARGET else 'NOT met'} in every case)")
    print(f"with the answer's own tokens counted too (the same JD either way, median "
          f"{statistics.median(r['output'] for r in rows):.0f}): median {statistics.median(totals):.0%}, "
          f"worst {max(totals):.0%}")


if __name__ == "__main__":
    main()
