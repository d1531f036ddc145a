"""Company knowledge: importing companies, postings and documents (with per-file, per-line errors), documents kept
by section and retrieved for a job family."""
from __future__ import annotations

import json

import pytest

from core.jd.knowledge import (DEMO_COMPANIES_PATH, SectionRetriever, chunk_document, family_query,
                               import_company_knowledge, load_demo_companies, looks_like_company_knowledge,
                               parse_posting_text, retrieve_sections)
from core.jd.model import JOB_FAMILIES, JOB_LEVELS, find_family, find_level
from bot.adapters.documents import document_reader
from bot.adapters.storage import SqlStore


@pytest.fixture
def store(tmp_path):
    s = SqlStore.sqlite(tmp_path / "kb.sqlite3")
    s.migrate()
    yield s
    s.close()


def test_the_demo_companies_import_with_postings_across_families_and_levels(store):
    report = load_demo_companies(store)
    assert report.rejected == [] and report.companies_added == 3
    assert sorted(report.company_ids) == ["hanbit-pay", "marketon", "pixel-forge"]
    for company in store.list_companies():
        postings = store.list_postings(company.id)
        assert len(postings) >= 5 and len({p.family for p in postings}) >= 3 and len({p.level for p in postings}) >= 2
        assert company.ideal_candidate and company.sensitive_entities and company.benefits
        assert len({c.doc_id for c in store.list_doc_chunks(company.id)}) >= 2
    langs = {p.lang for c in store.list_companies() for p in store.list_postings(c.id)}
    assert langs == {"ko", "en"}
    assert "Import" not in report.summary() and "3 companies (3 new)" in report.summary()
    again = load_demo_companies(store)                            # repeatable: an upsert
    assert again.companies_updated == 3 and again.postings_unchanged == report.postings_added
    assert again.postings_added == 0 and again.rejected == []


def test_a_posting_file_with_front_matter_is_split_into_sections(store):
    load_demo_companies(store)
    posting = store.get_posting("pf-client-2024-l3")                # postings/pf-client-2024-l3.md, Korean headings
    assert (posting.family, posting.level, posting.lang, posting.posted_at) == ("9000007", "L3", "ko", "2024-05-13")
    assert posting.items("requirements") == ["게임 클라이언트 개발 경력 3년 이상", "C#과 Unity 엔진에 대한 깊은 이해",
                                             "모바일 게임 출시 경험"]
    assert posting.items("summary")[0].startswith("Starlight Publishing과 함께")
    parsed = parse_posting_text("## What you'll do\n- Build APIs\n- Run them\n\nQualifications:\n* 3+ years of Go")
    assert parsed == {"responsibilities": ["Build APIs", "Run them"], "requirements": ["3+ years of Go"]}


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_pdf(path, lines):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HYSMyeongJo-Medium"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("HYSMyeongJo-Medium", 11)
    y = 800
    for line in lines:
        c.drawString(50, y, line)
        y -= 16
    c.showPage()
    c.save()


def test_every_bad_record_and_file_is_reported_and_the_rest_is_kept(store, tmp_path):
    root = tmp_path / "companies"
    write(root / "good" / "company.json", json.dumps({"id": "good", "name": "굿컴퍼니", "description": "테스트 회사",
                                                      "sensitive_entities": ["Project X"]}, ensure_ascii=False))
    write(root / "good" / "postings.jsonl", "\n".join([
        json.dumps({"id": "g1", "family": "백엔드", "level": "senior", "title": "백엔드 개발자",
                    "sections": {"requirements": ["Kotlin 5년 이상"]}}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "g2", "family": "astronaut", "level": "L3", "title": "x", "sections": {"requirements": ["y"]}}),
        json.dumps({"id": "g3", "family": "1000230", "level": "L9", "title": "x", "sections": {"requirements": ["y"]}}),
        json.dumps({"id": "g4", "family": "1000230", "level": "L2", "title": "x", "sections": {"perks": ["y"]}}),
        json.dumps({"id": "g5", "family": "1000230", "level": "L2", "title": "FE", "posted_at": "last year",
                    "sections": {"requirements": ["React"]}}),
    ]))
    write(root / "good" / "postings" / "no-front-matter.md", "## What you'll do\n- things")
    write(root / "good" / "postings" / "fe-2024.md", "---\nfamily: Frontend\nlevel: 주니어\ntitle: 프론트엔드 개발자\n---\n"
                                                     "[주요 업무]\n- 웹 개발\n[자격 요건]\n- React 1년 이상\n")
    write(root / "good" / "docs" / "slides.pptx", "binary")
    write(root / "good" / "docs" / "empty.md", "")
    make_pdf(root / "good" / "docs" / "handbook.pdf", ["1. 회사 소개", "굿컴퍼니는 결제 서비스를 만듭니다.",
                                                        "2. 개발 문화", "모든 코드는 리뷰를 거칩니다."])
    write(root / "broken" / "company.json", json.dumps({"id": "broken"}))
    (root / "no-company").mkdir()

    report = import_company_knowledge(store, root, documents=document_reader())
    reasons = dict(report.rejected)
    assert reasons["broken/company.json"] == "company broken: missing name"
    assert reasons["good/postings.jsonl line 2"].startswith("invalid JSON")
    assert "unknown job family 'astronaut'" in reasons["good/postings.jsonl line 3"]
    assert "unknown level 'L9'" in reasons["good/postings.jsonl line 4"]
    assert "unknown section(s) perks" in reasons["good/postings.jsonl line 5"]
    assert "posted_at 'last year' must be a date" in reasons["good/postings.jsonl line 6"]
    assert "front matter" in reasons["good/postings/no-front-matter.md"]
    assert "unsupported document type '.pptx'" in reasons["good/docs/slides.pptx"]
    assert "empty" in reasons["good/docs/empty.md"]
    assert reasons["no-company"] == "no company.json in this folder"
    assert len(report.rejected) == 10
    assert report.companies_added == 1 and report.postings_added == 2 and report.documents == 1
    assert [(p.id, p.family, p.level) for p in store.list_postings("good")] == [("fe-2024", "1000230", "L2"),
                                                                                 ("g1", "1000229", "L4")]
    pdf_chunks = store.list_doc_chunks("good", "handbook.pdf")
    assert [c.heading.split(" > ")[-1] for c in pdf_chunks] == ["1. 회사 소개", "2. 개발 문화"]
    as_json = report.as_dict()
    assert as_json["postings"]["added"] == 2 and len(as_json["rejected"]) == 10
    assert "rejected good/postings.jsonl line 2" in report.summary()


def test_a_json_bundle_imports_companies_postings_and_documents(store, tmp_path):
    bundle = tmp_path / "companies.json"
    bundle.write_text(json.dumps({"companies": [{
        "id": "solo", "name": "Solo Games", "lang": "en", "ideal_candidate": "Players first.",
        "postings": [{"id": "s1", "family": "9000008", "level": "L3", "title": "Game Designer",
                      "text": "## What you'll do\n- Design combat\n## What you'll need\n- 3+ years of game design"}],
        "documents": [{"id": "wiki", "title": "Wiki", "text": "# Wiki\n## Design\nDesigners prototype in the engine."},
                      {"id": "blank", "text": ""}]}]}), encoding="utf-8")
    assert looks_like_company_knowledge(bundle)
    report = import_company_knowledge(store, bundle)
    assert report.companies_added == 1 and report.postings_added == 1 and report.documents == 1
    assert report.rejected == [("companies.json company 1 document 2", "a document needs an id and a non-empty text")]
    assert store.get_posting("s1").items("responsibilities") == ["Design combat"]
    assert store.list_doc_chunks("solo")[0].heading == "Wiki > Design"


def test_what_the_cli_should_route_here(tmp_path):
    assert looks_like_company_knowledge(DEMO_COMPANIES_PATH)
    assert looks_like_company_knowledge(DEMO_COMPANIES_PATH / "marketon")
    people = tmp_path / "people.json"
    people.write_text('{"employees": []}', encoding="utf-8")
    assert not looks_like_company_knowledge(people) and not looks_like_company_knowledge(tmp_path)
    missing = import_company_knowledge(None, tmp_path / "nope")
    assert missing.rejected == [(str(tmp_path / "nope"), "no such file or folder")]


def test_long_documents_are_kept_by_section_with_their_heading_path():
    body = "\n".join(f"문단 {n}: 결제 시스템은 멱등하게 설계합니다." for n in range(80))
    text = ("# 핸드북\n서문입니다.\n## 1. 조직\n### 1.1 결제팀\n결제팀은 결제 API를 만듭니다.\n### 1.2 정산팀\n"
            f"{body}\n제3장 보안\n고객 정보는 분리된 망에서 처리합니다.\n1. 돈이 관련된 코드는 멱등하게 만든다.\n")
    chunks = chunk_document("c", "handbook.md", "핸드북", text, max_chars=600)
    headings = [c.heading for c in chunks]
    assert headings[0] == "핸드북" and headings[1] == "핸드북 > 1. 조직 > 1.1 결제팀"
    long_parts = [c for c in chunks if c.heading == "핸드북 > 1. 조직 > 1.2 정산팀"]
    assert len(long_parts) >= 4 and all(len(c.text) <= 600 for c in long_parts)
    assert "".join(c.text for c in long_parts).count("문단") == 80                  # nothing lost in the cut
    assert headings[-1] == "핸드북 > 제3장 보안"                                       # numbered Korean heading
    assert chunks[-1].text.endswith("1. 돈이 관련된 코드는 멱등하게 만든다.")                # a sentence, not a heading
    assert [c.chunk_no for c in chunks] == list(range(len(chunks)))


def test_sections_are_retrieved_for_a_job_family(store):
    load_demo_companies(store)
    from core.skills import load_taxonomy

    taxonomy = load_taxonomy()
    cases = {("hanbit-pay", "1000242"): "리스크·ML팀", ("hanbit-pay", "1000230"): "프론트엔드팀",
             ("pixel-forge", "9000009"): "Quality assurance", ("marketon", "1000187"): "Growth marketing"}
    for (company, family), expected in cases.items():
        hits = retrieve_sections(store, company, family_query(JOB_FAMILIES[family], JOB_LEVELS["L3"], taxonomy), k=3)
        assert expected in hits[0].chunk.heading, (company, family, [h.chunk.heading for h in hits])
    assert SectionRetriever([]).search("anything") == []


def test_families_and_levels_are_found_by_code_or_name_in_both_languages():
    assert find_family("1000229").en == "Backend developer"
    assert find_family("백엔드").code == find_family("Backend developer").code == "1000229"
    assert find_family("마케팅기획").code == "1000187" and find_family("재무").code == "1000210"
    assert find_family("인사담당자").code == "1000201" and find_family("AI/ML engineer").code == "1000242"
    assert find_family("프론트엔드 개발자").code == "1000230" and find_family("nonsense") is None
    assert {f.code for f in JOB_FAMILIES.values()} >= {"1000201", "1000242", "1000229", "1000230", "1000187", "1000210"}
    assert find_level("시니어").code == "L4" and find_level("senior").code == "L4" and find_level("l2").code == "L2"
    assert find_level("리드").code == "L5" and find_level("intern") is None


def test_the_demo_data_ships_with_the_package():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["core"]
    assert "jd/data/**/*" in globs
    assert DEMO_COMPANIES_PATH.is_dir()
