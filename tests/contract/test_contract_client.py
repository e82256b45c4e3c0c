"""Every request `MinistryClient` sends in realistic flows fits `api/ministry.yaml`, and so does every
answer the local ministry gives it; the client decides on each documented status as the file says.

The client talks to a LocalMinistry in-process (the unit tests' `InProcessPool`), through a pool that
notes each request and answer as they cross the transport.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
import urllib3
from openapi_contract import Exchange, RecordingHttpPool, RecordingPool, contract

from ministry_fakes import FakeClock, record
from sikas_sync.ministry import (
    AuthenticationError,
    Credentials,
    MinistryClient,
    MinistryError,
    PermanentError,
    TransientError,
)
from sikas_sync.ministry.local import Faults, LocalMinistry

CLIENT_ID = "sikas-asahan"
SECRET = "contract-s3cret"
GENERATED_AT = datetime(2025, 4, 1, 7, tzinfo=UTC)


@dataclass
class Rig:
    local: LocalMinistry
    pool: RecordingPool
    client: MinistryClient
    clock: FakeClock
    secrets: list[str] = field(default_factory=list)  # the secret returned per credentials read


def rig(*, region: str = "12.09", secrets: tuple[str, ...] = (SECRET,), **faults: Any) -> Rig:
    clock = FakeClock()
    local = LocalMinistry(clients={CLIENT_ID: SECRET}, faults=Faults(**faults), clock=clock)
    pool = RecordingPool(local)
    read = itertools.chain(secrets, itertools.repeat(secrets[-1]))
    given: list[str] = []

    def credentials(refresh: bool) -> Credentials:
        given.append(next(read))
        return Credentials(CLIENT_ID, given[-1])

    client = MinistryClient(
        "http://ministry.test", region, credentials, pool=pool, clock=clock, sleep=clock.sleep
    )
    return Rig(local, pool, client, clock, given)


def assert_fits_the_file(exchanges: list[Exchange]) -> None:
    assert exchanges
    problems = {
        f"{e.method} {e.target} → {e.status}": e.request_problems() + e.response_problems()
        for e in exchanges
        if e.request_problems() or e.response_problems()
    }
    assert problems == {}


# -- realistic flows ------------------------------------------------------------------------------


def push_in_batches_then_again_then_older(r: Rig) -> None:
    first = r.client.push("pencari_kerja", [record(n) for n in range(250)])
    again = r.client.push("pencari_kerja", [record(n) for n in range(3)])
    r.client.push("pencari_kerja", [record(7, version=2, text="baru")])
    older = r.client.push("pencari_kerja", [record(7, version=1, text="lama")])
    assert [b.records for b in r.local.stats.batches[:3]] == [100, 100, 50]
    assert {result.status for result in first} == {"accepted"}
    assert [result.status for result in again + older] == ["duplicate"] * 3 + ["stale"]


def refused_records(r: Rig) -> None:
    r.local.faults.refuse_when = lambda domain, rec: (
        [{"field": "nik", "code": "NIK_TIDAK_DIKENAL", "message": "tidak dikenal"}]
        if rec["record_id"] == "rec-00002"
        else None
    )
    results = r.client.push("kartu_ak1", [record(n) for n in range(1, 4)])
    assert [result.status for result in results] == ["accepted", "rejected", "accepted"]


def split_after_413(r: Rig) -> None:
    r.local.faults.max_batch_records = 30
    results = r.client.push("lowongan", [record(n) for n in range(50)])
    assert len(results) == 50
    assert [(b.records, b.status) for b in r.local.stats.batches] == [(50, 413), (25, 200), (25, 200)]


def pull_pages(r: Rig) -> None:
    r.client.push("wlkp", [record(n) for n in range(120)])
    r.local.seed_records("wlkp", [{"record_id": "siapkerja-1", "data": {"nama": "x"}}])
    pulled = list(r.client.pull("wlkp", updated_since=datetime(2020, 1, 1, tzinfo=UTC), page_size=50))
    assert len(pulled) == 121
    assert r.local.stats.count("GET", "/v1/records/{domain}") == 3


def erase(r: Rig) -> None:
    r.client.push("penempatan", [record(1)])
    r.client.delete("penempatan", "rec-00001")
    r.client.delete("penempatan", "rec/with spaces")  # absent, and a path segment to encode
    assert r.local.records("penempatan") == {}


def report(r: Rig) -> None:
    r.client.put_report("smdata-01", "2025-03", [{"kecamatan": "Kisaran", "jumlah": 3}], GENERATED_AT)
    r.client.put_report("smdata-01", "2025-03", [], GENERATED_AT)
    assert r.local.reports[("smdata-01", "2025-03")].rows == []


def health(r: Rig) -> None:
    assert r.client.health() is True


def token_expiry(r: Rig) -> None:
    r.local.faults.token_ttl_s = 60
    r.client.push("jkp", [record(1)])
    r.clock.now += 61
    r.client.push("jkp", [record(2)])
    assert r.local.stats.tokens_issued == 2


def revoked_token(r: Rig) -> None:
    r.client.push("pelatihan", [record(1)])
    r.local.revoke_tokens()
    r.client.push("pelatihan", [record(2)])
    assert r.client.stats.retries_401 == 1


def rotated_secret(r: Rig) -> None:
    # `rig(secrets=("old", SECRET))`: the first read gives a stale secret, the re-read the current one.
    r.client.push("penduduk_bekerja", [record(1)])
    assert r.secrets == ["old", SECRET]


def throttled(r: Rig) -> None:
    r.local.faults.throttle_rate = 1.0
    with pytest.raises(TransientError) as raised:
        r.client.push("lowongan", [record(1)])
    assert (raised.value.status, raised.value.retry_after) == (429, 1.0)


def rate_limited(r: Rig) -> None:
    r.local.faults.rate_limit_per_s = 0.5
    r.local.faults.rate_limit_burst = 1
    r.client.push("lowongan", [record(1)])
    with pytest.raises(TransientError) as raised:
        r.client.push("lowongan", [record(2)])
    assert (raised.value.status, raised.value.retry_after) == (429, 2.0)


def failing(r: Rig, status: int) -> None:
    r.local.faults.failure_rate = 1.0
    r.local.faults.failure_statuses = (status,)
    for call in (
        lambda: r.client.push("lowongan", [record(1)]),
        lambda: list(r.client.pull("lowongan")),
        lambda: r.client.delete("lowongan", "rec-00001"),
        lambda: r.client.put_report("smdata-01", "2025-03", [], GENERATED_AT),
    ):
        with pytest.raises(TransientError) as raised:
            call()
        assert raised.value.status == status


def stored_then_503_then_resent(r: Rig) -> None:
    r.local.faults.fail_after_accept_rate = 1.0
    with pytest.raises(TransientError):
        r.client.push("lowongan", [record(1), record(2)])
    r.local.faults.fail_after_accept_rate = 0.0
    assert [result.status for result in r.client.push("lowongan", [record(1), record(2)])] == [
        "duplicate"
    ] * 2


def other_region(r: Rig) -> None:
    # `rig(region="12.08")` against the ministry of 12.09.
    for call in (
        lambda: r.client.push("lowongan", [record(1)]),
        lambda: list(r.client.pull("lowongan")),
        lambda: r.client.delete("lowongan", "rec-00001"),
        lambda: r.client.put_report("smdata-01", "2025-03", [], GENERATED_AT),
    ):
        with pytest.raises(PermanentError) as raised:
            call()
        assert raised.value.status == 403


def wrong_secret(r: Rig) -> None:
    # `rig(secrets=("wrong",))`: also the re-read gives a refused secret.
    with pytest.raises(AuthenticationError):
        r.client.push("lowongan", [record(1)])
    assert r.local.stats.count("POST", "/oauth/token", 401) == 2


FLOWS: list[tuple[Callable[..., None], dict[str, Any]]] = [
    (push_in_batches_then_again_then_older, {}),
    (refused_records, {}),
    (split_after_413, {}),
    (pull_pages, {}),
    (erase, {}),
    (report, {}),
    (health, {}),
    (token_expiry, {}),
    (revoked_token, {}),
    (rotated_secret, {"secrets": ("old", SECRET)}),
    (throttled, {}),
    (rate_limited, {}),
    (stored_then_503_then_resent, {}),
    (other_region, {"region": "12.08"}),
    (wrong_secret, {"secrets": ("wrong",)}),
]


def run_flow(flow: Callable[..., None], options: dict[str, Any], *args: Any) -> list[Exchange]:
    r = rig(**options)
    flow(r, *args)
    return r.pool.exchanges


@pytest.mark.parametrize(("flow", "options"), FLOWS, ids=[flow.__name__ for flow, _ in FLOWS])
def test_the_client_and_the_local_ministry_keep_to_the_file(
    flow: Callable[..., None], options: dict[str, Any]
) -> None:
    assert_fits_the_file(run_flow(flow, options))


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_failures_keep_to_the_file(status: int) -> None:
    assert_fits_the_file(run_flow(failing, {}, status))


def test_the_flows_use_every_operation_of_the_file() -> None:
    used = {e.operation_id for flow, options in FLOWS for e in run_flow(flow, options)}
    assert used == {operation.operation_id for operation in contract().operations}


def test_over_http_on_loopback_too() -> None:
    # The HTTP server adds its own layer (status line, Content-Length, keep-alive): checked once here.
    with LocalMinistry(clients={CLIENT_ID: SECRET}) as local:
        pool = RecordingHttpPool(maxsize=2)
        client = MinistryClient(
            local.url, "12.09", lambda _: Credentials(CLIENT_ID, SECRET), pool=pool, timeout_s=5
        )
        client.push("lowongan", [record(n) for n in range(120)])
        client.push("lowongan", [record(1)])
        assert len(list(client.pull("lowongan", page_size=50))) == 120
        client.delete("lowongan", "rec-00001")
        client.put_report("smdata-01", "2025-03", [{"jumlah": 1}], GENERATED_AT)
        assert client.health() is True
        local.revoke_tokens()
        local.faults.max_batch_records = 10
        client.push("lowongan", [record(n) for n in range(200, 220)])
        for faults in ({"throttle_rate": 1.0}, {"failure_rate": 1.0, "failure_statuses": (503,)}):
            for name, value in faults.items():
                setattr(local.faults, name, value)
            with pytest.raises(TransientError):
                client.push("lowongan", [record(1)])
            local.faults.throttle_rate = local.faults.failure_rate = 0.0
        client.close()
    statuses = {(e.operation_id, e.status) for e in pool.exchanges}
    assert {
        ("pushRecords", 401),
        ("pushRecords", 413),
        ("pushRecords", 429),
        ("eraseRecord", 204),
    } <= statuses
    assert_fits_the_file(pool.exchanges)


def test_a_report_with_a_bad_period_breaks_the_file_and_gets_the_documented_422() -> None:
    # The client passes the period through (its callers check it); the file shows what happens then.
    r = rig()
    with pytest.raises(PermanentError) as raised:
        r.client.put_report("smdata-01", "2025-3", [{"a": 1}], GENERATED_AT)
    assert raised.value.status == 422
    sent = r.pool.exchanges[-1]
    assert any("path period" in problem for problem in sent.request_problems())
    assert sent.response_problems() == []


# -- the client's decision per documented status --------------------------------------------------


class AnsweringPool(RecordingPool):
    """Answers one operation with a fixed status (the local ministry's body for it), the rest for real."""

    def __init__(self, local: LocalMinistry, operation_id: str, status: int, times: int) -> None:
        super().__init__(local)
        self.operation_id = operation_id
        self.status = status
        self.times = times

    def answer(self, method: str, url: str, redirect: bool, **kw: Any) -> urllib3.BaseHTTPResponse:
        found = contract().operation(method, url.removeprefix("http://ministry.test"))
        if found is None or found[0].operation_id != self.operation_id or self.times == 0:
            return super().answer(method, url, redirect, **kw)
        self.times -= 1
        body = json.dumps({"error": "SCRIPTED", "message": "scripted", "errors": []}).encode()
        if self.operation_id == "issueToken":
            body = json.dumps(
                {"error": "invalid_client" if self.status == 401 else "invalid_request"}
            ).encode()
        headers = {"Content-Type": "application/json", "Retry-After": "1", "WWW-Authenticate": "Bearer"}
        return urllib3.HTTPResponse(body=body, headers=headers, status=self.status, preload_content=True)


CALLS: dict[str, Callable[[MinistryClient], object]] = {
    "issueToken": lambda client: client.push("lowongan", [record(1), record(2)]),
    "pushRecords": lambda client: client.push("lowongan", [record(1), record(2)]),
    "pullRecords": lambda client: list(client.pull("lowongan")),
    "eraseRecord": lambda client: client.delete("lowongan", "rec-00001"),
    "putReport": lambda client: client.put_report("smdata-01", "2025-03", [], GENERATED_AT),
}


def _error_cases() -> list[tuple[str, int, str]]:
    cases = []
    for operation in contract().operations:
        for key, response in operation.spec["responses"].items():
            if response["x-client-decision"] == "success":
                continue
            statuses = [500, 502, 504, 599] if key == "5XX" else [int(key)]
            cases += [(operation.operation_id, status, response["x-client-decision"]) for status in statuses]
    return cases


@pytest.mark.parametrize(("operation_id", "status", "decision"), _error_cases())
def test_the_client_decides_as_the_file_says(operation_id: str, status: int, decision: str) -> None:
    local = LocalMinistry(clients={CLIENT_ID: SECRET})
    # One scripted answer, then the real ministry: shows what the client does next.
    pool = AnsweringPool(local, operation_id, status, times=1)
    client = MinistryClient(
        "http://ministry.test", "12.09", lambda _: Credentials(CLIENT_ID, SECRET), pool=pool
    )
    outcome: MinistryError | None = None
    try:
        CALLS[operation_id](client)
    except MinistryError as error:
        outcome = error
    sent = [(e.operation_id, e.status) for e in pool.exchanges]
    if decision == "transient":
        assert isinstance(outcome, TransientError)
        assert outcome.status == status
    elif decision == "permanent":
        assert isinstance(outcome, PermanentError)
        assert not isinstance(outcome, AuthenticationError)
        assert outcome.status == status
        assert sent[-1] == (operation_id, status), "not repeated"
    elif decision == "new-token":
        assert outcome is None
        assert sent[:3] == [("issueToken", 200), (operation_id, 401), ("issueToken", 200)]
        assert len(sent) == 4
        assert sent[3][0] == operation_id
        assert sent[3][1] in (200, 204)
    elif decision == "new-credentials":
        assert outcome is None
        assert sent[:3] == [("issueToken", 401), ("issueToken", 200), ("pushRecords", 200)]
    elif decision == "split":
        assert outcome is None
        assert [b.records for b in local.stats.batches] == [1, 1]
    else:
        pytest.fail(f"no check for {decision}")
