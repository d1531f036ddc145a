"""/healthz has an AI section (issue 18): which provider answers and what the API said about each configured model,
with no key or URL in it. (Details are for operators: `?verbose` asks for them.)"""
import json
import shutil

from core.ai.runner import run_sync
from tests.conftest import make_app


async def test_healthz_names_a_missing_model_without_secrets(serve, demo_db, tmp_path, gemini_fake, monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", "secret-key-never-shown")
    monkeypatch.setenv("GEMINI_BASE_URL", gemini_fake.base_url)
    monkeypatch.setenv("INTERNAL_HIRE_MODEL_STRONG", "gemini-2.5-flash")
    shutil.copytree(demo_db, tmp_path / "gemini-org")
    app = make_app(tmp_path / "gemini-org")
    try:
        run_sync(app.ai.primary.check_models(), timeout=10)
        running = await serve(app)
        try:
            async with running.http.get(running.url("/healthz?verbose")) as r:
                body = await r.json()
        finally:
            await running.http.close()
            await running.server.close()
        ai = body["ai"]
        assert ai["provider"] == "gemini" and ai["defaults_checked_on"] == "2026-12-07"
        states = {m["model"]: m for m in ai["models"]}
        assert states["gemini-2.5-flash"]["status"] == "unavailable" and states["gemini-2.5-flash"]["roles"] == [
            "strong"]
        assert states["gemini-3.5-flash-lite"]["status"] == "ok"
        text = json.dumps(body)
        assert "secret-key-never-shown" not in text and gemini_fake.base_url not in text
    finally:
        app.close()


async def test_healthz_says_offline_without_a_key(slack_server):
    async with slack_server.http.get(slack_server.url("/healthz?verbose")) as r:
        body = await r.json()
    assert body["ai"] == {"provider": "offline", "models": []}
