
import pytest

from core.documents import DocumentError, read_document


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
