"""penempatan (domains.md, "### penempatan"): a placement of a job seeker in a job."""

from __future__ import annotations

import datetime as dt

import pytest

from sikas_sync.domains.penempatan import Penempatan


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id_penempatan": "PN-2025-0001",
        "nik": "1209011708900001",
        "nib_pemberi_kerja": "1234567890123",
        "jabatan": "Operator Produksi",
        "kbji": "8160",
        "tanggal_diterima": "2026-11-28",
        "jenis_penempatan": "antar daerah",
        "id_lowongan": "LOW-2025-0001",
    }
    base.update(changes)
    return base


def test_valid_row_gives_the_stored_form(validate) -> None:
    record = validate(Penempatan, row())
    assert record.id_penempatan == "PN-2025-0001"
    assert record.nik == "1209011708900001"
    assert record.nib_pemberi_kerja == "1234567890123"
    assert record.jabatan == "Operator Produksi"
    assert record.kbji == "8160"
    assert record.tanggal_diterima == dt.date(2026, 11, 28)
    assert record.jenis_penempatan == "ANTAR_DAERAH"
    assert record.id_lowongan == "LOW-2025-0001"


@pytest.mark.parametrize(
    ("jenis", "stored"),
    [("LOKAL", "LOKAL"), ("Luar Negeri", "LUAR_NEGERI"), ("antar-daerah", "ANTAR_DAERAH")],
)
def test_jenis_penempatan_values(validate, jenis: str, stored: str) -> None:
    assert validate(Penempatan, row(jenis_penempatan=jenis)).jenis_penempatan == stored


def test_optional_columns_may_be_absent(validate) -> None:
    raw = row()
    del raw["kbji"]
    del raw["id_lowongan"]
    record = validate(Penempatan, raw)
    assert record.kbji is None
    assert record.id_lowongan is None


def test_id_lowongan_is_plain_text_up_to_200(validate) -> None:
    assert validate(Penempatan, row(id_lowongan="L" * 100)).id_lowongan == "L" * 100


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("id_penempatan", "P" * 65, "text_too_long"),
        ("id_penempatan", "", "value_required"),
        ("nik", "1209011708900", "nik_invalid"),
        ("nib_pemberi_kerja", "12345", "nib_invalid"),
        ("jabatan", "@Operator", "text_formula"),
        ("kbji", "81600", "kbji_invalid"),
        ("tanggal_diterima", "2026-11-29", "date_in_future"),
        ("tanggal_diterima", "29/02/2025", "date_invalid"),
        ("tanggal_diterima", "", "value_required"),
        ("jenis_penempatan", "LUAR_KOTA", "enum_invalid"),
        ("jenis_penempatan", "", "value_required"),
        ("id_lowongan", "x" * 201, "text_too_long"),
    ],
)
def test_each_field_rule(errors, column: str, value: object, code: str) -> None:
    assert (column, code) in errors(Penempatan, row(**{column: value}))


def test_several_field_errors_are_all_reported(errors) -> None:
    found = errors(Penempatan, row(nik="", nib_pemberi_kerja="1", tanggal_diterima="2027-01-01"))
    assert found == {
        ("nik", "value_required"),
        ("nib_pemberi_kerja", "nib_invalid"),
        ("tanggal_diterima", "date_in_future"),
    }
