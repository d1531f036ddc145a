"""Several server instances on one database (issue 16): two Apps, each with its own store, on one SQLite folder or one
MariaDB database, each behind its own aiohttp server."""
from __future__ import annotations

import shutil
import sys
import uuid

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from bot.bootstrap import build_app
from bot.server import create_web_app
from bot.settings import load_settings
from tests.contract.test_store_contract import MARIADB_URL, server_url, with_database
from tests.platform.conftest import Running, connector, fake_slack  # noqa: F401 - the platform tests' fakes
from tests.platform.fakes import SIGNING_SECRET



def copy_people(source, target) -> int:
    """The demo organisation's people, profiles and embeddings, copied store to store (embedding them again would
    take half a minute per test on a busy machine)."""
    model = source.embedding_model()[0]
    copied = 0
    with target.transaction():
        for row in source.index_rows():
            employee = source.get_employee(row.id)
            target.upsert_profile(employee, source.get_resume_hash(row.id) or "", row.terms, row.profile_words,
                                  row.vector, model)
            copied += 1
    return copied


class Shared:
    """One database and how to open another instance (App) on it."""

    def __init__(self, kind: str, data_dir, url: str | None = None):
        self.kind, self.data_dir, self.url = kind, data_dir, url
        self.apps: list = []

    def settings(self, **env):
        if self.url:
            env["DATABASE_URL"] = self.url
        return load_settings(INTERNAL_HIRE_DATA_DIR=self.data_dir, INTERNAL_HIRE_DEMO_AUTOLOAD=False, **env)

    def instance(self, **env):
        app = build_app(self.settings(**env))
        self.apps.append(app)
        return app


@pytest.fixture(params=["sqlite", "mariadb"])
def shared_db(request, demo_db, tmp_path):
    if request.param == "sqlite":
        target = tmp_path / "shared"
        shutil.copytree(demo_db, target)
        shared = Shared("sqlite", target)
        yield shared
    else:
        url = with_database(server_url("mariadb"), f"ih_test_{uuid.uuid4().hex[:12]}")
        shared = Shared("mariadb", tmp_path / "data", url)
        first = shared.instance()
        copy_people(request.getfixturevalue("demo_app").store, first.store)
        yield shared
        try:
            first.store.drop_database()
        except Exception as exc:  # noqa: BLE001
            print(f"could not drop the test database: {exc}", file=sys.stderr)
    for app in shared.apps:
        app.close()


async def start_server(app, **env) -> Running:
    settings = load_settings(INTERNAL_HIRE_DATA_DIR=app.settings.data_dir, **env,
                             **({"DATABASE_URL": app.settings.database_url.get_secret_value()}
                                if app.settings.database_url else {}))
    app.settings = settings
    web_app = create_web_app(app, settings)
    server = TestServer(web_app, host="127.0.0.1")
    await server.start_server()
    running = Running(server, web_app)
    running.http = ClientSession()
    return running


async def stop_server(running: Running) -> None:
    await running.http.close()
    await running.server.close()


def slack_env(fake_slack) -> dict:
    return {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake_slack.base + "/api/"}


__all__ = ["MARIADB_URL", "Shared", "start_server", "stop_server", "slack_env"]
