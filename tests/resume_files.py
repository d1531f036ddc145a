"""Resume files for tests, made in memory: multi-page PDFs (Korean through reportlab's built-in CID fonts, whose text
pypdf extracts again), DOCX with paragraphs and a table, an encrypted PDF, an image-only PDF, a password-protected
DOCX (an OLE compound file, as Word writes one) and files over the size limit.

The sample resumes put contact details on page 1 and most skills on pages 2 and 3, so a reader that stops after the
first page fails the tests.
"""
from __future__ import annotations

import io
import struct

from core.documents import MAX_RESUME_BYTES

KOREAN_FONT = "HYSMyeongJo-Medium"   # reportlab's built-in CID font: needs no font file, and pypdf reads it back

KOREAN_NAME = "김지우"
KOREAN_CONTACT = {
    "email": "jiwoo.kim88@mail.example",
    "phone": "010-4821-7730",
    "rrn": "880314-2345678",
    "address": "서울특별시 강남구 테헤란로 152",
}
KOREAN_RESUME = [
    [  # page 1: personal and contact details, summary
        "이력서",
        f"이름: {KOREAN_NAME}",
        "생년월일: 1988년 3월 14일",
        "성별: 여",
        f"주민등록번호: {KOREAN_CONTACT['rrn']}",
        f"주소: {KOREAN_CONTACT['address']}",
        f"휴대폰: {KOREAN_CONTACT['phone']}",
        f"이메일: {KOREAN_CONTACT['email']}",
        "",
        "[자기소개]",
        "결제 플랫폼을 만들어 온 9년차 백엔드 개발자입니다.",
    ],
    [  # page 2: experience
        "[경력 사항]",
        "데모코프 | 시니어 백엔드 개발자 | 2019.03 ~ 현재",
        "- 카프카 기반 결제 이벤트 파이프라인 설계 및 구축, 일 2억 건 처리",
        "- 쿠버네티스 클러스터 운영 및 배포 자동화 주도",
        "- Java 17, 스프링 부트로 정산 API 개발",
        "블루웨이브핀테크 | 백엔드 개발자 | 2016.01 ~ 2019.02",
        "- PostgreSQL 쿼리 튜닝으로 응답 시간 40% 단축",
        "- Redis 캐시 도입",
    ],
    [  # page 3: skills, education, certifications, languages
        "보유 기술: Kafka, Kubernetes, Java, Spring Boot, PostgreSQL, Redis",
        "Terraform 기초 학습 중",
        "[학력]",
        "한양대학교 컴퓨터공학과 학사 (2015년 졸업)",
        "[자격증]",
        "- 정보처리기사",
        "- AWS Certified Solutions Architect – Associate",
        "외국어: 영어 (비즈니스 회화), TOEIC 905",
    ],
]

ENGLISH_NAME = "Emily Carter"
ENGLISH_CONTACT = {
    "email": "emily.carter@inbox.example",
    "phone": "+82 10-5512-0934",
    "address": "221 Baker Street, London NW1 6XE",
}
ENGLISH_RESUME = [
    [
        ENGLISH_NAME,
        f"Phone: {ENGLISH_CONTACT['phone']} | Email: {ENGLISH_CONTACT['email']}",
        f"Address: {ENGLISH_CONTACT['address']}",
        "Date of birth: 1990-07-02",
        "Nationality: British",
        "",
        "SUMMARY",
        "Data engineer with 8 years of experience building batch and streaming platforms.",
    ],
    [
        "EXPERIENCE",
        "Demo Corp — Senior Data Engineer (Mar 2020 – Present)",
        "- Led the migration of nightly batch jobs to Apache Spark on Databricks",
        "- Architected Airflow pipelines that load 3 TB a day into the warehouse",
        "Contoso Pay — Data Engineer (Jan 2017 – Feb 2020)",
        "- Built dbt models and SQL reporting for finance",
        "- Basic familiarity with Scala for Spark jobs",
    ],
    [
        "Skills: Spark, Airflow, dbt, SQL, Python, Scala",
        "EDUCATION",
        "B.S. in Computer Science, University of Toronto, 2016",
        "CERTIFICATIONS",
        "- Databricks Certified Data Engineer Associate",
        "Languages: English (native), Korean (conversational)",
    ],
]


def _wrapped(line: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out, current = [], ""
    for word in line.split(" "):
        candidate = f"{current} {word}".strip()
        if current and stringWidth(candidate, font, size) > width:
            out.append(current)
            current = word
        else:
            current = candidate
    return out + [current]


def pdf_bytes(pages: list[list[str]], font: str = KOREAN_FONT) -> bytes:
    """A PDF with one page per list of lines; long lines wrap. The CID font covers Hangul and ASCII."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if font == KOREAN_FONT:
        pdfmetrics.registerFont(UnicodeCIDFont(KOREAN_FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for lines in pages:
        pdf.setFont(font, 11)
        y = 800
        for line in lines:
            for piece in _wrapped(line, font, 11, A4[0] - 100):
                pdf.drawString(50, y, piece)
                y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    from docx import Document

    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def resume_docx_bytes(pages: list[list[str]]) -> bytes:
    """A resume as Word writes one: the lines as paragraphs, and the skills line of the last page as a table."""
    lines = [line for page in pages for line in page]
    skills = next(line for line in lines if ":" in line and line.split(":")[0].strip() in ("Skills", "보유 기술"))
    label, values = skills.split(":", 1)
    table = [[label.strip(), "Years"]] + [[v.strip(), str(3 + i)] for i, v in enumerate(values.split(","))]
    return docx_bytes([line for line in lines if line != skills], table)


def encrypted_pdf_bytes(pages: list[list[str]], password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes(pages))).pages:
        writer.add_page(page)
    writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_only_pdf_bytes(pages: int = 2) -> bytes:
    """A scan: every page is a picture, there is no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (300, 400), "white")
    draw = ImageDraw.Draw(picture)
    for y in range(20, 380, 24):
        draw.rectangle((20, y, 280, y + 8), fill="black")   # what lines of scanned text look like
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        pdf.drawImage(ImageReader(picture), 50, 300, width=300, height=400)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def ole_compound_bytes(stream_names: tuple[str, ...]) -> bytes:
    """A minimal valid OLE compound file (CFB v3) with the given streams of 4 KB each.

    Word saves a password-protected .docx as such a file with the streams EncryptionInfo and EncryptedPackage; an
    old .doc has WordDocument instead.
    """
    sector = 512
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    stream_sectors = 4096 // sector
    fat = [fat_sector, end]                    # sector 0: the FAT, sector 1: the directory
    starts = []
    for _ in stream_names:
        first = len(fat)
        starts.append(first)
        fat += list(range(first + 1, first + stream_sectors)) + [end]
    fat += [free] * (sector // 4 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", free, right, child) + bytes(16) + bytes(4) + bytes(16)
                + struct.pack("<II", start, size) + bytes(4))

    # Siblings form a tree ordered by name length: the root's child is the first stream, each next one its right.
    entries = [entry("Root Entry", 5, 1 if stream_names else free, free, end, 0)]
    for i, name in enumerate(stream_names):
        right = i + 2 if i + 1 < len(stream_names) else free
        entries.append(entry(name, 2, free, right, starts[i], 4096))
    directory = b"".join(entries).ljust(sector, b"\x00")
    streams = b"".join(bytes([i + 1]) * 4096 for i in range(len(stream_names)))
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + streams


def encrypted_docx_bytes() -> bytes:
    return ole_compound_bytes(("EncryptionInfo", "EncryptedPackage"))


def legacy_doc_bytes() -> bytes:
    return ole_compound_bytes(("1Table", "WordDocument"))


def too_large_bytes() -> bytes:
    return b"a" * (MAX_RESUME_BYTES + 1)
