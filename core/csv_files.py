"""CSV in and out. Reading is strict about quotes (`csv_rows`): a row broken by an open quote is reported with its
line, never stored as garbage. What we write is safe to open in a spreadsheet: a cell that starts with = + - @, a
tab or a carriage return would be read by Excel or LibreOffice as a formula (`=cmd|' /C calc'!A0`, `@HYPERLINK(...)`), so it gets a leading apostrophe,
which spreadsheets show as text and never evaluate. Every csv writer in the project goes through `csv_writer`."""
from __future__ import annotations

import csv
import io
import re
from typing import Callable, Iterator

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
# what an imported value looks like when it is a spreadsheet formula rather than a name or a title
_FORMULA = re.compile(r"\s*(?:=|[+\-@]\s*[A-Za-z_][\w.]*\s*\()")


def safe_cell(value):
    """`value` as a spreadsheet will show it, never run it: numbers stay numbers ("-1", "0.25")."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def looks_like_formula(value: str) -> bool:
    """An imported field such as "=HYPERLINK(...)", "+SUM(A1)" or "@cmd(...)": a formula, not a name or title."""
    return bool(_FORMULA.match(value or ""))


class _SafeWriter:
    def __init__(self, inner):
        self._inner = inner

    def writerow(self, row):
        return self._inner.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> _SafeWriter:
    """csv.writer whose every cell goes through safe_cell."""
    return _SafeWriter(csv.writer(out, **kwargs))


class _Lines:
    """The lines of a text, handed to csv.reader one at a time, counting how many it took."""

    def __init__(self, lines: list[str], at: int = 0):
        self.lines = lines
        self.at = at

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.at >= len(self.lines):
            raise StopIteration
        self.at += 1
        return self.lines[self.at - 1]


def csv_rows(text: str, multiline: Callable[[str], bool] = lambda name: False
             ) -> tuple[list[str] | None, Iterator[tuple[int, list[str] | None, str | None]]]:
    """The header of a CSV text (None when it has none) and (line, cells, error) for each row after it, `line`
    being the row's first line.

    Strict about quotes: a row that runs over several lines must have exactly the header's number of cells and
    may break lines only in columns `multiline(name)` allows (a resume); otherwise a quote was left open, the row
    is reported with its line and reading starts again on the next line, so the rows a stray quote swallowed are
    still imported. A quote in the middle of a value (`a"b`) or at the end of the file is reported the same way."""
    lines = io.StringIO(text).readlines()
    source = _Lines(lines)
    try:
        header = next(csv.reader(source, strict=True))
    except (StopIteration, csv.Error):
        return None, iter(())
    return header, _rows(lines, source, header, multiline)


def _rows(lines: list[str], source: _Lines, header: list[str], multiline: Callable[[str], bool]):
    reader = csv.reader(source, strict=True)
    while source.at < len(lines):
        start = source.at
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start + 1, None, f"a quote is not closed or stands inside a value (malformed CSV: {exc})"
            source.at = start + 1
            reader = csv.reader(source, strict=True)
            continue
        spans = source.at - start
        if spans > 1 and (len(cells) != len(header) or any(
                ("\n" in cell or "\r" in cell) and not multiline(name) for name, cell in zip(header, cells))):
            yield start + 1, None, (f"a quote is not closed: this row runs over {spans} lines; close the quote (or "
                                    "double a quote inside a value) and import it again")
            source.at = start + 1
            reader = csv.reader(source, strict=True)
            continue
        yield start + 1, cells, None
