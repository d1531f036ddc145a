
import pytest

from bot.adapters.documents import document_reader
from core.documents import DocumentError

READER = document_reader()
read_document = READER.read_path


def make_pdf(path, pages):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HYSMyeongJo-Medium"))
    c = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        c.setFont("HYSMyeongJo-Medium", 11)
        y = 800
        for line in lines:
            c.drawString(50, y, line)
            y -= 16
        c.showPage()
    c.save()


def make_docx(path, paragraphs, table=None):
    from docx import Document

    d = Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    d.save(str(path))


def test_pdf_text_from_every_page_in_korean_and_english(tmp_path):
    path = tmp_path / "cv.pdf"
    make_pdf(path, [["Backend Engineer", "Built Kafka pipelines"], ["두 번째 페이지", "쿠버네티스 클러스터 운영"],
                    ["Page three: Terraform modules"]])
    text = read_document(path)
    assert "Kafka" in text and "쿠버네티스" in text and "Terraform" in text


def test_docx_paragraphs_and_tables(tmp_path):
    path = tmp_path / "cv.docx"
    make_docx(path, ["재무 담당자", "K-IFRS 기준 월 결산"], table=[["Skill", "Years"], ["SAP FI", "4"]])
    text = read_document(path)
    assert "K-IFRS" in text and "SAP FI | 4" in text


def test_cp949_text_file(tmp_path):
    path = tmp_path / "cv.txt"
    path.write_bytes("인사 담당자\n채용 및 온보딩 운영".encode("cp949"))
    assert "채용" in read_document(path)


def test_specific_messages_for_unreadable_files(tmp_path):
    (tmp_path / "a.png").write_bytes(b"\x89PNG")
    with pytest.raises(DocumentError, match="unsupported file type '.png'"):
        read_document(tmp_path / "a.png")
    bad_docx = tmp_path / "b.docx"
    bad_docx.write_bytes(b"not a zip")
    with pytest.raises(DocumentError, match="damaged"):
        read_document(bad_docx)
    empty_pdf = tmp_path / "scan.pdf"
    make_pdf(empty_pdf, [[]])
    with pytest.raises(DocumentError, match="no text layer"):
        read_document(empty_pdf)
    (tmp_path / "empty.md").write_text("  \n")
    with pytest.raises(DocumentError, match="empty"):
        read_document(tmp_path / "empty.md")


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    make_pdf(plain, [["secret resume"]])
    writer = PdfWriter()
    for page in PdfReader(str(plain)).pages:
        writer.add_page(page)
    writer.encrypt("pw")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as f:
        writer.write(f)
    with pytest.raises(DocumentError, match="password"):
        read_document(locked)


# ---- uploads (bytes) -------------------------------------------------------------------------------------------
from core.documents import MAX_RESUME_BYTES  # noqa: E402

read_document_bytes = READER.read_bytes
from tests import resume_files as files  # noqa: E402


def test_uploaded_pdf_is_read_on_every_page_in_korean_and_english():
    korean = read_document_bytes("이력서.pdf", files.pdf_bytes(files.KOREAN_RESUME))
    assert "이메일: jiwoo.kim88@mail.example" in korean                      # page 1
    assert "쿠버네티스 클러스터 운영 및 배포 자동화 주도" in korean              # page 2
    assert "보유 기술: Kafka, Kubernetes" in korean and "정보처리기사" in korean   # page 3
    english = read_document_bytes("CV.PDF", files.pdf_bytes(files.ENGLISH_RESUME))
    assert "Emily Carter" in english and "Apache Spark on Databricks" in english
    assert "Databricks Certified Data Engineer Associate" in english


def test_uploaded_docx_paragraphs_and_table():
    text = read_document_bytes("cv.docx", files.resume_docx_bytes(files.KOREAN_RESUME))
    assert "카프카 기반 결제 이벤트 파이프라인" in text and "정보처리기사" in text
    assert "Kafka | 3" in text and "보유 기술 | Years" in text


def test_upload_leaves_no_temporary_files(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for name, data in (("a.pdf", files.pdf_bytes(files.ENGLISH_RESUME)), ("a.docx", files.docx_bytes(["x y"])),
                       ("a.txt", "텍스트".encode())):
        read_document_bytes(name, data)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name, make, code, words", [
    ("locked.pdf", lambda: files.encrypted_pdf_bytes(files.KOREAN_RESUME), "encrypted_pdf", "password-protected"),
    ("scan.pdf", files.image_only_pdf_bytes, "no_text_layer", "no text layer"),
    ("locked.docx", files.encrypted_docx_bytes, "encrypted_docx", "Word document is password-protected"),
    ("renamed.docx", files.legacy_doc_bytes, "legacy_format", "old Word .doc saved with a .docx name"),
    ("old.doc", files.legacy_doc_bytes, "legacy_format", "old Word .doc file"),
    ("한글.hwp", lambda: b"HWP Document File", "legacy_format", "Hangul (HWP)"),
    ("cv.pages", lambda: b"PK\x03\x04", "legacy_format", "Apple Pages"),
    ("photo.jpg", lambda: b"\xff\xd8\xff", "image", "an image has no text"),
    ("empty.txt", lambda: b"", "empty", "the file is empty"),
    ("blank.md", lambda: b" \n\t\n", "empty", "the file is empty"),
    ("sheet.xlsx", lambda: b"PK\x03\x04", "unsupported", "unsupported file type '.xlsx'"),
    ("fake.pdf", lambda: b"<html>not a pdf</html>", "damaged", "not a PDF"),
    ("broken.docx", lambda: b"PK\x03\x04broken", "damaged", "damaged or not a Word document"),
])
def test_specific_message_for_each_unusable_upload(name, make, code, words):
    with pytest.raises(DocumentError) as caught:
        read_document_bytes(name, make())
    assert caught.value.code == code
    assert words in str(caught.value)


def test_formats_that_work_are_named_when_a_format_does_not():
    for name in ("cv.doc", "cv.hwp", "cv.pages", "scan.png"):
        with pytest.raises(DocumentError) as caught:
            read_document_bytes(name, b"data")
        assert ".pdf" in str(caught.value) and ".docx" in str(caught.value)


def test_too_large_upload_and_file_say_the_size_and_the_limit(tmp_path):
    with pytest.raises(DocumentError) as caught:
        read_document_bytes("big.txt", files.too_large_bytes())
    assert str(caught.value) == "the file is 10.5 MB; the limit is 10 MB"
    assert caught.value.params == {"size_mb": 10.5, "limit_mb": 10}
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * MAX_RESUME_BYTES)
    with pytest.raises(DocumentError, match=r"10\.5 MB; the limit is 10 MB"):
        read_document(big)


def test_read_document_from_a_folder_gives_the_same_messages(tmp_path):
    (tmp_path / "locked.docx").write_bytes(files.encrypted_docx_bytes())
    with pytest.raises(DocumentError, match="password-protected"):
        read_document(tmp_path / "locked.docx")
    (tmp_path / "cv.pdf").write_bytes(files.pdf_bytes(files.ENGLISH_RESUME))
    assert "Airflow" in read_document(tmp_path / "cv.pdf")
