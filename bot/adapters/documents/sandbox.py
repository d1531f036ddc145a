"""PDF and Word parsing in a separate, time- and memory-limited worker process.

A pathological file (a PDF whose content stream loops, a .docx that inflates to gigabytes) can make a parser run for
minutes or take all memory. Parsing runs in a worker process with an address-space limit; when a file takes longer
than `timeout` seconds the worker is killed and the file refused with a clear message, and the next file gets a fresh
worker. Workers are kept between files (starting one costs the imports of pypdf and lxml), at most `workers` at once.
"""
from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
from multiprocessing.connection import Connection

from core.documents import DocumentError

log = logging.getLogger(__name__)

PARSE_TIMEOUT_S = 20.0
PARSE_MEMORY_BYTES = 1024 * 1024 * 1024     # address space of a worker: 1 GiB
STARTUP_TIMEOUT_S = 60.0


PARSERS_MODULE = "bot.adapters.documents.parsers"


def _serve(conn: Connection, memory_bytes: int, parsers_module: str = PARSERS_MODULE) -> None:
    """The worker's loop: (suffix, bytes) in, ("ok", text) or ("error", message, code, params) out."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ImportError, ValueError, OSError):      # not on this platform: the time limit still holds
        pass
    import importlib

    logging.getLogger("pypdf").setLevel(logging.ERROR)     # "EOF marker not found" and the like: the error says it
    parsers = importlib.import_module(parsers_module).PARSERS
    conn.send(("ready",))      # the imports are done: from here on the clock of each file runs

    while True:
        try:
            suffix, data = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", parsers[suffix](data)))
        except DocumentError as exc:
            conn.send(("error", str(exc), exc.code, exc.params))
        except MemoryError:
            conn.send(("error", "the file needs more memory to read than a resume could; export it again (as PDF "
                                "or .docx) or send a shorter version", "too_complex", {}))
        except Exception as exc:      # a parser bug on a strange file: that file is refused, the worker lives on
            conn.send(("error", f"the file could not be read ({exc.__class__.__name__}); it may be damaged, export "
                                "it again", "damaged", {"kind": suffix.lstrip(".").upper()}))


class _Worker:
    def __init__(self, context, memory_bytes: int, parsers_module: str):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, memory_bytes, parsers_module), daemon=True,
                                       name="document-parser")
        self.process.start()
        child.close()
        # starting a worker (importing pypdf and lxml) is not the file's time: wait for it apart
        try:
            ready = self.conn.poll(STARTUP_TIMEOUT_S) and self.conn.recv() == ("ready",)
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.stop()
            raise DocumentError("the document reader could not be started; try again in a minute", "too_complex",
                                seconds=round(STARTUP_TIMEOUT_S))

    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class SandboxedParsers:
    """`parser(suffix)` gives a function bytes -> text that parses in a worker; pass `as_mapping()` to
    core.documents.DocumentReader."""

    def __init__(self, timeout: float = PARSE_TIMEOUT_S, memory_bytes: int = PARSE_MEMORY_BYTES, workers: int = 2,
                 parsers_module: str = PARSERS_MODULE):
        self.timeout = timeout
        self.memory_bytes = memory_bytes
        self.parsers_module = parsers_module     # a module with PARSERS {suffix: fn}; tests pass pathological ones
        methods = multiprocessing.get_all_start_methods()
        # forkserver: safe in a process with threads (the server), and cheap for each new worker after the first
        self._context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(workers)
        self._closed = False

    def as_mapping(self) -> dict:
        return {suffix: self.parser(suffix) for suffix in (".pdf", ".docx")}

    def parser(self, suffix: str):
        def parse(data: bytes) -> str:
            return self.parse(suffix, data)

        return parse

    def parse(self, suffix: str, data: bytes) -> str:
        if suffix == ".docx":
            from bot.adapters.documents.parsers import check_docx_package

            if not data.startswith(b"\xd0\xcf\x11\xe0"):     # an OLE file gets its own message in the worker
                check_docx_package(data)       # a zip bomb is refused from its table of contents, here and fast
        with self._slots:
            worker = self._take()
            try:
                worker.conn.send((suffix, data))
                if not worker.conn.poll(self.timeout):
                    worker.stop()
                    worker = None
                    raise DocumentError(f"reading the file took longer than {self.timeout:.0f} s and was stopped; "
                                        "it may be damaged or built unusually: export it again as PDF or .docx",
                                        "too_complex", seconds=round(self.timeout))
                answer = worker.conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                # the worker died on this file (out of memory, a crash in a C library): refuse the file, not the rest
                if worker is not None:
                    worker.stop()
                    worker = None
                raise DocumentError("the file could not be read (the reader ran out of memory or crashed on it); "
                                    "export it again as PDF or .docx", "too_complex", seconds=round(self.timeout))
            finally:
                if worker is not None:
                    self._idle.put(worker)
        if answer[0] == "ok":
            return answer[1]
        _, message, code, params = answer
        raise DocumentError(message, code, **params)

    def _take(self) -> _Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return _Worker(self._context, self.memory_bytes, self.parsers_module)
            if worker.alive():
                return worker
            worker.stop()

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return
