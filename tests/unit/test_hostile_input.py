"""Hostile input: every text pass is linear (doubling the input doubles the work), documents are bounded (text cap,
.docx unpacked size, a time- and memory-limited parser process), and a folder import reads only the regular files
inside the folder, naming every file it refuses and importing the rest."""
from __future__ import annotations

import os
import time

import pytest

from bot.adapters.documents import document_reader
from bot.adapters.documents.sandbox import SandboxedParsers
from core.documents import MAX_RESUME_CHARS, DocumentError, DocumentReader, read_regular_file
from core.fairness import redact_personal_details
from core.resume.redaction import names_in_header, redact_contact_details, redact_for_model
from core.text import request_language
from tests import resume_files as files
from tests.hostile import PATTERNS, assert_linear, megabyte_text, one_line_resume, zip_bomb_docx

# ---- linear text passes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", sorted(PATTERNS))
def test_contact_redaction_is_linear_on_every_hostile_shape(shape):
    assert_linear(redact_contact_details, PATTERNS[shape], 20_000, f"redact_contact_details on {shape}")


@pytest.mark.parametrize("shape", ["dotted", "dashed", "digit_dashed", "at_signs", "hangul_run", "latin_run",
                                   "resume_one_line", "digit_run", "colons"])
def test_personal_redaction_and_language_detection_are_linear(shape):
    assert_linear(lambda t: redact_personal_details(t, ["Emily Carter", "김지우"]), PATTERNS[shape], 20_000,
                  f"redact_personal_details on {shape}")
    assert_linear(request_language, PATTERNS[shape], 20_000, f"request_language on {shape}")
    assert_linear(names_in_header, PATTERNS[shape], 20_000, f"names_in_header on {shape}")


@pytest.mark.parametrize("shape", ["resume_one_line", "dashed", "at_signs", "resume_lines"])
def test_skill_extraction_is_linear(empty_app, shape):
    assert_linear(empty_app.extractor.extract, PATTERNS[shape], 8_000, f"extract on {shape}")


def test_the_model_redaction_of_a_60kb_one_line_resume_keeps_its_work_and_removes_contacts():
    text = "Jane Doe jane.doe@mail.example 010-4821-7730 " + one_line_resume()
    redacted, counts = redact_for_model(text, ["Jane Doe"])
    assert "jane.doe@mail.example" not in redacted and "010-4821-7730" not in redacted
    assert counts["email"] >= 1 and "Kafka" in redacted
    assert_linear(lambda t: redact_for_model(t, ["Jane Doe"]), one_line_resume, 20_000, "redact_for_model")


def test_a_megabyte_of_text_is_redacted_like_a_short_one():
    text = megabyte_text()
    redacted, counts = redact_contact_details(text)
    short, short_counts = redact_contact_details(text[:20_000])
    assert redacted.startswith(short[:10_000]) and counts["email"] > short_counts["email"] > 0


# ---- documents: caps and the sandbox -----------------------------------------------------------------------------
READER = document_reader()


def test_text_over_the_cap_is_refused_with_a_clear_message():
    with pytest.raises(DocumentError) as caught:
        READER.read_bytes("long.txt", ("Kafka engineer. " * (MAX_RESUME_CHARS // 10)).encode())
    assert caught.value.code == "too_much_text" and "up to 100,000 are read" in str(caught.value)
    assert READER.read_bytes("ok.txt", b"Kafka engineer")


def test_a_docx_that_unpacks_to_hundreds_of_megabytes_is_refused_from_its_table_of_contents():
    bomb = zip_bomb_docx(200)
    assert len(bomb) < 2_000_000
    start = time.perf_counter()
    with pytest.raises(DocumentError) as caught:
        READER.read_bytes("cv.docx", bomb)
    assert caught.value.code == "unpacks_too_large" and "unpacks to 211 MB (the limit is 50 MB" in str(caught.value)
    assert time.perf_counter() - start < 5      # generous: inflating it would take far longer than parsing nothing


@pytest.fixture
def pathological():
    parsers = SandboxedParsers(timeout=1.0, memory_bytes=512 * 1024 * 1024, workers=1,
                               parsers_module="tests.pathological_parsers")
    yield parsers
    parsers.close()


def test_a_parser_that_never_returns_is_stopped_and_the_next_file_is_read(pathological):
    with pytest.raises(DocumentError) as caught:
        pathological.parse(".pdf", b"%PDF loop")
    assert caught.value.code == "too_complex" and "longer than 1 s" in str(caught.value)
    assert pathological.parse(".echo", b"next file") == "next file"       # a fresh worker


def test_a_parser_that_wants_all_memory_or_crashes_refuses_that_file_only():
    # a time limit long enough that a busy machine still reaches the memory limit first
    pathological = SandboxedParsers(timeout=30.0, memory_bytes=512 * 1024 * 1024, workers=1,
                                    parsers_module="tests.pathological_parsers")
    with pytest.raises(DocumentError) as caught:
        pathological.parse(".greedy", b"x")
    assert caught.value.code == "too_complex" and "memory" in str(caught.value)
    with pytest.raises(DocumentError) as crashed:
        pathological.parse(".crash", b"x")
    assert crashed.value.code == "too_complex"
    assert pathological.parse(".echo", b"still here") == "still here"
    pathological.close()


def test_a_reader_without_a_pdf_parser_says_so():
    with pytest.raises(DocumentError, match="no reader for them is installed"):
        DocumentReader().read_bytes("cv.pdf", files.pdf_bytes(files.ENGLISH_RESUME))


# ---- files that are not files ------------------------------------------------------------------------------------
def test_devices_pipes_folders_null_bytes_and_huge_files_are_refused_before_reading(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(50 * 1024 * 1024)       # sparse: 50 MB on paper, nothing read
    cases = {"/dev/zero": "not_a_file", str(fifo): "not_a_file", str(tmp_path): "not_a_file",
             "/nonexistent/\x00x": "unreadable", str(tmp_path / "missing.txt"): "unreadable", str(big): "too_large"}
    for path, code in cases.items():
        with pytest.raises(DocumentError) as caught:
            read_regular_file(path)
        assert caught.value.code == code, path


# ---- folder import ------------------------------------------------------------------------------------------------
def test_a_folder_import_reads_only_regular_files_inside_it_and_imports_the_rest(empty_app, tmp_path):
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    folder = tmp_path / "res"
    folder.mkdir()
    (folder / "people.csv").write_text("id,display_name,title\nE0100,Kim,Engineer\nE0101,Lee,Engineer\n"
                                       "E0102,Park,Engineer\nE0107,Cho,Engineer\n")
    (folder / "E0100.txt").write_text("Kafka and Java backend engineer")
    (folder / "E0101.docx").write_bytes(zip_bomb_docx(80))
    (folder / "E0102.md").write_text("# Engineer\nTerraform on AWS")
    os.symlink(secret, folder / "E0107.txt")
    os.symlink(secret.parent, folder / "linked")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / ".git").mkdir()
    (folder / ".git" / "E0100.txt").write_text("not this one")
    os.mkfifo(folder / "E0101.txt")
    report = empty_app.importer.import_path(folder)
    rejected, skipped = dict(report.rejected), dict(report.skipped)
    assert report.added == 4
    assert "unpacks to 85 MB (the limit is 50 MB" in rejected["E0101.docx"]
    assert "links are not followed" in skipped["E0107.txt"] and "links are not followed" in skipped["linked/"]
    assert skipped[".DS_Store"] == "hidden file, skipped" and skipped[".git/"] == "hidden folder, skipped"
    assert "not a regular file" in skipped["E0101.txt"]
    stored = {e.id: e.resume_text for e in empty_app.store.list_employees()}
    assert "root:x" not in " ".join(stored.values())
    assert "Kafka" in stored["E0100"] and "Terraform" in stored["E0102"]
    assert "skipped E0107.txt: a link" in report.summary()


def test_a_record_cannot_point_its_resume_file_out_of_its_folder(empty_app, tmp_path):
    (tmp_path / "secret.txt").write_text("root:x:0:0")
    folder = tmp_path / "export"
    folder.mkdir()
    os.symlink(tmp_path / "secret.txt", folder / "link.txt")
    (folder / "own.txt").write_text("Kafka engineer")
    (folder / "p.csv").write_text("id,display_name,resume_file\nE1,A,../secret.txt\nE2,B,link.txt\n"
                                  f"E3,C,{tmp_path / 'secret.txt'}\nE4,D,own.txt\n")
    report = empty_app.importer.import_path(folder / "p.csv")
    reasons = dict(report.rejected)
    assert report.added == 1 and empty_app.store.get_employee("E4") is not None
    for line in (2, 3, 4):
        assert "must be a file in the folder of the records file" in reasons[f"p.csv line {line}"]
