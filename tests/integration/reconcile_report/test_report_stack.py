"""The monthly SMData reports through the real handler on the embedded stack and a local ministry.

The records are written with the real records-table adapter (the layout ingest writes); the counts
of the small dataset below are worked out by hand in EXPECTED.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from schedule_support import document, embedded_stack

from sikas_sync.adapters.dynamodb_records import DynamoRecordStore
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.embedded.dispatcher import InvocationFailed
from sikas_sync.ingest.ports import RecordWrite
from sikas_sync.ministry.local import Reply
from sikas_sync.smdata.templates import Period
from sikas_sync.validation.canonical import content_hash

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")

PERIOD = "2025-02"
TEMPLATES = ("pencari_kerja_terdaftar", "lowongan", "penempatan")
SEEKERS = [  # (tanggal_daftar, jenis_kelamin, pendidikan)
    ("2025-02-01", "P", "SMA"),
    ("2025-02-28", "P", "SMA"),
    ("2025-02-14", "L", "D3"),
    ("2025-03-01", "L", "D3"),  # March
    ("2025-01-31", "P", "SMA"),  # January
]
VACANCIES = [  # (tanggal_mulai, tanggal_berakhir, kbji, jumlah_kebutuhan, status)
    ("2025-01-15", "2025-02-01", "3115", 4, "AKTIF"),
    ("2025-02-28", "2025-03-31", "3115.02", 1, "AKTIF"),
    ("2025-03-01", "2025-03-31", "5223", 2, "AKTIF"),  # opens after February
    ("2025-02-10", "2025-02-20", "5223", 6, "BATAL"),  # cancelled
]
PLACEMENTS = [  # (tanggal_diterima, jenis_penempatan, kbji)
    ("2025-02-03", "ANTAR_DAERAH", "8322"),
    ("2025-02-27", "ANTAR_DAERAH", None),
    ("2025-02-27", "ANTAR_DAERAH", "8160"),
    ("2025-03-02", "LOKAL", "8322"),  # March
]
EXPECTED = {
    "pencari_kerja_terdaftar": [
        {"jenis_kelamin": "L", "pendidikan": "D3", "jumlah": 1},
        {"jenis_kelamin": "P", "pendidikan": "SMA", "jumlah": 2},
    ],
    "lowongan": [{"kbji_golongan_pokok": "3", "jumlah_lowongan": 2, "jumlah_kebutuhan": 5}],
    "penempatan": [
        {"jenis_penempatan": "ANTAR_DAERAH", "kbji_golongan_pokok": "8", "jumlah": 2},
        {"jenis_penempatan": "ANTAR_DAERAH", "kbji_golongan_pokok": None, "jumlah": 1},
    ],
}


def _dataset() -> list[tuple[str, str, dict[str, Any]]]:
    """(domain, natural key value, data) of every record."""
    rows: list[tuple[str, str, dict[str, Any]]] = []
    for n, (day, sex, education) in enumerate(SEEKERS, start=1):
        nik = f"12090141019{n:05d}"
        data = {"nik": nik, "nama": f"Orang {n}", "jenis_kelamin": sex, "pendidikan": education}
        rows.append(("pencari_kerja", nik, {**data, "tanggal_daftar": day, "status": "TERDAFTAR"}))
    for n, (start, end, kbji, needed, status) in enumerate(VACANCIES, start=1):
        data = {"id_lowongan": f"L-{n}", "kbji": kbji, "jumlah_kebutuhan": needed, "status": status}
        rows.append(("lowongan", f"L-{n}", {**data, "tanggal_mulai": start, "tanggal_berakhir": end}))
    for n, (day, kind, kbji) in enumerate(PLACEMENTS, start=1):
        data = {"id_penempatan": f"P-{n}", "tanggal_diterima": day, "jenis_penempatan": kind}
        rows.append(("penempatan", f"P-{n}", {**data, **({"kbji": kbji} if kbji else {})}))
    # Another domain with a February date: read by nobody.
    rows.append(("pelatihan", "T-1", {"kode_program": "T", "tanggal_mulai": "2025-02-03"}))
    return rows


def _store(stack: EmbeddedStack) -> None:
    assert stack.resources is not None
    store = DynamoRecordStore(stack.clients["dynamodb"], stack.resources.records_table)
    store.write(
        [
            RecordWrite(domain, f"{domain}-{key}", 1, content_hash(data), data, (key,), "inbox/x.csv#v1", row)
            for row, (domain, key, data) in enumerate(_dataset(), start=1)
        ]
    )


@pytest.fixture
def stack() -> Iterator[EmbeddedStack]:
    with embedded_stack() as started:
        _store(started)
        yield started


def test_reports_equal_the_hand_computed_counts_at_the_ministry_and_in_the_bucket(
    stack: EmbeddedStack,
) -> None:
    assert stack.local_ministry is not None

    summary = stack.invoke_scheduled("report", {"period": PERIOD})

    assert summary["period"] == PERIOD
    received = stack.local_ministry.reports
    assert sorted(received) == sorted((template, PERIOD) for template in TEMPLATES)
    generated = {report.generated_at for report in received.values()}
    assert len(generated) == 1
    for template in TEMPLATES:
        assert received[(template, PERIOD)].rows == EXPECTED[template]
        copy = document(stack, f"smdata/{PERIOD}/{template}.json")
        assert copy["rows"] == received[(template, PERIOD)].rows
        assert copy["generated_at"] in generated
        assert (copy["template"], copy["period"], copy["region_code"]) == (template, PERIOD, "12.09")
        assert copy["ministry"]["status"] == "accepted"
        assert copy["ministry"]["request_id"] == received[(template, PERIOD)].request_id
        assert summary["reports"][template]["status"] == "accepted"
    raw = json.dumps([r.rows for r in received.values()])
    assert "1209014101" not in raw
    assert "Orang" not in raw


def test_scheduled_run_reports_the_previous_month_in_wib(stack: EmbeddedStack) -> None:
    assert stack.local_ministry is not None
    before = str(Period.before(dt.datetime.now(dt.UTC)))

    summary = stack.invoke_scheduled("report")

    assert summary["period"] in {before, str(Period.before(dt.datetime.now(dt.UTC)))}
    assert sorted(stack.local_ministry.reports) == sorted((t, summary["period"]) for t in TEMPLATES)
    assert all(report.rows == [] for report in stack.local_ministry.reports.values())  # nothing that month


def test_a_report_the_ministry_refuses_is_kept_with_its_errors_and_fails_the_run(
    stack: EmbeddedStack,
) -> None:
    ministry = stack.local_ministry
    assert ministry is not None
    errors = [
        {"field": "rows[0].kbji_golongan_pokok", "code": "UNKNOWN", "message": "golongan tidak dikenal"}
    ]
    handle = ministry.handle

    def refusing(method: str, target: str, headers: Any, body: bytes) -> Reply:
        if method == "PUT" and target.startswith(f"/v1/reports/lowongan/{PERIOD}"):
            document = {"error": "REPORT_REJECTED", "message": "report rejected", "errors": errors}
            return Reply(422, json.dumps(document).encode(), {"Content-Type": "application/json"})
        return handle(method, target, headers, body)

    ministry.handle = refusing  # type: ignore[method-assign]

    with pytest.raises(InvocationFailed) as failed:
        stack.invoke_scheduled("report", {"period": PERIOD})

    assert "lowongan: rejected (HTTP 422, 1 errors" in str(failed.value.__cause__)
    copy = document(stack, f"smdata/{PERIOD}/lowongan.json")
    assert copy["rows"] == EXPECTED["lowongan"]
    assert (copy["ministry"]["status"], copy["ministry"]["http_status"]) == ("rejected", 422)
    assert copy["ministry"]["errors"] == errors
    assert sorted(ministry.reports) == [("pencari_kerja_terdaftar", PERIOD), ("penempatan", PERIOD)]


def test_a_failed_scheduled_run_is_not_retried_and_waits_in_the_failures_queue(
    stack: EmbeddedStack,
) -> None:
    ministry = stack.local_ministry
    assert ministry is not None
    handle = ministry.handle

    def refusing(method: str, target: str, headers: Any, body: bytes) -> Reply:
        if method == "PUT" and target.startswith("/v1/reports/"):
            return Reply(503, b'{"error": "UNAVAILABLE"}', {"Content-Type": "application/json"})
        return handle(method, target, headers, body)

    ministry.handle = refusing  # type: ignore[method-assign]
    assert stack.dispatcher is not None
    assert "report" not in stack.dispatcher.stats

    assert stack.run_scheduled("report") is None  # as the deployed stack: the run fails once

    stats = stack.dispatcher.stats["report"]
    assert (stats.invocations, stats.errors) == (1, 1)  # no Lambda retry
    assert stack.resources is not None
    queue = stack.resources.scheduled_failures_url
    (message,) = stack.clients["sqs"].receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    record = json.loads(message["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["functionArn"].endswith(":function:report")
    assert set(record["responsePayload"]) == {"errorType"}  # the type only: a message may quote data
