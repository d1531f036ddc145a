"""The HRIS API on the same aiohttp server: `POST /api/v1/employees` (upsert the import record shape) and
`GET /api/v1/openings` (published openings). Described in docs/openapi.yaml.

Off unless INTERNAL_HIRE_API_TOKEN is set; callers send it as `Authorization: Bearer <token>` (compared in constant
time). Every call, refused ones included, is written to the audit log through core.audit.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging

from aiohttp import web

from core import audit
from core.domain import Employee, Role
from core.importer import ImportReport, RecordError, decode_text, record_to_employee

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 2 * 1024 * 1024        # the default cap of POST /api/v1/employees (INTERNAL_HIRE_API_MAX_BYTES)
JSONL_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines",
               "application/jsonlines")
API_ACTOR = Employee(id="hris-api", display_name="HRIS API", role=Role.HR_ADMIN)


def _error(status: int, message: str, **headers) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers or None)


class BadBody(ValueError):
    pass


def parse_records(text: str, content_type: str) -> list[tuple[int, dict | None, str | None]]:
    """(index, record, error) for every record of a JSON list ({"employees": [...]} too) or of JSONL (one object a
    line; index counts the non-blank lines from 0). A body that is not JSON at all raises BadBody."""
    jsonl = content_type in JSONL_TYPES
    if not jsonl:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            # no declared type and more than one line: JSONL, the other shape the importer reads
            if content_type == "application/json" or len(text.strip().splitlines()) < 2:
                raise BadBody(f"invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg}); nothing was "
                              "imported") from exc
            jsonl = True
        else:
            if isinstance(data, dict) and isinstance(data.get("employees"), list):
                data = data["employees"]
            if not isinstance(data, list):
                raise BadBody('expected a list of employee records (or {"employees": [...]}, or JSONL)')
            return [(i, item, None) for i, item in enumerate(data)]
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            out.append((len(out), json.loads(line), None))
        except json.JSONDecodeError as exc:
            out.append((len(out), None, f"invalid JSON ({exc.msg})"))
    return out


def import_records(importer, records: list[tuple[int, dict | None, str | None]]) -> dict:
    """The importer's own record checks and upsert; every refused record is reported with its index, the rest kept."""
    report = ImportReport()
    errors: dict[int, dict] = {}
    valid: dict[str, tuple[int, Employee]] = {}       # id -> the last record with that id
    for index, raw, error in records:
        if error is None and isinstance(raw, dict) and str(raw.get("resume_file") or "").strip():
            error = "resume_file is not accepted over the API (it would name a file on the server); send resume_text"
        if error is None:
            try:
                employee = record_to_employee(raw, None, report)
            except RecordError as exc:
                error = str(exc)
        if error is not None:
            errors[index] = {"index": index, "error": error}
            if isinstance(raw, dict) and raw.get("id") not in (None, ""):
                errors[index]["id"] = str(raw.get("id"))[:100]
            continue
        if employee.id in valid:
            earlier = valid[employee.id][0]
            errors[earlier] = {"index": earlier, "id": employee.id,
                               "error": f"employee {employee.id} appears again at index {index}; the later record "
                                        "was used"}
        valid[employee.id] = (index, employee)
    batch = [(f"record {index}", employee) for index, employee in valid.values()]
    importer.upsert(batch, report)
    for where, reason in report.rejected:           # a profile that could not be analysed
        index = int(where.split()[-1])
        errors[index] = {"index": index, "error": reason}
    return {"received": len(records), "added": report.added, "updated": report.updated,
            "unchanged": report.unchanged, "errors": [errors[i] for i in sorted(errors)],
            "ignored_protected_fields": sorted(report.ignored_fields)}


def opening_json(opening) -> dict:
    return {"id": opening.id, "jd_id": opening.jd_id, "company_id": opening.company_id, "family": opening.family,
            "level": opening.level, "title": opening.title, "status": getattr(opening.status, "value", opening.status),
            "opened_at": opening.opened_at}


def register_api(web_app: web.Application, app, settings) -> None:
    """Adds the /api/v1 routes. Without a token they answer 503 with the reason, and never touch the data."""
    token = settings.api_token.get_secret_value().strip() if settings.api_token else ""
    max_bytes = int(getattr(settings, "api_max_bytes", 0) or MAX_BODY_BYTES)

    def peer(request: web.Request) -> str:
        return request.remote or ""

    async def write_audit(action: str, shown=(), **details) -> None:
        try:
            await asyncio.to_thread(audit.record, app.store, API_ACTOR, action, "", shown, **details)
        except Exception:       # the answer is not lost because the audit row could not be written; the log says so
            log.exception("api: the audit row for %s could not be written", action)

    async def authorised(request: web.Request) -> web.Response | None:
        if not token:
            return _error(503, "the HRIS API is off: set INTERNAL_HIRE_API_TOKEN on the server to turn it on")
        given = request.headers.get("Authorization", "")
        scheme, _, value = given.partition(" ")
        ok = scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode())
        if ok:
            return None
        await write_audit("api_refused", path=request.path, method=request.method, peer=peer(request),
                          reason="no token" if not given else "wrong token")
        return _error(401, "missing or wrong bearer token (Authorization: Bearer <INTERNAL_HIRE_API_TOKEN>)",
                      **{"WWW-Authenticate": 'Bearer realm="internal-hire"'})

    async def post_employees(request: web.Request) -> web.Response:
        refused = await authorised(request)
        if refused is not None:
            return refused
        too_big = _error(413, f"the body is larger than the cap of {max_bytes} bytes; send the records in smaller "
                              "batches")
        if request.content_length is not None and request.content_length > max_bytes:
            await write_audit("api_import", path=request.path, peer=peer(request), status=413,
                              bytes=request.content_length)
            return too_big
        body = bytearray()
        while True:
            chunk = await request.content.read(64 * 1024)
            if not chunk:
                break
            body.extend(chunk)
            if len(body) > max_bytes:
                await write_audit("api_import", path=request.path, peer=peer(request), status=413,
                                  bytes=len(body))
                return too_big
        text = decode_text(bytes(body))
        content_type = request.content_type if request.content_type != "application/octet-stream" else ""
        try:
            if text is None:
                raise BadBody("the body is not UTF-8 text")
            if not text.strip():
                raise BadBody("the body is empty; send a JSON list of employee records or JSONL")
            records = parse_records(text, content_type)
        except BadBody as exc:
            await write_audit("api_import", path=request.path, peer=peer(request), status=400, error=str(exc))
            return _error(400, str(exc))
        result = await asyncio.to_thread(import_records, app.importer, records)
        await write_audit("api_import", path=request.path, peer=peer(request), status=200,
                          received=result["received"], added=result["added"], updated=result["updated"],
                          unchanged=result["unchanged"], rejected=len(result["errors"]))
        return web.json_response(result)

    async def get_openings(request: web.Request) -> web.Response:
        refused = await authorised(request)
        if refused is not None:
            return refused
        openings = await asyncio.to_thread(app.store.list_openings, "open")
        body = {"openings": [opening_json(o) for o in openings]}
        await write_audit("api_openings", path=request.path, peer=peer(request),
                          status=200, count=len(openings))
        return web.json_response(body)

    web_app.router.add_post("/api/v1/employees", post_employees)
    web_app.router.add_get("/api/v1/openings", get_openings)
