"""What reaches us from a person is bounded at the door: /upload in the local chat reads only a regular file of at
most 10 MB, and a request longer than INTERNAL_HIRE_MAX_REQUEST_CHARS is refused at once, in its own language, on
every entry (chat platforms through the router, the local chat, the CLI)."""
from __future__ import annotations

import io
import os
import time

import pytest

from bot.local_chat import LocalChat
from handlers.requests import Request
from tests.conftest import make_app


@pytest.fixture
def chat_app(demo_db, tmp_path):
    import shutil

    shutil.copytree(demo_db, tmp_path / "org")
    app = make_app(tmp_path / "org")
    yield app
    app.close()


def run_chat(app, lines: list[str]) -> str:
    out = io.StringIO()
    me = app.store.find_employee("E0002")
    LocalChat(app, me, out, io.StringIO("\n".join([*lines, "quit"]) + "\n")).run()
    return out.getvalue()


def test_upload_refuses_what_is_not_a_small_regular_file_with_a_message(chat_app, tmp_path):
    fifo = tmp_path / "cv.txt"
    os.mkfifo(fifo)
    big = tmp_path / "big.pdf"
    with open(big, "wb") as f:
        f.truncate(30 * 1024 * 1024)
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    start = time.perf_counter()
    text = run_chat(chat_app, ["/upload /nonexistent/\x00x", "/upload /nonexistent/cv.pdf", f"/upload {folder}",
                               "/upload /dev/zero", f"/upload {fifo}", f"/upload {big}", "/upload"])
    assert time.perf_counter() - start < 30       # /dev/zero and the pipe were never read (they would never end)
    assert "Traceback" not in text
    assert "contains a null byte" in text
    assert "No such file or directory" in text
    assert "is a folder" in text
    assert text.count("not a regular file (a device, pipe or socket)") == 2
    assert "the file is 31.5 MB; the limit is 10 MB" in text
    assert "Usage: /upload" in text


def test_upload_of_a_real_resume_still_works(chat_app, tmp_path):
    cv = tmp_path / "resume.txt"
    cv.write_text("Backend engineer\n- Built Kafka pipelines in Java at scale\n", encoding="utf-8")
    text = run_chat(chat_app, [f"/upload {cv}"])
    assert "Traceback" not in text and "Kafka" in text


@pytest.mark.parametrize("words, lang_word", [("backend engineer kafka ", "characters"), ("백엔드 카프카 개발자 ", "자예요")])
def test_a_90000_character_request_is_refused_at_once_in_its_language(chat_app, words, lang_word):
    actor = chat_app.store.find_employee("E0002")
    text = (words * (90_000 // len(words) + 1))[:90_000]
    for platform in ("slack", "teams", "local"):
        start = time.perf_counter()
        reply = chat_app.router.handle(Request(actor=actor, platform=platform, text="find-candidates " + text))
        elapsed = time.perf_counter() - start
        shown = " ".join(str(c) for c in reply.cards)
        assert lang_word in shown and "90,016" in shown and "8,000" in shown, shown[:300]
        assert elapsed < 1.0      # milliseconds in practice; it took 16 s before the limit
    # just under the limit is searched as before
    ok = chat_app.router.handle(Request(actor=actor, platform="local", text="find-candidates " + text[:7000]))
    assert "8,000" not in " ".join(str(c) for c in ok.cards)


def test_a_long_form_field_is_refused_too(chat_app):
    actor = chat_app.store.find_employee("E0002")
    reply = chat_app.router.handle(Request(actor=actor, platform="slack", action_id="jd_save", action_value="x",
                                           form={"body": "x" * 40_000}))
    assert "32,000" in " ".join(str(c) for c in reply.cards)


def test_the_local_chat_and_the_cli_refuse_it_as_well(chat_app, tmp_path, monkeypatch, capsys):
    text = run_chat(chat_app, ["find-candidates " + "kafka " * 15_000])
    assert "I read requests of up to 8,000" in text
    from bot.cli import main

    monkeypatch.setenv("INTERNAL_HIRE_MAX_REQUEST_CHARS", "500")
    start = time.perf_counter()
    assert main(["search", "카프카 " * 200, "--data-dir", str(tmp_path / "none"), "--quiet"]) == 2
    assert time.perf_counter() - start < 2.0 and not (tmp_path / "none").exists()    # no organisation was loaded
    assert "요청은 500자까지" in capsys.readouterr().err
