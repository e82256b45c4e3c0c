"""pelatihan (domains.md, "### pelatihan"): one participant in one training batch."""

from __future__ import annotations

import datetime as dt

import pytest

from sikas_sync.domains.pelatihan import Pelatihan


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "kode_program": "BLK-LAS-01",
        "angkatan": "2026-II",
        "nama_program": "Pengelasan  SMAW",
        "lembaga": "UPTD BLK Kisaran",
        "nik": "1209015708900001",
        "tanggal_mulai": "01/11/2026",
        "tanggal_selesai": "15 Desember 2026",  # a running batch ends in the future
        "status_kelulusan": "berlangsung",
        "persen_kehadiran": "87,5",
        "nomor_sertifikat": "",
    }
    base.update(changes)
    return base


def test_valid_row_gives_the_stored_form(validate) -> None:
    record = validate(Pelatihan, row())
    assert record.kode_program == "BLK-LAS-01"
    assert record.angkatan == "2026-II"
    assert record.nama_program == "Pengelasan SMAW"
    assert record.lembaga == "UPTD BLK Kisaran"
    assert record.nik == "1209015708900001"
    assert record.tanggal_mulai == dt.date(2026, 11, 1)
    assert record.tanggal_selesai == dt.date(2026, 12, 15)
    assert record.status_kelulusan == "BERLANGSUNG"
    assert record.persen_kehadiran == pytest.approx(87.5)
    assert record.nomor_sertifikat is None


@pytest.mark.parametrize(
    ("raw", "value"), [("0", 0.0), ("100", 100.0), ("87.5", 87.5), (87.5, 87.5), (100, 100.0), ("99,9", 99.9)]
)
def test_persen_kehadiran_number_0_to_100(validate, raw: object, value: float) -> None:
    assert validate(Pelatihan, row(persen_kehadiran=raw)).persen_kehadiran == pytest.approx(value)


@pytest.mark.parametrize("status", ["LULUS", "tidak lulus", "Tidak-Lulus", "BERLANGSUNG"])
def test_status_kelulusan_values(validate, status: str) -> None:
    stored = validate(Pelatihan, row(status_kelulusan=status)).status_kelulusan
    assert stored == status.upper().replace(" ", "_").replace("-", "_")


def test_angkatan_as_excel_number(validate) -> None:
    assert validate(Pelatihan, row(angkatan=2026)).angkatan == "2026"


def test_tanggal_selesai_on_tanggal_mulai_is_fine(validate) -> None:
    assert validate(Pelatihan, row(tanggal_selesai="2026-11-01")).tanggal_selesai == dt.date(2026, 11, 1)


def test_tanggal_selesai_before_tanggal_mulai(errors) -> None:
    assert errors(Pelatihan, row(tanggal_selesai="31/10/2026")) == {("tanggal_selesai", "date_before_other")}


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("kode_program", "K" * 41, "text_too_long"),
        ("kode_program", "", "value_required"),
        ("angkatan", "A" * 21, "text_too_long"),
        ("angkatan", "", "value_required"),
        ("nama_program", "+Las", "text_formula"),
        ("lembaga", "", "value_required"),
        ("nik", "120901570890000X", "nik_invalid"),
        ("nik", "", "value_required"),
        ("tanggal_mulai", "2026-11-31", "date_invalid"),
        ("tanggal_selesai", "", "value_required"),
        ("status_kelulusan", "GAGAL", "enum_invalid"),
        ("persen_kehadiran", "100,5", "number_out_of_range"),
        ("persen_kehadiran", "-1", "number_out_of_range"),
        ("persen_kehadiran", "hadir", "number_invalid"),
        ("nomor_sertifikat", "=SERT", "text_formula"),
    ],
)
def test_each_field_rule(errors, column: str, value: object, code: str) -> None:
    assert (column, code) in errors(Pelatihan, row(**{column: value}))


def test_boundary_lengths(validate) -> None:
    record = validate(Pelatihan, row(kode_program="K" * 40, angkatan="A" * 20))
    assert (len(record.kode_program), len(record.angkatan)) == (40, 20)


def test_several_field_errors_are_all_reported(errors) -> None:
    found = errors(Pelatihan, row(nik="1", status_kelulusan="X", persen_kehadiran="101"))
    assert found == {
        ("nik", "nik_invalid"),
        ("status_kelulusan", "enum_invalid"),
        ("persen_kehadiran", "number_out_of_range"),
    }
