"""lowongan (domains.md, "### lowongan"): a job vacancy."""

from __future__ import annotations

import datetime as dt

import pytest

from sikas_sync.domains.lowongan import Lowongan


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id_lowongan": "LOW-2025-0001",
        "nib_pemberi_kerja": "1234567890123",
        "jabatan": "Operator  Produksi",
        "kbji": "8160.01",
        "jumlah_kebutuhan": "10",
        "jumlah_l": "4",
        "jumlah_p": "6",
        "pendidikan_minimal": "Slta",
        "upah_min": "Rp 3.000.000",
        "upah_max": "Rp3.500.000,00",
        "kode_wilayah_kerja": "12.71.01.1001",  # any level, anywhere in Indonesia: Medan
        "tanggal_mulai": "2026-12-01",  # a vacancy may open in the future
        "tanggal_berakhir": "31 Januari 2027",
    }
    base.update(changes)
    return base


def test_valid_row_gives_the_stored_form(validate) -> None:
    record = validate(Lowongan, row())
    assert record.id_lowongan == "LOW-2025-0001"
    assert record.nib_pemberi_kerja == "1234567890123"
    assert record.jabatan == "Operator Produksi"
    assert record.kbji == "8160.01"
    assert record.jumlah_kebutuhan == 10
    assert record.jumlah_l == 4
    assert record.jumlah_p == 6
    assert record.pendidikan_minimal == "SMA"
    assert record.upah_min == 3_000_000
    assert record.upah_max == 3_500_000
    assert record.kode_wilayah_kerja == "12.71.01.1001"
    assert record.tanggal_mulai == dt.date(2026, 12, 1)
    assert record.tanggal_berakhir == dt.date(2027, 1, 31)
    assert record.status == "AKTIF"


def test_only_required_columns(validate) -> None:
    raw = row()
    for column in ("jumlah_l", "jumlah_p", "upah_min", "upah_max"):
        del raw[column]
    record = validate(Lowongan, raw)
    assert record.jumlah_l is None
    assert record.upah_min is None
    assert record.status == "AKTIF"


@pytest.mark.parametrize("code", ["12", "11.01", "12.09", "12.09.08", "12.09.08.2002", "1101012001"])
def test_kode_wilayah_kerja_any_level_anywhere(validate, code: str) -> None:
    assert validate(Lowongan, row(kode_wilayah_kerja=code)).kode_wilayah_kerja.replace(
        ".", ""
    ) == code.replace(".", "")


@pytest.mark.parametrize("status", ["TERISI", "kedaluwarsa", "Batal", "aktif"])
def test_status_values(validate, status: str) -> None:
    assert validate(Lowongan, row(status=status)).status == status.upper()


def test_status_defaults_to_aktif_when_the_cell_is_blank(validate) -> None:
    assert validate(Lowongan, row(status="")).status == "AKTIF"


def test_excel_numbers(validate) -> None:
    record = validate(Lowongan, row(jumlah_kebutuhan=10.0, jumlah_l=4, upah_min=3000000, upah_max=3500000.0))
    assert (record.jumlah_kebutuhan, record.jumlah_l, record.upah_min, record.upah_max) == (
        10,
        4,
        3_000_000,
        3_500_000,
    )


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("id_lowongan", "L" * 65, "text_too_long"),
        ("id_lowongan", "", "value_required"),
        ("nib_pemberi_kerja", "123456789012", "nib_invalid"),
        ("jabatan", "-Operator", "text_formula"),
        ("jabatan", "x" * 201, "text_too_long"),
        ("kbji", "816", "kbji_invalid"),
        ("kbji", "", "value_required"),
        ("jumlah_kebutuhan", "0", "integer_out_of_range"),
        ("jumlah_kebutuhan", "sepuluh", "integer_invalid"),
        ("jumlah_kebutuhan", "", "value_required"),
        ("jumlah_l", "-1", "integer_out_of_range"),
        ("jumlah_p", "-1", "integer_out_of_range"),
        ("jumlah_p", "2,5", "integer_invalid"),
        ("pendidikan_minimal", "Kuliah", "pendidikan_invalid"),
        ("upah_min", "tiga juta", "rupiah_invalid"),
        ("upah_max", "Rp 3.500.000,50", "rupiah_invalid"),
        ("kode_wilayah_kerja", "99.99", "kode_wilayah_unknown"),
        ("kode_wilayah_kerja", "Kisaran", "kode_wilayah_invalid"),
        ("tanggal_mulai", "2026-02-30", "date_invalid"),
        ("tanggal_berakhir", "", "value_required"),
        ("status", "DIBUKA", "enum_invalid"),
    ],
)
def test_each_field_rule(errors, column: str, value: object, code: str) -> None:
    assert (column, code) in errors(Lowongan, row(**{column: value}))


def test_jumlah_l_plus_p_equal_to_kebutuhan_is_fine(validate) -> None:
    record = validate(Lowongan, row(jumlah_l="10", jumlah_p="0"))
    assert (record.jumlah_l, record.jumlah_p) == (10, 0)


def test_jumlah_l_plus_p_above_kebutuhan(errors) -> None:
    found = errors(Lowongan, row(jumlah_l="5", jumlah_p="6"))
    assert {code for _, code in found} == {"sum_exceeds_total"}
    assert found <= {
        ("jumlah_l", "sum_exceeds_total"),
        ("jumlah_p", "sum_exceeds_total"),
        ("jumlah_kebutuhan", "sum_exceeds_total"),
    }


def test_one_of_jumlah_l_or_p_alone_above_kebutuhan(errors) -> None:
    raw = row(jumlah_p="11")
    del raw["jumlah_l"]
    assert {code for _, code in errors(Lowongan, raw)} == {"sum_exceeds_total"}


def test_upah_min_equal_to_upah_max_is_fine(validate) -> None:
    assert validate(Lowongan, row(upah_min="3.500.000")).upah_min == 3_500_000


def test_upah_min_above_upah_max(errors) -> None:
    found = errors(Lowongan, row(upah_min="Rp 3.500.001"))
    assert {code for _, code in found} == {"range_inverted"}
    assert found <= {("upah_min", "range_inverted"), ("upah_max", "range_inverted")}


def test_only_one_upah_given_is_fine(validate) -> None:
    assert validate(Lowongan, row(upah_max="")).upah_min == 3_000_000


def test_tanggal_berakhir_on_tanggal_mulai_is_fine(validate) -> None:
    assert validate(Lowongan, row(tanggal_berakhir="01/12/2026")).tanggal_berakhir == dt.date(2026, 12, 1)


def test_tanggal_berakhir_before_tanggal_mulai(errors) -> None:
    assert errors(Lowongan, row(tanggal_berakhir="30/11/2026")) == {("tanggal_berakhir", "date_before_other")}


def test_all_cross_field_rules_reported_together(errors) -> None:
    found = errors(
        Lowongan, row(jumlah_l="9", jumlah_p="9", upah_min="4.000.000", tanggal_berakhir="2026-01-01")
    )
    assert {code for _, code in found} == {"sum_exceeds_total", "range_inverted", "date_before_other"}


def test_several_field_errors_are_all_reported(errors) -> None:
    found = errors(
        Lowongan, row(nib_pemberi_kerja="1", kbji="x", jumlah_kebutuhan="0", kode_wilayah_kerja="0")
    )
    assert found == {
        ("nib_pemberi_kerja", "nib_invalid"),
        ("kbji", "kbji_invalid"),
        ("jumlah_kebutuhan", "integer_out_of_range"),
        ("kode_wilayah_kerja", "kode_wilayah_invalid"),
    }


def test_field_error_and_independent_cross_field_error_reported_together(errors) -> None:
    found = errors(Lowongan, row(kbji="x", upah_min="9.000.000"))
    assert {code for _, code in found} == {"kbji_invalid", "range_inverted"}
