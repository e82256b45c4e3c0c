"""MinistryClient against the local ministry in-process, and against scripted answers the local
ministry would never give (malformed bodies, odd statuses, network errors)."""

from __future__ import annotations

import email.utils
import itertools
import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import urllib3
from ministry_support import (
    CLIENT_ID,
    SECRET,
    CredentialsLog,
    NetworkPool,
    ScriptedPool,
    client_for,
    ministry,
    sequential_ids,
)

from ministry_fakes import FakeClock, record
from sikas_sync.ministry import (
    AuthenticationError,
    Credentials,
    MinistryClient,
    PermanentError,
    RecordResult,
    TransientError,
)
from sikas_sync.ministry.local import Faults, LocalMinistry

Answer = tuple[int, dict[str, str], bytes]


def scripted(
    local: LocalMinistry, answer: Callable[[str, str, dict[str, str], bytes], Answer | None]
) -> tuple[MinistryClient, ScriptedPool]:
    pool = ScriptedPool(local, answer)
    return client_for(local, pool=pool), pool


def on_api(
    status: int, body: Any = None, headers: dict[str, str] | None = None
) -> Callable[..., Answer | None]:
    """Answer every /v1 API request with the given status; tokens come from the real ministry."""
    raw = body if isinstance(body, bytes) else json.dumps(body if body is not None else {}).encode()

    def answer(method: str, url: str, sent: dict[str, str], data: bytes) -> Answer | None:
        return (status, headers or {}, raw) if "/v1/records" in url or "/v1/reports" in url else None

    return answer


def bearer_tokens(pool: ScriptedPool) -> set[str]:
    return {h["Authorization"].removeprefix("Bearer ") for _, _, h, _ in pool.sent if "Authorization" in h}


# -- tokens -------------------------------------------------------------------------------------


def test_one_token_serves_many_requests() -> None:
    local = ministry()
    client = client_for(local)
    for n in range(5):
        client.push("lowongan", [record(n)])
    list(client.pull("lowongan"))
    assert client.stats.token_requests == 1
    assert local.stats.tokens_issued == 1
    assert local.stats.count(route="/v1/records/{domain}") == 6


def test_the_token_is_renewed_shortly_before_it_expires() -> None:
    clock = FakeClock()
    local = ministry(faults=Faults(token_ttl_s=100), clock=clock)
    client = client_for(local, clock=clock)
    client.push("lowongan", [record(1)])
    clock.advance(89)  # 10% of 100 s before expiry: still cached
    client.push("lowongan", [record(2)])
    assert client.stats.token_requests == 1
    clock.advance(2)  # inside the margin: renewed before sending, so the ministry never says 401
    client.push("lowongan", [record(3)])
    assert client.stats.token_requests == 2
    assert client.stats.retries_401 == 0
    assert local.stats.count(status=401) == 0


def test_a_401_is_answered_with_one_new_token_and_one_retry() -> None:
    local = ministry()
    client = client_for(local)
    client.push("lowongan", [record(1)])
    local.revoke_tokens()  # e.g. the ministry restarted, or clocks disagree
    results = client.push("lowongan", [record(2)])
    assert [r.status for r in results] == ["accepted"]
    assert client.stats.retries_401 == 1
    assert client.stats.token_requests == 2
    assert local.stats.count("POST", "/v1/records/{domain}", 401) == 1
    assert set(local.records("lowongan")) == {"rec-00001", "rec-00002"}


def test_a_401_to_a_fresh_token_is_an_authentication_error() -> None:
    local = ministry()
    client, pool = scripted(local, on_api(401))
    with pytest.raises(AuthenticationError) as raised:
        client.push("lowongan", [record(1)])
    assert raised.value.status == 401
    assert [url.rsplit("/", 2)[-2:] for _, url, _, _ in pool.sent] == [
        ["oauth", "token"],
        ["records", "lowongan"],
        ["oauth", "token"],
        ["records", "lowongan"],
    ]
    assert client.stats.retries_401 == 1


def test_a_wrong_secret_is_a_clear_error_without_the_secret(caplog: pytest.LogCaptureFixture) -> None:
    local = ministry(clients={CLIENT_ID: "the-right-one"})
    credentials = CredentialsLog()
    client = client_for(local, credentials)
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthenticationError) as raised:
        client.push("lowongan", [record(1)])
    message = str(raised.value)
    assert "401" in message
    assert "wrong secret" in message
    assert raised.value.request_id is not None
    assert raised.value.request_id in message
    assert credentials.calls == [False, True]  # the second read asked for a fresh secret
    for text in (message, repr(raised.value), caplog.text, repr(credentials(False))):
        assert SECRET not in text
    assert local.stats.count(route="/v1/records/{domain}") == 0


def test_a_rotated_secret_is_picked_up_by_refreshing_the_credentials() -> None:
    local = ministry(clients={CLIENT_ID: "rotated"})
    credentials = CredentialsLog(secret=SECRET, rotated="rotated")
    client = client_for(local, credentials)
    assert [r.status for r in client.push("lowongan", [record(1)])] == ["accepted"]
    assert credentials.calls == [False, True]
    assert client.stats.token_requests == 2


def test_tokens_never_reach_messages_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    local = ministry()

    def answer(method: str, url: str, sent: dict[str, str], data: bytes) -> Answer | None:
        if "/v1/" in url and len(bearer_tokens(pool)) == 1:
            return (401, {}, b"{}")  # refuse the first token: the client logs a retry
        return (503, {}, b"{}") if "/v1/" in url else None

    client, pool = scripted(local, answer)
    with caplog.at_level(logging.DEBUG), pytest.raises(TransientError) as raised:
        client.push("lowongan", [record(1, text="Budi Santoso")])
    tokens = bearer_tokens(pool)
    assert len(tokens) == 2
    for text in (str(raised.value), repr(raised.value), caplog.text):
        assert not any(token in text for token in tokens)
        assert "Budi Santoso" not in text
        assert SECRET not in text


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (503, b"", TransientError),
        (429, b"", TransientError),
        (200, b"not json", TransientError),
        (
            200,
            json.dumps({"access_token": "t", "token_type": "mac", "expires_in": 60}).encode(),
            TransientError,
        ),
        (200, json.dumps({"access_token": "t", "token_type": "Bearer"}).encode(), TransientError),
        (400, b'{"error": "invalid_request"}', PermanentError),
    ],
)
def test_token_endpoint_failures(status: int, body: bytes, error: type[Exception]) -> None:
    local = ministry()
    client, _ = scripted(
        local, lambda method, url, sent, data: (status, {}, body) if "oauth" in url else None
    )
    with pytest.raises(error):
        client.push("lowongan", [record(1)])
    assert local.records("lowongan") == {}


# -- statuses -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504, 599])
def test_server_errors_are_transient(status: int) -> None:
    client, _ = scripted(ministry(), on_api(status))
    with pytest.raises(TransientError) as raised:
        client.push("lowongan", [record(1)])
    assert raised.value.status == status
    assert raised.value.retry_after is None
    assert client.stats.transient_failures == 1


@pytest.mark.parametrize(
    ("header", "expected"),
    [("3", 3.0), ("2.5", 2.5), ("0", 0.0), ("-4", 0.0), ("soon", None)],
)
def test_retry_after_is_surfaced(header: str, expected: float | None) -> None:
    client, _ = scripted(ministry(), on_api(429, headers={"Retry-After": header}))
    with pytest.raises(TransientError) as raised:
        client.push("lowongan", [record(1)])
    assert raised.value.status == 429
    assert raised.value.retry_after == expected
    assert client.stats.throttled == 1
    assert client.stats.transient_failures == 0


def test_retry_after_as_an_http_date() -> None:
    when = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    client, _ = scripted(ministry(), on_api(503, headers={"Retry-After": when}))
    with pytest.raises(TransientError) as raised:
        client.push("lowongan", [record(1)])
    assert raised.value.retry_after is not None
    assert 100 < raised.value.retry_after <= 120


@pytest.mark.parametrize("status", [400, 403, 404, 409, 422])
def test_client_errors_are_permanent_and_keep_the_body_errors(status: int) -> None:
    errors = [{"field": "records[0].version", "code": "INVALID", "message": "angka"}]
    client, pool = scripted(ministry(), on_api(status, {"error": "x", "errors": errors}))
    with pytest.raises(PermanentError) as raised:
        client.push("lowongan", [record(1)])
    assert raised.value.status == status
    assert raised.value.errors == tuple(errors)
    assert raised.value.record_ids == ("rec-00001",)
    assert len(pool.sent) == 2  # the token and the one request: no retry


@pytest.mark.parametrize(
    "exception",
    [
        urllib3.exceptions.ReadTimeoutError(None, "/v1/records/lowongan", "read timed out"),  # type: ignore[arg-type]
        urllib3.exceptions.ProtocolError("Connection aborted."),
        ConnectionResetError(104, "reset"),
    ],
)
def test_network_failures_are_transient(exception: Exception) -> None:
    local = ministry()

    def answer(method: str, url: str, sent: dict[str, str], data: bytes) -> Answer | None:
        if "/v1/" in url:
            raise exception
        return None

    client, _ = scripted(local, answer)
    with pytest.raises(TransientError) as raised:
        client.push("lowongan", [record(1)])
    assert raised.value.status is None
    assert type(exception).__name__ in str(raised.value)
    assert client.health() is False


# -- push ---------------------------------------------------------------------------------------


def test_results_come_back_in_input_order_with_their_request_id() -> None:
    local = ministry()
    client = client_for(local, request_ids=sequential_ids())
    client.push("lowongan", [record(3, version=2, text="second")])
    records = [record(n) for n in range(1, 6)] + [record(3, version=1, text="old")]
    results = client.push("lowongan", records)
    assert [(r.record_id, r.status) for r in results] == [
        ("rec-00001", "accepted"),
        ("rec-00002", "accepted"),
        ("rec-00003", "stale"),
        ("rec-00004", "accepted"),
        ("rec-00005", "accepted"),
        ("rec-00003", "stale"),
    ]
    assert {r.request_id for r in results} == {client.last_request_id}
    assert local.stats.log[-1].request_id == client.last_request_id
    assert all(r.delivered for r in results)


def test_only_the_contract_fields_are_sent() -> None:
    local = ministry()
    client, pool = scripted(local, lambda *_: None)
    client.push("lowongan", [{**record(1), "nik": "1209010101900001", "internal": True}])
    body = json.loads(pool.sent[-1][3])
    assert set(body["records"][0]) == {"record_id", "version", "content_hash", "data"}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"version": 1, "content_hash": "h", "data": {}}, "record 1 has no record_id"),
        ({"record_id": "r", "content_hash": "h", "data": {}}, "record 1 lacks version"),
        (
            {"record_id": "r", "version": 1, "content_hash": "h", "data": {"nik": {1, 2}}},
            "record 1 is not JSON",
        ),
    ],
)
def test_unusable_records_are_refused_before_sending(bad: dict[str, Any], message: str) -> None:
    local = ministry()
    client = client_for(local)
    with pytest.raises(ValueError, match=message) as raised:
        client.push("lowongan", [record(0), bad])
    assert "nik" not in str(raised.value)
    assert local.stats.log == []


def test_arguments_are_checked() -> None:
    client = client_for(ministry())
    with pytest.raises(ValueError, match="unknown domain"):
        client.push("pegawai", [record(1)])
    with pytest.raises(ValueError, match="timezone"):
        client.pull("lowongan", updated_since=datetime(2025, 1, 1))  # naive on purpose
    with pytest.raises(ValueError, match="page_size"):
        client.pull("lowongan", page_size=501)
    with pytest.raises(ValueError, match="region_code"):
        MinistryClient("http://x", "Asahan", lambda refresh: Credentials("a", "b"))
    with pytest.raises(ValueError, match="max_batch_records"):
        MinistryClient("http://x", "12.09", lambda refresh: Credentials("a", "b"), max_batch_records=101)
    assert client.push("lowongan", []) == []
    assert client.stats.requests == 0


def test_a_record_larger_than_a_batch_is_refused_without_sending_it() -> None:
    local = ministry()
    client = client_for(local, max_batch_bytes=2_000)
    with pytest.raises(PermanentError) as raised:
        client.push("lowongan", [record(1), record(2, pad=3_000), record(3)])
    assert raised.value.status == 413
    assert raised.value.record_ids == ("rec-00002",)
    assert [r.record_id for r in raised.value.partial] == ["rec-00001"]
    assert [b.records for b in local.stats.batches] == [1]


@pytest.mark.parametrize(("status", "error"), [(503, TransientError), (400, PermanentError)])
def test_a_failing_batch_carries_the_results_before_it(status: int, error: type[Exception]) -> None:
    local = ministry()
    posts: list[int] = []

    def answer(method: str, url: str, sent: dict[str, str], data: bytes) -> Answer | None:
        if method == "POST" and "/v1/records" in url:
            posts.append(1)
            if len(posts) == 2:
                return (status, {}, b"{}")
        return None

    client, _ = scripted(local, answer)
    records = [record(n) for n in range(250)]
    with pytest.raises(error) as raised:
        client.push("lowongan", records)
    failure = raised.value
    assert isinstance(failure, TransientError | PermanentError)
    assert [r.record_id for r in failure.partial] == [r["record_id"] for r in records[:100]]
    assert all(r.status == "accepted" for r in failure.partial)
    assert failure.record_ids == tuple(r["record_id"] for r in records[100:200])
    assert len(local.records("lowongan")) == 100
    assert len(posts) == 2  # the third batch was not sent


@pytest.mark.parametrize(
    "results",
    [
        [],
        [{"record_id": "rec-00002", "status": "accepted"}],
        [{"record_id": "rec-00001", "status": "kept"}],
        [{"record_id": "rec-00001", "status": "rejected", "errors": "bad"}],
        [{"record_id": "rec-00001", "status": "accepted", "ministry_ref": 7}],
        "nope",
    ],
)
def test_malformed_push_answers_are_transient(results: Any) -> None:
    client, _ = scripted(ministry(), on_api(200, {"results": results}))
    with pytest.raises(TransientError, match="malformed") as raised:
        client.push("lowongan", [record(1)])
    assert raised.value.status == 200
    assert client.stats.transient_failures == 1


def test_rejected_results_keep_their_errors() -> None:
    local = ministry(faults=Faults(refuse_rate=1.0))
    [result] = client_for(local).push("pencari_kerja", [record(1)])
    assert result == RecordResult(
        "rec-00001",
        "rejected",
        None,
        (
            {
                "field": "nik",
                "code": "NIK_TIDAK_DIKENAL",
                "message": "NIK tidak dikenal di data kependudukan (Dukcapil)",
            },
        ),
    )
    assert not result.delivered


# -- pull, delete, reports, health --------------------------------------------------------------


def test_pull_stops_on_a_repeated_cursor() -> None:
    page = {"records": [{"record_id": "a"}], "next_cursor": "same"}
    client, pool = scripted(ministry(), on_api(200, page))
    pulled: list[dict[str, Any]] = []
    with pytest.raises(TransientError, match="malformed"):
        pulled.extend(client.pull("lowongan"))
    assert len(pulled) == 1  # the page that repeats a cursor is not trusted
    assert len(pool.sent) == 3  # token + two pages


def test_pull_is_lazy() -> None:
    local = ministry()
    client = client_for(local)
    pages = client.pull("lowongan")
    assert local.stats.log == []
    assert list(pages) == []
    assert local.stats.count("GET") == 1


def test_put_report_422_carries_the_errors() -> None:
    local = ministry()
    client = client_for(local)
    with pytest.raises(PermanentError) as raised:
        client.put_report("smdata-01", "2025-3", [{"a": 1}], datetime(2025, 4, 1, tzinfo=UTC))
    assert raised.value.status == 422
    assert [e["code"] for e in raised.value.errors] == ["PERIOD_INVALID"]
    client.put_report("smdata-01", "2025-03", [{"a": 1}], datetime(2025, 4, 1, 7, tzinfo=UTC))
    assert local.reports[("smdata-01", "2025-03")].generated_at == "2025-04-01T07:00:00Z"


def test_delete_and_health() -> None:
    local = ministry()
    client = client_for(local)
    client.push("lowongan", [record(1)])
    client.delete("lowongan", "rec-00001")
    client.delete("lowongan", "rec-00001")
    assert local.records("lowongan") == {}
    assert client.health() is True
    assert local.stats.log[-1].bearer is False


# -- every request ------------------------------------------------------------------------------


def test_every_request_carries_the_region_and_a_fresh_request_id() -> None:
    local = ministry()
    client = client_for(local)
    client.push("lowongan", [record(n) for n in range(150)])
    local.revoke_tokens()
    list(client.pull("lowongan", page_size=40))
    client.put_report("smdata-01", "2025-03", [], datetime.now(UTC))
    client.delete("lowongan", "rec-00001")
    client.health()
    log = local.stats.log
    # token, 2 POSTs, GET (401), token, 4 pages, PUT, DELETE, health
    assert len(log) == client.stats.requests == 12
    assert {seen.region_code for seen in log} == {"12.09"}
    ids = [seen.request_id for seen in log]
    assert None not in ids
    assert len(set(ids)) == len(ids)
    assert client.last_request_id == ids[-1]


# -- rate limit ---------------------------------------------------------------------------------


def test_the_rate_limit_spaces_requests_with_the_injected_sleep() -> None:
    clock = FakeClock()
    local = ministry(faults=Faults(rate_limit_per_s=5), clock=clock)
    client = client_for(local, rate_limit_per_s=5, clock=clock, sleep=clock.sleep)
    started = time.monotonic()
    for n in range(12):
        client.push("lowongan", [record(n)])
    assert time.monotonic() - started < 1
    assert clock.sleeps == pytest.approx([0.2] * 11)
    assert client.stats.rate_limit_waits == 11
    assert client.stats.rate_limit_wait_s == pytest.approx(2.2)
    assert local.stats.count(status=429) == 0
    assert len(local.records("lowongan")) == 12


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in itertools.pairwise(times)]


def one_token_ministry(clock: FakeClock, rate: float, **faults: Any) -> LocalMinistry:
    """A ministry whose bucket holds one request: any request arriving early is answered 429."""
    return ministry(faults=Faults(rate_limit_per_s=rate, rate_limit_burst=1, **faults), clock=clock)


def test_at_the_ministrys_own_limit_jitter_below_the_allowance_meets_no_429() -> None:
    # Slow answers (0.1 s back) and a way there that varies by up to 45 ms: pacing from departures.
    clock = FakeClock()
    local = one_token_ministry(clock, 1)
    network = NetworkPool(local, clock, outbound=[0.045, 0.0, 0.02, 0.045, 0.001], inbound=0.1)
    client = client_for(local, pool=network, rate_limit_per_s=1, clock=clock, sleep=clock.sleep)
    for n in range(10):
        client.push("lowongan", [record(n)])
    assert local.stats.count(status=429) == 0
    assert len(local.records("lowongan")) == 10
    assert gaps(network.departures) == pytest.approx([1.05] * 9)  # an interval and the allowance
    assert min(gaps(network.arrivals)) >= 1.0
    assert 10 / (network.arrivals[-1] - network.arrivals[0] + 1) >= 0.9  # of the limit


def test_at_the_ministrys_own_limit_quick_answers_pace_from_the_answer() -> None:
    # Answers within the allowance: the request was counted by then, so one interval after it.
    clock = FakeClock()
    local = one_token_ministry(clock, 4)
    network = NetworkPool(local, clock, outbound=[0.004, 0.0, 0.002], inbound=0.002)
    client = client_for(local, pool=network, rate_limit_per_s=4, clock=clock, sleep=clock.sleep)
    for n in range(9):
        client.push("lowongan", [record(n)])
    assert local.stats.count(status=429) == 0
    assert gaps(network.departures) == pytest.approx([0.256, 0.252, 0.254] * 2 + [0.256, 0.252])


def test_jitter_beyond_the_allowance_is_what_the_margin_does_not_cover() -> None:
    # The limit's one assumption, shown: a slow answer and 80 ms more on the way there than the next.
    clock = FakeClock()
    local = one_token_ministry(clock, 1)
    network = NetworkPool(local, clock, outbound=[0.08, 0.0], inbound=0.1)
    client = client_for(local, pool=network, rate_limit_per_s=1, clock=clock, sleep=clock.sleep)
    client.push("lowongan", [record(1)])
    with pytest.raises(TransientError) as raised:
        client.push("lowongan", [record(2)])
    assert raised.value.status == 429


def test_token_requests_are_not_paced_and_the_post_after_one_meets_no_429() -> None:
    clock = FakeClock()
    local = one_token_ministry(clock, 4, token_ttl_s=3)
    network = NetworkPool(local, clock, outbound=[0.01], inbound=0.05)
    client = client_for(local, pool=network, rate_limit_per_s=4, clock=clock, sleep=clock.sleep)
    for n in range(20):
        client.push("lowongan", [record(n)])
    assert client.stats.token_requests == 2  # the first token expired along the way
    assert local.stats.count(status=429) == 0
    assert gaps(network.departures) == pytest.approx([0.2625] * 19)  # token requests took no slot
    assert client.stats.rate_limit_waits == 19


def test_without_the_client_limit_the_ministry_throttles() -> None:
    clock = FakeClock()
    local = ministry(faults=Faults(rate_limit_per_s=5), clock=clock)
    client = client_for(local, clock=clock)
    for n in range(5):
        client.push("lowongan", [record(n)])
    with pytest.raises(TransientError) as raised:
        client.push("lowongan", [record(5)])
    assert (raised.value.status, raised.value.retry_after) == (429, 1.0)
    assert client.stats.throttled == 1
