"""A MariaDB server of one's own, on a free port in a throwaway data directory, that may be killed or frozen (SIGSTOP)
without touching the shared one on 3306. Used by tests/platform/test_database_down.py and bench/multi_instance.py."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

BINARIES = ("mariadbd", "mariadb-install-db")


class Unavailable(RuntimeError):
    """The MariaDB server binaries are missing or the server did not start (tests skip, the bench stops)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(directory: Path, buffer_pool: str = "32M") -> tuple[subprocess.Popen, int]:
    """A fresh server with its data in `directory` (created); returns the process and its port (root, no password)."""
    missing = [b for b in BINARIES if not (shutil.which(b) or os.path.exists(f"/usr/sbin/{b}"))]
    if missing:
        raise Unavailable(f"needs the MariaDB server binaries ({', '.join(missing)} not found)")
    mariadbd = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
    directory.mkdir(parents=True, exist_ok=True)
    data = directory / "data"
    installed = subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={data}", "--skip-test-db",
                                "--auth-root-authentication-method=normal"], capture_output=True, text=True,
                               timeout=120)
    if installed.returncode != 0:
        raise Unavailable(f"mariadb-install-db failed: {installed.stderr[-300:]}")
    port = free_port()
    args = [mariadbd, "--no-defaults", f"--datadir={data}", f"--port={port}", "--bind-address=127.0.0.1",
            f"--socket={directory / 'mariadb.sock'}", f"--pid-file={directory / 'mariadb.pid'}", "--skip-log-bin",
            f"--innodb-buffer-pool-size={buffer_pool}"]
    if os.geteuid() == 0:
        args.append("--user=root")
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return process, port
        if process.poll() is not None:
            break
        time.sleep(0.2)
    stop(process)
    raise Unavailable("the private MariaDB server did not start")


def stop(process: subprocess.Popen) -> None:
    """Kill it, frozen or not."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGCONT)
        process.kill()
        process.wait()
