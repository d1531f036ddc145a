"""Issue 18: the Gemini models we default to exist today, each family is asked in its own request shape, every
configured model is checked at start (models.get) and a missing one is named in the log, in /healthz, in
`jd status` and on the card that fell back; tokens are recorded under the model that actually answered."""
from __future__ import annotations

import logging
import re
import shutil
import time

import pytest

from cards.text import render_text
from bot.adapters.ai.gemini import GeminiProvider
from bot.adapters.ai.gemini_config import thinking_config
from core.ai.models import DEFAULT_EMBEDDING, DEFAULT_FAST, DEFAULT_STRONG, RETIRED, ai_status, family
from core.ai.provider import Fact, ResilientProvider
from core.ai.runner import iterate_sync, run_sync
from core.ai.usage import UsageLedger
from handlers.requests import Request, Upload
from tests.conftest import make_app
from tests.gemini_fake import CATALOG, answer, chunks, error, slow
from tests.unit.test_gemini import KEY, StubOffline, thinking


def provider(fake, **kw) -> GeminiProvider:
    options = dict(base_url=fake.base_url, timeout_s=5, retries=1, backoff_s=0.01, max_backoff_s=0.05)
    options.update(kw)
    return GeminiProvider(KEY, **options)


def test_the_defaults_are_current_models_and_none_is_retired():
    assert (DEFAULT_FAST, DEFAULT_STRONG, DEFAULT_EMBEDDING) == ("gemini-3.5-flash-lite", "gemini-3.8-flash",
                                                                 "gemini-embedding-001")
    assert not {DEFAULT_FAST, DEFAULT_STRONG, DEFAULT_EMBEDDING} & set(RETIRED)
    assert RETIRED["gemini-2.5-flash"] == "2026-12-01"
    from bot.settings import load_settings

    settings = load_settings()
    assert (settings.model_fast, settings.model_strong, settings.model_embedding) == (
        DEFAULT_FAST, DEFAULT_STRONG, DEFAULT_EMBEDDING)


# ---- one request shape per family, as the fake server received it -------------------------------------------------------
@pytest.mark.parametrize("model, expected, temperature", [
    ("gemini-3.5-flash-lite", {"thinkingLevel": "MINIMAL"}, None),     # flash-lite takes MINIMAL
    ("gemini-3.8-flash", {"thinkingLevel": "LOW"}, None),              # 3.8 Flash: LOW, MEDIUM, HIGH only
    ("gemini-3.1-pro-preview", {"thinkingLevel": "LOW"}, None),
    ("gemini-4-flash", {"thinkingLevel": "LOW"}, None),                # a future family: the level all 3.x take
    ("gemini-2.5-flash-lite", {"thinkingBudget": 0}, 0),               # 2.5: a budget, and our temperature
    ("gemini-2.5-pro", {"thinkingBudget": 128}, 0),                    # 2.5 Pro cannot switch thinking off
    ("gemma-3-27b-it", {}, 0),                                         # no thinking configuration at all
])
def test_each_family_gets_its_own_thinking_configuration(gemini_fake, model, expected, temperature):
    gemini_fake.catalog[model] = ["generateContent"]
    gemini_fake.retired.discard(model)
    gemini_fake.enqueue(answer({"intent": "find"}))
    run_sync(provider(gemini_fake, models={"fast": model}).interpret_question("kafka", "en"), timeout=10)
    [request] = gemini_fake.requests_for("generateContent")
    config = request.body["generationConfig"]
    assert request.model == model and thinking(config) == expected
    assert not {"thinkingLevel", "thinkingBudget"} <= set(thinking(config))          # never both
    assert config.get("temperature") == temperature


def test_the_strong_model_may_think_a_little_and_streams_its_jd(gemini_fake):
    gemini_fake.enqueue(chunks("## title\nBackend Engineer\n"))
    gemini = provider(gemini_fake)
    stream = run_sync(gemini.generate_jd({"brief": "backend", "company_id": "x"}, {}, "en"), timeout=10)
    assert "".join(iterate_sync(stream)).startswith("## title")
    [request] = gemini_fake.requests_for("streamGenerateContent")
    assert request.model == "gemini-3.8-flash" and thinking(request.body["generationConfig"]) == {
        "thinkingLevel": "LOW"}


def test_thinking_configuration_never_mixes_level_and_budget():
    for model in ["gemini-3.5-flash-lite", "gemini-3.6-flash", "gemini-3-flash-preview", "gemini-2.5-flash",
                  "gemini-2.0-flash", "gemini-3.8-flash"]:
        config = thinking_config(model)
        assert config is None or (config.thinking_level is None) != (config.thinking_budget is None), model
    assert family("models/gemini-3.8-flash") == "gemini-3" and family("gemini-2.5-flash-lite") == "gemini-2.5"


def test_a_call_has_its_own_http_timeout_within_the_request_budget(gemini_fake):
    """The per-request timeout reaches the server too (X-Server-Timeout), cut to what is left of the budget."""
    from core.ai import deadline

    gemini_fake.enqueue(answer({"intent": "find"}))

    async def call():
        with deadline.within(2.5):
            return await provider(gemini_fake, timeout_s=20).interpret_question("kafka", "en")
    run_sync(call(), timeout=10)
    [request] = gemini_fake.requests_for("generateContent")
    assert request.headers.get("X-Server-Timeout") in ("2", "3")


# ---- models.get at start ---------------------------------------------------------------------------------------------
def test_a_retired_model_is_named_once_and_never_called(gemini_fake, caplog):
    caplog.set_level(logging.WARNING)
    gemini = provider(gemini_fake, models={"fast": "gemini-2.5-flash", "strong": DEFAULT_STRONG})
    states = {s.model: s for s in run_sync(gemini.check_models(), timeout=10)}
    assert [r.action for r in gemini_fake.requests] == ["get", "get"]          # one models.get per model
    assert states["gemini-2.5-flash"].status == "unavailable" and states[DEFAULT_STRONG].status == "ok"
    problems = [r.getMessage() for r in caplog.records if "is not available" in r.getMessage()]
    assert problems == ["Gemini model gemini-2.5-flash (fast) is not available: retired by Google on 2026-12-01. "
                        "Calls that need it answer offline; set a current model (README, \"Gemini\")."]
    assert KEY not in caplog.text

    resilient = ResilientProvider(gemini, StubOffline())
    started = time.perf_counter()
    result = run_sync(resilient.interpret_question("kafka", "en"), timeout=10)
    assert time.perf_counter() - started < 1 and result.source == "offline"
    assert (result.reason.kind, result.reason.model) == ("model_unavailable", "gemini-2.5-flash")
    assert gemini_fake.requests_for("generateContent") == []                     # not even tried
    status = ai_status(resilient)
    assert status["provider"] == "gemini" and "key" not in str(status).lower()
    assert {m["model"]: m["status"] for m in status["models"]} == {"gemini-2.5-flash": "unavailable",
                                                                   DEFAULT_STRONG: "ok"}


def test_an_unsupported_model_and_a_failed_check(gemini_fake, caplog):
    caplog.set_level(logging.WARNING)
    gemini_fake.enqueue_models(error(500))                                          # the first check fails
    gemini = provider(gemini_fake, models={"fast": DEFAULT_FAST, "strong": "gemini-3.1-flash-image"})
    states = {s.model: s for s in run_sync(gemini.check_models(), timeout=10)}
    assert states[DEFAULT_FAST].status == "unknown" and states[DEFAULT_FAST].usable      # not conclusive: still used
    assert states["gemini-3.1-flash-image"].status == "unsupported"
    assert "it does not support generateContent" in caplog.text


def test_a_hanging_check_never_holds_up_start(gemini_fake):
    from core.ai.models import ModelWatch

    gemini_fake.enqueue_models(slow(60), slow(60))
    gemini = provider(gemini_fake)
    started = time.perf_counter()
    watch = ModelWatch(gemini).start(wait_s=0.5)
    assert time.perf_counter() - started < 1.5
    watch.stop()
    states = run_sync(gemini.check_models(timeout_s=0.3), timeout=10)
    assert {s.status for s in states} <= {"unknown", "ok"}


def test_a_404_at_call_time_marks_the_model_missing(gemini_fake, caplog):
    caplog.set_level(logging.WARNING)
    gemini_fake.catalog.pop(DEFAULT_FAST)
    gemini_fake.retired.add(DEFAULT_FAST)                       # retired since start
    gemini = provider(gemini_fake)
    resilient = ResilientProvider(gemini, StubOffline())
    first = run_sync(resilient.interpret_question("kafka", "en"), timeout=10)
    second = run_sync(resilient.interpret_question("kafka", "en"), timeout=10)
    assert first.reason.kind == second.reason.kind == "model_unavailable"
    assert len(gemini_fake.requests_for("generateContent")) == 1                   # the second was not sent
    assert caplog.text.count(f"Gemini model {DEFAULT_FAST} (fast) is not available") == 1


# ---- usage under the model that answered ---------------------------------------------------------------------------------
def test_tokens_are_recorded_under_the_model_that_answered(gemini_fake, caplog):
    caplog.set_level(logging.WARNING)
    ledger = UsageLedger()
    gemini = provider(gemini_fake, models={"fast": "gemini-3.5-flash"}, ledger=ledger)
    gemini_fake.enqueue(answer({"intent": "find"}, model_version="gemini-3.6-flash"),
                        answer({"intent": "count"}, model_version="gemini-3.6-flash"),
                        chunks("Kim [E0001] knows Kafka.", model_version="gemini-3.6-flash"))
    first = run_sync(gemini.interpret_question("kafka", "en"), timeout=10)
    run_sync(gemini.interpret_question("react", "en"), timeout=10)
    stream = run_sync(gemini.answer("who knows kafka", [Fact("E0001", "Kafka")], "en"), timeout=10)
    list(iterate_sync(stream))
    assert first.model == stream.model == "gemini-3.6-flash"
    usage = ledger.today()
    assert set(usage) == {"gemini-3.6-flash"} and usage["gemini-3.6-flash"].calls == 3
    assert caplog.text.count("answered requests for gemini-3.5-flash with gemini-3.6-flash") == 1
    [state] = [m for m in ai_status(gemini)["models"] if m["model"] == "gemini-3.5-flash"]
    assert state["answered_by"] == "gemini-3.6-flash"


def test_a_retired_model_rerouted_by_the_api_shows_in_jd_status(demo_db, tmp_path, gemini_fake, monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", "test-key")
    monkeypatch.setenv("GEMINI_BASE_URL", gemini_fake.base_url)
    monkeypatch.setenv("INTERNAL_HIRE_MODEL_FAST", "gemini-2.5-flash")
    gemini_fake.reroute["gemini-2.5-flash"] = "gemini-3.5-flash-lite"          # requests answered by its successor
    shutil.copytree(demo_db, tmp_path / "org")
    app = make_app(tmp_path / "org")
    try:
        hr = app.store.find_employee("E0001")
        app.router.handle(Request(actor=hr, platform="local", text="who knows Kafka in Seoul?"))
        text = " ".join(render_text(app.router.handle(Request(actor=hr, platform="local",
                                                                text="jd status")).cards)[0].split())
        assert "gemini-3.5-flash-lite —" in text and "gemini-2.5-flash —" not in text     # tokens where they went
        assert "gemini-2.5-flash is answered by gemini-3.5-flash-lite (rerouted by the API)" in text
    finally:
        app.close()


# ---- the app: checked at start, named on the card and in jd status ------------------------------------------------------
def test_chat_start_checks_each_configured_model_and_the_card_names_the_missing_one(demo_db, tmp_path, gemini_fake,
                                                                                   monkeypatch, caplog):
    caplog.set_level(logging.WARNING)
    monkeypatch.setenv("GEMINI_API_KEY", "test-key")
    monkeypatch.setenv("GEMINI_BASE_URL", gemini_fake.base_url)
    monkeypatch.setenv("INTERNAL_HIRE_MODEL_FAST", "gemini-2.5-flash")         # retired on 2026-12-01
    shutil.copytree(demo_db, tmp_path / "org")
    app = make_app(tmp_path / "org")
    try:
        started = time.perf_counter()
        app.watch_models(wait_s=2.0)
        assert time.perf_counter() - started < 2.5
        asked = sorted(r.model for r in gemini_fake.requests if r.action == "get")
        assert asked == ["gemini-2.5-flash", DEFAULT_STRONG]
        assert "Gemini model gemini-2.5-flash (fast) is not available: retired by Google on 2026-12-01" in caplog.text

        me = app.store.find_employee("E0003")
        review = app.router.handle(Request(actor=me, platform="local",
                                           upload=Upload("resume.txt", b"Built Kafka pipelines at Demo Corp")))
        text = " ".join(render_text(review.cards)[0].split())
        assert "Analysed offline: model gemini-2.5-flash is not available." in text
        hr = app.store.find_employee("E0001")
        status = " ".join(render_text(app.router.handle(Request(actor=hr, platform="local",
                                                                  text="JD 상태")).cards)[0].split())
        assert "⚠ gemini-2.5-flash (fast) 모델을 쓸 수 없어요" in status and f"{DEFAULT_STRONG} (strong): 사용 가능" in status
        assert not re.search(r"AIError|404|NOT_FOUND", text)
    finally:
        app.close()


def test_the_fake_knows_todays_models_and_refuses_retired_ones(gemini_fake):
    from google import genai
    from google.genai import errors, types

    client = genai.Client(api_key=KEY, http_options=types.HttpOptions(base_url=gemini_fake.base_url))
    found = client.models.get(model=DEFAULT_FAST)
    assert "generateContent" in found.supported_actions and DEFAULT_FAST in CATALOG
    with pytest.raises(errors.ClientError) as raised:
        client.models.get(model="gemini-2.5-flash")
    assert raised.value.code == 404
    client.close()


def test_a_query_embedding_inside_a_chat_request_is_bounded_by_its_budget(gemini_fake):
    from core.ai import deadline
    from bot.adapters.ai.gemini_embedder import GeminiEmbedder
    from core.ai.provider import AIError

    embedder = GeminiEmbedder(KEY, dim=8, base_url=gemini_fake.base_url, timeout_s=20, retries=3, backoff_s=0.01)
    gemini_fake.enqueue_embed(*[slow(60) for _ in range(4)])
    started = time.perf_counter()
    with deadline.within(1.5), pytest.raises(AIError):
        embedder.embed_query("kafka")
    assert time.perf_counter() - started < 3
    assert len(gemini_fake.requests_for("batchEmbedContents")) == 1         # no retry a person would wait for
    gemini_fake.reset()
    assert embedder.embed_documents(["outside a request: retried as before"]).shape == (1, 8)
    embedder.close()
