"""`outbox/results/<key>.csv`: every data row of an upload, in row order, with what became of it.

Written by the ingest use case when it processes the upload (outbox.results.ResultsWriter); the rows
must agree with the file's summary row for row, across the service's write batches, duplicates,
unchanged and updated records, a resumed attempt and files refused as a whole.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from ingest_support import BUCKET, LEASE_S, World

from exports import Export, sample_export
from fakes import Crash
from sikas_sync.ingest import FileSummary
from sikas_sync.outbox.results import RESULT_COLUMNS, results_key
from sikas_sync.resources import OUTBOX_RESULTS_PREFIX

KEY = "pencari_kerja/hasil.csv"
ROWS = 250  # three write batches of the service (100 records each)
FORMULA = '=HYPERLINK("http://x","klik")'


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    return sample_export(tmp_path_factory.mktemp("results"), ROWS, seed=77)


@pytest.fixture
def edited(export: Export) -> Export:
    """Rejected rows on both sides of the batch boundaries, and duplicates whose earlier row sits in
    another batch than the row that wins (rows 50 → 180, 100 → 101, 150 → 250)."""
    copy = export.copy()
    copy.set(1, "nik", copy.cell(1, "nik")[:15])
    copy.set(99, "jenis_kelamin", "X")
    copy.set(102, "nama", FORMULA)
    copy.set(200, "nik", "=1+1")  # a NIK cell typed like a formula: written back as text
    for earlier, later in ((50, 180), (100, 101), (150, 250)):
        copy.rows[later - 1] = list(copy.rows[earlier - 1])
    return copy


def _results(world: World, key: str = KEY) -> tuple[list[str], list[dict[str, str]]]:
    raw = world.objects.body(BUCKET, results_key(key))
    assert raw.startswith("\ufeff".encode())  # Excel reads the BOM as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    header, data = rows[0], rows[1:]
    return header, [dict(zip(header, row, strict=True)) for row in data]


def _assert_matches_summary(rows: list[dict[str, str]], summary: FileSummary) -> None:
    assert [int(r["row"]) for r in rows] == list(range(1, summary.rows + 1))
    statuses = Counter(r["status"] for r in rows)
    assert (
        statuses
        == Counter(
            {
                "stored": summary.created + summary.updated,
                "unchanged": summary.unchanged,
                "rejected": summary.rejected,
                # Valid rows neither stored nor unchanged: superseded by a later row with the same key.
                "warning": summary.valid - summary.created - summary.updated - summary.unchanged,
            }
        )
        - Counter()
    )  # (zero counts dropped)
    by_row = {int(r["row"]): r for r in rows}
    for error in summary.errors:
        found = by_row[error["row"]]
        assert found["status"] == "rejected"
        assert f"{error['column']}:{error['code']}" in found["codes"].split()
        assert error["message"] in found["messages"].split(" | ")
    for warning in summary.row_warnings:  # a warned row lists its warnings, whatever its status
        found = by_row[warning["row"]]
        assert found["status"] in ("stored", "unchanged", "warning")
        assert f"{warning['column']}:{warning['code']}" in found["codes"].split()
        assert warning["message"] in found["messages"].split(" | ")


def test_every_row_in_order_with_its_outcome(world: World, edited: Export) -> None:
    summary = world.put_and_ingest(KEY, edited.to_csv())

    header, rows = _results(world)
    assert header == ["row", "line", "nik", *RESULT_COLUMNS]
    assert world.objects.keys(BUCKET, OUTBOX_RESULTS_PREFIX) == [f"{OUTBOX_RESULTS_PREFIX}{KEY}.csv"]
    assert (summary.rows, summary.rejected, summary.warnings) == (ROWS, 4, 3)
    _assert_matches_summary(rows, summary)
    by_row = {int(r["row"]): r for r in rows}
    assert [n for n, r in by_row.items() if r["status"] == "rejected"] == [1, 99, 102, 200]
    assert [n for n, r in by_row.items() if r["status"] == "warning"] == [50, 100, 150]
    assert all(int(r["line"]) == n + 1 for n, r in by_row.items())  # the header is line 1
    items = world.records.by_key("pencari_kerja")
    for n, row in by_row.items():
        nik = edited.cell(n, "nik")
        if row["status"] == "rejected":
            assert row["record_id"] == row["version"] == row["delivery_status"] == ""
            continue
        assert row["nik"] == nik
        assert row["record_id"] == world.rid(nik) == items[(nik,)].record_id
        if row["status"] == "warning":  # superseded by the later row: same record, not stored
            assert row["codes"] == "nik:duplicate_key"
            assert row["version"] == row["delivery_status"] == ""
        else:
            assert (row["status"], row["version"], row["delivery_status"]) == ("stored", "1", "pending")
    # As typed for rejected rows, defused where a cell starts like a formula.
    assert by_row[1]["nik"] == edited.cell(1, "nik")
    assert by_row[200]["nik"] == "'=1+1"
    assert by_row[99]["codes"] == "jenis_kelamin:jenis_kelamin_invalid"


def test_unchanged_and_updated_rows_of_a_second_upload(world: World, export: Export) -> None:
    world.put_and_ingest("pencari_kerja/pertama.csv", export.slice(0, 20).to_csv())
    second = export.slice(0, 25)
    second.set(3, "status", "SUDAH_BEKERJA" if second.cell(3, "status") != "SUDAH_BEKERJA" else "TERDAFTAR")
    summary = world.put_and_ingest(KEY, second.to_csv())

    _, rows = _results(world)
    _assert_matches_summary(rows, summary)
    assert (summary.unchanged, summary.updated, summary.created) == (19, 1, 5)
    by_row = {int(r["row"]): r for r in rows}
    assert (by_row[3]["status"], by_row[3]["version"], by_row[3]["delivery_status"]) == (
        "stored",
        "2",
        "pending",
    )
    # An unchanged record's delivery is looked up by the outbox run; the version is the stored one.
    assert (by_row[1]["status"], by_row[1]["version"], by_row[1]["delivery_status"]) == ("unchanged", "1", "")
    assert {r["status"] for n, r in by_row.items() if n > 20} == {"stored"}


def test_a_resumed_attempt_reports_the_rows_its_dead_attempt_stored(world: World, export: Export) -> None:
    world.push.crash_on_send = 2  # dies after the first batch was written and queued
    ref = world.upload(KEY, export.to_csv())
    with pytest.raises(Crash):
        world.ingest(ref)
    assert not world.objects.keys(BUCKET, OUTBOX_RESULTS_PREFIX)  # only a finished file has results
    world.push.crash_on_send = None
    world.clock.advance(LEASE_S + 1)
    summary = world.ingest(ref)

    _, rows = _results(world)
    _assert_matches_summary(rows, summary)
    assert summary.created == ROWS
    assert {(r["status"], r["version"]) for r in rows} == {("stored", "1")}


def test_a_file_refused_as_a_whole_gets_one_row_with_its_reason(world: World, export: Export) -> None:
    header_only = Export([h for h in export.header if h != "tanggal_lahir"], [])
    body = header_only.to_csv() + b"1209015506900001,Rina\r\n"
    summary = world.put_and_ingest(KEY, body)

    assert summary.status == "rejected"
    _, rows = _results(world)
    assert len(rows) == 1
    assert rows[0]["row"] == ""
    assert rows[0]["status"] == "rejected"
    assert rows[0]["codes"] == f"*:{summary.reason_code}"
    assert rows[0]["messages"] == summary.reason


def test_no_results_for_a_key_outside_the_domain_folders(world: World, export: Export) -> None:
    summary = world.put_and_ingest("lain/ekspor.csv", export.slice(0, 3).to_csv())
    assert summary.status == "rejected"
    assert world.objects.keys(BUCKET, OUTBOX_RESULTS_PREFIX) == []


def _warned(export: Export) -> Export:
    """Rows that are stored with a warning (domains.md v2), one of them also superseded later."""
    copy = export.slice(0, 40).without_warnings()
    copy.set(3, "kode_wilayah", "12.72.01.1001")  # a desa of Kota Tanjungbalai: outside the region
    copy.set(
        7, "tanggal_lahir", "1950-01-01" if copy.cell(7, "tanggal_lahir") != "1950-01-01" else "1951-02-02"
    )
    copy.set(9, "kode_wilayah", "12.71.01.1001")  # Medan, and the row is superseded by row 30
    copy.rows[29] = list(copy.rows[8])
    copy.set(30, "kode_wilayah", copy.cell(1, "kode_wilayah"))
    return copy


def test_warned_rows_are_stored_and_listed_with_their_warnings(world: World, export: Export) -> None:
    summary = world.put_and_ingest(KEY, _warned(export).to_csv())

    assert (summary.rows, summary.valid, summary.rejected) == (40, 40, 0)
    assert (summary.created, summary.warnings) == (39, 4)  # row 9 lost to row 30
    assert [(w["row"], w["column"], w["code"]) for w in summary.row_warnings] == [
        (3, "kode_wilayah", "kode_wilayah_outside_region"),
        (7, "tanggal_lahir", "nik_birth_date_mismatch"),
        (9, "kode_wilayah", "kode_wilayah_outside_region"),
        (9, "nik", "duplicate_key"),
    ]
    _, rows = _results(world)
    _assert_matches_summary(rows, summary)
    by_row = {int(r["row"]): r for r in rows}
    assert (by_row[3]["status"], by_row[3]["codes"]) == ("stored", "kode_wilayah:kode_wilayah_outside_region")
    assert (by_row[7]["status"], by_row[7]["codes"]) == ("stored", "tanggal_lahir:nik_birth_date_mismatch")
    assert by_row[7]["delivery_status"] == "pending"  # queued for the ministry like any stored row
    assert (by_row[9]["status"], by_row[9]["codes"]) == (
        "warning",
        "kode_wilayah:kode_wilayah_outside_region nik:duplicate_key",
    )
    assert by_row[30]["codes"] == ""
    # Stored as normalised, the NIK's date disagreeing or not.
    items = world.records.by_key("pencari_kerja")
    assert items[(by_row[3]["nik"],)].data["kode_wilayah"] == "12.72.01.1001"
    assert len(world.push.messages) == 39
