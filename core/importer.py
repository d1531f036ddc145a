"""`internal-hire import`: employee records (CSV, JSON, JSONL) and folders of resume files.

Idempotent upsert by id; only profiles whose title or resume changed are re-extracted and re-embedded; a bad row or
unreadable file is reported with its line or name and everything else is kept.
"""
from __future__ import annotations

import codecs
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from itertools import chain, islice
from typing import Callable, Iterable, Iterator

from core.csv_files import csv_rows, looks_like_formula
from core.documents import SUPPORTED_RESUME_TYPES, TEXT_ONLY, DocumentError, DocumentReader, folder_files
from core.resume.redaction import redact_contact_details
from core.domain import LEVELS, PROTECTED_FIELDS, Employee, Role, level_rank
from core.ports import Embedder
from core.profiles import BuiltProfile, ProfileBuilder, profile_hash

RECORD_FIELDS = ("id", "display_name", "email", "slack_user_id", "teams_user_id", "department", "title", "level",
                 "location", "role", "open_to_moves", "mentor", "languages", "resume_text", "resume_file")
FIELD_ALIASES = {"name": "display_name", "employee_id": "id", "dept": "department", "open": "open_to_moves",
                 "open_to_internal_moves": "open_to_moves", "resume": "resume_text", "slack_id": "slack_user_id",
                 "teams_id": "teams_user_id", "job_title": "title", "langs": "languages", "is_mentor": "mentor",
                 "멘토": "mentor"}
RECORD_SUFFIXES = (".csv", ".json", ".jsonl", ".ndjson")
BATCH_SIZE = 256
_READ_CHUNK = 1 << 20
# Batches analysed before an import decides whether worker processes pay (import_pipeline.MIN_PIPELINED_PROFILES)
LOOKAHEAD_BATCHES = 4
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


def file_encoding(path: Path) -> str | None:
    """The encoding decode_text would pick for the file's bytes, checked in chunks: a large file is never held."""
    for encoding in ("utf-8-sig", "cp949"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as stream:
                while chunk := stream.read(_READ_CHUNK):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


def iter_records(path: Path) -> Iterator[tuple[str, dict | None, str | None]]:
    """Yields (where, record, error) for every record of a CSV/JSON/JSONL file; `where` names file and line. CSV and
    JSONL are read a line at a time (an import of 100,000 resumes holds one record, not the file); a JSON file is
    one document and is read whole."""
    suffix = path.suffix.lower()
    try:
        encoding = file_encoding(path)
    except OSError as exc:
        yield path.name, None, f"cannot read the file ({exc.strerror})"
        return
    if encoding is None:
        yield path.name, None, "the file is not UTF-8 or CP949 text"
        return
    try:
        if suffix == ".csv":
            # newline="\n": lines end at \n only and keep their \r, as csv.reader expects of a file's lines
            with path.open(encoding=encoding, newline="\n") as lines:
                yield from _csv_records(path.name, lines)
        elif suffix in (".jsonl", ".ndjson"):
            with path.open(encoding=encoding) as lines:
                for number, line in enumerate(lines, start=1):
                    if not line.strip():
                        continue
                    try:
                        yield f"{path.name} line {number}", json.loads(line), None
                    except json.JSONDecodeError as exc:
                        yield f"{path.name} line {number}", None, f"invalid JSON ({exc.msg})"
        else:
            yield from _json_records(path.name, path.read_text(encoding=encoding))
    except OSError as exc:      # the disk or share went away mid-file: what was read stays imported
        yield path.name, None, f"the file could not be read to its end ({exc.strerror})"


def _csv_records(name: str, lines) -> Iterator[tuple[str, dict | None, str | None]]:
    header, rows = csv_rows(lines, lambda column: field_name(column) == "resume_text")
    if header is None:
        yield name, None, "the CSV file has no header row"
        return
    for line, cells, error in rows:
        if error:
            yield f"{name} line {line}", None, error
        elif not any(cell.strip() for cell in cells):
            continue
        elif len(cells) > len(header):
            yield f"{name} line {line}", None, "more values than header columns"
        else:
            yield f"{name} line {line}", dict(zip(header, cells)), None


def _json_records(name: str, text: str) -> Iterator[tuple[str, dict | None, str | None]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield f"{name} line {exc.lineno}", None, f"invalid JSON ({exc.msg}); nothing in this file was imported"
        return
    if isinstance(data, dict) and isinstance(data.get("employees"), list):
        data = data["employees"]
    if not isinstance(data, list):
        yield name, None, "expected a list of employees (or {\"employees\": [...]})"
        return
    for number, item in enumerate(data, start=1):
        yield f"{name} record {number}", item, None


def record_id(raw) -> str:
    """The id record_to_employee would read from a raw record ("" when it has none)."""
    eid = ""
    if isinstance(raw, dict):
        for key, value in raw.items():
            if field_name(key) == "id":
                eid = str(value or "").strip()
    return eid


def _count_records(files: list[Path]) -> tuple[int, dict[str, int]]:
    """(how many records the files hold, {id: the number of its last record} for each id that comes more than
    once); records are numbered across the files in order, as iter_records yields them."""
    total, last = 0, {}
    repeated: set[str] = set()
    for file in files:
        for _, record, _ in iter_records(file):
            total += 1
            eid = record_id(record)
            if eid:
                if eid in last:
                    repeated.add(eid)
                last[eid] = total
    return total, {eid: last[eid] for eid in repeated}


@dataclass
class _Batch:
    """One batch of an import after analysis: `size` records, `items` (where, BuiltProfile to embed and store, or
    Employee whose descriptive fields alone are updated) in the records' order."""
    size: int
    items: list

    @property
    def profiles(self) -> list[BuiltProfile]:
        return [item for _, item in self.items if isinstance(item, BuiltProfile)]


def _batches(pairs: Iterable, size: int) -> Iterator[list]:
    pairs = iter(pairs)
    while batch := list(islice(pairs, size)):
        yield batch


class _ResumeFiles:
    """The resume files of an import, each named after an employee id or e-mail (E0042.pdf,
    jane.doe@corp.com.docx): read into that person's record as it comes (files of one person, by id and by e-mail,
    in folder order: the last wins; a file named after an e-mail goes to the first person with that e-mail). Those
    no record claims update the stored employee of that name (`for_stored_employees`)."""

    def __init__(self, files: list[Path], root: Path, documents: DocumentReader, report: ImportReport):
        self._files, self._root, self._documents, self._report = files, root, documents, report
        self._by_id: dict[str, list[Path]] = {}
        self._by_email: dict[str, list[Path]] = {}
        for file in files:
            self._by_id.setdefault(file.stem, []).append(file)
            self._by_email.setdefault(file.stem.lower(), []).append(file)
        self._position = {file: at for at, file in enumerate(files)}
        self._owner: dict[Path, str] = {}          # file -> the employee id it was read into
        self._unreadable: set[Path] = set()
        self._imported: set[str] = set()           # ids with a record in this import (only kept when files exist)

    def read_into(self, employee: Employee) -> None:
        if not self._files:
            return
        self._imported.add(employee.id)
        files = set(self._by_id.get(employee.id, ()))
        if employee.email:
            files.update(f for f in self._by_email.get(employee.email.lower(), ())
                         if self._owner.get(f, employee.id) == employee.id)
        for file in sorted(files, key=self._position.__getitem__):
            self._owner[file] = employee.id
            text = self._read(file)
            if text is not None:
                employee.resume_text = stored_resume(text)

    def for_stored_employees(self, store) -> Iterator[tuple[str, Employee]]:
        for file in self._files:
            if file in self._owner:
                continue
            text = self._read(file)
            if text is None:
                continue
            existing = store.find_employee(file.stem)
            if existing is None:
                self._report.rejected.append((self._name(file), f"no employee with id or e-mail '{file.stem}'; name "
                                              "resume files after the employee id (E0042.pdf) or import a record "
                                              "for them first"))
                continue
            if existing.id in self._imported:
                # Named after an e-mail this import's record for them no longer gives: the stored person is the one
                # from before the import, and writing them back would undo their new record.
                self._report.rejected.append((self._name(file), f"'{file.stem}' is no longer the e-mail of employee "
                                              f"{existing.id} in this import; name the file {existing.id}"
                                              f"{file.suffix} to attach it to them"))
                continue
            existing.resume_text = stored_resume(text)
            yield self._name(file), existing

    def _name(self, file: Path) -> str:
        return str(file.relative_to(self._root)) if self._root.is_dir() else file.name

    def _read(self, file: Path) -> str | None:
        """The file's text, or None with the reason reported (once per file)."""
        if file in self._unreadable:
            return None
        try:
            return self._documents.read_path(file)
        except DocumentError as exc:
            reason = str(exc)
        except Exception as exc:    # one bad file never stops the folder: it is named, the rest imported
            log.warning("import: %s could not be read", self._name(file), exc_info=True)
            reason = f"the file could not be read ({exc.__class__.__name__})"
        self._unreadable.add(file)
        self._report.rejected.append((self._name(file), reason))
        return None


class Importer:
    def __init__(self, store, embedder: Embedder, builder: ProfileBuilder, documents: DocumentReader = TEXT_ONLY):
        self.store = store
        self.embedder = embedder
        self.builder = builder
        self.documents = documents      # PDF and Word come through the reader bot/ hands in (a sandboxed worker)
        self.last_pipeline_stats = None  # the last upsert's worker figures (None: it embedded in this process)

    # ---- entry point -------------------------------------------------------------------------------------------
    def import_path(self, path: Path | str, progress: ProgressFn | None = None) -> ImportReport:
        """Import a records file (CSV, JSON, JSONL), a resume file named after an employee, or a folder of both.
        Records are streamed through analysis, embedding and storage in batches: memory does not grow with the
        number of records (CSV and JSONL; a JSON file is one document, read whole)."""
        path = Path(path)
        report = ImportReport()
        if not path.exists():
            report.rejected.append((str(path), "no such file or folder"))
            return report
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
        # A first quick read keeps nothing but the count (the progress bar's end) and where each id that comes more
        # than once comes last: the second read then stores each person once, as their last valid record says.
        total, last_of_repeated = _count_records(record_files)
        resumes = _ResumeFiles(resume_files, path, self.documents, report)
        records = self._records(record_files, last_of_repeated, resumes, report)
        self.upsert(chain(records, resumes.for_stored_employees(self.store)), report, progress,
                    total=total + len(resume_files))
        return report

    def _records(self, files: list[Path], last_of_repeated: dict[str, int], resumes: _ResumeFiles,
                 report: ImportReport) -> Iterator[tuple[str, Employee]]:
        """(where, employee) for every valid record, in file order, with the resume file named after them read in.
        An id that comes again is kept back until its last record (`last_of_repeated`: its number in the
        files' records): that one is used when valid, else the last valid one before it; each one set aside is
        reported at its place."""
        kept_back: dict[str, tuple[str, Employee]] = {}
        number = 0
        for file in files:
            for where, record, error in iter_records(file):
                number += 1
                if error:
                    report.rejected.append((where, error))
                    continue
                try:
                    employee = record_to_employee(record, file.parent, report, self.documents)
                except RecordError as exc:
                    report.rejected.append((where, str(exc)))
                    eid = record_id(record)      # the last record of a repeated id is invalid: the one before it
                    if last_of_repeated.get(eid) == number and (earlier := kept_back.pop(eid, None)) is not None:
                        resumes.read_into(earlier[1])
                        yield earlier
                    continue
                last = last_of_repeated.get(employee.id)
                if last is not None:
                    earlier = kept_back.pop(employee.id, None)
                    if earlier is not None:
                        report.rejected.append((earlier[0], f"employee {employee.id} appears again at {where}; the "
                                                            "later record was used"))
                    if number < last:
                        kept_back[employee.id] = (where, employee)
                        continue
                resumes.read_into(employee)
                yield where, employee
        for where, employee in kept_back.values():     # the files changed between the two reads: still stored
            resumes.read_into(employee)
            yield where, employee

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

    def upsert(self, employees: Iterable[tuple[str, Employee]], report: ImportReport,
               progress: ProgressFn | None = None, workers: int | None = None, total: int | None = None) -> None:
        """Analyse, embed and store (where, employee) pairs in batches of BATCH_SIZE, one transaction each, taking
        them from `employees` as they come (a list, or any iterable with its `total` given for the progress bar: a
        streamed import holds a few batches, never all its records). Someone who comes twice is stored twice, in
        order (the later record is what remains), and counted once.

        With `workers` > 0 (default: core.import_pipeline.import_workers() for a large import and an in-process
        embedder) the embedding runs in worker processes while this one analyses the next batches; the stored
        result is the same."""
        from core import import_pipeline

        if total is None:
            total = len(employees)
        hashes = self.store.resume_hashes()     # updated as batches are analysed: a later duplicate compares to
        existing_ids = set(hashes)              # the record before it, which is written first
        counted: set[str] = set()
        batches = (self._analysed_batch(batch, hashes, report) for batch in _batches(employees, BATCH_SIZE))
        if not import_pipeline.can_pipeline(self.embedder):
            workers = 0
        self.last_pipeline_stats = None
        if progress and total:
            progress(0, total)      # the bar shows (and its clock starts) before the first batch is analysed
        if workers is None:     # decided by what is to be embedded: a repeated import of unchanged records has nothing
            ahead = list(islice(batches, LOOKAHEAD_BATCHES))
            seen = sum(batch.size for batch in ahead)
            to_embed = sum(len(batch.profiles) for batch in ahead)
            if seen < total:            # the rest is projected from the batches seen
                to_embed = to_embed * total / max(seen, 1)
            workers = import_pipeline.import_workers() if to_embed >= import_pipeline.MIN_PIPELINED_PROFILES else 0
            batches = chain(ahead, batches)
        done = 0

        def written(size: int) -> None:
            nonlocal done
            done += size
            if progress:
                progress(done, max(total, done))

        if workers <= 0:
            for batch in batches:
                vectors = self._embed(batch.profiles) if batch.profiles else []
                self._write(batch, vectors, existing_ids, counted, report)
                written(batch.size)
        else:
            with import_pipeline.EmbeddingPipeline(self.embedder, workers) as pipeline:
                self.last_pipeline_stats = pipeline.stats

                def write_oldest() -> None:
                    vectors, batch = pipeline.next_result()
                    self._write(batch, self._pair_vectors(batch.profiles, vectors) if batch.profiles else [],
                                existing_ids, counted, report)
                    written(batch.size)

                for batch in batches:
                    while pipeline.full():
                        write_oldest()
                    pipeline.submit(self._texts_to_embed(batch.profiles), batch)
                    while pipeline.oldest_ready():      # write what is back now, not when the queue is full
                        write_oldest()
                while len(pipeline):
                    write_oldest()
        if progress and done < total:       # resume files that updated a record in this import add no row
            progress(done, done)

    def _analysed_batch(self, batch: list[tuple[str, Employee]], hashes: dict, report: ImportReport) -> _Batch:
        """One batch, in order, each person either to analyse and embed (title or resume changed) or to update in
        their descriptive fields only; a profile that cannot be analysed is rejected with its reason."""
        self._keep_known_chat_ids(batch)
        items: list[tuple[str, BuiltProfile | Employee]] = []
        for where, emp in batch:
            resume_hash = profile_hash(emp)
            if hashes.get(emp.id) == resume_hash:
                items.append((where, emp))
                continue
            try:
                items.append((where, self.builder.build(emp)))
            except Exception as exc:  # one unreadable profile must not stop the import
                report.rejected.append((where, f"employee {emp.id}: could not analyse the resume ({exc})"))
                continue
            hashes[emp.id] = resume_hash
        return _Batch(len(batch), items)

    def _write(self, batch: _Batch, vectors, existing_ids: set, counted: set, report: ImportReport) -> None:
        """Store one analysed and embedded batch in one transaction, in the batch's order."""
        next_vector = iter(vectors)
        with self.store.transaction():
            for where, item in batch.items:
                if isinstance(item, BuiltProfile):
                    employee = item.employee
                    vector, summary_vector = next(next_vector)
                    self.store.upsert_profile(employee, item.resume_hash, item.terms, item.profile_words, vector,
                                              self.embedder.model_id, summary_vector)
                    report.reembedded += 1
                    outcome = "updated" if employee.id in existing_ids else "added"
                else:
                    employee = item
                    outcome = "updated" if self.store.update_fields(employee) else "unchanged"
                if employee.id not in counted:
                    counted.add(employee.id)
                    setattr(report, outcome, getattr(report, outcome) + 1)
