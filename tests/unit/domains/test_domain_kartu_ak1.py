"""kartu_ak1 (domains.md, "### kartu_ak1"): one AK/1 card application or issuance."""

from __future__ import annotations

import datetime as dt

import pytest

from sikas_sync.domains.kartu_ak1 import KartuAk1

NIK = "1209015708900001"


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "nomor_pendaftaran": "AK1/1209/2025/000123",
        "nik": "1209 0157 0890 0001",
        "status": "terbit",
        "tanggal_pengajuan": "2025-03-18",
        "tanggal_terbit": "20/03/2025",
    }
    base.update(changes)
    return base


def test_issued_card_gets_berlaku_sampai_two_years_after_tanggal_terbit(validate) -> None:
    record = validate(KartuAk1, row())
    assert record.nomor_pendaftaran == "AK1/1209/2025/000123"
    assert record.nik == NIK
    assert record.status == "TERBIT"
    assert record.tanggal_pengajuan == dt.date(2025, 3, 18)
    assert record.tanggal_terbit == dt.date(2025, 3, 20)
    assert record.berlaku_sampai == dt.date(2027, 3, 20)
    assert record.alasan_tolak is None


def test_berlaku_sampai_from_29_february(validate) -> None:
    record = validate(KartuAk1, row(tanggal_pengajuan="2024-02-27", tanggal_terbit="29 Februari 2024"))
    # 2026 has no 29 February: the card runs to the end of February.
    assert record.berlaku_sampai == dt.date(2026, 2, 28)


def test_berlaku_sampai_from_28_february_into_a_leap_year(validate) -> None:
    record = validate(KartuAk1, row(tanggal_pengajuan="2022-02-27", tanggal_terbit="2022-02-28"))
    assert record.berlaku_sampai == dt.date(2024, 2, 28)


def test_given_berlaku_sampai_is_kept(validate) -> None:
    record = validate(KartuAk1, row(berlaku_sampai="31/12/2026"))
    assert record.berlaku_sampai == dt.date(2026, 12, 31)


@pytest.mark.parametrize("status", ["PENGAJUAN", "pengajuan", "Proses"])
def test_open_application_needs_no_tanggal_terbit(validate, status: str) -> None:
    record = validate(KartuAk1, row(status=status, tanggal_terbit=""))
    assert record.status == status.upper()
    assert record.tanggal_terbit is None
    assert record.berlaku_sampai is None


def test_rejected_application_with_reason(validate) -> None:
    record = validate(
        KartuAk1, row(status="Ditolak", tanggal_terbit=None, alasan_tolak="  Berkas   tidak lengkap ")
    )
    assert record.status == "DITOLAK"
    assert record.alasan_tolak == "Berkas tidak lengkap"


def test_terbit_without_tanggal_terbit(errors) -> None:
    assert errors(KartuAk1, row(tanggal_terbit="")) == {("tanggal_terbit", "value_required")}
    raw = row()
    del raw["tanggal_terbit"]
    assert errors(KartuAk1, raw) == {("tanggal_terbit", "value_required")}


def test_ditolak_without_alasan_tolak(errors) -> None:
    assert errors(KartuAk1, row(status="DITOLAK", tanggal_terbit="")) == {("alasan_tolak", "value_required")}
    assert errors(KartuAk1, row(status="DITOLAK", tanggal_terbit="", alasan_tolak="  ")) == {
        ("alasan_tolak", "value_required")
    }


def test_tanggal_terbit_on_tanggal_pengajuan_is_fine(validate) -> None:
    assert validate(KartuAk1, row(tanggal_terbit="2025-03-18")).tanggal_terbit == dt.date(2025, 3, 18)


def test_tanggal_terbit_before_tanggal_pengajuan(errors) -> None:
    assert errors(KartuAk1, row(tanggal_terbit="17/03/2025")) == {("tanggal_terbit", "date_before_other")}


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("nomor_pendaftaran", "N" * 41, "text_too_long"),
        ("nomor_pendaftaran", "", "value_required"),
        ("nomor_pendaftaran", "+AK1", "text_formula"),
        ("nik", "12090157089000", "nik_invalid"),
        ("nik", None, "value_required"),
        ("status", "SELESAI", "enum_invalid"),
        ("status", "", "value_required"),
        ("tanggal_pengajuan", "2026-11-29", "date_in_future"),
        ("tanggal_pengajuan", "18/13/2025", "date_invalid"),
        ("tanggal_pengajuan", "", "value_required"),
        ("tanggal_terbit", "2025-02-30", "date_invalid"),
        ("berlaku_sampai", "besok", "date_invalid"),
        ("alasan_tolak", "=HAPUS()", "text_formula"),
    ],
)
def test_each_field_rule(errors, column: str, value: object, code: str) -> None:
    assert (column, code) in errors(KartuAk1, row(**{column: value}))


def test_nomor_pendaftaran_40_characters_is_fine(validate) -> None:
    assert validate(KartuAk1, row(nomor_pendaftaran="N" * 40)).nomor_pendaftaran == "N" * 40


def test_tanggal_pengajuan_today_is_fine(validate) -> None:
    record = validate(KartuAk1, row(tanggal_pengajuan="2026-11-28", tanggal_terbit="2026-11-28"))
    assert record.berlaku_sampai == dt.date(2028, 11, 28)


def test_several_field_errors_are_all_reported(errors) -> None:
    found = errors(KartuAk1, row(nik="1", status="X", tanggal_pengajuan="2030-01-01"))
    assert found == {
        ("nik", "nik_invalid"),
        ("status", "enum_invalid"),
        ("tanggal_pengajuan", "date_in_future"),
    }
