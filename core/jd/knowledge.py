"""Company knowledge for job descriptions: import companies, their past postings and documents, and retrieve
document sections for a job family and level.

A companies folder holds one folder per company:

    companies/
      hanbit-pay/
        company.json           id, name, lang, description, ideal_candidate, sensitive_entities, benefits, ...
        postings.json          a list of postings (or postings.jsonl, or postings/*.md|*.txt with a front matter)
        docs/                  company documents: .md .txt .pdf .docx; long ones are kept by section

or one JSON file `{"companies": [{...company, "postings": [...], "documents": [{"id", "title", "text"}]}]}`.
Import is an upsert and can be repeated; every bad record or unreadable file is reported with its file and line,
and the rest is kept. Demo data for three companies ships in core/jd/data/companies.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from core.documents import MAX_KNOWLEDGE_CHARS, TEXT_ONLY, DocumentError, DocumentReader, folder_files
from core.jd.model import (LIST_SECTIONS, SECTIONS, Company, DocChunk, JobFamily, JobLevel, Posting, find_family,
                           find_level, section_for_heading, split_items)
from core.text import content_terms, detect_language, tokenize_lines, tokenize_query

DEMO_COMPANIES_PATH = Path(__file__).parent / "data" / "companies"
DOCUMENT_TYPES = (".md", ".txt", ".pdf", ".docx")
POSTING_TEXT_TYPES = (".md", ".txt")
MAX_CHUNK_CHARS = 1200
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,120}$")
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")

ProgressFn = Callable[[int, int], None]


# ---- the import report --------------------------------------------------------------------------------------------
@dataclass
class KnowledgeImportReport:
    """What a company-knowledge import did. `rejected` holds (where, why) like core.importer.ImportReport, so the
    CLI prints both the same way."""

    companies_added: int = 0
    companies_updated: int = 0
    postings_added: int = 0
    postings_updated: int = 0
    postings_unchanged: int = 0
    documents: int = 0
    chunks: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    company_ids: list[str] = field(default_factory=list)      # companies touched: prepare drafts for these next
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (where, why): hidden files, links

    @property
    def total_ok(self) -> int:
        return (self.companies_added + self.companies_updated + self.postings_added + self.postings_updated
                + self.postings_unchanged + self.documents)

    def as_dict(self) -> dict:
        return {"companies": {"added": self.companies_added, "updated": self.companies_updated},
                "postings": {"added": self.postings_added, "updated": self.postings_updated,
                             "unchanged": self.postings_unchanged},
                "documents": self.documents, "sections": self.chunks, "company_ids": list(self.company_ids),
                "rejected": [{"where": w, "reason": r} for w, r in self.rejected],
                "skipped": [{"where": w, "reason": r} for w, r in self.skipped]}

    def summary(self) -> str:
        lines = [f"Company knowledge imported: {self.companies_added + self.companies_updated} companies "
                 f"({self.companies_added} new), {self.postings_added + self.postings_updated + self.postings_unchanged} "
                 f"postings ({self.postings_added} new, {self.postings_updated} updated, {self.postings_unchanged} "
                 f"unchanged), {self.documents} documents in {self.chunks} sections, {len(self.rejected)} rejected."]
        for where, why in self.rejected:
            lines.append(f"  rejected {where}: {why}")
        for where, why in self.skipped:
            lines.append(f"  skipped {where}: {why}")
        return "\n".join(lines)


class KnowledgeError(ValueError):
    """A record that cannot be imported, with the reason in words an HR admin understands."""


# ---- records -> model ---------------------------------------------------------------------------------------------
def company_from_record(raw) -> Company:
    if not isinstance(raw, dict):
        raise KnowledgeError("expected an object with the company's fields (id, name, description, ...)")
    cid = str(raw.get("id") or "").strip()
    if not cid:
        raise KnowledgeError("missing id (a short name such as 'hanbit-pay')")
    if not _ID.match(cid):
        raise KnowledgeError(f"company id {cid!r} may hold only letters, digits, '-', '_' and '.'")
    if not str(raw.get("name") or "").strip():
        raise KnowledgeError(f"company {cid}: missing name")
    entities = raw.get("sensitive_entities") or []
    if not isinstance(entities, list):
        raise KnowledgeError(f"company {cid}: sensitive_entities must be a list of names or "
                             "{\"name\", \"kind\", \"generic\"} objects")
    lang = str(raw.get("lang") or "").strip().lower() or detect_language(str(raw.get("description") or ""))
    if lang not in ("ko", "en"):
        raise KnowledgeError(f"company {cid}: lang must be ko or en, got {lang!r}")
    data = {k: v for k, v in raw.items() if k not in ("postings", "documents")}
    data.update(id=cid, name=str(raw["name"]).strip(), lang=lang)
    for key in ("description", "ideal_candidate", "industry", "culture"):
        data[key] = str(raw.get(key) or "").strip()
    return Company.from_dict(data)


def posting_from_record(raw, company_id: str, default_id: str = "") -> Posting:
    if not isinstance(raw, dict):
        raise KnowledgeError("expected an object with the posting's fields (id, family, level, title, sections)")
    pid = str(raw.get("id") or default_id).strip()
    if not pid:
        raise KnowledgeError("missing id")
    if not _ID.match(pid):
        raise KnowledgeError(f"posting id {pid!r} may hold only letters, digits, '-', '_' and '.'")
    family = find_family(str(raw.get("family") or raw.get("job_family") or ""))
    if family is None:
        raise KnowledgeError(f"posting {pid}: unknown job family {raw.get('family')!r} (use a code such as 1000229 "
                             "or a name such as 'Backend developer' / '백엔드 개발자')")
    level = find_level(str(raw.get("level") or ""))
    if level is None:
        raise KnowledgeError(f"posting {pid}: unknown level {raw.get('level')!r} (use L1-L6, or junior / senior / "
                             "lead, 신입 / 주니어 / 시니어 / 리드)")
    title = str(raw.get("title") or "").strip()
    if not title:
        raise KnowledgeError(f"posting {pid}: missing title")
    posted_at = str(raw.get("posted_at") or "").strip()
    if posted_at and not _DATE.match(posted_at):
        raise KnowledgeError(f"posting {pid}: posted_at {posted_at!r} must be a date such as 2024-03-11")
    sections = raw.get("sections")
    if sections is None and raw.get("text"):
        sections = parse_posting_text(str(raw["text"]))
    if not isinstance(sections, dict):
        raise KnowledgeError(f"posting {pid}: give the content as sections {{\"responsibilities\": [...], ...}} or "
                             "as text with headings such as [주요 업무] / ## What you'll do")
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        raise KnowledgeError(f"posting {pid}: unknown section(s) {', '.join(unknown)}; sections are "
                             f"{', '.join(SECTIONS[1:])}")
    clean: dict[str, object] = {}
    for name, value in sections.items():
        if name in LIST_SECTIONS:
            items = value if isinstance(value, list) else split_items(str(value or ""))
            clean[name] = [str(v).strip() for v in items if str(v).strip()]
        else:
            clean[name] = " ".join(str(v).strip() for v in value) if isinstance(value, list) else str(value or "").strip()
    if not (clean.get("responsibilities") or clean.get("requirements")):
        raise KnowledgeError(f"posting {pid}: has neither responsibilities nor requirements")
    text = "\n".join([title] + [str(v) for v in clean.values()])
    lang = str(raw.get("lang") or "").strip().lower() or detect_language(text)
    return Posting(id=pid, company_id=company_id, family=family.code, level=level.code, title=title,
                   sections=clean, posted_at=posted_at[:10], lang=lang if lang in ("ko", "en") else "ko")


_HEADING_LINE = re.compile(r"^\s*(?:#{1,6}\s*|\[|【|■\s*|▶\s*|<)?\s*([^\[\]【】<>#]{2,40}?)\s*(?:\]|】|>)?\s*:?\s*$")


def parse_posting_text(text: str) -> dict[str, object]:
    """A posting written as text -> sections, by its headings ("[주요 업무]", "## What you'll do", "자격요건:")."""
    sections: dict[str, list[str]] = {}
    current = "summary"
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = _HEADING_LINE.match(line)
        section = section_for_heading(match.group(1)) if match else None
        if section:
            current = section
            continue
        sections.setdefault(current, []).append(line.strip())
    out: dict[str, object] = {}
    for name, lines in sections.items():
        if name in LIST_SECTIONS:
            out[name] = split_items("\n".join(lines))
        else:
            out[name] = " ".join(split_items("\n".join(lines)))
    return out


def _front_matter(text: str) -> tuple[dict, str]:
    """YAML front matter between '---' lines, and the rest."""
    if not text.lstrip().startswith("---"):
        return {}, text
    body = text.lstrip()[3:]
    end = re.search(r"^---\s*$", body, re.MULTILINE)
    if end is None:
        raise KnowledgeError("the front matter starting with '---' is never closed by another '---' line")
    import yaml

    try:
        meta = yaml.safe_load(body[:end.start()]) or {}
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"the front matter is not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(meta, dict):
        raise KnowledgeError("the front matter must be 'key: value' lines (id, family, level, title, posted_at)")
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in meta.items()}, body[end.end():]


# ---- documents by section ---------------------------------------------------------------------------------------------
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_NUMBERED_HEADING = re.compile(r"^\s*((?:\d{1,2}\.)*\d{1,2})[.)]?\s+(\S.{0,58})$")
_KO_HEADING = re.compile(r"^\s*(제\s*\d+\s*[장절조])\s*(.{0,50})$")
_BRACKET_HEADING = re.compile(r"^\s*[\[【]\s*([^\]】]{2,40})\s*[\]】]\s*$")
_SENTENCE_END = re.compile(r"(?:[.!?。]|다|요)\s*$")


def _heading(line: str) -> tuple[int, str] | None:
    """(level, heading) when a line is a heading: markdown, numbered (1. / 3.2 / 제3장) or bracketed."""
    match = _MD_HEADING.match(line)
    if match:
        return len(match.group(1)), match.group(2).strip()
    match = _KO_HEADING.match(line)
    if match and not _SENTENCE_END.search(line):
        return 2, line.strip()
    match = _NUMBERED_HEADING.match(line)
    if match and not _SENTENCE_END.search(line) and ":" not in match.group(2):
        return 1 + match.group(1).count(".") + 1, line.strip()
    match = _BRACKET_HEADING.match(line)
    if match:
        return 2, match.group(1).strip()
    return None


def _split_long(text: str, limit: int) -> list[str]:
    """Pieces of at most ~limit characters, cut at paragraph, then sentence boundaries."""
    if len(text) <= limit:
        return [text]
    units: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        if len(paragraph) <= limit:
            units.append(paragraph)
        else:
            units.extend(s for s in re.split(r"(?<=[.!?。다])\s+", paragraph) if s)
    pieces, current = [], ""
    for unit in units:
        if current and len(current) + len(unit) + 1 > limit:
            pieces.append(current)
            current = unit
        else:
            current = f"{current}\n{unit}" if current else unit
    if current:
        pieces.append(current)
    return pieces


def chunk_document(company_id: str, doc_id: str, title: str, text: str,
                   max_chars: int = MAX_CHUNK_CHARS) -> list[DocChunk]:
    """A document by section: each chunk carries its heading path ("Handbook > 2. Teams > 2.1 Payments"). A section
    longer than max_chars is cut at paragraphs; a heading with no text of its own only names its sub-sections."""
    stack: list[tuple[int, str]] = []
    sections: list[tuple[str, list[str]]] = []
    current: list[str] = []
    path = title

    def flush() -> None:
        body = "\n".join(current).strip()
        if body:
            sections.append((path, current[:]))
        current.clear()

    for line in (text or "").splitlines():
        found = _heading(line)
        if found is None:
            current.append(line)
            continue
        flush()
        level, name = found
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, name))
        names = [n for _, n in stack]
        if names and names[0] != title and level > 1:
            names.insert(0, title)
        path = " > ".join(dict.fromkeys(names))
    flush()
    chunks: list[DocChunk] = []
    for heading, lines in sections:
        for piece in _split_long("\n".join(lines).strip(), max_chars):
            chunks.append(DocChunk(company_id, doc_id, len(chunks), heading, piece.strip()))
    return chunks


def _document_title(doc_id: str, text: str) -> str:
    for line in text.splitlines():
        match = _MD_HEADING.match(line)
        if match and len(match.group(1)) == 1:
            return match.group(2).strip()
        if line.strip():
            stripped = line.strip()
            return stripped if len(stripped) <= 60 and not _SENTENCE_END.search(stripped) else Path(doc_id).stem
    return Path(doc_id).stem


# ---- retrieval ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RetrievedSection:
    chunk: DocChunk
    score: float


class SectionRetriever:
    """BM25 over document sections, with the bilingual tokenizer (Korean by morphemes). The heading counts twice,
    so a section titled "Backend" wins over one that mentions backend once."""

    def __init__(self, chunks: list[DocChunk], k1: float = 1.5, b: float = 0.75):
        self.chunks = chunks
        self.k1, self.b = k1, b
        lines = []
        for chunk in chunks:
            heading = chunk.heading.split(" > ")[-1]
            lines.append(f"{heading}\n{heading}\n{chunk.text}")
        self.terms = [Counter(content_terms(t for line_tokens in tokenize_lines(text.splitlines()) for t in line_tokens))
                      for text in lines]
        self.lengths = [sum(c.values()) for c in self.terms]
        self.avg_length = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        df: Counter = Counter()
        for counts in self.terms:
            df.update(counts.keys())
        n = len(chunks)
        self.idf = {term: math.log(1 + (n - d + 0.5) / (d + 0.5)) for term, d in df.items()}

    def search(self, query: str | Iterable[str], k: int = 3, min_score: float = 0.0) -> list[RetrievedSection]:
        words = content_terms(tokenize_query(query)) if isinstance(query, str) else list(query)
        if not words or not self.chunks:
            return []
        scored = []
        for i, counts in enumerate(self.terms):
            score = 0.0
            norm = self.k1 * (1 - self.b + self.b * self.lengths[i] / (self.avg_length or 1))
            for word in set(words):
                tf = counts.get(word, 0)
                if tf:
                    score += self.idf.get(word, 0.0) * tf * (self.k1 + 1) / (tf + norm)
            if score > min_score:
                scored.append(RetrievedSection(self.chunks[i], round(score, 4)))
        scored.sort(key=lambda r: (-r.score, r.chunk.doc_id, r.chunk.chunk_no))
        return scored[:k]


def family_query(family: JobFamily, level: JobLevel | None = None, taxonomy=None) -> str:
    """What to look for in a company's documents for a job family (and level), in both languages."""
    words = [family.en, family.ko, family.title_en, family.title_ko, *family.aliases]
    if taxonomy is not None:
        for skill_id in family.seed_skills:
            skill = taxonomy.get(skill_id)
            if skill:
                words.extend((skill.en, skill.ko))
    if level is not None:
        words.extend((level.en, level.ko))
    return "\n".join(dict.fromkeys(w for w in words if w))


_RETRIEVERS: dict[tuple[str, str], SectionRetriever] = {}


def retrieve_sections(store, company_id: str, query: str, k: int = 3) -> list[RetrievedSection]:
    """The k document sections of a company that best answer `query` (BM25). The index is rebuilt only when the
    company's documents change."""
    chunks = store.list_doc_chunks(company_id)
    # The chunks are read anyway: their text itself is the signature, so an edit of the same length is seen too.
    signature = hashlib.sha1(json.dumps([(c.doc_id, c.chunk_no, c.heading, c.text) for c in chunks],
                                        ensure_ascii=False).encode()).hexdigest()
    retriever = _RETRIEVERS.get((company_id, signature))
    if retriever is None:
        for key in [key for key in list(_RETRIEVERS) if key[0] == company_id]:
            _RETRIEVERS.pop(key, None)      # the worker and handler threads may both be here
        retriever = _RETRIEVERS[(company_id, signature)] = SectionRetriever(chunks)
    return retriever.search(query, k)


# ---- import -------------------------------------------------------------------------------------------------------------
def looks_like_company_knowledge(path: Path | str) -> bool:
    """True for a companies folder, one company's folder, or a JSON file holding {"companies": [...]}: what the
    CLI's `import` should hand to import_company_knowledge rather than to the employee importer."""
    path = Path(path)
    if path.is_dir():
        return (path / "company.json").is_file() or any(p.is_file() for p in path.glob("*/company.json"))
    if path.is_file() and path.suffix.lower() == ".json":
        try:
            with path.open("rb") as handle:
                head = handle.read(4096).decode("utf-8", "ignore")
        except OSError:
            return False
        return bool(re.match(r'^\s*\{\s*"companies"\s*:', head.lstrip("\ufeff")))
    return False


def _read_json(path: Path, where: str, report: KnowledgeImportReport):
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        report.rejected.append((where, "the file is not UTF-8 text"))
        return None
    except OSError as exc:
        report.rejected.append((where, f"cannot read the file ({exc.strerror})"))
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        report.rejected.append((f"{where} line {exc.lineno}", f"invalid JSON ({exc.msg}); nothing in this file was "
                                                              "imported"))
        return None


class _Importer:
    def __init__(self, store, report: KnowledgeImportReport, documents: DocumentReader = TEXT_ONLY):
        self.store = store
        self.report = report
        self.documents = documents

    def company(self, raw, where: str) -> Company | None:
        try:
            company = company_from_record(raw)
        except KnowledgeError as exc:
            self.report.rejected.append((where, str(exc)))
            return None
        if self.store.upsert_company(company):
            self.report.companies_added += 1
        else:
            self.report.companies_updated += 1
        if company.id not in self.report.company_ids:
            self.report.company_ids.append(company.id)
        return company

    def posting(self, raw, company: Company, where: str, default_id: str = "") -> None:
        try:
            posting = posting_from_record(raw, company.id, default_id)
        except KnowledgeError as exc:
            self.report.rejected.append((where, str(exc)))
            return
        outcome = self.store.upsert_posting(posting)
        setattr(self.report, f"postings_{outcome}", getattr(self.report, f"postings_{outcome}") + 1)

    def document(self, company: Company, doc_id: str, text: str, title: str = "") -> None:
        title = title or _document_title(doc_id, text)
        chunks = chunk_document(company.id, doc_id, title, text)
        self.store.replace_document(company.id, doc_id, title, chunks)
        self.report.documents += 1
        self.report.chunks += len(chunks)

    def company_folder(self, folder: Path, root: Path, progress: Callable[[], None]) -> None:
        rel = lambda p: str(p.relative_to(root)) if root in p.parents or p == root else p.name  # noqa: E731
        raw = _read_json(folder / "company.json", rel(folder / "company.json"), self.report)
        company = self.company(raw, rel(folder / "company.json")) if raw is not None else None
        progress()
        if company is None:
            return
        for name in ("postings.json", "postings.jsonl"):
            file = folder / name
            if file.is_symlink():
                self.report.skipped.append((rel(file), "a link; links are not followed"))
            elif file.is_file():
                self.postings_file(file, company, rel(file))
                progress()
        posting_dir = folder / "postings"
        if posting_dir.is_dir():
            files, skipped = folder_files(posting_dir)
            self.report.skipped.extend((rel(posting_dir / where), why) for where, why in skipped)
            for file in files:
                if file.parent != posting_dir:
                    continue        # postings/ is flat, as before
                self.posting_file(file, company, rel(file))
                progress()
        doc_dir = folder / "docs"
        if doc_dir.is_dir():
            files, skipped = folder_files(doc_dir)       # no links, nothing outside the folder, no hidden files
            self.report.skipped.extend((rel(doc_dir / where), why) for where, why in skipped)
            for file in files:
                where = rel(file)
                if file.suffix.lower() not in DOCUMENT_TYPES:
                    self.report.rejected.append((where, f"unsupported document type '{file.suffix or 'none'}' "
                                                        f"(use {' '.join(DOCUMENT_TYPES)})"))
                    continue
                try:
                    text = self.documents.read_path(file, MAX_KNOWLEDGE_CHARS)
                except DocumentError as exc:
                    self.report.rejected.append((where, str(exc)))
                    continue
                self.document(company, str(file.relative_to(doc_dir)), text)
                progress()

    def postings_file(self, file: Path, company: Company, where: str) -> None:
        if file.suffix.lower() == ".jsonl":
            try:
                text = file.read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self.report.rejected.append((where, "cannot read the file as UTF-8 text"))
                return
            for number, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as exc:
                    self.report.rejected.append((f"{where} line {number}", f"invalid JSON ({exc.msg})"))
                    continue
                self.posting(raw, company, f"{where} line {number}")
            return
        data = _read_json(file, where, self.report)
        if data is None:
            return
        if isinstance(data, dict) and isinstance(data.get("postings"), list):
            data = data["postings"]
        if not isinstance(data, list):
            self.report.rejected.append((where, "expected a list of postings (or {\"postings\": [...]})"))
            return
        for number, raw in enumerate(data, start=1):
            self.posting(raw, company, f"{where} record {number}")

    def posting_file(self, file: Path, company: Company, where: str) -> None:
        suffix = file.suffix.lower()
        if suffix in (".json", ".jsonl"):
            self.postings_file(file, company, where)
            return
        if suffix not in POSTING_TEXT_TYPES:
            self.report.rejected.append((where, f"unsupported posting file type '{suffix or 'none'}' (use .md or .txt "
                                                "with a front matter, or postings.json)"))
            return
        try:
            text = self.documents.read_path(file, MAX_KNOWLEDGE_CHARS)
            meta, body = _front_matter(text)
        except (DocumentError, KnowledgeError) as exc:
            self.report.rejected.append((where, str(exc)))
            return
        if not meta:
            self.report.rejected.append((where, "a posting file starts with a front matter: '---', then family, level "
                                                "and title lines, then '---'"))
            return
        self.posting({**meta, "text": body}, company, where, default_id=file.stem)

    def bundle(self, file: Path, where: str, progress: Callable[[], None]) -> None:
        data = _read_json(file, where, self.report)
        if data is None:
            return
        companies = data.get("companies") if isinstance(data, dict) else None
        if not isinstance(companies, list):
            self.report.rejected.append((where, "expected {\"companies\": [...]}"))
            return
        for number, raw in enumerate(companies, start=1):
            at = f"{where} company {number}"
            company = self.company(raw, at)
            progress()
            if company is None:
                continue
            postings = raw.get("postings") or []
            if not isinstance(postings, list):
                self.report.rejected.append((at, "postings must be a list"))
                postings = []
            for p_number, posting in enumerate(postings, start=1):
                self.posting(posting, company, f"{at} posting {p_number}")
            documents = raw.get("documents") or []
            for d_number, doc in enumerate(documents if isinstance(documents, list) else [], start=1):
                doc_where = f"{at} document {d_number}"
                if not isinstance(doc, dict) or not str(doc.get("text") or "").strip():
                    self.report.rejected.append((doc_where, "a document needs an id and a non-empty text"))
                    continue
                doc_id = str(doc.get("id") or doc.get("name") or f"document-{d_number}")
                self.document(company, doc_id, str(doc["text"]), str(doc.get("title") or ""))


def import_company_knowledge(store, path: Path | str, progress: ProgressFn | None = None,
                             documents: DocumentReader = TEXT_ONLY) -> KnowledgeImportReport:
    """Import companies, postings and documents from a companies folder, one company's folder, or a JSON bundle.
    `progress(done, total)` counts files. Prepare drafts for `report.company_ids` afterwards (core.jd.prepare)."""
    path = Path(path)
    report = KnowledgeImportReport()
    if not path.exists():
        report.rejected.append((str(path), "no such file or folder"))
        return report
    importer = _Importer(store, report, documents)
    if path.is_file():
        if path.suffix.lower() != ".json":
            report.rejected.append((path.name, "company knowledge is a folder of companies or a .json file with "
                                               "{\"companies\": [...]}"))
            return report
        importer.bundle(path, path.name, lambda: None)
        if progress:
            progress(1, 1)
        return report
    folders = [path] if (path / "company.json").is_file() else sorted(
        p for p in path.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
    root = path.parent if (path / "company.json").is_file() else path
    total = sum(1 for folder in folders for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    done = [0]

    def tick() -> None:
        done[0] += 1
        if progress:
            progress(min(done[0], total), total)

    for folder in folders:
        if not (folder / "company.json").is_file():
            report.rejected.append((str(folder.relative_to(root)), "no company.json in this folder"))
            continue
        importer.company_folder(folder, root, tick)
    if progress:
        progress(total, total)
    return report


def load_demo_companies(store, progress: ProgressFn | None = None) -> KnowledgeImportReport:
    """The three demo companies shipped with the project (a fintech, an e-commerce company and a game studio)."""
    return import_company_knowledge(store, DEMO_COMPANIES_PATH, progress)
