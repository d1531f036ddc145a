"""Text out of resume files: .txt, .md, .pdf (every page) and .docx (paragraphs and tables).

`read_document_bytes` serves uploads (the bytes never touch the disk); `read_document` serves imports from a folder.
Both refuse with a `DocumentError` whose message says what is wrong and what to do instead; `code` and `params`
let a chat handler word the same refusal in the user's language.
"""
from __future__ import annotations

import io
from pathlib import Path

SUPPORTED_RESUME_TYPES = (".txt", ".md", ".pdf", ".docx")
MAX_RESUME_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 100          # a resume is a few pages; this bounds the extraction time of a pathological upload

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
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # compound file: old .doc, or a password-protected .docx


class DocumentError(Exception):
    """A file we cannot read, with the reason in words a user understands.

    `code` names the reason (too_large, empty, encrypted_pdf, encrypted_docx, no_text_layer, legacy_format, image,
    unsupported, damaged, no_text, encoding, too_many_pages, unreadable) and `params` holds the numbers and names
    the message mentions, so the message can be said again in another language.
    """

    def __init__(self, message: str, code: str = "unreadable", **params):
        super().__init__(message)
        self.code = code
        self.params = params


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949", "euc-kr"):  # Korean files from older Windows tools are often CP949
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError("the text is not UTF-8 or CP949/EUC-KR encoded; save it as UTF-8", "encoding")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if b"%PDF" not in data[:1024]:   # the header may follow a little junk
        raise DocumentError("the file is named .pdf but is not a PDF; export the resume as PDF again", "damaged",
                            kind="PDF")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")    # "owner-password only" PDFs open with an empty user password
            except Exception:
                opened = 0
            if not opened:
                raise DocumentError("the PDF is password-protected; remove the password (print it to a new PDF) "
                                    "and upload it again", "encrypted_pdf")
        pages = reader.pages
        count = len(pages)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(f"the PDF could not be read ({exc.__class__.__name__}); it may be damaged, export it "
                            "again", "damaged", kind="PDF") from exc
    if count > MAX_PDF_PAGES:
        raise DocumentError(f"the PDF has {count} pages; a resume of up to {MAX_PDF_PAGES} pages is read",
                            "too_many_pages", pages=count, limit=MAX_PDF_PAGES)
    texts, failed = [], 0
    for page in pages:   # every page: skills are often on page 2 or 3
        try:
            texts.append(page.extract_text() or "")
        except Exception:  # one broken page must not hide the others
            failed += 1
    if failed == count and count:
        raise DocumentError("the PDF could not be read (no page could be opened); export it again", "damaged",
                            kind="PDF")
    text = "\n".join(texts)
    if not text.strip():
        raise DocumentError("the PDF has no text layer (it looks like a scanned image); export it from the "
                            "original document as PDF, or upload a .docx", "no_text_layer")
    return text


def _docx_text(data: bytes) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(_OLE_MAGIC):
        # Word writes a password-protected .docx as an OLE compound file holding the encrypted package.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise DocumentError("the Word document is password-protected; remove the password (File > Info > "
                                "Protect Document) and upload it again", "encrypted_docx")
        raise DocumentError("the file is an old Word .doc saved with a .docx name; open it in Word and save it as "
                            ".docx or PDF", "legacy_format", suffix=".doc")
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise DocumentError("the .docx file is damaged or not a Word document; save it from Word again",
                            "damaged", kind="Word") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    text = "\n".join(lines)
    if not text.strip():
        raise DocumentError("the Word document contains no text", "no_text")
    return text


def _check_type(suffix: str) -> None:
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


def _too_large(size: int) -> DocumentError:
    return DocumentError(f"the file is {size / 1e6:.1f} MB; the limit is {MAX_RESUME_BYTES / 1e6:.0f} MB",
                         "too_large", size_mb=round(size / 1e6, 1), limit_mb=round(MAX_RESUME_BYTES / 1e6))


def read_document_bytes(filename: str, data: bytes) -> str:
    """The text of an uploaded resume; `filename` decides the type. Nothing is written to disk."""
    suffix = Path(filename or "").suffix.lower()
    _check_type(suffix)
    if len(data) > MAX_RESUME_BYTES:
        raise _too_large(len(data))
    if not data or not data.strip():
        raise DocumentError("the file is empty", "empty")
    if suffix == ".pdf":
        return _pdf_text(data)
    if suffix == ".docx":
        return _docx_text(data)
    text = _decode(data)
    if not text.strip():
        raise DocumentError("the file is empty", "empty")
    return text


def read_document(path: Path | str) -> str:
    path = Path(path)
    _check_type(path.suffix.lower())
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"cannot open the file ({exc.strerror})", "unreadable", reason=exc.strerror) from exc
    if size > MAX_RESUME_BYTES:   # checked before reading, so a huge file is never loaded
        raise _too_large(size)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot open the file ({exc.strerror})", "unreadable", reason=exc.strerror) from exc
    return read_document_bytes(path.name, data)
