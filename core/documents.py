"""Text out of resume and company files: the port, the checks every format shares, and plain text.

`DocumentReader.read_bytes` serves uploads (the bytes never touch the disk); `read_path` serves imports from a folder.
Both refuse with a `DocumentError` whose message says what is wrong and what to do instead; `code` and `params`
let a chat handler word the same refusal in the user's language.

.txt and .md are read here. PDF and Word need a driver (pypdf, python-docx): the parsers for them live at the edge
(bot/adapters/documents) and are handed to `DocumentReader(parsers=...)`; core imports no document driver. A reader
without a parser for a type refuses that type with a clear message.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable, Mapping

SUPPORTED_RESUME_TYPES = (".txt", ".md", ".pdf", ".docx")
MAX_RESUME_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 100          # a resume is a few pages; this bounds the extraction time of a pathological upload
# A long resume is 5-20 thousand characters; 100,000 is some forty pages. More is not a resume (or hides something
# built to slow us down), and every later pass (redaction, skills, embedding) is bounded by this.
MAX_RESUME_CHARS = 100_000
MAX_KNOWLEDGE_CHARS = 1_000_000   # company handbooks are longer; they are cut into sections

_SUPPORTED_WORDS = ".pdf (with text), .docx, .txt or .md"
# Formats people often have their resume in, and how to turn each into one we read.
_LEGACY_FORMATS = {
    ".doc": ("legacy_doc", "an old Word .doc file; open it in Word and save it as .docx or PDF"),
    ".hwp": ("hwp", "a Hangul (HWP) file; in Hancom Office use Save As PDF or .docx"),
    ".hwpx": ("hwp", "a Hangul (HWPX) file; in Hancom Office use Save As PDF or .docx"),
    ".pages": ("pages", "an Apple Pages file; in Pages use File > Export To > PDF or Word"),
    ".rtf": ("rtf", "an RTF file; save it as .docx or PDF"),
    ".odt": ("odt", "an OpenDocument file; save it as .docx or PDF"),
}
_IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".webp")

Parser = Callable[[bytes], str]     # the bytes of one file -> its text, or DocumentError


class DocumentError(Exception):
    """A file we cannot read, with the reason in words a user understands.

    `code` names the reason (too_large, empty, encrypted_pdf, encrypted_docx, no_text_layer, legacy_format, image,
    unsupported, damaged, no_text, encoding, too_many_pages, too_much_text, too_complex, unpacks_too_large,
    not_a_file, unreadable) and `params` holds the numbers and names the message mentions, so the message can be said
    again in another language.
    """

    def __init__(self, message: str, code: str = "unreadable", **params):
        super().__init__(message)
        self.code = code
        self.params = params


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949", "euc-kr"):  # Korean files from older Windows tools are often CP949
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError("the text is not UTF-8 or CP949/EUC-KR encoded; save it as UTF-8", "encoding")


def check_type(suffix: str) -> None:
    if suffix in SUPPORTED_RESUME_TYPES:
        return
    shown = suffix or "none"
    if suffix in _LEGACY_FORMATS:
        code, advice = _LEGACY_FORMATS[suffix]
        raise DocumentError(f"unsupported file type '{shown}': this is {advice} ({_SUPPORTED_WORDS} work)",
                            "legacy_format", suffix=suffix)
    if suffix in _IMAGE_TYPES:
        raise DocumentError(f"unsupported file type '{shown}': an image has no text to read; upload the resume as "
                            f"{_SUPPORTED_WORDS}", "image", suffix=suffix)
    raise DocumentError(f"unsupported file type '{shown}' (use {', '.join(SUPPORTED_RESUME_TYPES)})", "unsupported",
                        suffix=shown)


def too_large(size: int, limit: int = MAX_RESUME_BYTES) -> DocumentError:
    return DocumentError(f"the file is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB",
                         "too_large", size_mb=round(size / 1e6, 1), limit_mb=round(limit / 1e6))


def too_much_text(chars: int, limit: int) -> DocumentError:
    return DocumentError(f"the file holds {chars:,} characters of text; up to {limit:,} are read (a long resume has "
                         "about 20,000): check that it is the right file, or shorten it", "too_much_text",
                         chars=f"{chars:,}", limit=f"{limit:,}")


def read_regular_file(path: Path | str, limit: int = MAX_RESUME_BYTES) -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes. Type and size are checked on the open
    file before a byte is read: a FIFO (opened without blocking), a device such as /dev/zero, a folder or a huge
    file is refused with a DocumentError, never read; so is a path with a null byte."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except ValueError as exc:        # an embedded null byte
        raise DocumentError("the path is not valid (it contains a null byte)", "unreadable",
                            reason="invalid path") from exc
    except IsADirectoryError as exc:
        raise DocumentError(f"{path.name or path} is a folder; give the path of a file", "not_a_file",
                            what="a folder") from exc
    except OSError as exc:
        raise DocumentError(f"cannot open the file ({exc.strerror})", "unreadable", reason=exc.strerror) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, pipe or socket)"
            raise DocumentError(f"{path.name or path} is {what}; give the path of a file", "not_a_file", what=what)
        if info.st_size > limit:
            raise too_large(info.st_size, limit)
        chunks, size = [], 0
        while size <= limit:     # a file that grew since fstat is still read no further than the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise DocumentError(f"cannot read the file ({exc.strerror})", "unreadable", reason=exc.strerror) from exc
    finally:
        os.close(fd)
    if len(data) > limit:
        raise too_large(len(data), limit)
    return data


class DocumentReader:
    """Reads .txt/.md itself and the binary formats through `parsers` ({".pdf": fn, ".docx": fn}), with the checks
    every format shares: supported type, size before reading, not empty, and at most `max_chars` of text after."""

    def __init__(self, parsers: Mapping[str, Parser] | None = None):
        self.parsers = dict(parsers or {})

    def read_bytes(self, filename: str, data: bytes, max_chars: int = MAX_RESUME_CHARS) -> str:
        """The text of an uploaded file; `filename` decides the type. Nothing is written to disk."""
        suffix = Path(filename or "").suffix.lower()
        check_type(suffix)
        if len(data) > MAX_RESUME_BYTES:
            raise too_large(len(data))
        if not data or not data.strip():
            raise DocumentError("the file is empty", "empty")
        if suffix in (".txt", ".md"):
            text = decode_text(data)
        elif suffix in self.parsers:
            text = self.parsers[suffix](data)
        else:
            raise DocumentError(f"{suffix} files cannot be read here (no reader for them is installed); "
                                "send the resume as .txt or .md", "unsupported", suffix=suffix)
        if not text.strip():
            raise DocumentError("the file is empty", "empty")
        if len(text) > max_chars:
            raise too_much_text(len(text), max_chars)
        return text

    def read_path(self, path: Path | str, max_chars: int = MAX_RESUME_CHARS) -> str:
        path = Path(path)
        check_type(path.suffix.lower())
        return self.read_bytes(path.name, read_regular_file(path), max_chars)


TEXT_ONLY = DocumentReader()    # what core uses when no reader was handed in: .txt and .md


def folder_files(root: Path | str) -> tuple[list[Path], list[tuple[str, str]]]:
    """The regular files under `root` an import may read, and (name, why) for each entry it skips.

    Links are never followed (a link named E0107.txt pointing at /etc/passwd is skipped, as is a linked folder),
    nothing that resolves outside `root` is read, hidden files and folders (.DS_Store, .git) are skipped with a
    message, and so are devices, pipes and sockets. Files come sorted by their path under `root`."""
    root = Path(root)
    real_root = root.resolve()
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in sorted(dirs):
            path = here / name
            rel = str(path.relative_to(root))
            if name.startswith("."):
                skipped.append((rel + "/", "hidden folder, skipped"))
                dirs.remove(name)
            elif path.is_symlink():       # os.walk does not enter it; say so instead of ignoring it silently
                skipped.append((rel + "/", "a link to a folder; links are not followed (copy the files into the "
                                           "folder instead)"))
        for name in names:
            path = here / name
            rel = str(path.relative_to(root))
            if name.startswith("."):
                skipped.append((rel, "hidden file, skipped"))
                continue
            try:
                info = os.lstat(path)
            except OSError as exc:
                skipped.append((rel, f"cannot open the file ({exc.strerror})"))
                continue
            if stat.S_ISLNK(info.st_mode):
                skipped.append((rel, "a link; links are not followed, so that nothing outside the folder is read "
                                     "(copy the file into the folder instead)"))
            elif not stat.S_ISREG(info.st_mode):
                skipped.append((rel, "not a regular file (a device, pipe or socket), skipped"))
            elif not path.resolve().is_relative_to(real_root):
                skipped.append((rel, "resolves outside the folder, skipped"))
            else:
                files.append(path)
    files.sort(key=lambda p: str(p.relative_to(root)))
    return files, skipped
