"""MinistryClient over HTTP against a LocalMinistry on 127.0.0.1, one fault at a time, then all at once.

Time-dependent behaviour (token expiry, rate limits) runs on a fake clock shared by both sides;
nothing here sleeps for more than a fraction of a second.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from loopback_support import SECRET, client_for, served

from ministry_fakes import FakeClock, record
from sikas_sync.ministry import (
    AuthenticationError,
    MinistryClient,
    PermanentError,
    RecordResult,
    TransientError,
)
from sikas_sync.ministry.local import Faults, LocalMinistry

POST = ("POST", "/v1/records/{domain}")


def post_statuses(local: LocalMinistry) -> list[int]:
    return [seen.status for seen in local.stats.log if (seen.method, seen.route) == POST]


# -- tokens -------------------------------------------------------------------------------------


def test_one_token_for_many_pushes() -> None:
    with served() as local:
        client = client_for(local)
        for n in range(20):
            client.push("pencari_kerja", [record(n)])
        assert client.stats.token_requests == 1
        assert local.stats.tokens_issued == 1
        assert post_statuses(local) == [200] * 20


def test_short_lived_tokens_are_renewed_without_a_failure() -> None:
    clock = FakeClock()
    with served(faults=Faults(token_ttl_s=5), clock=clock) as local:
        client = client_for(local, clock=clock)
        for n in range(12):
            client.push("lowongan", [record(n)])
            clock.advance(1.5)
        assert len(local.records("lowongan")) == 12
        assert local.stats.count(status=401) == 0
        assert client.stats.retries_401 == 0
        assert 4 <= local.stats.tokens_issued <= 6


def test_a_token_expired_by_the_ministrys_clock_is_replaced_once() -> None:
    ministry_clock = FakeClock()
    with served(faults=Faults(token_ttl_s=60), clock=ministry_clock) as local:
        client = client_for(local)  # its own (real) clock: it believes the token is still good
        client.push("lowongan", [record(1)])
        ministry_clock.advance(61)
        [result] = client.push("lowongan", [record(2)])
        assert result.status == "accepted"
        assert post_statuses(local) == [200, 401, 200]
        assert (client.stats.retries_401, client.stats.token_requests) == (1, 2)


def test_a_wrong_secret_fails_clearly_without_showing_it() -> None:
    with served() as local:
        client = client_for(local, secret="not-the-" + SECRET)
        with pytest.raises(AuthenticationError) as raised:
            client.push("lowongan", [record(1)])
        message = str(raised.value)
        assert "401" in message
        assert "wrong secret" in message
        assert SECRET not in message
        assert "not-the-" not in message
        assert local.stats.count("POST", "/oauth/token", 401) == 2  # credentials re-read once
        assert local.stats.posts == 0


# -- request-level faults -----------------------------------------------------------------------


def test_throttling_is_surfaced_with_retry_after() -> None:
    with served(faults=Faults(throttle_rate=1.0, retry_after_s=4)) as local:
        client = client_for(local)
        with pytest.raises(TransientError) as raised:
            client.push("lowongan", [record(1)])
        assert (raised.value.status, raised.value.retry_after) == (429, 4.0)
        assert client.stats.throttled == 1
        assert local.records("lowongan") == {}


@pytest.mark.parametrize("status", [500, 503])
def test_server_failures_are_transient(status: int) -> None:
    with served(faults=Faults(failure_rate=1.0, failure_statuses=(status,))) as local:
        client = client_for(local)
        with pytest.raises(TransientError) as raised:
            client.push("lowongan", [record(1)])
        assert raised.value.status == status
        if status == 503:
            assert raised.value.retry_after in {0.0, 1.0}
        else:
            assert raised.value.retry_after is None
        assert client.stats.transient_failures == 1
        assert post_statuses(local) == [status]  # the client itself does not retry


def test_another_region_is_forbidden_and_permanent() -> None:
    with served() as local:
        client = client_for(local, region_code="12.08")
        with pytest.raises(PermanentError) as raised:
            client.push("lowongan", [record(1)])
        assert raised.value.status == 403
        assert post_statuses(local) == [403]


def test_a_malformed_batch_is_permanent_with_the_ministrys_errors() -> None:
    with served() as local:
        client = client_for(local)
        bad = {**record(2), "content_hash": "not-a-sha256"}
        with pytest.raises(PermanentError) as raised:
            client.push("lowongan", [record(1), bad])
        assert raised.value.status == 400
        assert [e["field"] for e in raised.value.errors] == ["records[1].content_hash"]
        assert raised.value.record_ids == ("rec-00001", "rec-00002")
        assert local.records("lowongan") == {}


def test_a_slow_ministry_times_out_as_transient() -> None:
    with served() as local:
        client = client_for(local, timeout_s=0.1)
        assert client.health()
        local.faults.latency_s = 0.4
        with pytest.raises(TransientError, match="TimeoutError") as raised:
            client.push("lowongan", [record(1)])
        assert raised.value.status is None
        assert client.stats.transient_failures == 1


def test_an_unreachable_ministry_is_transient() -> None:
    with served() as local:
        client = client_for(local)
    # stopped: the port is closed now
    assert client.health() is False
    with pytest.raises(TransientError) as raised:
        client.push("lowongan", [record(1)])
    assert raised.value.status is None
    assert raised.value.request_id == client.last_request_id


# -- batching -----------------------------------------------------------------------------------


def test_250_records_go_as_100_100_50_with_results_in_input_order() -> None:
    with served() as local:
        client = client_for(local)
        records = [record(n) for n in range(250)]
        results = client.push("lowongan", records)
        assert [b.records for b in local.stats.batches] == [100, 100, 50]
        assert [r.record_id for r in results] == [r["record_id"] for r in records]
        assert {r.status for r in results} == {"accepted"}
        assert len(local.records("lowongan")) == 250


def test_batches_stay_under_one_mib() -> None:
    with served() as local:
        client = client_for(local)
        records = [record(n, pad=30_000) for n in range(80)]  # about 2.4 MB of JSON
        results = client.push("lowongan", records)
        batches = local.stats.batches
        assert len(batches) == 3
        assert sum(b.records or 0 for b in batches) == 80
        assert all(b.body_bytes <= 1024 * 1024 and b.status == 200 for b in batches)
        assert [r.record_id for r in results] == [r["record_id"] for r in records]
        assert local.stats.count(status=413) == 0


def test_a_413_splits_the_batch_in_halves_until_it_fits() -> None:
    with served(faults=Faults(max_batch_records=30)) as local:
        client = client_for(local)
        records = [record(n) for n in range(100)]
        results = client.push("lowongan", records)
        assert [(b.records, b.status) for b in local.stats.batches] == [
            (100, 413),
            (50, 413),
            (25, 200),
            (25, 200),
            (50, 413),
            (25, 200),
            (25, 200),
        ]
        assert client.stats.splits_413 == 3
        assert [r.record_id for r in results] == [r["record_id"] for r in records]
        assert len(local.records("lowongan")) == 100


def test_a_single_record_still_too_large_is_permanent() -> None:
    with served(faults=Faults(max_body_bytes=2_000)) as local:
        client = client_for(local)
        with pytest.raises(PermanentError) as raised:
            client.push("lowongan", [record(1), record(2, pad=5_000)])
        assert raised.value.status == 413
        assert raised.value.record_ids == ("rec-00002",)
        assert [r.record_id for r in raised.value.partial] == ["rec-00001"]
        assert [(b.records, b.status) for b in local.stats.batches] == [(2, 413), (1, 200), (1, 413)]


# -- record results -----------------------------------------------------------------------------


def test_accepted_then_duplicate_then_stale() -> None:
    with served() as local:
        client = client_for(local)
        [accepted] = client.push("pencari_kerja", [record(1, version=2, text="kedua")])
        [duplicate] = client.push("pencari_kerja", [record(1, version=2, text="kedua")])
        [stale] = client.push("pencari_kerja", [record(1, version=1, text="pertama")])
        assert (accepted.status, duplicate.status, stale.status) == ("accepted", "duplicate", "stale")
        assert accepted.ministry_ref == duplicate.ministry_ref == stale.ministry_ref == "PK-1209-000001"
        stored = local.records("pencari_kerja")["rec-00001"]
        assert (stored["version"], stored["data"]["isi"]) == (2, "kedua")


def test_refused_records_come_back_rejected_with_the_errors() -> None:
    def unknown_nik(domain: str, rec: dict[str, Any]) -> list[dict[str, str]] | None:
        if rec["data"]["nomor"] == 2:
            return [{"field": "nik", "code": "NIK_TIDAK_DIKENAL", "message": "NIK tidak dikenal"}]
        return None

    with served(faults=Faults(refuse_when=unknown_nik)) as local:
        client = client_for(local)
        results = client.push("pencari_kerja", [record(1), record(2), record(3)])
        assert [r.status for r in results] == ["accepted", "rejected", "accepted"]
        assert results[1] == RecordResult(
            "rec-00002",
            "rejected",
            None,
            ({"field": "nik", "code": "NIK_TIDAK_DIKENAL", "message": "NIK tidak dikenal"},),
        )
        assert set(local.records("pencari_kerja")) == {"rec-00001", "rec-00003"}


def test_a_batch_stored_but_answered_503_comes_back_duplicate() -> None:
    with served(faults=Faults(fail_after_accept_rate=1.0)) as local:
        client = client_for(local)
        with pytest.raises(TransientError) as raised:
            client.push("lowongan", [record(1), record(2)])
        assert raised.value.status == 503
        assert raised.value.partial == []
        assert set(local.records("lowongan")) == {"rec-00001", "rec-00002"}
        local.faults.fail_after_accept_rate = 0.0
        results = client.push("lowongan", [record(1), record(2)])
        assert [r.status for r in results] == ["duplicate", "duplicate"]
        assert all(r.delivered for r in results)


# -- pull, delete, report -----------------------------------------------------------------------


def test_pull_follows_cursors_with_updated_since() -> None:
    start = datetime(2025, 3, 1, tzinfo=UTC)
    with served() as local:
        local.seed_records(
            "pencari_kerja",
            [
                {"record_id": f"siap-{n:03d}", "data": {"n": n}, "updated_at": start + timedelta(hours=n)}
                for n in range(30)
            ],
        )
        client = client_for(local)
        pulled = list(client.pull("pencari_kerja", updated_since=start + timedelta(hours=7), page_size=5))
        assert [r["record_id"] for r in pulled] == [f"siap-{n:03d}" for n in range(7, 30)]
        assert {r["source"] for r in pulled} == {"SIAPKERJA"}
        pages = [seen for seen in local.stats.log if seen.method == "GET"]
        assert len(pages) == 5  # 23 records in pages of 5


def test_delete_erases_at_the_ministry() -> None:
    with served() as local:
        client = client_for(local)
        client.push("kartu_ak1", [record(1), record(2)])
        client.delete("kartu_ak1", "rec-00001")
        client.delete("kartu_ak1", "no-such-record")
        assert set(local.records("kartu_ak1")) == {"rec-00002"}
        assert local.stats.count("DELETE", status=204) == 2


def test_put_report_is_validated_and_stored() -> None:
    generated = datetime(2025, 4, 1, 8, tzinfo=UTC)
    with served() as local:
        client = client_for(local)
        with pytest.raises(PermanentError) as raised:
            client.put_report("smdata-penempatan", "2025-03", [{"jumlah": 1}, "baris"], generated)  # type: ignore[list-item]
        assert raised.value.status == 422
        assert [e["field"] for e in raised.value.errors] == ["rows[1]"]
        assert local.reports == {}
        client.put_report(
            "smdata-penempatan", "2025-03", [{"kecamatan": "Kisaran Barat", "jumlah": 12}], generated
        )
        report = local.reports[("smdata-penempatan", "2025-03")]
        assert report.rows == [{"kecamatan": "Kisaran Barat", "jumlah": 12}]
        assert report.request_id == client.last_request_id


# -- rate limit, headers, threads ---------------------------------------------------------------


def test_the_client_rate_limit_keeps_under_the_ministrys() -> None:
    clock = FakeClock()
    with served(faults=Faults(rate_limit_per_s=10), clock=clock) as local:
        client = client_for(local, rate_limit_per_s=10, clock=clock, sleep=clock.sleep)
        for n in range(25):
            client.push("lowongan", [record(n)])
        assert local.stats.count(status=429) == 0
        assert clock.sleeps == pytest.approx([0.1] * 24)
        unlimited = client_for(local, clock=clock)
        statuses = []
        for n in range(15):
            try:
                unlimited.push("lowongan", [record(100 + n)])
                statuses.append(200)
            except TransientError as error:
                statuses.append(error.status or 0)
        assert statuses.count(429) >= 4  # a burst of 10 passes, the rest is throttled


def test_at_exactly_the_ministrys_limit_on_the_real_clock_no_request_is_refused() -> None:
    # A one-request bucket on real sockets, threads and clock: any early arrival would be 429. At 2/s
    # the allowance (25 ms) stays above the scheduling jitter of a busy 2-core machine.
    with served(faults=Faults(rate_limit_per_s=2, rate_limit_burst=1)) as local:
        client = client_for(local, rate_limit_per_s=2)
        started = time.monotonic()
        for n in range(4):
            client.push("lowongan", [record(n)])
        elapsed = time.monotonic() - started
        assert post_statuses(local) == [200] * 4
        assert client.stats.throttled == 0
        assert 1.5 <= elapsed < 3


def test_every_request_has_the_region_and_a_unique_request_id() -> None:
    with served(faults=Faults(max_batch_records=40)) as local:
        client = client_for(local)
        client.push("lowongan", [record(n) for n in range(120)])
        list(client.pull("lowongan", page_size=50))
        client.delete("lowongan", "rec-00000")
        client.put_report("smdata-01", "2025-03", [], datetime.now(UTC))
        client.health()
        log = local.stats.log
        assert len(log) == client.stats.requests
        assert {seen.region_code for seen in log} == {"12.09"}
        ids = [seen.request_id for seen in log]
        assert all(ids)
        assert len(set(ids)) == len(ids)


def test_threads_share_one_token() -> None:
    with served() as local:
        client = client_for(local)
        errors: list[BaseException] = []

        def work(offset: int) -> None:
            try:
                for n in range(10):
                    client.push("lowongan", [record(offset + n)])
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)

        threads = [threading.Thread(target=work, args=(1000 * t,)) for t in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert errors == []
        assert len(local.records("lowongan")) == 40
        assert local.stats.tokens_issued == 1


# -- everything at once -------------------------------------------------------------------------


def deliver_all(
    client: MinistryClient, domain: str, records: list[dict[str, Any]]
) -> dict[str, RecordResult]:
    """What the push function does, minus the queue: keep what came back, resend the rest."""
    outcome: dict[str, RecordResult] = {}
    for _ in range(200):
        pending = [r for r in records if r["record_id"] not in outcome]
        if not pending:
            return outcome
        try:
            results = client.push(domain, pending)
        except TransientError as error:
            results = error.partial
        outcome.update({r.record_id: r for r in results})
    raise AssertionError("not delivered after 200 rounds")


def test_chaos_every_record_ends_delivered_or_rejected_exactly_as_stored() -> None:
    faults = Faults(
        failure_rate=0.3,
        throttle_rate=0.1,
        fail_after_accept_rate=0.4,
        refuse_rate=0.05,
        max_batch_records=60,
    )
    clock = FakeClock()
    with served(faults=faults, seed=7, clock=clock) as local:
        client = client_for(local, max_batch_records=100)
        records = [record(n) for n in range(300)]
        outcome = deliver_all(client, "pencari_kerja", records)
        stored = local.records("pencari_kerja")
        delivered = {rid for rid, r in outcome.items() if r.delivered}
        rejected = {rid for rid, r in outcome.items() if r.status == "rejected"}
        assert delivered | rejected == {r["record_id"] for r in records}
        assert set(stored) == delivered
        assert rejected
        assert all(outcome[rid].ministry_ref == stored[rid]["ministry_ref"] for rid in delivered)
        statuses = {seen.status for seen in local.stats.log}
        assert {200, 413, 429, 500, 503} <= statuses
        assert local.stats.results["duplicate"] > 0  # batches stored but answered 503 were resent
