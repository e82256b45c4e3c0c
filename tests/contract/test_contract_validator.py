"""The checker of `openapi_contract` really refuses what breaks `api/ministry.yaml`: each deliberately
wrong request or answer below is reported, for the reason expected, while its correct original is not."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_contract import contract

from sikas_sync.validation.canonical import content_hash

DATA = {"nomor": 1}
RECORD = {"record_id": "rec-1", "version": 1, "content_hash": content_hash(DATA), "data": DATA}
HEADERS = {
    "Authorization": "Bearer t0ken",
    "X-Region-Code": "12.09",
    "X-Request-Id": "req-1",
    "Content-Type": "application/json",
}
PUSH = "/v1/records/lowongan"


def body(document: Any) -> bytes:
    return json.dumps(document).encode()


def request_problems(
    method: str = "POST",
    target: str = PUSH,
    headers: dict[str, str | None] | None = None,
    raw: bytes | None = None,
    document: Any = None,
) -> list[str]:
    sent = {**HEADERS, **(headers or {})}
    payload = raw if raw is not None else body(document if document is not None else {"records": [RECORD]})
    return contract().request_problems(
        method, target, {k: v for k, v in sent.items() if v is not None}, payload
    )


def test_the_correct_requests_pass() -> None:
    assert request_problems() == []
    assert request_problems("GET", f"{PUSH}?limit=500&updated_since=2025-01-01T00%3A00%3A00Z", raw=b"") == []
    assert request_problems("DELETE", f"{PUSH}/rec%2F1", raw=b"") == []
    assert request_problems("PUT", "/v1/reports/smdata-01/2025-03", document={"rows": [{"a": 1}]}) == []
    form = b"grant_type=client_credentials&client_id=a&client_secret=b"
    token_headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": None}
    assert request_problems("POST", "/oauth/token", token_headers, raw=form) == []
    assert request_problems("GET", "/v1/health", {"Authorization": None, "Content-Type": None}, raw=b"") == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"document": {"records": [{k: v for k, v in RECORD.items() if k != "content_hash"}]}},
            "'content_hash' is a required property",
        ),
        ({"document": {"records": [{**RECORD, "version": 0}]}}, "less than the minimum of 1"),
        ({"document": {"records": [{**RECORD, "version": "1"}]}}, "is not of type 'integer'"),
        (
            {"raw": body({"records": [RECORD]}).replace(b'"version": 1', b'"version": 1.0')},
            "is not of type 'integer'",
        ),
        (
            {"raw": body({"records": [RECORD]}).replace(b'"version": 1', b'"version": 1e0')},
            "is not of type 'integer'",
        ),
        ({"document": {"records": [{**RECORD, "content_hash": "ABC"}]}}, "does not match"),
        ({"document": {"records": [{**RECORD, "record_id": ""}]}}, "should be non-empty"),
        ({"document": {"records": [{**RECORD, "data": []}]}}, "is not of type 'object'"),
        ({"document": {"records": [RECORD] * 101}}, "is too long"),
        ({"document": {"records": []}}, "should be non-empty"),
        ({"document": [RECORD]}, "is not of type 'object'"),
        ({"raw": b"not json"}, "body: not application/json"),
        ({"raw": b""}, "body: required, missing"),
        (
            {"raw": body({"records": [{**RECORD, "data": {"pad": "x" * 1024 * 1024}}]})},
            "over x-max-body-bytes",
        ),
        ({"headers": {"Content-Type": "text/plain"}}, "Content-Type text/plain"),
        ({"headers": {"X-Request-Id": None}}, "header x-request-id: required, missing"),
        ({"headers": {"X-Request-Id": ""}}, "header x-request-id"),
        ({"headers": {"X-Region-Code": "Asahan"}}, "header x-region-code"),
        ({"headers": {"X-Region-Code": None}}, "header x-region-code: required, missing"),
        ({"headers": {"Authorization": None}}, "bearer token is required"),
        ({"headers": {"Authorization": "Basic YTpi"}}, "bearer token is required"),
        ({"target": "/v1/records/pegawai"}, "path domain"),
        ({"target": f"{PUSH}?dry_run=1"}, "query dry_run: not a parameter"),
        ({"method": "PATCH"}, "no operation PATCH"),
        ({"target": "/v2/records/lowongan"}, "no operation POST"),
    ],
)
def test_a_wrong_push_is_refused(change: dict[str, Any], expected: str) -> None:
    problems = request_problems(**change)
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("method", "target", "headers", "raw", "expected"),
    [
        ("GET", f"{PUSH}?limit=0", {}, b"", "query limit"),
        ("GET", f"{PUSH}?limit=501", {}, b"", "query limit"),
        ("GET", f"{PUSH}?limit=x", {}, b"", "query limit"),
        ("GET", f"{PUSH}?limit=1&limit=2", {}, b"", "sent 2 times"),
        ("GET", f"{PUSH}?updated_since=2025-01-01T00%3A00%3A00", {}, b"", "query updated_since"),
        ("GET", f"{PUSH}?cursor=", {}, b"", "query cursor"),
        ("GET", PUSH, {}, b"{}", "pullRecords takes none"),
        ("DELETE", f"{PUSH}/", {}, b"", "path record_id"),
        ("PUT", "/v1/reports/smdata-01/2025-13", {}, b'{"rows": []}', "path period"),
        ("PUT", "/v1/reports//2025-03", {}, b'{"rows": []}', "path template"),
        ("PUT", "/v1/reports/smdata-01/2025-03", {}, b'{"rows": [1]}', "is not of type 'object'"),
        ("PUT", "/v1/reports/smdata-01/2025-03", {}, b'{"rows": [], "generated_at": "kemarin"}', "date-time"),
        (
            "PUT",
            "/v1/reports/smdata-01/2025-03",
            {},
            b'{"generated_at": "2025-04-01T00:00:00Z"}',
            "'rows' is a required",
        ),
        (
            "POST",
            "/oauth/token",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"grant_type=password&client_id=a&client_secret=b",
            "'client_credentials'",
        ),
        (
            "POST",
            "/oauth/token",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"grant_type=client_credentials&client_id=a",
            "'client_secret' is a required",
        ),
        (
            "POST",
            "/oauth/token",
            {},
            b'{"grant_type": "client_credentials"}',
            "Content-Type application/json",
        ),
    ],
)
def test_other_wrong_requests_are_refused(
    method: str, target: str, headers: dict[str, str | None], raw: bytes, expected: str
) -> None:
    problems = request_problems(method, target, headers, raw=raw)
    assert any(expected in problem for problem in problems), problems


# -- answers --------------------------------------------------------------------------------------

JSON = {"Content-Type": "application/json"}
RESULT = {"record_id": "rec-1", "status": "accepted", "ministry_ref": "LOWONGAN-000001"}
PULLED = {**RECORD, "ministry_ref": "X-1", "updated_at": "2025-04-01T07:00:00Z", "source": "SIKAS"}
API_ERROR = {"error": "THROTTLED", "message": "too many requests"}


def response_problems(
    status: int,
    document: Any,
    headers: dict[str, str] | None = None,
    method: str = "POST",
    target: str = PUSH,
    raw: bytes | None = None,
) -> list[str]:
    payload = raw if raw is not None else body(document)
    return contract().response_problems(method, target, status, {**JSON, **(headers or {})}, payload)


def test_the_correct_answers_pass() -> None:
    assert response_problems(200, {"results": [RESULT]}) == []
    rejected = {
        "record_id": "rec-1",
        "status": "rejected",
        "errors": [{"field": "nik", "code": "X", "message": "m"}],
    }
    assert response_problems(200, {"results": [rejected]}) == []
    assert response_problems(429, API_ERROR, {"Retry-After": "1"}) == []
    assert response_problems(599, API_ERROR) == []
    assert response_problems(200, {"records": [PULLED], "next_cursor": None}, method="GET") == []
    assert response_problems(204, None, {}, "DELETE", f"{PUSH}/rec-1", raw=b"") == []
    token = {"access_token": "t", "token_type": "Bearer", "expires_in": 3600}
    assert response_problems(200, token, target="/oauth/token") == []


@pytest.mark.parametrize(
    ("status", "document", "headers", "method", "target", "expected"),
    [
        (200, {"results": [{**RESULT, "status": "ok"}]}, {}, "POST", PUSH, "is not one of"),
        (200, {"result": [RESULT]}, {}, "POST", PUSH, "'results' is a required"),
        (
            200,
            {"results": [{"record_id": "rec-1", "status": "accepted"}]},
            {},
            "POST",
            PUSH,
            "'ministry_ref' is a required",
        ),
        (
            200,
            {"results": [{"record_id": "rec-1", "status": "rejected"}]},
            {},
            "POST",
            PUSH,
            "'errors' is a required",
        ),
        (
            200,
            {"results": [{**RESULT, "errors": [{"code": "X"}]}]},
            {},
            "POST",
            PUSH,
            "'field' is a required",
        ),
        (429, API_ERROR, {}, "POST", PUSH, "header Retry-After: required, missing"),
        (429, API_ERROR, {"Retry-After": "soon"}, "POST", PUSH, "header Retry-After"),
        (503, API_ERROR, {"Retry-After": "-1"}, "POST", PUSH, "header Retry-After"),
        (401, {"error": "TOKEN_INVALID", "message": "m"}, {}, "POST", PUSH, "header WWW-Authenticate"),
        (400, {"message": "m"}, {}, "POST", PUSH, "'error' is a required"),
        (404, {"error": "NOT_FOUND", "message": "m"}, {}, "POST", PUSH, "status 404 is not documented"),
        (
            409,
            {"error": "CONFLICT", "message": "m"},
            {},
            "DELETE",
            f"{PUSH}/rec-1",
            "status 409 is not documented",
        ),
        (422, {"error": "X", "message": "m"}, {}, "POST", PUSH, "status 422 is not documented"),
        (
            422,
            {"error": "REPORT_REJECTED", "message": "m"},
            {},
            "PUT",
            "/v1/reports/t/2025-03",
            "'errors' is a required",
        ),
        (500, API_ERROR, {"Content-Type": "text/html"}, "POST", PUSH, "Content-Type text/html"),
        (204, {}, {}, "DELETE", f"{PUSH}/rec-1", "has none documented"),
        (200, {"records": [PULLED]}, {}, "GET", PUSH, "'next_cursor' is a required"),
        (
            200,
            {"records": [{**PULLED, "updated_at": "yesterday"}], "next_cursor": None},
            {},
            "GET",
            PUSH,
            "date-time",
        ),
        (200, {"records": [], "next_cursor": 7}, {}, "GET", PUSH, "is not of type"),
        (
            200,
            {"access_token": "t", "token_type": "mac", "expires_in": 60},
            {},
            "POST",
            "/oauth/token",
            "'Bearer'",
        ),
        (
            200,
            {"access_token": "t", "token_type": "Bearer"},
            {},
            "POST",
            "/oauth/token",
            "'expires_in' is a required",
        ),
        (401, {"error": "TOKEN_INVALID"}, {}, "POST", "/oauth/token", "is not one of"),
        (200, {"status": "down"}, {}, "GET", "/v1/health", "is not one of"),
        (503, {}, {}, "GET", "/v1/health", "status 503 is not documented"),
    ],
)
def test_a_wrong_answer_is_refused(
    status: int, document: Any, headers: dict[str, str], method: str, target: str, expected: str
) -> None:
    problems = response_problems(status, document, headers, method, target)
    assert any(expected in problem for problem in problems), problems
