"""A database server that stops answering (frozen, SIGSTOP, a network that drops packets) costs one bounded wait and
is named as such: "did not answer in N seconds", never "check TLS", never minutes of retries (issue 16.2)."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from bot.adapters.storage import SqlStore
from core.errors import StoreError


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never says a word (a frozen database)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_a_silent_server_is_named_within_its_timeout(silent_server):
    started = time.perf_counter()
    with pytest.raises(StoreError) as caught:
        SqlStore.from_url(f"mysql://root@127.0.0.1:{silent_server}/ih_frozen", connect_timeout=1, read_timeout=2)
    waited = time.perf_counter() - started
    message = str(caught.value)
    assert "did not answer in 2 seconds" in message and "TLS" not in message, message
    assert "DATABASE_READ_TIMEOUT" in message
    assert waited < 4, waited           # one wait, not one per retry


def test_the_cli_says_the_database_did_not_answer(silent_server, tmp_path):
    import subprocess
    import sys

    started = time.perf_counter()
    ran = subprocess.run([sys.executable, "-m", "bot.cli", "db", "status", "--data-dir", str(tmp_path)],
                         capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"mysql://root@127.0.0.1:{silent_server}/ih_x",
                              "DATABASE_READ_TIMEOUT": "2", "HOME": str(tmp_path)})
    assert ran.returncode != 0
    assert "did not answer in 2 seconds" in ran.stderr + ran.stdout and "TLS" not in ran.stderr + ran.stdout
    assert "Traceback" not in ran.stderr
    assert time.perf_counter() - started < 30
