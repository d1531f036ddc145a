"""Custom JDs with the model: the real google-genai client against the local fake Gemini server (tests/gemini_fake.py).
Streaming into sections, progress per section, guardrails on the model's output, retries, timeouts, one-section
rewrites, model-read briefs and the daily token budget."""
from __future__ import annotations

import shutil
import json
import time

import pytest

from bot.adapters.ai.gemini import GeminiProvider
from core.ai.offline import OfflineProvider
from core.ai.provider import ResilientProvider
from core.ai.runner import run_sync
from core.ai.usage import UsageLedger
from core.jd.generation import JdStreamParser, budget_ok, generation_context, parse_jd_text, utc_day
from core.jd.guardrails import _default_extractor, leaks
from core.jd.model import SECTIONS, JdDraft
from core.jd.prepare import instant_drafts
from core.jd.service import JdService
from bot.adapters.storage import SqlStore
from tests.gemini_fake import answer, chunks, error, slow

KEY = "jd-generation-test-key"
REQUEST = "한빛페이 시니어 백엔드 개발자, Kafka 필수, 정산 시스템 경험 우대, 경력 7년 이상"

# A plausible streamed answer, cut mid-section the way a stream arrives. It mentions two of the company's sensitive
# entities and an e-mail address, which must never reach the stored draft.
GENERATED = [
    "## title\n시니어 백엔드 개발자\n\n## summary\n한빛페이의 결제와 정산을 ",
    "책임질 시니어 백엔드 개발자를 찾습니다. Project Aurora 출시를 함께 준비합니다. 문의는 recruit.kim@hanbitpay.co.kr 로 "
    "주세요.\n\n## responsibilities\n- 결제 승인·취소·환불 코어 API 설계 및 개발\n- Kafka 기반 이벤트 파이프라인 설계\n",
    "- 모네타 정산 시스템 운영\n\n## requirements\n- 관련 경력 7년 이상\n- Kafka 운영 경험\n\n## preferred\n"
    "- 정산 시스템 경험\n",
    "## benefits\n- 자율 출퇴근제와 주 2회 재택근무\n\n## ideal_candidate\n고객의 돈을 다룬다는 책임감을 갖고 "
    "문제를 끝까지 파고드는 분을 찾습니다.\n",
]
SENSITIVE = ("Project Aurora", "오로라 프로젝트", "대한글로벌은행", "Moneta", "모네타", "FDS-Sentinel")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The three demo companies imported and prepared once; each test works on a copy."""
    folder = tmp_path_factory.mktemp("jd-generation")
    store = SqlStore.sqlite(folder / "db.sqlite3")
    store.migrate()
    JdService(store).load_demo()
    store.close()
    return folder / "db.sqlite3"


@pytest.fixture
def store(seeded, tmp_path):
    path = tmp_path / "db.sqlite3"
    shutil.copy(seeded, path)
    store = SqlStore.sqlite(path)
    yield store
    store.close()


@pytest.fixture(scope="module")
def extractor():
    return _default_extractor()


@pytest.fixture
def make_gemini(gemini_fake, store):
    """GeminiProvider on the real client, its usage persisted in the store as the app does (bot/bootstrap.py)."""
    made = []

    def make(**kw):
        ledger = UsageLedger(sink=lambda row: store.add_ai_usage(row.day, row.model, row.task, row.prompt_tokens,
                                                                 row.output_tokens, row.cached))
        options = dict(base_url=gemini_fake.base_url, timeout_s=5, retries=2, backoff_s=0.01, max_backoff_s=0.05,
                       ledger=ledger)
        options.update(kw)
        provider = GeminiProvider(KEY, **options)
        made.append(provider)
        return provider

    yield make
    for provider in made:
        run_sync(provider.aclose(), timeout=5)


def service_with(store, extractor, provider, **kw) -> JdService:
    return JdService(store, extractor, ResilientProvider(provider, OfflineProvider(extractor)), **kw)


def record_progress(store, monkeypatch) -> list[tuple[float, dict]]:
    """Every progress write of a job, with when it happened (the job row keeps only the latest)."""
    writes: list[tuple[float, dict]] = []
    original = store.set_job_progress

    def recording(job_id, worker_id, progress):
        writes.append((time.monotonic(), progress))
        return original(job_id, worker_id, progress)

    monkeypatch.setattr(store, "set_job_progress", recording)
    return writes


def contents_of(request) -> str:
    """What the request sends besides the system instruction: the material and the user's text."""
    return "\n".join(part.get("text", "") for content in request.body["contents"] for part in content["parts"])


# ---- the streamed format ----------------------------------------------------------------------------------------------
async def test_generate_jd_streams_sections_that_parse_into_a_draft(gemini_fake, make_gemini, store, extractor):
    payload = service_with(store, extractor, make_gemini()).brief(REQUEST).payload()
    instant = instant_drafts(store, "hanbit-pay", "1000229", "L4", notes=REQUEST, lang="ko", extractor=extractor)
    context = generation_context(store, store.get_company("hanbit-pay"), payload, instant, extractor, "ko")
    gemini_fake.reset()
    gemini_fake.enqueue(chunks(*GENERATED))

    stream = await make_gemini().generate_jd(payload, context, "ko")
    parser, completed = JdStreamParser(), []
    async for chunk in stream:
        completed.append(parser.feed(chunk))
    completed.append(parser.finish())

    # each section is known complete as soon as the next heading arrives, not at the end of the stream
    assert completed == [["title"], ["summary"], ["responsibilities", "requirements"], ["preferred", "benefits"],
                         ["ideal_candidate"]]
    values = parser.values()
    assert values["title"] == "시니어 백엔드 개발자"
    assert values["summary"].startswith("한빛페이의 결제와 정산을 책임질")          # a sentence split across chunks
    assert values["responsibilities"][2] == "모네타 정산 시스템 운영"
    assert values["requirements"] == ["관련 경력 7년 이상", "Kafka 운영 경험"]
    assert stream.source == "gemini" and stream.model == "gemini-3.8-flash"        # the strong tier

    (request,) = gemini_fake.requests
    assert request.action == "streamGenerateContent" and request.model == "gemini-3.8-flash"
    sent = contents_of(request)
    # the small context: skill shares, mined responsibilities, retrieved sections, the request...
    assert "카프카 100%" in sent and "결제플랫폼팀" in sent and "Kafka 필수" in sent
    # ...never whole postings, and no sensitive entity (replaced by its generic name before sending)
    assert "하루 수백만 건의 거래를 정산하는" not in sent
    assert not [name for name in SENSITIVE if name in sent] and "제휴 금융기관" in sent
    # the confidential names never leave, not even as a list of what is forbidden
    assert not [name for name in SENSITIVE if name in request.prompt_text]
    assert "internal code names" in request.prompt_text


def test_the_parser_tolerates_what_models_do():
    text = ("Sure, here is the posting.\n"
            "## Title\n**Senior Backend Engineer**\n"
            "## 자격 요건\n- Kafka\n### Tech stack\n* Kotlin\n1. MySQL\n"
            "**preferred**\n- Kubernetes\n"
            "## Notes for HR\n"
            "## summary\nWe build payments.\nAt scale.")            # no newline at the end
    values = parse_jd_text(text)
    assert values == {"title": "Senior Backend Engineer", "summary": "We build payments. At scale.",
                      "requirements": ["Kafka", "Kotlin", "MySQL"], "preferred": ["Kubernetes"]}
    assert parse_jd_text("no headings at all") == {}


async def test_offline_jd_tasks_are_the_template_code(store, extractor):
    """Offline (and behind Gemini as its fallback) the three JD tasks give what the JD flow gives without a model."""
    offline = OfflineProvider(extractor)
    instant = instant_drafts(store, "hanbit-pay", "1000229", "L4", lang="ko", extractor=extractor)
    payload = {"company_id": "hanbit-pay", "family": "1000229", "level": "L4", "brief": REQUEST, "lang": "ko"}
    context = generation_context(store, store.get_company("hanbit-pay"), payload, instant, extractor, "ko")
    stream = await offline.generate_jd(payload, context, "ko")
    parts = [chunk async for chunk in stream]
    assert len(parts) == len(SECTIONS) and stream.source == "offline"         # one chunk per section, like a model
    detailed = instant.drafts[1]
    assert parse_jd_text(stream.text) == {s: getattr(detailed, s) for s in SECTIONS if getattr(detailed, s)}

    assert "Kafka" in detailed.section_text("requirements")
    shorter = await offline.rewrite_section("requirements", detailed.section_text("requirements"), "Kafka 빼줘",
                                            {}, "ko")
    assert shorter.source == "offline" and "Kafka" not in shorter.value and "카프카" not in shorter.value
    assert shorter.value.startswith("- ")

    read = await offline.rewrite_request(REQUEST, "ko", store.list_companies())
    assert (read.value.company, read.value.family, read.value.level, read.value.years) == ("hanbit-pay", "1000229",
                                                                                         "L4", 7)
    assert "카프카" in read.value.skills and read.source == "offline"


# ---- the queued job -----------------------------------------------------------------------------------------------------
def test_progress_is_recorded_per_section_as_the_stream_arrives(gemini_fake, make_gemini, store, extractor,
                                                                monkeypatch):
    service = service_with(store, extractor, make_gemini())
    job_id = service.submit_custom(service.brief(REQUEST), "E0001").job_id
    gemini_fake.reset()
    gemini_fake.enqueue(chunks(*GENERATED, chunk_delay_s=0.2))
    writes = record_progress(store, monkeypatch)

    job = service.worker().run_once()

    assert job.id == job_id and job.status == "done"
    assert [p["sections"] for _, p in writes] == [list(SECTIONS[:n]) for n in range(1, len(SECTIONS) + 1)]
    assert writes[0][1]["draft"] == {"title": "시니어 백엔드 개발자"} and writes[0][1]["source"] == "gemini"
    assert writes[2][1]["draft"]["responsibilities"][0] == "결제 승인·취소·환불 코어 API 설계 및 개발"
    # the first sections were recorded while the rest was still being generated
    assert writes[-1][0] - writes[0][0] >= 0.4
    result = job.result
    assert result["source"] == "gemini" and result["model"] == "gemini-3.8-flash"
    assert result["filled_from_template"] == [] and "degraded" not in result
    draft = JdDraft.from_dict(result["draft"])
    assert draft.style == "custom" and draft.source == "gemini" and draft.requirements[1] == "Kafka 운영 경험"
    used = {row["task"]: row for row in store.ai_usage(utc_day())}
    assert used["generate_jd"]["prompt_tokens"] == gemini_fake.requests[0].prompt_tokens > 0
    assert service.queue.pending_notifications()[0].id == job_id        # the completion card goes out as offline


def test_sensitive_entities_and_personal_data_in_the_output_never_reach_the_stored_draft(
        gemini_fake, make_gemini, store, extractor, monkeypatch):
    service = service_with(store, extractor, make_gemini())
    service.submit_custom(service.brief(REQUEST), "E0001")
    gemini_fake.enqueue(chunks(*GENERATED))
    writes = record_progress(store, monkeypatch)

    result = service.worker().run_once().result
    # the sections shown live while the job runs are scrubbed too
    assert writes and not any(name in json.dumps(p, ensure_ascii=False) for _, p in writes
                              for name in ("Project Aurora", "Aurora", "모네타", "recruit.kim@"))

    draft = JdDraft.from_dict(result["draft"])
    company = store.get_company("hanbit-pay")
    assert leaks(draft, company) == []
    rendered = draft.render()
    assert "Aurora" not in rendered and "모네타" not in rendered and "recruit.kim@" not in rendered
    assert "차세대 결제 플랫폼 출시를 함께 준비합니다." in draft.summary           # replaced by the generic name
    assert "정산 시스템 운영" in draft.responsibilities                     # "모네타 정산 시스템": already generic
    kinds = {(f["kind"], f["text"], f["action"]) for f in result["findings"]}
    assert ("sensitive_entity", "Project Aurora", "replaced") in kinds and ("sensitive_entity", "모네타", "replaced") in kinds
    assert any(f["kind"] == "personal_data" and f["action"] == "removed" for f in result["findings"])


def test_a_429_is_retried_and_the_model_still_writes_the_jd(gemini_fake, make_gemini, store, extractor):
    service = service_with(store, extractor, make_gemini())
    service.submit_custom(service.brief(REQUEST), "E0001")
    gemini_fake.reset()
    gemini_fake.enqueue(error(429, retry_after=0.01), chunks(*GENERATED))

    result = service.worker().run_once().result

    assert [r.action for r in gemini_fake.requests] == ["streamGenerateContent"] * 2
    assert result["source"] == "gemini" and result["note"] == "" and "degraded" not in result


def test_a_timeout_gives_the_template_draft_with_a_note(gemini_fake, make_gemini, store, extractor):
    service = service_with(store, extractor, make_gemini(timeout_s=0.3, retries=0))
    job_id = service.submit_custom(service.brief(REQUEST), "E0001").job_id
    gemini_fake.enqueue(slow(5, chunks(*GENERATED)))

    started = time.perf_counter()
    result = service.worker().run_once().result
    assert time.perf_counter() - started < 4

    assert result["source"] == "template" and result["degraded"] == "unavailable"
    assert "AIError" in result["note"] and "no answer from Gemini after" in result["note"]   # the log's, not the card's
    assert result["reason"]["kind"] == "timeout" and result["reason"]["model"] == "gemini-3.8-flash"   # the card's
    from handlers.messages import ai_reason, t
    from core.ai.provider import FallbackReason

    said = t("jd_template_because", "en", why=ai_reason(FallbackReason(**result["reason"]), "en"))
    assert said.startswith("Built from templates: the AI service did not answer within 0.")
    # exactly what the offline handler builds for the same job
    again = service.submit_custom(service.brief(REQUEST), "E0001").job_id
    offline = service.offline_worker().run_once()
    assert offline.id == again and job_id != again
    assert result["draft"] == offline.result["draft"] and JdDraft.from_dict(result["draft"]).source == "template"


def test_a_stream_that_breaks_midway_keeps_its_sections_and_fills_the_rest(gemini_fake, make_gemini, store,
                                                                         extractor):
    service = service_with(store, extractor, make_gemini(timeout_s=0.5))
    service.submit_custom(service.brief(REQUEST), "E0001")
    gemini_fake.enqueue(chunks(GENERATED[0] + "\n## responsibilities\n- 결제 API 설계\n", "late", chunk_delay_s=5))

    result = service.worker().run_once().result

    draft = JdDraft.from_dict(result["draft"])
    assert result["source"] == "gemini" and "AIError" in result["note"]
    assert draft.title == "시니어 백엔드 개발자" and draft.responsibilities == ["결제 API 설계"]
    assert result["filled_from_template"] == ["requirements", "preferred", "benefits", "ideal_candidate"]
    assert draft.benefits and draft.requirements                              # from the template, not empty


# ---- one section, one request ---------------------------------------------------------------------------------------------
def test_rewrite_section_sends_only_that_section(gemini_fake, make_gemini, store, extractor):
    service = service_with(store, extractor, make_gemini())
    instant = service.instant_drafts("hanbit-pay", "1000229", "L4", lang="ko")
    draft = instant.drafts[1]
    gemini_fake.enqueue(answer("## summary\n결제와 정산의 신뢰를 함께 지킬 시니어 백엔드 개발자를 기다립니다."))

    change = service.rewrite_section(draft, "summary", "좀 더 따뜻하고 친근한 말투로", material=instant.material)

    assert change.after.summary == "결제와 정산의 신뢰를 함께 지킬 시니어 백엔드 개발자를 기다립니다."
    assert [d.section for d in change.diffs] == ["summary"] and change.understood
    assert all(getattr(change.after, s) == getattr(draft, s) for s in SECTIONS if s != "summary")
    (request,) = gemini_fake.requests
    assert request.action == "generateContent" and request.model == "gemini-3.5-flash-lite"    # the fast tier
    sent = request.prompt_text
    assert draft.summary[:40] in sent and "따뜻하고 친근한" in sent
    others = [line for s in ("responsibilities", "requirements", "preferred", "benefits") for line in getattr(draft, s)]
    others += [draft.ideal_candidate]
    assert others and [line for line in others if line in sent] == []

    # an instruction the offline rules carry out in full costs no request at all
    kept = service.rewrite_section(draft, "requirements", "Kafka 빼줘")
    assert kept.understood and len(gemini_fake.requests) == 1


def test_a_brief_read_by_the_model_is_confirmed_before_anything_is_queued(gemini_fake, make_gemini, store,
                                                                        extractor):
    service = service_with(store, extractor, make_gemini())
    gemini_fake.enqueue(answer({
        "company": "한빛페이", "family": "백엔드 개발자", "level": "시니어", "skills": ["Kafka", "Kubernetes"],
        "team": "정산플랫폼팀", "product_area": "소상공인 정산", "years": 7,
        "rewritten": "한빛페이 정산플랫폼팀 시니어 백엔드 개발자: Kafka 필수, Kubernetes 우대, 경력 7년 이상"}))

    brief = service.brief("한빛페이 정산플랫폼팀에서 소상공인 정산 만들 7년차 정도 개발자 채용, 카프카는 꼭, 쿠버네티스면 좋고")

    assert brief.ready and brief.source == "gemini"
    assert (brief.company_id, brief.family, brief.level, brief.years) == ("hanbit-pay", "1000229", "L4", 7)
    assert {"kafka", "kubernetes"} <= set(brief.skills) and brief.team == "정산플랫폼팀"
    assert brief.payload()["rewritten"].startswith("한빛페이 정산플랫폼팀 시니어 백엔드 개발자")
    (request,) = gemini_fake.requests
    assert request.model == "gemini-3.5-flash-lite" and "한빛페이" in request.prompt_text

    refused = service.brief("한빛페이 20대 남자 백엔드 개발자")
    assert not refused.ready and refused.verdict.kind == "discriminatory"
    assert len(gemini_fake.requests) == 1                                      # a refused request is never sent


# ---- the daily budget ---------------------------------------------------------------------------------------------------------
def test_past_the_daily_budget_custom_generation_uses_templates_without_a_request(gemini_fake, make_gemini, store,
                                                                                 extractor):
    store.add_ai_usage(utc_day(), "gemini-2.5-flash", "generate_jd", 9_000, 1_500, cached=False)
    assert budget_ok(store, 20_000) and not budget_ok(store, 10_000) and budget_ok(store, None)
    service = service_with(store, extractor, make_gemini(), daily_token_budget=10_000)

    brief = service.brief(REQUEST)                                             # the rules only, past the budget
    service.submit_custom(brief, "E0001")
    job = service.worker().run_once()

    assert gemini_fake.requests == []
    assert job.result["degraded"] == "budget" and job.result["source"] == "template"
    assert list(job.progress["sections"]) == list(SECTIONS)
    assert brief.source == "offline" and brief.ready
    warmer = service.rewrite_section(JdDraft.from_dict(job.result["draft"]), "summary", "더 따뜻하게")
    assert not warmer.understood and gemini_fake.requests == []               # offline, and says it could not


def test_the_service_uses_the_model_only_with_gemini(store, extractor, make_gemini):
    offline = JdService(store, extractor, OfflineProvider(extractor))
    assert not offline.uses_model and offline.worker().handlers["custom_jd"].__qualname__.startswith(
        "offline_custom_jd_handler")
    gemini = service_with(store, extractor, make_gemini())
    assert gemini.uses_model and gemini.worker().handlers["custom_jd"].__qualname__.startswith(
        "model_custom_jd_handler")
