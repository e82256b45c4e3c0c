"""Issue 3's bad inputs, one by one, through S3 → SQS → the real ingest handler on the embedded stack.

None of them may lose or duplicate a record: each file ends processed or rejected with a report, and
the records table holds every valid record of the exports exactly once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from stack_support import (
    DOMAIN,
    PushLog,
    embedded_stack,
    get_object,
    keys,
    ledger,
    quarantine,
    records,
    report,
    run,
    summaries_for,
)

from exports import WHOLE_NIK, Export, sample_export
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.resources import ERASURE_AUDIT_PREFIX, QUARANTINE_PREFIX, REPORTS_PREFIX

# Invocations that only see S3 test events publish no metric; Powertools warns about that.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    return sample_export(tmp_path_factory.mktemp("bad_input"), 60, seed=61)


def _upload(stack: EmbeddedStack, export: Export, key: str, tmp_path: Path) -> str | None:
    return stack.upload(export.write(tmp_path / f"{len(keys(stack))}.csv"), key)


def _assert_rejected_alone(stack: EmbeddedStack, key: str, code: str) -> dict[str, object]:
    (summary,) = summaries_for(stack, key)
    assert (summary["status"], summary["reason_code"]) == ("rejected", code)
    assert (summary["rows"], summary["created"]) == (0, 0)
    assert records(stack) == {}
    assert PushLog(stack).drain() == []
    document = report(stack, key)
    assert (document["status"], document["reason_code"]) == ("rejected", code)
    assert document["reason"]
    assert not keys(stack, QUARANTINE_PREFIX)
    assert [entry["status"] for entry in ledger(stack)] == ["done"]
    return summary


def test_a_zero_byte_object_is_rejected_reported_and_kept(stack: EmbeddedStack, tmp_path: Path) -> None:
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    stack.upload(empty, "pencari_kerja/kosong.csv")

    run(stack)

    _assert_rejected_alone(stack, "pencari_kerja/kosong.csv", "file_empty")
    assert get_object(stack, "pencari_kerja/kosong.csv") == b""


def test_an_object_version_deleted_before_dispatch_is_reported_missing(
    stack: EmbeddedStack, export: Export, tmp_path: Path
) -> None:
    key = "pencari_kerja/hilang.csv"
    version = _upload(stack, export, key, tmp_path)
    stack.clients["s3"].delete_object(Bucket=stack.bucket, Key=key, VersionId=version)

    run(stack)

    _assert_rejected_alone(stack, key, "file_missing")


def test_an_object_deleted_before_dispatch_is_never_half_ingested(
    stack: EmbeddedStack, export: Export, tmp_path: Path
) -> None:
    key = "pencari_kerja/dihapus.csv"
    _upload(stack, export, key, tmp_path)
    stack.clients["s3"].delete_object(Bucket=stack.bucket, Key=key)  # a delete marker

    run(stack)

    # The emulator's events carry no version id and the key now reads as deleted: reported missing.
    # (On AWS the event names the version, which a delete marker leaves readable.)
    (summary,) = summaries_for(stack, key)
    stored = records(stack)
    if summary["status"] == "rejected":
        assert summary["reason_code"] == "file_missing"
        assert stored == {}
    else:
        assert set(stored) == set(export.niks())
    assert report(stack, key)["status"] == summary["status"]


def test_a_key_with_spaces_and_non_ascii_characters(stack: EmbeddedStack, tmp_path: Path) -> None:
    export = sample_export(tmp_path, 80, seed=62, invalid_ratio=0.1)
    key = "pencari_kerja/Data Pencari Kerja – Kisaran (Nov) 2026 é+ü #1.csv"
    version = _upload(stack, export, key, tmp_path)
    pushes = PushLog(stack)

    run(stack)

    (summary,) = summaries_for(stack, key)
    assert (summary["status"], summary["version_id"]) == ("processed", version)
    assert (summary["rows"], summary["rejected"], summary["created"]) == (80, 8, 72)
    assert set(records(stack)) == set(export.valid_niks())
    assert {r["last_file"] for r in records(stack).values()} == {f"{stack.bucket}/{key}#{version}"}
    assert len(pushes.drain()) == 72
    assert keys(stack, REPORTS_PREFIX) == [REPORTS_PREFIX + key + ".json"]
    assert report(stack, key)["key"] == key
    assert len(quarantine(stack, key)) == 1 + 8
    (entry,) = ledger(stack)
    assert entry["object_key"] == key


def test_the_same_export_uploaded_twice_under_two_names(
    stack: EmbeddedStack, export: Export, tmp_path: Path
) -> None:
    pushes = PushLog(stack)
    _upload(stack, export, "pencari_kerja/ekspor.csv", tmp_path)
    run(stack)
    before = records(stack)
    assert len(before) == 60
    assert len(pushes.drain()) == 60

    _upload(stack, export, "pencari_kerja/ekspor (salinan).csv", tmp_path)
    run(stack)

    (first,) = summaries_for(stack, "pencari_kerja/ekspor.csv")
    (second,) = summaries_for(stack, "pencari_kerja/ekspor (salinan).csv")
    assert (first["created"], first["updated"], first["unchanged"]) == (60, 0, 0)
    assert (second["status"], second["rows"], second["valid"]) == ("processed", 60, 60)
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 60)
    assert second["pushed"] == 0
    assert records(stack) == before  # not one item written: last_file and updated_at untouched
    assert pushes.drain() == []
    assert report(stack, "pencari_kerja/ekspor (salinan).csv")["unchanged"] == 60


def test_two_files_of_one_domain_uploaded_before_dispatch(stack: EmbeddedStack, tmp_path: Path) -> None:
    everyone = sample_export(tmp_path, 250, seed=63)
    second = everyone.slice(100, 250)
    for row in range(1, 21):  # rows 101-120 of the whole export change in the second file
        second.set(row, "status", "SUDAH_BEKERJA" if second.cell(row, "status") != "SUDAH_BEKERJA" else "")
    stack.upload(everyone.slice(0, 150).write(tmp_path / "satu.csv"), "pencari_kerja/satu.csv")
    stack.upload(second.write(tmp_path / "dua.csv"), "pencari_kerja/dua.csv")
    pushes = PushLog(stack)

    run(stack)

    summaries = [
        *summaries_for(stack, "pencari_kerja/satu.csv"),
        *summaries_for(stack, "pencari_kerja/dua.csv"),
    ]
    assert len(summaries) == 2
    assert sum(s["created"] for s in summaries) == 250
    assert sum(s["updated"] for s in summaries) == 20
    assert sum(s["unchanged"] for s in summaries) == 30
    stored = records(stack)
    changed = set(second.niks()[:20])
    assert set(stored) == set(everyone.niks())
    assert {nik: int(item["version"]) for nik, item in stored.items()} == {
        nik: 2 if nik in changed else 1 for nik in everyone.niks()
    }
    messages = pushes.drain()
    assert len(messages) == 270
    assert len({(m["record_id"], m["version"]) for m in messages}) == 270  # each version pushed once
    by_id = {item["record_id"]: nik for nik, item in stored.items()}
    assert {by_id[m["record_id"]] for m in messages if m["version"] == 2} == changed


def test_the_same_key_uploaded_twice_before_dispatch_processes_both_versions(
    stack: EmbeddedStack, export: Export, tmp_path: Path
) -> None:
    key = "pencari_kerja/ekspor.csv"
    changed = export.copy()
    changed.set(1, "status", "SUDAH_BEKERJA" if changed.cell(1, "status") != "SUDAH_BEKERJA" else "")
    first = _upload(stack, export, key, tmp_path)
    second = stack.upload(changed.write(tmp_path / "kedua.csv"), key)

    run(stack)

    assert set(records(stack)) == set(export.niks())  # nothing lost or doubled either way
    assert {s["version_id"] for s in summaries_for(stack, key)} == {first, second}


def test_an_export_under_an_unknown_prefix_is_reported(
    stack: EmbeddedStack, export: Export, tmp_path: Path
) -> None:
    key = "pencari-kerja/ekspor.csv"  # a typo of the domain folder
    _upload(stack, export, key, tmp_path)

    run(stack)  # no domain prefix, so no event: the scheduled sweep is what finds it
    result = stack.invoke_scheduled("sweep")

    assert result["stray_files"] == 1
    assert records(stack) == {}
    assert report(stack, key)["reason_code"] == "prefix_unknown"
    assert stack.invoke_scheduled("sweep")["stray_files"] == 0  # reported once, then left alone


def test_the_erasure_audit_entries_are_no_stray_exports(stack: EmbeddedStack) -> None:
    audit_key = f"{ERASURE_AUDIT_PREFIX}2026-12-02/00000000-0000-4000-8000-000000000001.json"
    stack.clients["s3"].put_object(Bucket=stack.bucket, Key=audit_key, Body=b'{"domain": "jkp"}')

    result = stack.invoke_scheduled("sweep")

    assert result["stray_files"] == 0
    assert keys(stack, REPORTS_PREFIX) == []
    assert keys(stack, QUARANTINE_PREFIX) == []
    assert keys(stack, ERASURE_AUDIT_PREFIX) == [audit_key]


def test_reports_hold_no_whole_nik(stack: EmbeddedStack, tmp_path: Path) -> None:
    export = sample_export(tmp_path, 100, seed=64, invalid_ratio=0.2)
    _upload(stack, export, "pencari_kerja/campur.csv", tmp_path)

    run(stack)

    raw = get_object(stack, REPORTS_PREFIX + "pencari_kerja/campur.csv.json")
    assert not WHOLE_NIK.search(raw)
    assert DOMAIN in raw.decode()


def test_a_second_embedded_stack_in_one_process_starts_clean(tmp_path: Path) -> None:
    export = sample_export(tmp_path, 5, seed=65)
    with embedded_stack() as first:
        first.upload(export.write(tmp_path / "a.csv"), "pencari_kerja/a.csv")
        run(first)
        assert len(records(first)) == 5
    with embedded_stack() as second:
        assert records(second) == {}
        assert keys(second) == []
        assert ledger(second) == []
