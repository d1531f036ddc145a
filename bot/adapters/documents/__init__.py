"""Document readers at the edge: PDF and Word through pypdf and python-docx, parsed in a sandboxed worker process
(bot.adapters.documents.sandbox); core sees only core.documents.DocumentReader."""
from __future__ import annotations

import threading

from core.documents import DocumentReader

_shared = None
_lock = threading.Lock()


def document_reader(sandboxed: bool = True, **limits) -> DocumentReader:
    """The reader the product uses: .txt/.md in process, .pdf/.docx in a time- and memory-limited worker
    (`sandboxed=False` parses in this process: for tools that read a few trusted files). Readers with the default
    limits share one pool of workers per process; `limits` (timeout, memory_bytes, workers) make a pool of their own."""
    if not sandboxed:
        from bot.adapters.documents.parsers import PARSERS

        return DocumentReader(PARSERS)
    from bot.adapters.documents.sandbox import SandboxedParsers

    global _shared
    if limits:
        return DocumentReader(SandboxedParsers(**limits).as_mapping())
    with _lock:
        if _shared is None:
            _shared = SandboxedParsers()
    return DocumentReader(_shared.as_mapping())
