"""The HRIS API over real HTTP into our server: auth, per-record errors, caps, the OpenAPI file, the audit log."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from core.jd.model import JdDraft, JdRecord, JdStatus, Opening, OpeningStatus

TOKEN = "s3cret-hris-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text(encoding="utf-8"))


def resolve(node):
    """The spec's schema with its $refs inlined, so jsonschema validates a response against it."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = SPEC
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return resolve(target)
        return {k: resolve(v) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v) for v in node]
    return node


async def conforms(response, path: str, method: str) -> dict:
    """The body, after checking it against the schema the OpenAPI file gives for this status."""
    body = await response.json()
    answer = resolve(SPEC["paths"][path][method]["responses"][str(response.status)])
    jsonschema.validate(body, answer["content"]["application/json"]["schema"])
    return body


@pytest.fixture
async def api(serve):
    r = await serve(INTERNAL_HIRE_API_TOKEN=TOKEN, INTERNAL_HIRE_API_MAX_BYTES="4096")
    yield r
    await r.http.close()
    await r.server.close()


def record(eid: str, **extra) -> dict:
    return {"id": eid, "display_name": f"이름 {eid}", "department": "Platform", "title": "Backend Engineer",
            "level": "L3", "open_to_moves": True, "resume_text": "Python, Kubernetes, PostgreSQL 5년", **extra}


async def test_the_api_is_off_without_a_token_and_says_why(serve, org):
    r = await serve()
    try:
        for method, path in (("post", "/api/v1/employees"), ("get", "/api/v1/openings")):
            resp = await r.http.request(method, r.url(path), headers=AUTH, json=[record("H1")])
            body = await conforms(resp, path, method)
            assert resp.status == 503 and "INTERNAL_HIRE_API_TOKEN" in body["error"]
        assert org.store.find_employee("H1") is None
    finally:
        await r.http.close()
        await r.server.close()


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                                     {"Authorization": f"Basic {TOKEN}"}, {"Authorization": f"Bearer {TOKEN}x"},
                                     {"Authorization": "Bearer "}])
async def test_no_or_wrong_token_is_401_and_audited(api, org, headers):
    for method, path in (("post", "/api/v1/employees"), ("get", "/api/v1/openings")):
        resp = await api.http.request(method, api.url(path), headers=headers, json=[record("H1")])
        await conforms(resp, path, method)
        assert resp.status == 401 and resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert org.store.find_employee("H1") is None
    refused = [e for e in org.store.list_audit(limit=5) if e.action == "api_refused"]
    assert len(refused) == 2 and refused[-1].actor_id == "hris-api"
    assert refused[-1].details["path"] == "/api/v1/openings"
    assert TOKEN not in json.dumps([e.details for e in refused])       # the token is never written down


async def test_bad_records_are_reported_with_their_index_and_the_rest_kept(api, org):
    records = [record("H1"),
               {"display_name": "no id"},                                    # 1: missing id
               record("H2", display_name="=HYPERLINK(\"http://x\",\"클릭\")"),  # 2: formula-looking
               "not an object",                                              # 3
               record("H3", level="L99"),                                    # 4
               record("H4", resume_file="/etc/passwd"),                      # 5: a server path
               record("H5", email="not-an-email"),                           # 6
               record("H6", role="ceo"),                                     # 7
               record("H7", gender="F", age=41),                             # 8: kept, protected fields dropped
               record("H1", title="Staff Engineer")]                         # 9: H1 again, the later one wins
    resp = await api.http.post(api.url("/api/v1/employees"), headers=AUTH, json=records)
    body = await conforms(resp, "/api/v1/employees", "post")
    assert resp.status == 200, body
    assert body["received"] == 10 and body["added"] == 2
    assert [e["index"] for e in body["errors"]] == [0, 1, 2, 3, 4, 5, 6, 7]
    errors = {e["index"]: e for e in body["errors"]}
    assert "appears again at index 9" in errors[0]["error"]
    assert "missing id" in errors[1]["error"]
    assert "formula" in errors[2]["error"] and errors[2]["id"] == "H2"
    assert "resume_file" in errors[5]["error"]
    assert body["ignored_protected_fields"] == ["age", "gender"]
    assert org.store.find_employee("H1").title == "Staff Engineer"
    assert org.store.find_employee("H7").display_name == "이름 H7"
    for eid in ("H2", "H3", "H4", "H5", "H6"):
        assert org.store.find_employee(eid) is None
    audited = [e for e in org.store.list_audit(limit=3) if e.action == "api_import"][-1]
    assert audited.details["added"] == 2 and audited.details["rejected"] == 8 and audited.details["role"] == "hr_admin"


async def test_jsonl_upserts_and_a_second_send_changes_nothing(api, org):
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in (record("J1"), record("J2"))) + "\n{broken\n\n"
    headers = {**AUTH, "Content-Type": "application/x-ndjson"}
    resp = await api.http.post(api.url("/api/v1/employees"), headers=headers, data=lines.encode())
    body = await conforms(resp, "/api/v1/employees", "post")
    assert (body["added"], body["received"]) == (2, 3) and body["errors"][0]["index"] == 2
    again = await conforms(await api.http.post(api.url("/api/v1/employees"), headers=headers, data=lines.encode()),
                           "/api/v1/employees", "post")
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 2)
    moved = json.dumps(record("J1", department="Payments"))       # no declared type: JSONL is recognised too
    resp = await api.http.post(api.url("/api/v1/employees"), headers={**AUTH, "Content-Type": "text/plain"},
                               data=moved + "\n" + json.dumps(record("J2")))
    body = await conforms(resp, "/api/v1/employees", "post")
    assert body["updated"] == 1 and org.store.find_employee("J1").department == "Payments"
    # a search finds the person the API just added
    assert org.store.count_employees() >= 2


@pytest.mark.parametrize("data,content_type", [
    (b"[{\"id\": \"X1\", ", "application/json"),
    (b"{\"id\": \"X1\", \"display_name\": \"one object\"}", "application/json"),
    (b"", "application/json"),
    (b"   \n  ", "application/x-ndjson"),
    (b"\xff\xfe\x00garbage\x81", "application/json"),
    (b"42", "application/json"),
])
async def test_malformed_bodies_are_400_and_import_nothing(api, org, data, content_type):
    before = org.store.count_employees()
    resp = await api.http.post(api.url("/api/v1/employees"), headers={**AUTH, "Content-Type": content_type},
                               data=data)
    body = await conforms(resp, "/api/v1/employees", "post")
    assert resp.status == 400 and body["error"] and "Traceback" not in body["error"]
    assert org.store.count_employees() == before


async def test_a_body_over_the_cap_is_413_declared_or_streamed(api, org):
    big = json.dumps([record(f"B{i}") for i in range(60)]).encode()
    assert len(big) > 4096
    resp = await api.http.post(api.url("/api/v1/employees"), headers={**AUTH, "Content-Type": "application/json"},
                               data=big)
    body = await conforms(resp, "/api/v1/employees", "post")
    assert resp.status == 413 and "4096" in body["error"]

    async def chunks():                      # no Content-Length: the cap holds while reading
        for i in range(0, len(big), 1000):
            yield big[i:i + 1000]
    resp = await api.http.post(api.url("/api/v1/employees"), headers={**AUTH, "Content-Type": "application/json"},
                               data=chunks())
    assert resp.status == 413
    await conforms(resp, "/api/v1/employees", "post")
    assert org.store.find_employee("B0") is None


async def test_published_openings_are_listed_and_closed_ones_are_not(api, org):
    draft = JdDraft(title="시니어 백엔드 개발자", summary="결제 플랫폼", responsibilities=["결제 API 설계"],
                    requirements=["Kotlin"], company_id="hanbit", family="1000229", level="L4")
    for jd_id, op_id in (("JDA", "OPA"), ("JDB", "OPB")):
        org.store.create_jd(JdRecord(id=jd_id, company_id="hanbit", family="1000229", level="L4", title=draft.title,
                                     status=JdStatus.APPROVED, version=1, draft=draft, owner_id="E0001",
                                     origin={"style": "concise"}), "E0001")
        assert org.store.publish_jd(jd_id, 1, Opening(op_id, jd_id, "hanbit", "1000229", "L4", draft.title,
                                                      OpeningStatus.OPEN, "HR1", f"2026-12-0{len(op_id)}T00:00:00+00:00"),
                                    "HR1")
    org.store.set_opening_status("OPB", OpeningStatus.CLOSED, "HR1")
    resp = await api.http.get(api.url("/api/v1/openings"), headers=AUTH)
    body = await conforms(resp, "/api/v1/openings", "get")
    assert [o["id"] for o in body["openings"]] == ["OPA"] and body["openings"][0]["title"] == "시니어 백엔드 개발자"
    audited = [e for e in org.store.list_audit(limit=2) if e.action == "api_openings"][-1]
    assert audited.details["count"] == 1


async def test_concurrent_posts_of_the_same_people_all_answer_and_leave_one_row_each(api, org):
    payload = [record(f"C{i}") for i in range(5)]
    answers = await asyncio.gather(*(api.http.post(api.url("/api/v1/employees"), headers=AUTH, json=payload)
                                     for _ in range(4)))
    assert [a.status for a in answers] == [200] * 4
    bodies = [await conforms(a, "/api/v1/employees", "post") for a in answers]
    assert sum(b["added"] for b in bodies) + sum(b["updated"] + b["unchanged"] for b in bodies) == 20
    assert all(org.store.find_employee(f"C{i}") is not None for i in range(5))


def test_the_openapi_file_is_well_formed():
    assert SPEC["openapi"].startswith("3.")
    for name, schema in SPEC["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(resolve(schema))
    for path, methods in SPEC["paths"].items():
        for method, operation in methods.items():
            for status, answer in operation["responses"].items():
                jsonschema.Draft202012Validator.check_schema(resolve(answer)["content"]["application/json"]["schema"])
