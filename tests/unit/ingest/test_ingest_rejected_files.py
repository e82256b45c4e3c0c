"""Whole files refused: reported with a reason, kept in the bucket, no records, no pushes, done once."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest
from ingest_support import BUCKET, World

from exports import Export, sample_export
from sikas_sync.ingest import ObjectRef
from sikas_sync.resources import REPORTS_PREFIX


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    return sample_export(tmp_path_factory.mktemp("rejected"), 30, seed=31)


def _without(export: Export, column: str) -> bytes:
    index = export.column(column)
    trimmed = Export(
        [c for i, c in enumerate(export.header) if i != index],
        [[c for i, c in enumerate(row) if i != index] for row in export.rows],
    )
    return trimmed.to_csv()


def _junk() -> bytes:
    rng = random.Random(5)
    return bytes(rng.randrange(256) for _ in range(20_000))


def _assert_rejected(world: World, ref: ObjectRef, code: str) -> None:
    summary = world.ingest(ref)
    assert (summary.status, summary.reason_code) == ("rejected", code)
    assert summary.reason  # a sentence for the operator
    assert (summary.rows, summary.valid, summary.rejected, summary.created) == (0, 0, 0, 0)
    assert world.records.items == {}
    assert world.push.messages == []
    report = world.report(ref.key)
    assert (report["status"], report["reason_code"], report["reason"]) == ("rejected", code, summary.reason)
    assert (report["rows"], report["created"], report["issues"]) == (0, 0, [])
    assert report["version_id"] == ref.version_id
    assert not world.has_quarantine(ref.key)
    entries = list(world.ledger.entries())
    assert [(e["file_id"], e["status"]) for e in entries] == [(ref.file_id, "done")]
    # The export itself stays in the inbox for the operator.
    if code != "file_missing":
        assert ref.key in world.objects.keys(BUCKET)
    # A redelivery of the event is a no-op and reports the same.
    again = world.ingest(ref)
    assert again.as_json() == summary.as_json()
    assert world.records.items == {}


@pytest.mark.parametrize(
    "key",
    [
        "tidak_dikenal/pencari_kerja.csv",
        "pencari_kerja.csv",  # no folder at all
        "PENCARI_KERJA/x.csv",  # prefixes are exact
        "reports/pencari_kerja/x.csv",
        "pencari_kerja/",  # a "folder" object
    ],
)
def test_an_unknown_prefix_is_rejected(world: World, export: Export, key: str) -> None:
    _assert_rejected(world, world.upload(key, export.to_csv()), "prefix_unknown")
    assert world.objects.opened == []


@pytest.mark.parametrize(
    "key",
    [
        "pencari_kerja/../kartu_ak1/x.csv",
        "pencari_kerja/./x.csv",
        "pencari_kerja//x.csv",
        "pencari_kerja/a\x00.csv",
    ],
)
def test_a_key_with_path_tricks_is_rejected_unread(world: World, export: Export, key: str) -> None:
    _assert_rejected(world, world.upload(key, export.to_csv()), "prefix_unknown")
    assert world.objects.opened == []


def test_a_header_missing_a_required_column_is_rejected(world: World, export: Export) -> None:
    ref = world.upload("pencari_kerja/tanpa-nik.csv", _without(export, "nik"))
    _assert_rejected(world, ref, "header_missing_columns")
    assert "nik" in world.report(ref.key)["reason"]


def test_binary_junk_is_rejected(world: World) -> None:
    _assert_rejected(world, world.upload("pencari_kerja/acak.csv", _junk()), "file_type_unsupported")


def test_junk_named_xlsx_is_rejected(world: World) -> None:
    _assert_rejected(world, world.upload("pencari_kerja/acak.xlsx", _junk()), "xlsx_invalid")


def test_a_zero_byte_object_is_rejected(world: World) -> None:
    _assert_rejected(world, world.upload("pencari_kerja/kosong.csv", b""), "file_empty")


def test_a_header_only_file_is_rejected(world: World, export: Export) -> None:
    ref = world.upload("pencari_kerja/judul.csv", Export(export.header, []).to_csv())
    _assert_rejected(world, ref, "file_no_rows")


def test_an_object_deleted_before_it_is_read_is_reported_missing(world: World, export: Export) -> None:
    ref = world.upload("pencari_kerja/hilang.csv", export.to_csv())
    world.objects.delete_version(ref)
    _assert_rejected(world, ref, "file_missing")


def test_an_object_version_that_never_existed_is_reported_missing(world: World, export: Export) -> None:
    world.upload("pencari_kerja/ada.csv", export.to_csv())
    _assert_rejected(world, ObjectRef(BUCKET, "pencari_kerja/ada.csv", "v999"), "file_missing")


def test_a_rejected_file_does_not_block_a_fixed_upload_of_the_same_key(world: World, export: Export) -> None:
    key = "pencari_kerja/data.csv"
    broken = world.put_and_ingest(key, _without(export, "tanggal_daftar"))
    fixed = world.put_and_ingest(key, export.to_csv())

    assert (broken.status, fixed.status) == ("rejected", "processed")
    assert fixed.created == 30
    assert world.report(key)["status"] == "processed"  # the report follows the latest version


def test_report_keys_follow_the_object_key(world: World, export: Export) -> None:
    ref = world.upload("tidak_dikenal/a b.csv", export.to_csv())
    world.ingest(ref)
    assert world.objects.keys(BUCKET, REPORTS_PREFIX) == [REPORTS_PREFIX + "tidak_dikenal/a b.csv.json"]


def test_a_file_refused_part_way_reports_no_row_issues_and_quarantines_nothing(
    world: World, tmp_path: Path
) -> None:
    big = sample_export(tmp_path, 2000, seed=32)
    big.set(2, "nik", "123")  # one rejected row early in the file
    ref = world.upload("pencari_kerja/terpotong.csv.gz", gzip.compress(big.to_csv())[:-12])

    _assert_rejected(world, ref, "gzip_invalid")
