import asyncio

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from bot.server import create_web_app
from bot.settings import load_settings
from tests.platform.fakes import SIGNING_SECRET, FakeConnector, FakeSlack


@pytest.fixture
def org(demo_app):
    """A private copy of the demo organisation for one test."""
    return demo_app


@pytest.fixture
async def fake_slack():
    fake = await FakeSlack().start()
    yield fake
    await fake.server.close()


@pytest.fixture
async def connector():
    fake = await FakeConnector().start()
    yield fake
    await fake.server.close()


class Running:
    def __init__(self, server: TestServer, web_app):
        self.server = server
        self.web_app = web_app
        self.http: ClientSession | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.port}{path}"

    async def wait_for(self, predicate, timeout: float = 20.0):
        """Poll until the background work under test has happened (results are posted after the ack)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            if predicate():
                return
            await asyncio.sleep(0.02)
        raise AssertionError("timed out waiting for the bot's background work")


@pytest.fixture
def serve(org):
    async def start(app=None, **env) -> Running:
        """Our server in front of `app` (default: the demo organisation) with the platform settings in env."""
        app = app or org
        settings = load_settings(INTERNAL_HIRE_DATA_DIR=app.settings.data_dir, **env)
        app.settings = settings
        web_app = create_web_app(app, settings)
        server = TestServer(web_app, host="127.0.0.1")
        await server.start_server()
        r = Running(server, web_app)
        r.http = ClientSession()
        return r

    return start


@pytest.fixture
async def slack_server(serve, fake_slack):
    r = await serve(SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET,
                    SLACK_API_URL=fake_slack.base + "/api/")
    yield r
    await r.http.close()
    await r.server.close()


@pytest.fixture
async def teams_server(serve, connector):
    r = await serve(TEAMS_ALLOW_ANONYMOUS=True, HOST="127.0.0.1")
    yield r
    await r.http.close()
    await r.server.close()
