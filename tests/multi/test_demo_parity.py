"""`internal-hire demo` loads the same demo into every backend: people, companies, postings and prepared JD drafts
(issue 16 item 5: on MariaDB it loaded only the people, and `new jd` answered "No company knowledge is loaded yet")."""
from __future__ import annotations

import json
import uuid

import pytest

from bot.bootstrap import build_app
from bot.cli import main
from bot.settings import load_settings
from core.domain import Role
from handlers.requests import Request
from tests.contract.test_store_contract import server_url, with_database


@pytest.mark.parametrize("backend", ["mariadb", "sqlite"])
def test_demo_loads_people_companies_and_drafts_and_new_jd_works_after_it(backend, tmp_path, monkeypatch, capsys):
    url = with_database(server_url("mariadb"), f"ih_test_{uuid.uuid4().hex[:12]}") if backend == "mariadb" else None
    for name in ("DATABASE_URL", "TIDB_DSN"):
        monkeypatch.delenv(name, raising=False)
    if url:
        monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("INTERNAL_HIRE_DEMO_AUTOLOAD", "false")   # only what `demo` itself loads counts
    assert main(["demo", "--size", "24", "--quiet", "--data-dir", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "Demo organisation loaded" in printed and "Demo companies loaded" in printed and "Prepared drafts" in printed

    app = build_app(load_settings(INTERNAL_HIRE_DATA_DIR=tmp_path, INTERNAL_HIRE_DEMO_AUTOLOAD=False))
    try:
        assert app.store.backend_name == ("mysql" if url else "sqlite")
        assert app.store.count_employees() == 24
        companies = app.store.list_companies()
        assert len(companies) >= 2 and all(app.store.list_postings(c.id) for c in companies)
        assert all(app.store.prepared_keys(c.id) for c in companies)
        hr = next(e for e in app.store.list_employees() if e.role == Role.HR_ADMIN)
        reply = app.router.handle(Request(actor=hr, platform="local", text="new jd hanbit-pay backend L4"))
        text = json.dumps([c.__dict__ for c in reply.cards], default=str, ensure_ascii=False)
        assert "No company knowledge" not in text
        assert "Backend" in text and "zero tokens" in text
    finally:
        if url:
            app.store.drop_database()
        app.close()
