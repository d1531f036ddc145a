import shutil
from pathlib import Path

import pytest

from bot.bootstrap import build_app, ensure_demo_data
from bot.settings import load_settings
from core.domain import Employee, Role
from tests.demo_cache import cached_demo_db



def make_app(data_dir: Path, autoload: bool = False, **kwargs):
    settings = load_settings(INTERNAL_HIRE_DATA_DIR=data_dir, INTERNAL_HIRE_DEMO_AUTOLOAD=autoload)
    app = build_app(settings, **kwargs)
    if autoload:
        ensure_demo_data(app)
    return app


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo organisation (about a minute of CPU to build), built at most once per content stamp and shared by
    the xdist workers and later runs (tests/demo_cache.py); each session gets its own copy, tests copies of that."""
    data_dir = tmp_path_factory.mktemp("demo-master")
    cached_demo_db(lambda target: make_app(target, autoload=True).close(), data_dir)
    return data_dir


@pytest.fixture
def demo_app(demo_db, tmp_path):
    target = tmp_path / "org"
    shutil.copytree(demo_db, target)
    app = make_app(target)
    yield app
    app.close()


@pytest.fixture
def empty_app(tmp_path):
    app = make_app(tmp_path / "empty")
    yield app
    app.close()


def person(eid: str, resume: str, *, title: str = "", dept: str = "Engineering", open_to_moves: bool = True,
           role: Role = Role.EMPLOYEE, name: str | None = None, level: str = "L3") -> tuple[str, Employee]:
    return (f"test {eid}", Employee(id=eid, display_name=name or f"Person {eid}", title=title, department=dept,
                                    open_to_moves=open_to_moves, role=role, level=level, resume_text=resume))


def hr(app) -> Employee:
    return next(e for e in app.store.list_employees() if e.role == Role.HR_ADMIN)


@pytest.fixture
def gemini_fake():
    """A local fake Gemini API server (tests/gemini_fake.py), for sync and async tests alike."""
    from tests.gemini_fake import FakeGemini

    with FakeGemini() as fake:
        yield fake
