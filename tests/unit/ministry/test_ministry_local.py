"""The local ministry's behaviour per `api/ministry.yaml`, request by request (no socket).

Requests are built by hand here so that malformed ones can be sent; the client's own behaviour is
tested in test_ministry_client.py and against a server on loopback in tests/integration/ministry.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from ministry_support import CLIENT_ID, SECRET, ministry

from ministry_fakes import FakeClock, record
from sikas_sync.domains import BY_SLUG
from sikas_sync.ministry import contract
from sikas_sync.ministry.local import NIK_UNKNOWN, Faults, LocalMinistry, Reply


def token_of(local: LocalMinistry, secret: str = SECRET) -> Reply:
    body = urlencode({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": secret})
    return local.handle(
        "POST", "/oauth/token", {"Content-Type": "application/x-www-form-urlencoded"}, body.encode()
    )


class Caller:
    """Sends well-formed API requests (a fresh token, the region, a request id) unless told otherwise."""

    def __init__(self, local: LocalMinistry) -> None:
        self.local = local
        self.token = json.loads(token_of(local).body)["access_token"]
        self.count = 0

    def __call__(
        self,
        method: str,
        target: str,
        document: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str | None] | None = None,
    ) -> Reply:
        self.count += 1
        sent = {
            "Authorization": f"Bearer {self.token}",
            "X-Region-Code": self.local.region_code,
            "X-Request-Id": f"t-{self.count}",
        }
        for name, value in (headers or {}).items():
            if value is None:
                sent.pop(name, None)
            else:
                sent[name] = value
        body = raw if raw is not None else (b"" if document is None else json.dumps(document).encode())
        return self.local.handle(method, target, sent, body)

    def post(self, domain: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        reply = self("POST", f"/v1/records/{domain}", {"records": records})
        assert reply.status == 200, reply.body
        results: list[dict[str, Any]] = json.loads(reply.body)["results"]
        return results


def doc(reply: Reply) -> Any:
    return json.loads(reply.body)


@pytest.fixture
def local() -> LocalMinistry:
    return ministry()


@pytest.fixture
def call(local: LocalMinistry) -> Caller:
    return Caller(local)


def test_contract_domains_are_the_registry_domains() -> None:
    assert set(contract.DOMAINS) == set(BY_SLUG)


# -- tokens -------------------------------------------------------------------------------------


def test_token_is_issued_for_the_right_secret_only(local: LocalMinistry) -> None:
    issued = token_of(local)
    assert issued.status == 200
    assert doc(issued)["token_type"] == "Bearer"
    assert doc(issued)["expires_in"] == 3600
    assert token_of(local, "wrong").status == 401
    assert local.stats.tokens_issued == 1


def test_token_endpoint_wants_a_form_and_the_client_credentials_grant(local: LocalMinistry) -> None:
    as_json = local.handle("POST", "/oauth/token", {"Content-Type": "application/json"}, b"{}")
    other_grant = local.handle(
        "POST",
        "/oauth/token",
        {"Content-Type": "application/x-www-form-urlencoded"},
        urlencode({"grant_type": "password", "client_id": CLIENT_ID, "client_secret": SECRET}).encode(),
    )
    assert (as_json.status, doc(as_json)["error"]) == (400, "invalid_request")
    assert (other_grant.status, doc(other_grant)["error"]) == (400, "unsupported_grant_type")


def test_a_token_stops_working_at_its_ttl() -> None:
    clock = FakeClock()
    local = ministry(faults=Faults(token_ttl_s=5), clock=clock)
    call = Caller(local)
    assert call("GET", "/v1/records/lowongan").status == 200
    clock.advance(4.9)
    assert call("GET", "/v1/records/lowongan").status == 200
    clock.advance(0.2)
    expired = call("GET", "/v1/records/lowongan")
    assert expired.status == 401
    assert expired.headers["WWW-Authenticate"] == "Bearer"


def test_revoked_tokens_are_refused(local: LocalMinistry, call: Caller) -> None:
    local.revoke_tokens()
    assert call("GET", "/v1/records/lowongan").status == 401


# -- request checks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({"X-Request-Id": None}, 400, "REQUEST_ID_MISSING"),
        ({"X-Region-Code": None}, 400, "REGION_CODE_INVALID"),
        ({"X-Region-Code": "Asahan"}, 400, "REGION_CODE_INVALID"),
        ({"Authorization": None}, 401, "TOKEN_INVALID"),
        ({"Authorization": "Bearer made-up"}, 401, "TOKEN_INVALID"),
        ({"X-Region-Code": "12.08"}, 403, "REGION_FORBIDDEN"),
    ],
)
def test_api_requests_need_request_id_region_and_token(
    call: Caller, local: LocalMinistry, headers: dict[str, str | None], status: int, code: str
) -> None:
    reply = call("POST", "/v1/records/lowongan", {"records": [record(1)]}, headers=headers)
    assert (reply.status, doc(reply)["error"]) == (status, code)
    assert local.records("lowongan") == {}


def test_an_unknown_domain_is_400(call: Caller) -> None:
    reply = call("POST", "/v1/records/pegawai", {"records": [record(1)]})
    assert (reply.status, doc(reply)["error"]) == (400, "UNKNOWN_DOMAIN")


def test_unknown_paths_and_methods(call: Caller) -> None:
    assert call("GET", "/v2/records/lowongan").status == 404
    wrong_method = call("PUT", "/v1/records/lowongan", {"records": []})
    assert wrong_method.status == 405
    assert wrong_method.headers["Allow"] == "GET, POST"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"not json", "BODY_NOT_JSON"),
        (b"[]", "RECORDS_MISSING"),
        (b'{"records": []}', "RECORDS_MISSING"),
        (b'{"rows": [{}]}', "RECORDS_MISSING"),
    ],
)
def test_malformed_batches_are_400(call: Caller, body: bytes, code: str) -> None:
    reply = call("POST", "/v1/records/lowongan", raw=body)
    assert (reply.status, doc(reply)["error"]) == (400, code)


def test_a_record_breaking_the_schema_fails_the_whole_batch(call: Caller, local: LocalMinistry) -> None:
    bad = [
        record(1),
        {**record(2), "version": 0},
        {**record(3), "content_hash": "abc"},
        {**record(4), "data": []},
    ]
    reply = call("POST", "/v1/records/lowongan", {"records": bad})
    assert reply.status == 400
    assert [e["field"] for e in doc(reply)["errors"]] == [
        "records[1].version",
        "records[2].content_hash",
        "records[3].data",
    ]
    assert local.records("lowongan") == {}


def test_over_100_records_or_1_mib_is_413(call: Caller, local: LocalMinistry) -> None:
    too_many = call("POST", "/v1/records/lowongan", {"records": [record(n) for n in range(101)]})
    too_big = call("POST", "/v1/records/lowongan", {"records": [record(1, pad=contract.MAX_BATCH_BYTES)]})
    assert (too_many.status, too_big.status) == (413, 413)
    assert local.records("lowongan") == {}
    assert [(b.records, b.status) for b in local.stats.batches] == [(101, 413), (1, 413)]


# -- record semantics ---------------------------------------------------------------------------


def test_accepted_then_duplicate_then_stale(call: Caller, local: LocalMinistry) -> None:
    first = call.post("lowongan", [record(1, version=2, text="a")])
    again = call.post("lowongan", [record(1, version=2, text="a")])
    older = call.post("lowongan", [record(1, version=1, text="b")])
    newer = call.post("lowongan", [record(1, version=3, text="c")])
    assert [r["status"] for r in first + again + older + newer] == [
        "accepted",
        "duplicate",
        "stale",
        "accepted",
    ]
    refs = {r["ministry_ref"] for r in first + again + older + newer}
    assert refs == {"LOWONGAN-000001"}
    stored = local.records("lowongan")["rec-00001"]
    assert (stored["version"], stored["data"]["isi"], stored["source"]) == (3, "c", "SIKAS")
    assert local.stats.results == {"accepted": 2, "duplicate": 1, "stale": 1}


def test_same_version_other_content_is_accepted(call: Caller, local: LocalMinistry) -> None:
    call.post("lowongan", [record(1, text="a")])
    assert call.post("lowongan", [record(1, text="b")])[0]["status"] == "accepted"
    assert local.records("lowongan")["rec-00001"]["data"]["isi"] == "b"


def test_job_seekers_get_a_job_seeker_id_with_the_region_digits(call: Caller) -> None:
    seekers = call.post("pencari_kerja", [record(1), record(2)])
    cards = call.post("kartu_ak1", [record(1)])
    others = call.post("pelatihan", [record(1)])
    assert [r["ministry_ref"] for r in seekers + cards + others] == [
        "PK-1209-000001",
        "PK-1209-000002",
        "PK-1209-000003",
        "PELATIHAN-000001",
    ]


def test_results_follow_the_request_order(call: Caller) -> None:
    call.post("lowongan", [record(5, version=3)])
    batch = [record(9), record(5, version=3), record(7), record(5, version=1, text="old")]
    results = call.post("lowongan", batch)
    assert [(r["record_id"], r["status"]) for r in results] == [
        ("rec-00009", "accepted"),
        ("rec-00005", "duplicate"),
        ("rec-00007", "accepted"),
        ("rec-00005", "stale"),
    ]


def test_refuse_when_rejects_with_its_errors_and_stores_nothing(local: LocalMinistry, call: Caller) -> None:
    error = {"field": "nik", "code": "NIK_TIDAK_DIKENAL", "message": "NIK tidak dikenal"}
    local.faults.refuse_when = lambda domain, rec: [error] if rec["data"]["nomor"] % 2 else None
    results = call.post("pencari_kerja", [record(1), record(2), record(3)])
    assert [r["status"] for r in results] == ["rejected", "accepted", "rejected"]
    assert results[0]["errors"] == [error]
    assert "ministry_ref" not in results[0]
    assert set(local.records("pencari_kerja")) == {"rec-00002"}


def test_refuse_rate_one_rejects_everything_new(local: LocalMinistry, call: Caller) -> None:
    call.post("pencari_kerja", [record(1)])
    local.faults.refuse_rate = 1.0
    results = call.post("pencari_kerja", [record(1), record(2)])
    assert [r["status"] for r in results] == ["duplicate", "rejected"]
    assert results[1]["errors"] == [NIK_UNKNOWN]


def test_fail_after_accept_stores_then_answers_503(local: LocalMinistry, call: Caller) -> None:
    local.faults.fail_after_accept_rate = 1.0
    reply = call("POST", "/v1/records/lowongan", {"records": [record(1)]})
    assert reply.status == 503
    assert reply.headers["Retry-After"] in {"0", "1"}
    assert set(local.records("lowongan")) == {"rec-00001"}
    local.faults.fail_after_accept_rate = 0.0
    assert call.post("lowongan", [record(1)])[0]["status"] == "duplicate"


# -- request-level faults -----------------------------------------------------------------------


def test_failure_rate_answers_the_configured_statuses(local: LocalMinistry, call: Caller) -> None:
    local.faults.failure_rate = 1.0
    local.faults.failure_statuses = (500,)
    assert call("GET", "/v1/records/lowongan").status == 500
    local.faults.failure_statuses = (503,)
    unavailable = call("GET", "/v1/records/lowongan")
    assert unavailable.status == 503
    assert unavailable.headers["Retry-After"] in {"0", "1"}
    # The token endpoint and the health check are not subject to failures.
    assert token_of(local).status == 200
    assert local.handle("GET", "/v1/health", {}, b"").status == 200


def test_throttle_rate_answers_429_with_retry_after(local: LocalMinistry, call: Caller) -> None:
    local.faults.throttle_rate = 1.0
    local.faults.retry_after_s = 7
    reply = call("POST", "/v1/records/lowongan", {"records": [record(1)]})
    assert (reply.status, reply.headers["Retry-After"]) == (429, "7")
    assert local.records("lowongan") == {}


def test_rate_limit_lets_a_burst_through_then_refills() -> None:
    clock = FakeClock()
    local = ministry(faults=Faults(rate_limit_per_s=4), clock=clock)
    call = Caller(local)
    statuses = [call("GET", "/v1/records/lowongan").status for _ in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert call("GET", "/v1/records/lowongan").headers["Retry-After"] == "1"
    clock.advance(0.5)  # two requests' worth
    assert [call("GET", "/v1/records/lowongan").status for _ in range(3)] == [200, 200, 429]


def test_a_one_request_bucket_refuses_a_request_a_moment_early_and_never_counts_tokens() -> None:
    clock = FakeClock()
    local = ministry(faults=Faults(rate_limit_per_s=4, rate_limit_burst=1), clock=clock)
    call = Caller(local)
    assert call("GET", "/v1/records/lowongan").status == 200
    clock.advance(0.249)
    assert call("GET", "/v1/records/lowongan").status == 429
    clock.advance(0.001)
    assert call("GET", "/v1/records/lowongan").status == 200
    clock.advance(0.25)
    assert [token_of(local).status for _ in range(3)] == [200] * 3  # the token endpoint is not limited
    assert local.handle("GET", "/v1/health", {}, b"").status == 200
    assert call("GET", "/v1/records/lowongan").status == 200


def test_the_same_seed_gives_the_same_faults() -> None:
    def statuses(seed: int) -> list[int]:
        local = ministry(faults=Faults(failure_rate=0.5, throttle_rate=0.2), seed=seed)
        call = Caller(local)
        return [call("GET", "/v1/records/lowongan").status for _ in range(40)]

    first = statuses(3)
    assert first == statuses(3)
    assert set(first) == {200, 429, 500, 503}


# -- pulling ------------------------------------------------------------------------------------


def seeded(local: LocalMinistry, count: int, start: datetime) -> None:
    local.seed_records(
        "pencari_kerja",
        [
            {"record_id": f"siap-{n:03d}", "data": {"n": n}, "updated_at": start + timedelta(minutes=n // 2)}
            for n in range(count)
        ],
    )


def pull_all(call: Caller, query: str) -> tuple[list[dict[str, Any]], int]:
    records: list[dict[str, Any]] = []
    cursor: str | None = None
    pages = 0
    while True:
        reply = call("GET", f"/v1/records/pencari_kerja?{query}" + (f"&cursor={cursor}" if cursor else ""))
        assert reply.status == 200, reply.body
        page = doc(reply)
        records.extend(page["records"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            return records, pages


def test_pull_pages_through_every_record_once(local: LocalMinistry, call: Caller) -> None:
    seeded(local, 25, datetime(2025, 3, 1, tzinfo=UTC))
    records, pages = pull_all(call, "limit=10")
    assert pages == 3
    assert sorted(r["record_id"] for r in records) == [f"siap-{n:03d}" for n in range(25)]
    first = records[0]
    assert first["source"] == "SIAPKERJA"
    assert first["ministry_ref"].startswith("PK-1209-")
    assert set(first) >= {"record_id", "version", "content_hash", "data", "updated_at"}


def test_pull_filters_on_updated_since_inclusively(local: LocalMinistry, call: Caller) -> None:
    start = datetime(2025, 3, 1, tzinfo=UTC)
    seeded(local, 20, start)
    since = (start + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    records, _ = pull_all(call, urlencode({"limit": 3, "updated_since": since}))
    assert sorted(r["record_id"] for r in records) == [f"siap-{n:03d}" for n in range(10, 20)]


def test_pull_exactly_one_full_page_has_no_next_cursor(local: LocalMinistry, call: Caller) -> None:
    seeded(local, 10, datetime(2025, 3, 1, tzinfo=UTC))
    assert pull_all(call, "limit=10")[1] == 1


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("limit=0", "LIMIT_INVALID"),
        ("limit=501", "LIMIT_INVALID"),
        ("limit=ten", "LIMIT_INVALID"),
        ("updated_since=yesterday", "UPDATED_SINCE_INVALID"),
        ("updated_since=2025-03-01T00:00:00", "UPDATED_SINCE_INVALID"),
        ("cursor=bm90LWEtY3Vyc29y", "CURSOR_INVALID"),
    ],
)
def test_pull_refuses_bad_queries(call: Caller, query: str, code: str) -> None:
    reply = call("GET", f"/v1/records/lowongan?{query}")
    assert (reply.status, doc(reply)["error"]) == (400, code)


# -- delete, reports, health --------------------------------------------------------------------


def test_delete_erases_and_is_204_also_when_absent(local: LocalMinistry, call: Caller) -> None:
    call.post("lowongan", [record(1), record(2)])
    assert call("DELETE", "/v1/records/lowongan/rec-00001").status == 204
    assert call("DELETE", "/v1/records/lowongan/rec-00001").status == 204
    assert set(local.records("lowongan")) == {"rec-00002"}


def test_a_report_is_stored_and_replaced(local: LocalMinistry, call: Caller) -> None:
    first = {"generated_at": "2025-04-01T00:00:00Z", "rows": [{"kecamatan": "Kisaran", "jumlah": 3}]}
    second = {"rows": [{"kecamatan": "Kisaran", "jumlah": 4}]}
    assert call("PUT", "/v1/reports/smdata-01/2025-03", first).status == 200
    assert call("PUT", "/v1/reports/smdata-01/2025-03", second).status == 200
    report = local.reports[("smdata-01", "2025-03")]
    assert report.rows == [{"kecamatan": "Kisaran", "jumlah": 4}]
    assert report.generated_at is None


@pytest.mark.parametrize(
    ("period", "body", "fields"),
    [
        ("2025-13", {"rows": []}, ["period"]),
        ("2025-3", {"rows": []}, ["period"]),
        ("2025-03", {"rows": {"a": 1}}, ["rows"]),
        ("2025-03", {}, ["rows"]),
        ("2025-03", [], ["body"]),
        ("2025-03", {"rows": [{"a": 1}, 2, "x"]}, ["rows[1]", "rows[2]"]),
        ("2025-03", {"rows": [], "generated_at": "kemarin"}, ["generated_at"]),
    ],
)
def test_bad_reports_are_422_with_errors(
    local: LocalMinistry, call: Caller, period: str, body: Any, fields: list[str]
) -> None:
    reply = call("PUT", f"/v1/reports/smdata-01/{period}", body)
    assert reply.status == 422
    assert [e["field"] for e in doc(reply)["errors"]] == fields
    assert local.reports == {}


def test_health_needs_nothing(local: LocalMinistry) -> None:
    assert local.handle("GET", "/v1/health", {}, b"").status == 200


# -- inspection ---------------------------------------------------------------------------------


def test_stats_count_requests_by_route_and_status(local: LocalMinistry, call: Caller) -> None:
    call.post("lowongan", [record(1), record(2)])
    call("GET", "/v1/records/lowongan")
    call("GET", "/v1/records/lowongan", headers={"X-Request-Id": None})
    stats = local.stats
    assert stats.requests[("POST", "/v1/records/{domain}", 200)] == 1
    assert stats.requests[("GET", "/v1/records/{domain}", 200)] == 1
    assert stats.count(status=400) == 1
    assert stats.posts == 1
    assert stats.records_received == 2
    assert stats.request_ids == [None, "t-1", "t-2", None]  # the token request carried none
    local.reset_stats()
    assert local.stats.log == []
    assert local.stats.tokens_issued == 0


def test_records_is_a_copy(local: LocalMinistry, call: Caller) -> None:
    call.post("lowongan", [record(1)])
    local.records("lowongan")["rec-00001"]["data"]["isi"] = "changed"
    assert local.records("lowongan")["rec-00001"]["data"]["isi"] == "isi"
