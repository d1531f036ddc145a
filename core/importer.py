"""`internal-hire import`: employee records (CSV, JSON, JSONL) and folders of resume files.

Idempotent upsert by id; only profiles whose title or resume changed are re-extracted and re-embedded; a bad row or
unreadable file is reported with its line or name and everything else is kept.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from core.csv_files import csv_rows, looks_like_formula
from core.documents import SUPPORTED_RESUME_TYPES, TEXT_ONLY, DocumentError, DocumentReader, folder_files
from core.resume.redaction import redact_contact_details
from core.domain import LEVELS, PROTECTED_FIELDS, Employee, Role, level_rank
from core.ports import Embedder
from core.profiles import ProfileBuilder, profile_hash

RECORD_FIELDS = ("id", "display_name", "email", "slack_user_id", "teams_user_id", "department", "title", "level",
                 "location", "role", "open_to_moves", "mentor", "languages", "resume_text", "resume_file")
FIELD_ALIASES = {"name": "display_name", "employee_id": "id", "dept": "department", "open": "open_to_moves",
                 "open_to_internal_moves": "open_to_moves", "resume": "resume_text", "slack_id": "slack_user_id",
                 "teams_id": "teams_user_id", "job_title": "title", "langs": "languages", "is_mentor": "mentor",
                 "멘토": "mentor"}
RECORD_SUFFIXES = (".csv", ".json", ".jsonl", ".ndjson")
BATCH_SIZE = 256
log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    reembedded: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)   # (where, why)
    ignored_fields: set[str] = field(default_factory=set)
    skipped: list[tuple[str, str]] = field(default_factory=list)    # (where, why): hidden files, links

    @property
    def total_ok(self) -> int:
        return self.added + self.updated + self.unchanged

    def as_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "reembedded": self.reembedded,
                "rejected": [{"where": w, "reason": r} for w, r in self.rejected],
                "ignored_protected_fields": sorted(self.ignored_fields),
                "skipped": [{"where": w, "reason": r} for w, r in self.skipped]}

    def summary(self) -> str:
        lines = [f"Import finished: {self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                 f"{len(self.rejected)} rejected ({self.reembedded} profiles embedded)."]
        if self.ignored_fields:
            lines.append("Ignored protected fields (never stored or matched): " + ", ".join(sorted(self.ignored_fields)))
        for where, why in self.rejected:
            lines.append(f"  rejected {where}: {why}")
        for where, why in self.skipped:
            lines.append(f"  skipped {where}: {why}")
        return "\n".join(lines)


class RecordError(ValueError):
    pass



def stored_resume(text: str) -> str:
    """What is kept of an imported resume: e-mails, phone numbers, resident registration numbers and street
    addresses are removed first, so they are never stored, embedded or sent to a model."""
    return redact_contact_details(text)[0] if text else text

def _parse_bool(value, field: str = "open_to_moves") -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in ("1", "true", "yes", "y", "open", "o", "예", "네", "true."):
        return True
    if text in ("", "0", "false", "no", "n", "closed", "x", "아니오", "아니요"):
        return False
    raise RecordError(f"{field} must be yes/no or true/false, got {value!r}")


def _parse_languages(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [p.strip() for p in str(value or "").replace(";", ",").replace("|", ",").split(",") if p.strip()]


def field_name(key) -> str:
    """A column or JSON key as the field it names ("Display Name", "dept", "멘토" -> display_name, department, mentor)."""
    name = str(key or "").strip().lower().replace(" ", "_").replace("-", "_")
    return FIELD_ALIASES.get(name, name)


def record_to_employee(raw: dict, base_dir: Path | None, report: ImportReport,
                       documents: DocumentReader = TEXT_ONLY) -> Employee:
    if not isinstance(raw, dict):
        raise RecordError("expected an object with employee fields")
    record: dict = {}
    for key, value in raw.items():
        name = field_name(key)
        if name in PROTECTED_FIELDS:
            report.ignored_fields.add(name)
            continue
        record[name] = value
    eid = str(record.get("id") or "").strip()
    if not eid:
        raise RecordError("missing id")
    name = str(record.get("display_name") or "").strip()
    if not name:
        raise RecordError(f"employee {eid}: missing display_name")
    try:
        role = Role.parse(record.get("role"))
    except ValueError as exc:
        raise RecordError(f"employee {eid}: {exc}") from exc
    try:
        open_flag = _parse_bool(record.get("open_to_moves"))
        mentor = _parse_bool(record.get("mentor"), "mentor")
    except RecordError as exc:
        raise RecordError(f"employee {eid}: {exc}") from exc
    resume = str(record.get("resume_text") or "")
    resume_file = str(record.get("resume_file") or "").strip()
    if resume_file:
        path = Path(resume_file)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        # a record names a file next to it: never a link, never a path out of its folder (../../etc/passwd)
        if base_dir is not None and (path.is_symlink() or not path.resolve().is_relative_to(base_dir.resolve())):
            raise RecordError(f"employee {eid}: resume file {resume_file}: must be a file in the folder of the "
                              "records file (links and paths outside it are not read)")
        try:
            resume = documents.read_path(path)
        except DocumentError as exc:
            raise RecordError(f"employee {eid}: resume file {resume_file}: {exc}") from exc
    email = str(record.get("email") or "").strip()
    if email and ("@" not in email or " " in email):
        raise RecordError(f"employee {eid}: email {email!r} is not an e-mail address")
    level = str(record.get("level") or "").strip().upper()
    if level and level_rank(level if level.startswith("L") else f"L{level}") not in range(1, len(LEVELS) + 1):
        raise RecordError(f"employee {eid}: level {level!r} is not one of {', '.join(LEVELS)} (or empty)")
    level = f"L{level}" if level.isdigit() else level
    for key in ("id", "display_name", "email", "department", "title", "location", "slack_user_id", "teams_user_id"):
        value = str(record.get(key) or "").strip()
        if looks_like_formula(value):       # =HYPERLINK(...), +SUM(...), @cmd(...): a spreadsheet formula, not data
            raise RecordError(f"employee {eid or '?'}: {key} {value[:40]!r} looks like a spreadsheet formula; "
                              "export the values, not the formulas")
    return Employee(
        id=eid, display_name=name, email=email, slack_user_id=str(record.get("slack_user_id") or "").strip(),
        teams_user_id=str(record.get("teams_user_id") or "").strip(),
        department=str(record.get("department") or "").strip(), title=str(record.get("title") or "").strip(),
        level=level, location=str(record.get("location") or "").strip(),
        role=role, open_to_moves=open_flag, languages=_parse_languages(record.get("languages")),
        resume_text=stored_resume(resume), mentor=mentor)


def decode_text(raw: bytes) -> str | None:
    """UTF-8 (with or without a byte-order mark), else CP949 as Korean Excel saves CSV; None when it is neither."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def iter_records(path: Path) -> Iterator[tuple[str, dict | None, str | None]]:
    """Yields (where, record, error) for every record of a CSV/JSON/JSONL file; `where` names file and line."""
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield path.name, None, f"cannot read the file ({exc.strerror})"
        return
    text = decode_text(raw)
    if text is None:
        yield path.name, None, "the file is not UTF-8 or CP949 text"
        return
    if suffix == ".csv":
        header, rows = csv_rows(text, lambda name: field_name(name) == "resume_text")
        if header is None:
            yield path.name, None, "the CSV file has no header row"
            return
        for line, cells, error in rows:
            if error:
                yield f"{path.name} line {line}", None, error
            elif not any(cell.strip() for cell in cells):
                continue
            elif len(cells) > len(header):
                yield f"{path.name} line {line}", None, "more values than header columns"
            else:
                yield f"{path.name} line {line}", dict(zip(header, cells)), None
    elif suffix in (".jsonl", ".ndjson"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield f"{path.name} line {number}", json.loads(line), None
            except json.JSONDecodeError as exc:
                yield f"{path.name} line {number}", None, f"invalid JSON ({exc.msg})"
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield f"{path.name} line {exc.lineno}", None, f"invalid JSON ({exc.msg}); nothing in this file was imported"
            return
        if isinstance(data, dict) and isinstance(data.get("employees"), list):
            data = data["employees"]
        if not isinstance(data, list):
            yield path.name, None, "expected a list of employees (or {\"employees\": [...]})"
            return
        for number, item in enumerate(data, start=1):
            yield f"{path.name} record {number}", item, None


class Importer:
    def __init__(self, store, embedder: Embedder, builder: ProfileBuilder, documents: DocumentReader = TEXT_ONLY):
        self.store = store
        self.embedder = embedder
        self.builder = builder
        self.documents = documents      # PDF and Word come through the reader bot/ hands in (a sandboxed worker)

    # ---- entry point -------------------------------------------------------------------------------------------
    def import_path(self, path: Path | str, progress: ProgressFn | None = None) -> ImportReport:
        path = Path(path)
        report = ImportReport()
        if not path.exists():
            report.rejected.append((str(path), "no such file or folder"))
            return report
        employees: list[tuple[str, Employee]] = []
        resume_files: list[Path] = []
        record_files = [path] if path.is_file() and path.suffix.lower() in RECORD_SUFFIXES else []
        if path.is_dir():
            children, skipped = folder_files(path)
            report.skipped.extend(skipped)
            for child in children:
                suffix = child.suffix.lower()
                if suffix in RECORD_SUFFIXES:
                    record_files.append(child)
                elif suffix in SUPPORTED_RESUME_TYPES:
                    resume_files.append(child)
                else:
                    report.rejected.append((str(child.relative_to(path)),
                                            f"unsupported file type '{suffix or 'none'}' "
                                            f"(records: .csv .json .jsonl; resumes: {' '.join(SUPPORTED_RESUME_TYPES)})"))
        elif path.is_file() and path.suffix.lower() in SUPPORTED_RESUME_TYPES:
            resume_files.append(path)
        elif not record_files:
            report.rejected.append((path.name, f"unsupported file type '{path.suffix or 'none'}'"))

        for file in record_files:
            for where, record, error in iter_records(file):
                if error:
                    report.rejected.append((where, error))
                    continue
                try:
                    employees.append((where, record_to_employee(record, file.parent, report, self.documents)))
                except RecordError as exc:
                    report.rejected.append((where, str(exc)))
        employees = self._dedupe(employees, report)
        employees.extend(self._resume_updates(resume_files, path, {e.id for _, e in employees}, employees, report))
        self.upsert(employees, report, progress)
        return report

    def _dedupe(self, employees: list[tuple[str, Employee]], report: ImportReport) -> list[tuple[str, Employee]]:
        last: dict[str, tuple[str, Employee]] = {}
        for where, emp in employees:
            if emp.id in last:
                report.rejected.append((last[emp.id][0], f"employee {emp.id} appears again at {where}; the later "
                                                         "record was used"))
            last[emp.id] = (where, emp)
        return list(last.values())

    def _resume_updates(self, files: list[Path], root: Path, in_batch: set[str],
                        batch: list[tuple[str, Employee]], report: ImportReport) -> list[tuple[str, Employee]]:
        """A resume file named after an employee id or e-mail (E0042.pdf, jane.doe@corp.com.docx) updates them."""
        by_id = {e.id: e for _, e in batch}
        out = []
        for file in files:
            name = str(file.relative_to(root)) if root.is_dir() else file.name
            key = file.stem
            try:
                text = self.documents.read_path(file)
            except DocumentError as exc:
                report.rejected.append((name, str(exc)))
                continue
            except Exception as exc:    # one bad file never stops the folder: it is named, the rest imported
                log.warning("import: %s could not be read", name, exc_info=True)
                report.rejected.append((name, f"the file could not be read ({exc.__class__.__name__})"))
                continue
            target = by_id.get(key) or next((e for e in by_id.values() if e.email and e.email.lower() == key.lower()), None)
            if target is not None:
                target.resume_text = stored_resume(text)
                continue
            existing = self.store.find_employee(key)
            if existing is None:
                report.rejected.append((name, f"no employee with id or e-mail '{key}'; name resume files after the "
                                              "employee id (E0042.pdf) or import a record for them first"))
                continue
            existing.resume_text = stored_resume(text)
            out.append((name, existing))
        return out

    # ---- upsert ------------------------------------------------------------------------------------------------
    def _keep_known_chat_ids(self, employees: list[tuple[str, Employee]]) -> None:
        """An HR export without Slack/Teams ids must not erase the ids the bot already learned."""
        missing = [e.id for _, e in employees if not e.slack_user_id or not e.teams_user_id]
        stored = self.store.get_employees(missing) if missing else {}
        for _, emp in employees:
            known = stored.get(emp.id)
            if known is not None:
                emp.slack_user_id = emp.slack_user_id or known.slack_user_id
                emp.teams_user_id = emp.teams_user_id or known.teams_user_id

    def save_confirmed(self, employee: Employee) -> None:
        """Save one profile the employee confirmed or edited (their skills are kept as they are) and re-embed it."""
        profile = self.builder.build(employee, confirmed=True)
        vector, summary_vector = self._embed([profile])[0]
        # The stored hash is the resume's: a later HR import of the same resume leaves the confirmed skills alone,
        # a changed resume is analysed again.
        self.store.upsert_profile(profile.employee, profile.resume_hash, profile.terms, profile.profile_words,
                                  vector, self.embedder.model_id, summary_vector)

    def _embed(self, profiles) -> list[tuple]:
        """(text vector, summary vector or None) per profile, in one call to the embedder."""
        return self._pair_vectors(profiles, self.embedder.embed_documents(self._texts_to_embed(profiles)))

    @staticmethod
    def _texts_to_embed(profiles) -> list[str]:
        """Every profile's text, then the summaries of those that have one (the order _pair_vectors reads)."""
        return [p.text for p in profiles] + [p.summary for p in profiles if p.summary]

    @staticmethod
    def _pair_vectors(profiles, vectors) -> list[tuple]:
        out, k = [], len(profiles)
        for i, p in enumerate(profiles):
            if p.summary:
                out.append((vectors[i], vectors[k]))
                k += 1
            else:
                out.append((vectors[i], None))
        return out

    def upsert(self, employees: list[tuple[str, Employee]], report: ImportReport,
               progress: ProgressFn | None = None, workers: int | None = None) -> None:
        """Analyse, embed and store in batches of BATCH_SIZE, one transaction each. With `workers` > 0 (default:
        core.import_pipeline.import_workers() for a large import and an in-process embedder) the embedding runs in
        worker processes while this one analyses the next batches; the stored result is the same."""
        from core import import_pipeline

        total = len(employees)
        self._keep_known_chat_ids(employees)
        hashes = self.store.resume_hashes()
        existing_ids = set(hashes)
        if workers is None:     # decided by what is to be embedded: a repeated import of unchanged records has nothing
            to_embed = sum(1 for _, e in employees if hashes.get(e.id) != profile_hash(e))
            workers = import_pipeline.import_workers() if to_embed >= import_pipeline.MIN_PIPELINED_PROFILES else 0
        if not import_pipeline.can_pipeline(self.embedder):
            workers = 0
        self.last_pipeline_stats = None
        batches = (employees[start:start + BATCH_SIZE] for start in range(0, total, BATCH_SIZE))
        done = 0
        if progress and total:
            progress(0, total)      # the bar shows (and its clock starts) before the first batch is written
        if workers <= 0:
            for batch in batches:
                changed, unchanged_fields = self._analyse(batch, hashes, report)
                vectors = self._embed([p for _, p in changed]) if changed else []
                self._write(changed, unchanged_fields, vectors, existing_ids, report)
                done += len(batch)
                if progress:
                    progress(done, total)
            return
        with import_pipeline.EmbeddingPipeline(self.embedder, workers) as pipeline:
            self.last_pipeline_stats = pipeline.stats

            def write_oldest() -> int:
                vectors, (size, changed, unchanged_fields) = pipeline.next_result()
                profiles = [p for _, p in changed]
                self._write(changed, unchanged_fields, self._pair_vectors(profiles, vectors) if changed else [],
                            existing_ids, report)
                return size

            for batch in batches:
                changed, unchanged_fields = self._analyse(batch, hashes, report)
                while pipeline.full():
                    done += write_oldest()
                    if progress:
                        progress(done, total)
                pipeline.submit(self._texts_to_embed([p for _, p in changed]), (len(batch), changed, unchanged_fields))
                while pipeline.oldest_ready():      # write what is back now, not when the queue is full
                    done += write_oldest()
                    if progress:
                        progress(done, total)
            while len(pipeline):
                done += write_oldest()
                if progress:
                    progress(done, total)

    def _analyse(self, batch, hashes: dict, report: ImportReport):
        """(changed: (where, BuiltProfile), unchanged: (where, Employee)) of one batch; a profile that cannot be
        analysed is rejected with its reason."""
        changed, unchanged_fields = [], []
        for where, emp in batch:
            if hashes.get(emp.id) == profile_hash(emp):
                unchanged_fields.append((where, emp))
            else:
                try:
                    changed.append((where, self.builder.build(emp)))
                except Exception as exc:  # one unreadable profile must not stop the import
                    report.rejected.append((where, f"employee {emp.id}: could not analyse the resume ({exc})"))
        return changed, unchanged_fields

    def _write(self, changed, unchanged_fields, vectors, existing_ids: set, report: ImportReport) -> None:
        """Store one analysed and embedded batch in one transaction."""
        with self.store.transaction():
            for i, (where, profile) in enumerate(changed):
                self.store.upsert_profile(profile.employee, profile.resume_hash, profile.terms,
                                          profile.profile_words, vectors[i][0], self.embedder.model_id,
                                          vectors[i][1])
                if profile.employee.id in existing_ids:
                    report.updated += 1
                else:
                    report.added += 1
                    existing_ids.add(profile.employee.id)
                report.reembedded += 1
            for where, emp in unchanged_fields:
                if self.store.update_fields(emp):
                    report.updated += 1
                else:
                    report.unchanged += 1
