"""Hostile inputs for parsers and text passes: long runs, repeated separators, one-line files, megabytes of text.

Each generator takes a size in characters, so a test can run the same pass on n and 2n characters and check that the
work grows linearly (`scaling_ratio`), instead of asserting a wall-clock time that a busy machine would make flaky.
"""
from __future__ import annotations

import time
from typing import Callable

from tests.resume_files import ENGLISH_RESUME, KOREAN_RESUME

RESUME_LINES = [line for page in (*KOREAN_RESUME, *ENGLISH_RESUME) for line in page if line]

# name -> a text of about `n` characters; each is the shape of an input that made a regex rescan what it had read
PATTERNS: dict[str, Callable[[int], str]] = {
    "latin_run": lambda n: "a" * n,
    "capital_run": lambda n: "A" * n,
    "hangul_run": lambda n: "가" * n,
    "digit_run": lambda n: "1" * n,
    "words": lambda n: ("Engineer " * (n // 9 + 1))[:n],
    "capital_words": lambda n: ("Main " * (n // 5 + 1))[:n],
    "hangul_words": lambda n: ("서울시 " * (n // 4 + 1))[:n],
    "dotted": lambda n: ("a." * (n // 2 + 1))[:n],
    "dashed": lambda n: ("a-" * (n // 2 + 1))[:n],
    "digit_dashed": lambda n: ("1-" * (n // 2 + 1))[:n],
    "digit_spaced": lambda n: ("1 " * (n // 2 + 1))[:n],
    "at_signs": lambda n: ("a@" * (n // 2 + 1))[:n],
    "plus_digits": lambda n: ("+1 " * (n // 3 + 1))[:n],
    "parenthesised": lambda n: ("(1)" * (n // 3 + 1))[:n],
    "commas": lambda n: ("A, " * (n // 3 + 1))[:n],
    "tabs": lambda n: ("a\t" * (n // 2 + 1))[:n],
    "colons": lambda n: ("주소: " * (n // 4 + 1))[:n],
    "resume_one_line": lambda n: (" ".join(RESUME_LINES) * (n // 500 + 1))[:n],
    "resume_lines": lambda n: ("\n".join(RESUME_LINES) * (n // 500 + 1))[:n],
}


def one_line_resume(n: int = 60_000) -> str:
    """A resume with no line breaks (60 KB by default): what a PDF without line structure extracts to."""
    return PATTERNS["resume_one_line"](n)


def megabyte_text(n: int = 1_000_000) -> str:
    """About 1 MB of resume-like text with a few pathological runs mixed in."""
    chunk = "\n".join(RESUME_LINES) + "\n" + "a" * 5000 + " " + "1-" * 500 + "\n" + "가" * 3000 + "\n"
    return (chunk * (n // len(chunk) + 1))[:n]


def seconds(fn: Callable[[str], object], text: str, repeat: int = 3) -> float:
    """The best of `repeat` runs: the least disturbed by other work on the machine."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def scaling_ratio(fn: Callable[[str], object], make: Callable[[int], str], n: int,
                  min_seconds: float = 0.02, max_n: int = 2_000_000) -> float:
    """time(2n) / time(n): about 2 for a linear pass, about 4 for a quadratic one. `n` grows (doubling, up to
    `max_n`) until one run takes `min_seconds`: timings of a millisecond say more about caches than about work."""
    fn(make(min(n, 1000)))      # warm caches (compiled patterns, lazy imports)
    small = seconds(fn, make(n))
    while small < min_seconds and 2 * n <= max_n:
        n *= 2
        small = seconds(fn, make(n))
    large = seconds(fn, make(2 * n))
    return large / max(small, 1e-4)


def assert_linear(fn: Callable[[str], object], make: Callable[[int], str], n: int, label: str = "",
                  limit: float = 3.0, attempts: int = 3) -> None:
    """Fails when doubling the input more than triples the work, on every one of `attempts` tries (a quadratic pass
    quadruples it every time; a noisy machine rarely disturbs three tries in a row)."""
    ratios = []
    for _ in range(attempts):
        ratios.append(scaling_ratio(fn, make, n))
        if ratios[-1] <= limit:
            return
    raise AssertionError(f"{label or getattr(fn, '__name__', fn)}: doubling the input multiplied the time by "
                         f"{', '.join(f'{r:.1f}' for r in ratios)} (linear is about 2)")


def zip_bomb_docx(unpacked_mb: int = 200) -> bytes:
    """A real .docx plus one XML part of `unpacked_mb` MB of spaces: a few hundred KB on disk."""
    import io
    import zipfile

    from tests.resume_files import ENGLISH_RESUME, resume_docx_bytes

    source = zipfile.ZipFile(io.BytesIO(resume_docx_bytes(ENGLISH_RESUME)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item.filename))
        with bomb.open("word/padding.xml", "w", force_zip64=True) as part:
            block = b" " * (1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(block)
    return out.getvalue()
