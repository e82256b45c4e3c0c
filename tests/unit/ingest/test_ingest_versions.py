"""The ingest service with fakes: what is written, with which version, and what is pushed."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_support import BUCKET, DOMAIN, LEASE_S, World

from exports import Export, sample_export
from sikas_sync.ingest import FileBusy, ObjectRef
from sikas_sync.ingest.ports import PushMessage

KEY = "pencari_kerja/export.csv"


@pytest.fixture
def export(tmp_path: Path) -> Export:
    return sample_export(tmp_path, 120, seed=11)


def _changed(export: Export, rows: list[int]) -> Export:
    changed = export.copy()
    for row in rows:
        changed.set(row, "alamat", f"Jalan Baru No. {row}, Desa Sei Alim Hasak")
    return changed


def test_a_new_file_creates_every_valid_record_at_version_1(world: World, export: Export) -> None:
    summary = world.put_and_ingest(KEY, export.to_csv())

    assert summary.status == "processed", summary.reason
    assert world.counts(summary) == {
        "rows": 120, "valid": 120, "rejected": 0, "created": 120, "updated": 0, "unchanged": 0,
        "warnings": 0,
    }  # fmt: skip
    items = world.records.by_key(DOMAIN)
    assert set(items) == {(nik,) for nik in export.niks()}
    assert {item.version for item in items.values()} == {1}
    assert world.records.item_writes == 120
    assert sorted(world.push.messages, key=lambda m: m.record_id) == sorted(
        (PushMessage(DOMAIN, world.rid(nik), 1) for nik in export.niks()), key=lambda m: m.record_id
    )


def test_records_hold_the_normalised_row_and_point_back_to_their_file(world: World, export: Export) -> None:
    ref = world.upload(KEY, export.to_csv())
    world.ingest(ref)

    item = world.records.by_key(DOMAIN)[(export.cell(5, "nik"),)]
    assert item.record_id == world.rid(export.cell(5, "nik"))
    assert item.last_file == ref.file_id
    assert item.last_row == 5
    assert item.data["nik"] == export.cell(5, "nik")
    assert item.data["kode_wilayah"].startswith("12.09.")


def test_the_same_export_again_under_another_name_writes_and_pushes_nothing(
    world: World, export: Export
) -> None:
    world.put_and_ingest(KEY, export.to_csv())
    before = {key: (i.version, i.last_file, i.writes) for key, i in world.records.by_key(DOMAIN).items()}
    writes, messages = world.records.write_calls, len(world.push.messages)

    again = world.put_and_ingest("pencari_kerja/export (1).csv", export.to_csv())

    assert again.status == "processed"
    assert (again.created, again.updated, again.unchanged) == (0, 0, 120)
    assert world.records.write_calls == writes
    assert len(world.push.messages) == messages
    after = {key: (i.version, i.last_file, i.writes) for key, i in world.records.by_key(DOMAIN).items()}
    assert after == before


def test_the_same_export_as_a_new_version_of_the_same_key_changes_nothing(
    world: World, export: Export
) -> None:
    first = world.upload(KEY, export.to_csv())
    world.ingest(first)
    second = world.upload(KEY, export.to_csv())
    assert second.file_id != first.file_id

    summary = world.ingest(second)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 120)
    assert world.records.item_writes == 120
    assert len(world.push.messages) == 120


def test_changed_rows_get_the_next_version_and_exactly_they_are_pushed(world: World, export: Export) -> None:
    world.put_and_ingest(KEY, export.to_csv())
    world.push.messages.clear()
    changed_rows = [3, 40, 41, 120]

    summary = world.put_and_ingest("pencari_kerja/export-2.csv", _changed(export, changed_rows).to_csv())

    assert (summary.created, summary.updated, summary.unchanged) == (0, 4, 116)
    items = world.records.by_key(DOMAIN)
    changed_niks = set(export.niks(changed_rows))
    for (nik,), item in items.items():
        assert item.version == (2 if nik in changed_niks else 1)
    assert items[(export.cell(40, "nik"),)].data["alamat"] == "Jalan Baru No. 40, Desa Sei Alim Hasak"
    assert sorted(world.push.messages, key=lambda m: m.record_id) == sorted(
        (PushMessage(DOMAIN, world.rid(nik), 2) for nik in changed_niks), key=lambda m: m.record_id
    )
    assert summary.pushed == 4


def test_each_further_change_adds_one_version(world: World, export: Export) -> None:
    nik = export.cell(7, "nik")
    world.put_and_ingest(KEY, export.to_csv())
    first = export.cell(7, "status")
    others = [s for s in ("SUDAH_BEKERJA", "KEDALUWARSA", "TERDAFTAR", "DIHAPUS") if s != first][:3]
    for version, status in enumerate(others, start=2):
        edited = export.copy()
        edited.set(7, "status", status)
        summary = world.put_and_ingest(KEY, edited.to_csv())  # a new version of the same key
        assert (summary.updated, summary.unchanged) == (1, 119)
        item = world.records.by_key(DOMAIN)[(nik,)]
        assert (item.version, item.data["status"]) == (version, status)
        assert world.push.messages[-1] == PushMessage(DOMAIN, world.rid(nik), version)


def test_a_mix_of_new_changed_and_unchanged_rows(world: World, tmp_path: Path) -> None:
    everyone = sample_export(tmp_path, 150, seed=12)
    world.put_and_ingest(KEY, everyone.slice(0, 100).to_csv())
    world.push.messages.clear()
    second = _changed(everyone, [51, 52, 53]).slice(50, 150)  # 50 known (3 changed) + 50 new

    summary = world.put_and_ingest("pencari_kerja/export-2.csv", second.to_csv())

    assert (summary.created, summary.updated, summary.unchanged) == (50, 3, 47)
    assert len(world.records.items) == 150
    versions = sorted(m.version for m in world.push.messages)
    assert versions == [1] * 50 + [2] * 3


def test_an_empty_optional_column_added_to_the_export_changes_nothing(world: World, export: Export) -> None:
    world.put_and_ingest(KEY, export.to_csv())
    wider = export.copy()
    wider.header.append("catatan")
    for row in wider.rows:
        row.append("")

    summary = world.put_and_ingest("pencari_kerja/wider.csv", wider.to_csv())

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 120)


def test_a_redelivered_event_for_a_processed_file_does_nothing(world: World, export: Export) -> None:
    ref = world.upload(KEY, export.to_csv())
    first = world.ingest(ref)
    puts, opened = len(world.objects.puts), len(world.objects.opened)
    writes, messages = world.records.item_writes, len(world.push.messages)

    again = world.ingest(ObjectRef(ref.bucket, ref.key, ref.version_id))

    assert world.ledger.claims[-1] == (ref.file_id, "done")
    assert again.as_json() == first.as_json()
    assert (again.created, again.pushed) == (120, 120)  # what the first processing reported
    assert len(world.objects.opened) == opened  # the file is not read again
    assert len(world.objects.puts) == puts  # nor its report rewritten
    assert (world.records.item_writes, len(world.push.messages)) == (writes, messages)
    assert [e["status"] for e in world.ledger.entries()] == ["done"]


def test_a_file_whose_lease_is_held_is_busy_and_untouched(world: World, export: Export) -> None:
    ref = world.upload(KEY, export.to_csv())
    world.ledger.claim(ref, LEASE_S, world.clock())  # another invocation is working on it
    world.clock.advance(LEASE_S - 1)

    with pytest.raises(FileBusy):
        world.ingest(ref)

    assert world.records.items == {}
    assert world.push.messages == []
    assert world.objects.opened == []
    assert world.ledger.items[ref.file_id].status == "processing"


def test_each_version_of_a_key_has_its_own_ledger_entry(world: World, export: Export) -> None:
    first = world.upload(KEY, export.to_csv())
    second = world.upload(KEY, _changed(export, [1]).to_csv())
    world.ingest(first)
    world.ingest(second)
    world.ingest(first)  # redelivered

    entries = {e["file_id"]: e for e in world.ledger.entries()}
    assert set(entries) == {f"{BUCKET}/{KEY}#{first.version_id}", f"{BUCKET}/{KEY}#{second.version_id}"}
    assert all(e["status"] == "done" for e in entries.values())
    assert world.records.by_key(DOMAIN)[(export.cell(1, "nik"),)].version == 2


# -- duplicates within one file ------------------------------------------------------------------


def test_a_key_twice_in_one_file_the_later_row_wins(world: World, export: Export) -> None:
    doubled = export.copy()
    later = list(doubled.rows[4])  # row 5 again, with another address, as row 121
    later[doubled.column("alamat")] = "Jalan Kemudian No. 2, Desa Sei Alim Hasak"
    doubled.rows.append(later)
    nik = export.cell(5, "nik")

    summary = world.put_and_ingest(KEY, doubled.to_csv())

    assert (summary.rows, summary.valid, summary.rejected) == (121, 121, 0)
    assert (summary.created, summary.updated, summary.unchanged) == (120, 0, 0)
    assert summary.warnings == 1
    item = world.records.by_key(DOMAIN)[(nik,)]
    assert (item.version, item.last_row) == (1, 121)
    assert item.data["alamat"] == "Jalan Kemudian No. 2, Desa Sei Alim Hasak"
    assert [w.row for w in world.records.history if w.natural_key == (nik,)] == [121]
    assert [m.record_id for m in world.push.messages].count(world.rid(nik)) == 1
    warnings = [i for i in world.report(KEY)["issues"] if i["severity"] == "warning"]
    assert [(w["row"], w["code"]) for w in warnings] == [(5, "duplicate_key")]


def test_a_key_three_times_warns_for_each_earlier_row(world: World, export: Export) -> None:
    tripled = export.slice(0, 10)
    for status in ("SUDAH_BEKERJA", "KEDALUWARSA"):
        again = list(tripled.rows[0])
        again[tripled.column("status")] = status
        tripled.rows.append(again)

    summary = world.put_and_ingest(KEY, tripled.to_csv())

    assert (summary.valid, summary.created, summary.warnings) == (12, 10, 2)
    item = world.records.by_key(DOMAIN)[(export.cell(1, "nik"),)]
    assert (item.data["status"], item.last_row, item.writes) == ("KEDALUWARSA", 12, 1)
    warned = sorted(i["row"] for i in world.report(KEY)["issues"] if i["code"] == "duplicate_key")
    assert warned == [1, 11]
