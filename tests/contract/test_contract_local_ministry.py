"""Every answer the local ministry gives, to good requests and bad ones and under each of its fault
switches, fits `api/ministry.yaml` for its status; and every answer the file documents is one the
local ministry really gives.

Requests are built by hand (as in tests/unit/ministry/test_ministry_local.py) so that malformed ones
can be sent; each scenario also says whether its request fits the file, which checks the request
validator both ways.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from openapi_contract import contract

from ministry_fakes import FakeClock, record
from sikas_sync.ministry import contract as constants
from sikas_sync.ministry.local import Faults, LocalMinistry, Reply

CLIENT_ID = "sikas-asahan"
SECRET = "contract-s3cret"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Sent:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


class Caller:
    """Sends well-formed requests (a fresh token, the region, a request id) unless told otherwise,
    and notes each one."""

    def __init__(self, local: LocalMinistry, clock: FakeClock) -> None:
        self.local = local
        self.clock = clock  # the ministry's
        self.sent: list[Sent] = []
        self.token = json.loads(self.token_request().body)["access_token"]

    def send(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        self.sent.append(Sent(method, target, headers, body))
        return self.local.handle(method, target, headers, body)

    def token_request(
        self, form: dict[str, str] | None = None, *, raw: bytes | None = None, content_type: str = FORM
    ) -> Reply:
        fields = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": SECRET}
        body = raw if raw is not None else urlencode({**fields, **(form or {})}).encode()
        headers = {
            "Content-Type": content_type,
            "X-Request-Id": f"t-{len(self.sent)}",
            "X-Region-Code": "12.09",
        }
        return self.send("POST", constants.TOKEN_PATH, headers, body)

    def __call__(
        self,
        method: str,
        target: str,
        document: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str | None] | None = None,
    ) -> Reply:
        sent = {
            "Authorization": f"Bearer {self.token}",
            "X-Region-Code": self.local.region_code,
            "X-Request-Id": f"t-{len(self.sent)}",
        }
        body = raw if raw is not None else (b"" if document is None else json.dumps(document).encode())
        if body:
            sent["Content-Type"] = "application/json"
        for name, value in (headers or {}).items():
            if value is None:
                sent.pop(name, None)
            else:
                sent[name] = value
        return self.send(method, target, sent, body)


Run = Callable[[LocalMinistry, Caller], Reply]


@dataclass(frozen=True)
class Scenario:
    name: str
    run: Run
    status: int
    code: str | None  # the `error` of the answer's body, for error answers
    request_fits: bool
    faults: dict[str, Any] = field(default_factory=dict)


# -- the authenticated operations: what every one of them answers ---------------------------------

OVER_1_MIB = b" " * (constants.MAX_BATCH_BYTES + 1)
REPORT = {"generated_at": "2025-04-01T07:00:00Z", "rows": [{"kecamatan": "Kisaran", "jumlah": 3}]}
PROTECTED: dict[str, tuple[str, str, Any]] = {
    "pushRecords": ("POST", "/v1/records/lowongan", {"records": [record(1)]}),
    "pullRecords": ("GET", "/v1/records/lowongan?limit=10", None),
    "eraseRecord": ("DELETE", "/v1/records/lowongan/rec-00001", None),
    "putReport": ("PUT", "/v1/reports/smdata-01/2025-03", REPORT),
}


def _plain(
    operation_id: str, *, headers: dict[str, str | None] | None = None, target: str | None = None
) -> Run:
    method, default_target, document = PROTECTED[operation_id]
    return lambda local, call: call(method, target or default_target, document, headers=headers)


def _twice(operation_id: str) -> Run:
    def run(local: LocalMinistry, call: Caller) -> Reply:
        _plain(operation_id)(local, call)
        return _plain(operation_id)(local, call)

    return run


def _revoked(operation_id: str) -> Run:
    def run(local: LocalMinistry, call: Caller) -> Reply:
        local.revoke_tokens()
        return _plain(operation_id)(local, call)

    return run


def _expired(operation_id: str) -> Run:
    def run(local: LocalMinistry, call: Caller) -> Reply:
        call.clock.now += 6  # past the scenario's token_ttl_s of 5
        return _plain(operation_id)(local, call)

    return run


def _oversized(operation_id: str) -> Run:
    method, target, _ = PROTECTED[operation_id]
    body = {
        "pushRecords": json.dumps({"records": [record(1, pad=constants.MAX_BATCH_BYTES)]}).encode(),
        "putReport": json.dumps({"rows": [{"pad": "x" * constants.MAX_BATCH_BYTES}]}).encode(),
    }.get(operation_id, OVER_1_MIB)
    return lambda local, call: call(method, target, raw=body)


def _common(operation_id: str) -> list[Scenario]:
    target = PROTECTED[operation_id][1]
    failing = {"failure_rate": 1.0}
    found = [
        Scenario(
            "no-request-id",
            _plain(operation_id, headers={"X-Request-Id": None}),
            400,
            "REQUEST_ID_MISSING",
            False,
        ),
        Scenario(
            "empty-request-id",
            _plain(operation_id, headers={"X-Request-Id": ""}),
            400,
            "REQUEST_ID_MISSING",
            False,
        ),
        Scenario(
            "no-region",
            _plain(operation_id, headers={"X-Region-Code": None}),
            400,
            "REGION_CODE_INVALID",
            False,
        ),
        Scenario(
            "bad-region",
            _plain(operation_id, headers={"X-Region-Code": "Asahan"}),
            400,
            "REGION_CODE_INVALID",
            False,
        ),
        Scenario(
            "no-token", _plain(operation_id, headers={"Authorization": None}), 401, "TOKEN_INVALID", False
        ),
        Scenario(
            "unknown-token",
            _plain(operation_id, headers={"Authorization": "Bearer made-up"}),
            401,
            "TOKEN_INVALID",
            True,
        ),
        Scenario("revoked-token", _revoked(operation_id), 401, "TOKEN_INVALID", True),
        Scenario("expired-token", _expired(operation_id), 401, "TOKEN_INVALID", True, {"token_ttl_s": 5}),
        Scenario(
            "other-region",
            _plain(operation_id, headers={"X-Region-Code": "12.08"}),
            403,
            "REGION_FORBIDDEN",
            True,
        ),
        Scenario(
            "throttled",
            _plain(operation_id),
            429,
            "THROTTLED",
            True,
            {"throttle_rate": 1.0, "retry_after_s": 0},
        ),
        Scenario(
            "rate-limited",
            _twice(operation_id),
            429,
            "RATE_LIMITED",
            True,
            {"rate_limit_per_s": 0.5, "rate_limit_burst": 1},
        ),
        Scenario(
            "unavailable",
            _plain(operation_id),
            503,
            "UNAVAILABLE",
            True,
            {**failing, "failure_statuses": (503,)},
        ),
        Scenario(
            "server-error",
            _plain(operation_id),
            500,
            "SERVER_ERROR",
            True,
            {**failing, "failure_statuses": (500,)},
        ),
        Scenario(
            "bad-gateway",
            _plain(operation_id),
            502,
            "SERVER_ERROR",
            True,
            {**failing, "failure_statuses": (502,)},
        ),
        Scenario("body-over-1-mib", _oversized(operation_id), 413, "PAYLOAD_TOO_LARGE", False),
    ]
    if "{domain}" in next(o.template for o in contract().operations if o.operation_id == operation_id):
        unknown = target.replace("lowongan", "pegawai")
        found.append(
            Scenario("unknown-domain", _plain(operation_id, target=unknown), 400, "UNKNOWN_DOMAIN", False)
        )
    return found


# -- each operation's own answers ----------------------------------------------------------------


def _post(records: list[dict[str, Any]], *, before: list[dict[str, Any]] | None = None) -> Run:
    def run(local: LocalMinistry, call: Caller) -> Reply:
        if before is not None:
            assert call("POST", "/v1/records/lowongan", {"records": before}).status == 200
        return call("POST", "/v1/records/lowongan", {"records": records})

    return run


def _post_raw(body: bytes) -> Run:
    return lambda local, call: call("POST", "/v1/records/lowongan", raw=body)


def _refuse_second(domain: str, rec: dict[str, Any]) -> list[dict[str, str]] | None:
    if rec["record_id"] != "rec-00002":
        return None
    return [{"field": "nik", "code": "NIK_TIDAK_DIKENAL", "message": "tidak dikenal"}]


PUSH = [
    Scenario("accepted", _post([record(1), record(2)]), 200, None, True),
    Scenario("duplicate", _post([record(1)], before=[record(1)]), 200, None, True),
    Scenario(
        "stale", _post([record(1, text="lama")], before=[record(1, version=2, text="baru")]), 200, None, True
    ),
    Scenario(
        "same-version-other-content",
        _post([record(1, text="b")], before=[record(1, text="a")]),
        200,
        None,
        True,
    ),
    Scenario(
        "refused-by-rule",
        _post([record(1), record(2), record(3)]),
        200,
        None,
        True,
        {"refuse_when": _refuse_second},
    ),
    Scenario("refused-by-rate", _post([record(1)]), 200, None, True, {"refuse_rate": 1.0}),
    Scenario(
        "stored-then-503", _post([record(1)]), 503, "UNAVAILABLE", True, {"fail_after_accept_rate": 1.0}
    ),
    Scenario("body-not-json", _post_raw(b"not json"), 400, "BODY_NOT_JSON", False),
    Scenario("body-a-list", _post_raw(b"[]"), 400, "RECORDS_MISSING", False),
    Scenario("no-records", _post_raw(b'{"records": []}'), 400, "RECORDS_MISSING", False),
    Scenario(
        "record-invalid",
        _post([record(1), {**record(2), "version": 0}, {**record(3), "content_hash": "abc"}]),
        400,
        "RECORD_INVALID",
        False,
    ),
    Scenario("101-records", _post([record(n) for n in range(101)]), 413, "TOO_MANY_RECORDS", False),
    Scenario(
        "31-records-over-a-lower-limit",
        _post([record(n) for n in range(31)]),
        413,
        "TOO_MANY_RECORDS",
        True,
        {"max_batch_records": 30},
    ),
]


def _get(query: str, *, pushed: int = 0, seeded: bool = False, follow: bool = False) -> Run:
    def run(local: LocalMinistry, call: Caller) -> Reply:
        if pushed:
            assert (
                call("POST", "/v1/records/lowongan", {"records": [record(n) for n in range(pushed)]}).status
                == 200
            )
        if seeded:
            local.seed_records("lowongan", [{"record_id": "siapkerja-1", "data": {"nama": "x"}}])
        reply = call("GET", f"/v1/records/lowongan?{query}")
        if follow:
            cursor = json.loads(reply.body)["next_cursor"]
            reply = call("GET", f"/v1/records/lowongan?{query}&cursor={quote(cursor)}")
        return reply

    return run


PULL = [
    Scenario("empty", _get("limit=500"), 200, None, True),
    Scenario("first-page", _get("limit=2", pushed=3), 200, None, True),
    Scenario("last-page", _get("limit=2", pushed=3, follow=True), 200, None, True),
    Scenario("seeded", _get("limit=10", seeded=True), 200, None, True),
    Scenario(
        "updated-since",
        _get("limit=10&updated_since=2020-01-01T07%3A00%3A00%2B07%3A00", pushed=1),
        200,
        None,
        True,
    ),
    Scenario("no-limit", _get("", pushed=1), 200, None, True),
    Scenario("limit-0", _get("limit=0"), 400, "LIMIT_INVALID", False),
    Scenario("limit-501", _get("limit=501"), 400, "LIMIT_INVALID", False),
    Scenario("limit-not-a-number", _get("limit=x"), 400, "LIMIT_INVALID", False),
    Scenario(
        "updated-since-without-offset",
        _get("updated_since=2025-01-01T00%3A00%3A00"),
        400,
        "UPDATED_SINCE_INVALID",
        False,
    ),
    Scenario("unknown-cursor", _get("cursor=zzz"), 400, "CURSOR_INVALID", True),
]


def _delete(record_id: str, *, pushed: bool) -> Run:
    def run(local: LocalMinistry, call: Caller) -> Reply:
        if pushed:
            assert call("POST", "/v1/records/lowongan", {"records": [record(1)]}).status == 200
        return call("DELETE", f"/v1/records/lowongan/{quote(record_id, safe='')}")

    return run


ERASE = [
    Scenario("present", _delete("rec-00001", pushed=True), 204, None, True),
    Scenario("absent", _delete("rec-00001", pushed=False), 204, None, True),
    Scenario("encoded-id", _delete("rec/1 x", pushed=False), 204, None, True),
    Scenario("empty-id", _delete("", pushed=False), 404, "NOT_FOUND", False),
]


def _put(
    document: Any, *, template: str = "smdata-01", period: str = "2025-03", raw: bytes | None = None
) -> Run:
    return lambda local, call: call("PUT", f"/v1/reports/{template}/{period}", document, raw=raw)


def _put_twice(local: LocalMinistry, call: Caller) -> Reply:
    _put(REPORT)(local, call)
    return _put({**REPORT, "rows": []})(local, call)


REPORTS = [
    Scenario("stored", _put(REPORT), 200, None, True),
    Scenario("replaced", _put_twice, 200, None, True),
    Scenario("without-generated-at", _put({"rows": [{"jumlah": 1}]}), 200, None, True),
    Scenario("body-not-json", _put(None, raw=b"not json"), 400, "BODY_NOT_JSON", False),
    Scenario("bad-period", _put(REPORT, period="2025-13"), 422, "REPORT_REJECTED", False),
    Scenario("no-template", _put(REPORT, template=""), 422, "REPORT_REJECTED", False),
    Scenario("body-a-list", _put([]), 422, "REPORT_REJECTED", False),
    Scenario("rows-not-a-list", _put({"rows": {"jumlah": 1}}), 422, "REPORT_REJECTED", False),
    Scenario("row-not-an-object", _put({"rows": [1, {"jumlah": 1}]}), 422, "REPORT_REJECTED", False),
    Scenario(
        "bad-generated-at", _put({"rows": [], "generated_at": "kemarin"}), 422, "REPORT_REJECTED", False
    ),
]

TOKEN = [
    Scenario("issued", lambda local, call: call.token_request(), 200, None, True),
    Scenario(
        "wrong-secret",
        lambda local, call: call.token_request({"client_secret": "wrong"}),
        401,
        "invalid_client",
        True,
    ),
    Scenario(
        "unknown-client",
        lambda local, call: call.token_request({"client_id": "other"}),
        401,
        "invalid_client",
        True,
    ),
    Scenario(
        "no-secret",
        lambda local, call: call.token_request(raw=b"grant_type=client_credentials&client_id=sikas-asahan"),
        401,
        "invalid_client",
        False,
    ),
    Scenario(
        "other-grant",
        lambda local, call: call.token_request({"grant_type": "password"}),
        400,
        "unsupported_grant_type",
        False,
    ),
    Scenario(
        "json-body",
        lambda local, call: call.token_request(raw=b"{}", content_type="application/json"),
        400,
        "invalid_request",
        False,
    ),
    Scenario(
        "not-utf-8",
        lambda local, call: call.token_request(raw=b"grant_type=\xff"),
        400,
        "invalid_request",
        False,
    ),
]

HEALTH = [
    Scenario("up", lambda local, call: call.send("GET", constants.HEALTH_PATH, {}, b""), 200, None, True),
]

SCENARIOS: list[tuple[str, Scenario]] = [
    *(("issueToken", s) for s in TOKEN),
    *(("health", s) for s in HEALTH),
    *(("pushRecords", s) for s in PUSH),
    *(("pullRecords", s) for s in PULL),
    *(("eraseRecord", s) for s in ERASE),
    *(("putReport", s) for s in REPORTS),
    *((operation_id, s) for operation_id in PROTECTED for s in _common(operation_id)),
]


def play(scenario: Scenario) -> tuple[Sent, Reply]:
    clock = FakeClock()
    local = LocalMinistry(clients={CLIENT_ID: SECRET}, faults=Faults(**scenario.faults), clock=clock)
    call = Caller(local, clock)
    reply = scenario.run(local, call)
    return call.sent[-1], reply


@pytest.mark.parametrize(("operation_id", "scenario"), SCENARIOS, ids=[f"{o}-{s.name}" for o, s in SCENARIOS])
def test_the_local_ministrys_answer_fits_the_file(operation_id: str, scenario: Scenario) -> None:
    sent, reply = play(scenario)
    checked = contract()
    found = checked.operation(sent.method, sent.target)
    assert found is not None
    assert found[0].operation_id == operation_id
    assert reply.status == scenario.status, reply.body
    if scenario.code is not None:
        assert json.loads(reply.body)["error"] == scenario.code
    assert checked.response_problems(sent.method, sent.target, reply.status, reply.headers, reply.body) == []
    request_problems = checked.request_problems(sent.method, sent.target, sent.headers, sent.body)
    assert (request_problems == []) == scenario.request_fits, request_problems


def test_every_documented_answer_is_one_the_local_ministry_gives() -> None:
    checked = contract()
    given = set()
    for _, scenario in SCENARIOS:
        sent, reply = play(scenario)
        found = checked.operation(sent.method, sent.target)
        assert found is not None
        given.add((found[0].operation_id, checked.response_key(found[0], reply.status)))
    documented = {(o.operation_id, key) for o in checked.operations for key in o.spec["responses"]}
    assert documented - given == set(), "documented, never given"
    assert given - documented == set(), "given, not documented"


def test_the_results_of_a_push_are_the_documented_kinds() -> None:
    statuses = set()
    for _, scenario in [("pushRecords", s) for s in PUSH]:
        _, reply = play(scenario)
        if reply.status == 200:
            statuses |= {result["status"] for result in json.loads(reply.body)["results"]}
    assert statuses == constants.RESULT_STATUSES
