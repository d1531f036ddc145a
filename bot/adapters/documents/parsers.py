"""PDF and Word text with the drivers (pypdf, python-docx): every page of a PDF, the paragraphs and tables of a
.docx. These functions run inside the sandboxed worker (bot.adapters.documents.sandbox); they raise
core.documents.DocumentError with the reason in words a user understands."""
from __future__ import annotations

import io
import zipfile

from core.documents import MAX_PDF_PAGES, DocumentError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # compound file: old .doc, or a password-protected .docx
# What a .docx may unpack to before it is parsed. A long resume with photos unpacks to a few MB; a zip bomb of
# 0.5 MB unpacking to 200 MB of XML is refused from its table of contents, before a byte of it is inflated.
MAX_DOCX_UNPACKED = 50_000_000
MAX_DOCX_XML = 20_000_000
MAX_DOCX_PARTS = 2000


def pdf_text(data: bytes) -> str:
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
        except MemoryError:
            raise
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


def check_docx_package(data: bytes) -> None:
    """Refuse a .docx whose parts would unpack to more than we read, from the zip's table of contents."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentError("the .docx file is damaged or not a Word document; save it from Word again",
                            "damaged", kind="Word") from exc
    unpacked = sum(p.file_size for p in parts)
    xml = sum(p.file_size for p in parts if p.filename.endswith((".xml", ".rels")))
    if len(parts) > MAX_DOCX_PARTS or unpacked > MAX_DOCX_UNPACKED or xml > MAX_DOCX_XML:
        size = max(unpacked, xml)
        raise DocumentError(f"the Word document unpacks to {size / 1e6:.0f} MB (the limit is "
                            f"{MAX_DOCX_UNPACKED / 1e6:.0f} MB, {MAX_DOCX_XML / 1e6:.0f} MB of text and layout); save "
                            "the resume again from Word, without embedded files, or as PDF", "unpacks_too_large",
                            size_mb=round(size / 1e6), limit_mb=round(MAX_DOCX_UNPACKED / 1e6))


def docx_text(data: bytes) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(_OLE_MAGIC):
        # Word writes a password-protected .docx as an OLE compound file holding the encrypted package.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise DocumentError("the Word document is password-protected; remove the password (File > Info > "
                                "Protect Document) and upload it again", "encrypted_docx")
        raise DocumentError("the file is an old Word .doc saved with a .docx name; open it in Word and save it as "
                            ".docx or PDF", "legacy_format", suffix=".doc")
    check_docx_package(data)
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


PARSERS = {".pdf": pdf_text, ".docx": docx_text}
