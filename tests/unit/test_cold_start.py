"""What a cold start skips and keeps: the prepared model cache gives the same vectors as the package's own load, a
search from the command line never loads the chat's other services, a database whose schema is current is opened
without Alembic, and the chat answers a search typed while its background warm-up is still running."""
import io
import shutil
import subprocess
import sys

import numpy as np
import pytest

from core.ai.embedders import UseEmbedder

TEXTS = ["senior backend engineer who knows Kafka", "카프카 다룰 줄 아는 백엔드 개발자", ""]


def test_cached_model_embeds_exactly_as_the_package_loads_it_and_survives_a_damaged_cache(tmp_path):
    def fresh(cache_dir):
        """A new process's embedder: nothing shared from an earlier load in this one."""
        UseEmbedder._shared_models.pop(str(cache_dir) if cache_dir is not None else None, None)
        return UseEmbedder(cache_dir=cache_dir)

    plain = UseEmbedder(cache_dir=None).embed_documents(TEXTS)
    first = fresh(tmp_path).embed_documents(TEXTS)          # prepares the cache
    (folder,) = [p for p in tmp_path.iterdir() if p.name.startswith("use-")]
    assert (folder / "done").exists() and (folder / "table.npy").exists()
    reader = fresh(tmp_path)
    second = reader.embed_documents(TEXTS)
    assert isinstance(reader._get()._model.table, np.memmap)               # mapped, not inflated again
    assert np.array_equal(plain, first) and np.array_equal(plain, second)
    (folder / "tokenizer.pickle").write_bytes(b"not a pickle")
    assert np.array_equal(plain, fresh(tmp_path).embed_documents(TEXTS))
    UseEmbedder._shared_models.pop(str(tmp_path), None)


@pytest.fixture
def org_dir(demo_db, tmp_path):
    target = tmp_path / "org"
    shutil.copytree(demo_db, target)
    return target


def test_command_line_search_loads_neither_the_chat_services_nor_alembic(org_dir):
    probe = ("import sys; from bot.cli import main; "
             f"code = main(['search', 'backend engineer who knows Kafka', '--data-dir', {str(org_dir)!r}, '--quiet']); "
             "loaded = [m for m in ('alembic', 'slack_bolt', 'handlers.jd', 'core.jd.service', 'core.importer', "
             "'core.ai.offline') if m in sys.modules]; "
             "print('LOADED', loaded); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert " 1. " in done.stdout and "matches:" in done.stdout          # the results are printed as before
    assert "LOADED []" in done.stdout


def test_chat_answers_a_search_typed_while_it_is_still_warming_up(org_dir):
    from bot.local_chat import LocalChat
    from tests.conftest import make_app

    app = make_app(org_dir)
    try:
        assert not app.wired
        out = io.StringIO()
        chat = LocalChat(app, app.store.find_employee("E0002"), out=out,
                         inp=io.StringIO("find-candidates backend engineer who knows Kafka\nquit\n"))
        app.warm_up_in_background()
        chat.run()
        text = out.getvalue()
        assert "Internal Hire — local chat" in text and "Kafka" in text and "Details" in text
        assert app.wired
    finally:
        app.close()
