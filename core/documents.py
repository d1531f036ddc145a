"""Text out of resume files: .txt, .md, .pdf (every page) and .docx (paragraphs and tables)."""
from __future__ import annotations

from pathlib import Path

SUPPORTED_RESUME_TYPES = (".txt", ".md", ".pdf", ".docx")
MAX_RESUME_BYTES = 10 * 1024 * 1024


class DocumentError(Exception):
    """A file we cannot read, with the reason in words a user understands."""


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949", "euc-kr"):  # Korean files from older Windows tools are often CP949
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError("the text is not UTF-8 or CP949/EUC-KR encoded")


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError("the PDF is password-protected")
            except DocumentError:
                raise
            except Exception as exc:
                raise DocumentError("the PDF is password-protected") from exc
        pages = [(page.extract_text() or "") for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise DocumentError(f"the PDF could not be read ({exc.__class__.__name__})") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise DocumentError("the PDF has no text layer (scanned image?); export it with text or send a .docx")
    return text


def _docx_text(path: Path) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise DocumentError("the .docx file is damaged or not a Word document") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    text = "\n".join(lines)
    if not text.strip():
        raise DocumentError("the Word document contains no text")
    return text


def read_document(path: Path | str) -> str:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_RESUME_TYPES:
        raise DocumentError(f"unsupported file type '{suffix or 'none'}' (use {', '.join(SUPPORTED_RESUME_TYPES)})")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"cannot open the file ({exc.strerror})") from exc
    if size > MAX_RESUME_BYTES:
        raise DocumentError(f"the file is {size / 1e6:.1f} MB; the limit is {MAX_RESUME_BYTES / 1e6:.0f} MB")
    if suffix == ".pdf":
        return _pdf_text(path)
    if suffix == ".docx":
        return _docx_text(path)
    text = _decode(path.read_bytes())
    if not text.strip():
        raise DocumentError("the file is empty")
    return text
