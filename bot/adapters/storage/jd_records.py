"""(De)serialisation of the job-description rows (schema 4 on) between the domain objects and the store's columns."""
from __future__ import annotations

import json

from core.jd.model import (Company, DocChunk, JdDecision, JdDraft, JdRecord, JdStatus, JdVersion, Opening,
                           OpeningStatus, Posting)
from core.ports import JobRecord

COMPANY_COLUMNS = ("id", "name", "data")
POSTING_COLUMNS = ("id", "company_id", "family", "level", "posted_at", "data", "content_hash")
DOC_COLUMNS = ("company_id", "doc_id", "chunk_no", "heading", "text")
JD_COLUMNS = ("id", "company_id", "family", "level", "title", "status", "version", "draft", "owner_id", "origin",
              "created_at", "updated_at")
VERSION_COLUMNS = ("jd_id", "version", "draft", "editor_id", "note", "at")
DECISION_COLUMNS = ("id", "jd_id", "version", "actor_id", "action", "from_status", "to_status", "reason", "at")
OPENING_COLUMNS = ("id", "jd_id", "company_id", "family", "level", "title", "status", "opened_by", "opened_at",
                   "closed_at")
JOB_COLUMNS = ("id", "kind", "payload", "requester", "status", "attempts", "max_attempts", "lease_owner",
               "lease_until", "available_at", "created_at", "started_at", "finished_at", "result", "error", "progress",
               "notified")


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def company_values(company: Company) -> tuple:
    return company.id, company.name, dumps(company.to_dict())


def company_from_row(row) -> Company:
    return Company.from_dict(json.loads(row[2]))


def posting_values(posting: Posting) -> tuple:
    return (posting.id, posting.company_id, posting.family, posting.level, posting.posted_at or "",
            dumps(posting.to_dict()), posting.content_hash())


def posting_from_row(row) -> Posting:
    return Posting.from_dict(json.loads(row[5]))


def chunk_from_row(row) -> DocChunk:
    return DocChunk(row[0], row[1], int(row[2]), row[3], row[4])


def jd_values(record: JdRecord) -> tuple:
    return (record.id, record.company_id, record.family, record.level, record.title, JdStatus(record.status).value,
            int(record.version), dumps(record.draft.to_dict()), record.owner_id, dumps(record.origin or {}),
            record.created_at, record.updated_at)


def jd_from_row(row) -> JdRecord:
    return JdRecord(id=row[0], company_id=row[1], family=row[2], level=row[3], title=row[4], status=JdStatus(row[5]),
                    version=int(row[6]), draft=JdDraft.from_dict(json.loads(row[7])), owner_id=row[8],
                    origin=json.loads(row[9] or "{}"), created_at=row[10], updated_at=row[11])


def version_from_row(row) -> JdVersion:
    return JdVersion(row[0], int(row[1]), JdDraft.from_dict(json.loads(row[2])), row[3], row[4], row[5])


def decision_from_row(row) -> JdDecision:
    return JdDecision(int(row[0]), row[1], int(row[2]), row[3], row[4], row[5], row[6], row[7], row[8])


def opening_values(opening: Opening) -> tuple:
    return (opening.id, opening.jd_id, opening.company_id, opening.family, opening.level, opening.title,
            OpeningStatus(opening.status).value, opening.opened_by, opening.opened_at, opening.closed_at or "")


def opening_from_row(row) -> Opening:
    return Opening(row[0], row[1], row[2], row[3], row[4], row[5], OpeningStatus(row[6]), row[7], row[8], row[9] or "")


def job_from_row(row) -> JobRecord:
    return JobRecord(
        id=row[0], kind=row[1], payload=json.loads(row[2] or "{}"), requester=row[3], status=row[4],
        attempts=int(row[5]), max_attempts=int(row[6]), lease_owner=row[7] or "", lease_until=float(row[8] or 0),
        available_at=float(row[9] or 0), created_at=float(row[10]),
        started_at=float(row[11]) if row[11] is not None else None,
        finished_at=float(row[12]) if row[12] is not None else None,
        result=json.loads(row[13]) if row[13] else None, error=row[14] or "",
        progress=json.loads(row[15]) if row[15] else None, notified=bool(row[16]))


def lease_expired_error(attempts: int) -> str:
    return f"the worker running it stopped answering; gave up after {attempts} attempt(s)"
