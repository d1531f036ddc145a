"""Parsers for the sandbox tests: one never returns, one asks for more memory than a worker may have, one dies."""
from __future__ import annotations

import os
import time


def _forever(data: bytes) -> str:
    while True:
        time.sleep(1)


def _greedy(data: bytes) -> str:
    hoard = []
    while True:
        hoard.append(bytearray(256 * 1024 * 1024))


def _crash(data: bytes) -> str:
    os._exit(3)


def _echo(data: bytes) -> str:
    return data.decode()


PARSERS = {".pdf": _forever, ".greedy": _greedy, ".crash": _crash, ".echo": _echo}
