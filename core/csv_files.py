"""CSV in and out. Reading is strict about quotes (`csv_rows`): a row broken by an open quote is reported with its
line, never stored as garbage. What we write is safe to open in a spreadsheet: a cell that starts with = + - @, a
tab or a carriage return would be read by Excel or LibreOffice as a formula (`=cmd|' /C calc'!A0`, `@HYPERLINK(...)`), so it gets a leading apostrophe,
which spreadsheets show as text and never evaluate. Every csv writer in the project goes through `csv_writer`."""
from __future__ import annotations

import csv
import io
import re
from collections import deque
from typing import Callable, Iterable, Iterator

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
    """Lines handed to csv.reader one at a time, counting how many it took. The lines of the row being read are
    kept (only those: a file is never held whole), so that after a broken row reading can start again on the line
    after the row's first."""

    def __init__(self, lines: Iterable[str]):
        self._source = iter(lines)
        self._replay: deque[str] = deque()     # lines to hand out again after a broken row
        self._row: list[str] = []              # the lines handed out since the current row started
        self.at = 0                            # how many lines have been handed out (the last one's number)

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self._replay.popleft() if self._replay else next(self._source)
        self._row.append(line)
        self.at += 1
        return line

    def start_row(self) -> int:
        self._row.clear()
        return self.at

    def restart_after_first_line(self) -> None:
        """Hand out again every line of the current row but its first (a stray quote swallowed them)."""
        again = self._row[1:]
        self._replay.extendleft(reversed(again))
        self.at -= len(again)
        self._row.clear()


def csv_rows(text: str | Iterable[str], multiline: Callable[[str], bool] = lambda name: False
             ) -> tuple[list[str] | None, Iterator[tuple[int, list[str] | None, str | None]]]:
    """The header of a CSV text, or of its lines as a file opened with newline="\n" gives them (streamed: memory
    stays that of one row), None when it has none, and (line, cells, error) for each row after it, `line` being
    the row's first line.

    Strict about quotes: a row that runs over several lines must have exactly the header's number of cells and
    may break lines only in columns `multiline(name)` allows (a resume); otherwise a quote was left open, the row
    is reported with its line and reading starts again on the next line, so the rows a stray quote swallowed are
    still imported. A quote in the middle of a value (`a"b`) or at the end of the file is reported the same way."""
    source = _Lines(io.StringIO(text) if isinstance(text, str) else text)
    try:
        header = next(csv.reader(source, strict=True))
    except (StopIteration, csv.Error):
        return None, iter(())
    return header, _rows(source, header, multiline)


def _rows(source: _Lines, header: list[str], multiline: Callable[[str], bool]):
    reader = csv.reader(source, strict=True)
    while True:
        start = source.start_row()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                yield start + 1, None, (f"a value is longer than the {csv.field_size_limit():,} characters a cell "
                                        "may hold; put a resume that long in a file and name it in resume_file")
            else:
                yield start + 1, None, f"a quote is not closed or stands inside a value (malformed CSV: {exc})"
            source.restart_after_first_line()
            reader = csv.reader(source, strict=True)
            continue
        spans = source.at - start
        if spans > 1 and (len(cells) != len(header) or any(
                ("\n" in cell or "\r" in cell) and not multiline(name) for name, cell in zip(header, cells))):
            yield start + 1, None, (f"a quote is not closed: this row runs over {spans} lines; close the quote (or "
                                    "double a quote inside a value) and import it again")
            source.restart_after_first_line()
            reader = csv.reader(source, strict=True)
            continue
        yield start + 1, cells, None
