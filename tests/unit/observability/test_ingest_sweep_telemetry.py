"""The ingest and sweep handlers' metrics and logs, read from their output as CloudWatch reads it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from telemetry_support import by_domain, context, emf_points, load, log_lines, service_only, sqs_record

from sikas_sync import telemetry as t
from sikas_sync.domains import DOMAINS
from sikas_sync.ingest import FileSummary
from sikas_sync.ingest.ports import PushMessage
from sikas_sync.operations.breaker import BreakerStatus
from sikas_sync.operations.pending import PendingReport, UndeliveredRecord
from sikas_sync.operations.sweep import SweepResult

BUCKET = "inbox"


def s3_message(message_id: str, *keys: str) -> dict[str, Any]:
    records = [
        {
            "eventName": "ObjectCreated:Put",
            "s3": {"bucket": {"name": BUCKET}, "object": {"key": k, "versionId": "v1"}},
        }
        for k in keys
    ]
    return sqs_record(message_id, json.dumps({"Records": records}), "ingest-lowongan")


def summary(key: str, **counts: Any) -> FileSummary:
    return FileSummary(file=key.rsplit("/", 1)[-1], key=key, domain="lowongan", version_id="v1", **counts)


PROCESSED = summary(
    "lowongan/maret.csv",
    rows=10,
    valid=7,
    rejected=3,
    created=4,
    updated=2,
    unchanged=1,
    pushed=6,
    errors=[
        {"row": 2, "column": "tanggal_buka", "code": "date_invalid", "message": "Tanggal tidak valid"},
        {"row": 5, "column": "tanggal_buka", "code": "date_invalid", "message": "Tanggal tidak valid"},
        {"row": 5, "column": "kbli", "code": "required", "message": "Wajib diisi"},
        {"row": 9, "column": "kbli", "code": "required", "message": "Wajib diisi"},
    ],
)
REJECTED = summary("lowongan/kosong.csv", status="rejected", reason="Berkas kosong", reason_code="file_empty")


def invoke_ingest(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *summaries: FileSummary
) -> str:
    module = load("ingest", monkeypatch, DOMAIN="lowongan", POWERTOOLS_SERVICE_NAME="ingest-lowongan")
    by_key = {s.key: s for s in summaries}
    monkeypatch.setattr(module, "ingest_file", lambda bucket, key, version, settings, timeout: by_key[key])
    capsys.readouterr()
    module.lambda_handler({"Records": [s3_message("m1", *by_key)]}, context("ingest-lowongan", 900))
    return capsys.readouterr().out


def test_ingest_publishes_every_file_count_with_the_domain_dimension(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    points = emf_points(invoke_ingest(monkeypatch, capsys, PROCESSED, REJECTED))

    expected = {
        t.FILES_RECEIVED: 2,
        t.FILES_REJECTED: 1,
        t.ROWS_VALID: 7,
        t.ROWS_REJECTED: 3,
        t.RECORDS_CREATED: 4,
        t.RECORDS_UPDATED: 2,
        t.RECORDS_UNCHANGED: 1,
    }
    assert {name: by_domain(points, name) for name in t.INGEST_METRICS} == {
        name: {"lowongan": value} for name, value in expected.items()
    }
    assert {p.name for p in points} == set(t.INGEST_METRICS)
    assert all(p.dimension_sets == (("domain", "service"),) and p.unit == "Count" for p in points)
    # What the dashboard and the no-upload alarms ask for (not the function's POWERTOOLS_SERVICE_NAME).
    assert all(p.dimensions == {"domain": "lowongan", "service": "sikas-sync-12-09"} for p in points)
    # Two files of one invocation: one data point each (EMF value lists), so the alarm's Sum counts files.
    assert [p.values for p in points if p.name == t.FILES_RECEIVED] == [(1.0, 1.0)]


def test_ingest_logs_each_file_and_its_rejected_rows_by_code_without_values(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = invoke_ingest(monkeypatch, capsys, PROCESSED, REJECTED)

    files = {line["object_key"]: line for line in log_lines(output, t.LOG_FILE_PROCESSED)}
    assert files["lowongan/maret.csv"]["counts"]["created"] == 4
    assert files["lowongan/maret.csv"]["version_id"] == "v1"
    assert files["lowongan/maret.csv"]["correlation_id"] == "lowongan/maret.csv#v1"
    assert files["lowongan/kosong.csv"]["reason_code"] == "file_empty"
    rejected = [
        (r["object_key"], r["error_code"], r["column"], r["error_rows"], r["first_rows"], r["complete"])
        for r in log_lines(output, t.LOG_ROWS_REJECTED)
    ]
    assert rejected == [
        ("lowongan/maret.csv", "date_invalid", "tanggal_buka", 2, [2, 5], True),
        ("lowongan/maret.csv", "required", "kbli", 2, [5, 9], True),
    ]


def test_rejected_rows_beyond_the_listed_errors_are_marked_incomplete(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    many = summary(
        "lowongan/besar.csv",
        rows=500,
        valid=300,
        rejected=200,
        errors=[{"row": r, "column": "kbli", "code": "required", "message": "-"} for r in range(1, 101)],
    )
    output = invoke_ingest(monkeypatch, capsys, many)
    [line] = log_lines(output, t.LOG_ROWS_REJECTED)
    assert (line["error_rows"], line["complete"], len(line["first_rows"])) == (100, False, 10)


def sweep_result(breaker: BreakerStatus, *records: UndeliveredRecord) -> SweepResult:
    report = PendingReport()
    for record in records:
        report.add(record)
    report.delivered = 40
    return SweepResult(requeued=2, in_flight=0, unknown_files=1, report=report, breaker=breaker)


def invoke_sweep(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], result: SweepResult
) -> str:
    module = load("sweep", monkeypatch, POWERTOOLS_SERVICE_NAME="sweep")

    def run_sweep(settings: Any, timeout_s: int, on_requeued: Any) -> SweepResult:
        on_requeued([PushMessage("jkp", "r1", 2), PushMessage("jkp", "r2", 1)])
        return result

    monkeypatch.setattr(module, "run_sweep", run_sweep)
    capsys.readouterr()
    module.lambda_handler({}, context("sweep", 300))
    return capsys.readouterr().out


WAITING = (
    UndeliveredRecord("jkp", "r1", 2, "pending", 7200),
    UndeliveredRecord("jkp", "r2", 1, "pending", 60),
    UndeliveredRecord("lowongan", "r3", 1, "blocked", 90000),
)


def test_sweep_publishes_the_backlog_in_total_and_for_every_domain(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    points = emf_points(invoke_sweep(monkeypatch, capsys, sweep_result(BreakerStatus(), *WAITING)))

    totals = {p.name: (p.value, p.unit) for p in points if p.dimension_sets == (("service",),)}
    assert all(p.dimensions["service"] == "sikas-sync-12-09" and p.namespace == "SikasSync" for p in points)
    assert totals == {
        t.RECORDS_REQUEUED: (2, "Count"),
        t.STRAY_FILES_REJECTED: (1, "Count"),
        t.UNDELIVERED_RECORDS: (3, "Count"),
        t.OLDEST_UNDELIVERED_AGE: (90000, "Seconds"),
        t.BREAKER_OPEN: (0, "Count"),
    }
    zero = {domain.slug: 0 for domain in DOMAINS}
    assert by_domain(points, t.UNDELIVERED_RECORDS) == {**zero, "jkp": 2, "lowongan": 1}
    assert by_domain(points, t.OLDEST_UNDELIVERED_AGE) == {**zero, "jkp": 7200, "lowongan": 90000}
    # A zero upload per domain every run: the no-upload alarm needs no "missing is breaching".
    assert by_domain(points, t.FILES_RECEIVED) == zero
    assert {p.unit for p in points if p.name == t.OLDEST_UNDELIVERED_AGE} == {"Seconds"}


@pytest.mark.parametrize(
    ("breaker", "waiting", "held"),
    [
        (BreakerStatus("OPEN", 1795000000, 5), WAITING, 1),
        (BreakerStatus("HALF_OPEN", 1795000000, 0), WAITING, 1),
        (BreakerStatus("OPEN", 1795000000, 5), WAITING[2:], 0),  # only a blocked record: nothing held
        (BreakerStatus("OPEN", 1795000000, 5), (), 0),  # open, but nothing to deliver
        (BreakerStatus(), WAITING, 0),
    ],
)
def test_sweep_says_breaker_open_only_while_it_holds_records_back(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    breaker: BreakerStatus,
    waiting: tuple[UndeliveredRecord, ...],
    held: int,
) -> None:
    points = emf_points(invoke_sweep(monkeypatch, capsys, sweep_result(breaker, *waiting)))
    assert [p.value for p in service_only(points, t.BREAKER_OPEN)] == [held]


def test_sweep_logs_the_records_it_requeued_by_id(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = invoke_sweep(monkeypatch, capsys, sweep_result(BreakerStatus(), *WAITING))
    [line] = log_lines(output, t.LOG_RECORDS_REQUEUED)
    assert (line["count"], line["records"]) == (2, ["r1 v2 jkp", "r2 v1 jkp"])
