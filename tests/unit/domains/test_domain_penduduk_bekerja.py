"""penduduk_bekerja (domains.md, "### penduduk_bekerja"): one aggregate figure, no personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from sikas_sync.domains.penduduk_bekerja import PendudukBekerja


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "tahun": "2025",
        "periode": "agustus",
        "kode_wilayah": "12.09",
        "indikator": "bekerja",
        "dimensi": "jenis kelamin",
        "kategori": "L",
        "nilai": "123.456",
    }
    base.update(changes)
    return base


def test_valid_row_gives_the_stored_form(validate) -> None:
    record = validate(PendudukBekerja, row())
    assert record.tahun == 2025
    assert record.periode == "AGUSTUS"
    assert record.kode_wilayah == "12.09"
    assert record.indikator == "BEKERJA"
    assert record.dimensi == "JENIS_KELAMIN"
    assert record.kategori == "L"
    assert record.nilai == 123456


def test_total_dimension_with_total_category(validate) -> None:
    record = validate(PendudukBekerja, row(dimensi="TOTAL", kategori="TOTAL", kode_wilayah="120908"))
    assert (record.dimensi, record.kategori, record.kode_wilayah) == ("TOTAL", "TOTAL", "12.09.08")


def test_total_dimension_needs_total_category(errors) -> None:
    assert errors(PendudukBekerja, row(dimensi="TOTAL", kategori="L")) == {("kategori", "kategori_invalid")}


@pytest.mark.parametrize(
    "dimensi", ["JENIS_KELAMIN", "PENDIDIKAN", "LAPANGAN_USAHA", "STATUS_PEKERJAAN", "KELOMPOK_UMUR"]
)
def test_total_category_only_for_total_dimension(errors, dimensi: str) -> None:
    assert errors(PendudukBekerja, row(dimensi=dimensi, kategori="TOTAL")) == {
        ("kategori", "kategori_invalid")
    }


@pytest.mark.parametrize(
    ("dimensi", "kategori"),
    [
        ("PENDIDIKAN", "SMA"),
        ("LAPANGAN_USAHA", "A"),
        ("STATUS_PEKERJAAN", "BURUH"),
        ("KELOMPOK_UMUR", "15_24"),
    ],
)
def test_other_dimensions(validate, dimensi: str, kategori: str) -> None:
    record = validate(PendudukBekerja, row(dimensi=dimensi, kategori=kategori))
    assert (record.dimensi, record.kategori) == (dimensi, kategori)


@pytest.mark.parametrize(
    "indikator", ["PENDUDUK_USIA_KERJA", "angkatan kerja", "Bekerja", "pengangguran", "Angkatan-Kerja"]
)
def test_indikator_values(validate, indikator: str) -> None:
    stored = validate(PendudukBekerja, row(indikator=indikator)).indikator
    assert stored == indikator.upper().replace(" ", "_").replace("-", "_")


@pytest.mark.parametrize("year", ["2000", "2026"])
def test_tahun_range_accepts(validate, year: str) -> None:
    assert validate(PendudukBekerja, row(tahun=year)).tahun == int(year)


@pytest.mark.parametrize("year", ["1999", "2027"])
def test_tahun_range_rejects(errors, year: str) -> None:
    assert errors(PendudukBekerja, row(tahun=year)) == {("tahun", "integer_out_of_range")}


def test_tahun_upper_bound_follows_context_today(validate) -> None:
    later = {"today": dt.date(2027, 2, 1), "region_code": "12.09"}
    assert validate(PendudukBekerja, row(tahun="2027"), later).tahun == 2027


def test_nilai_zero_is_fine(validate) -> None:
    assert validate(PendudukBekerja, row(nilai="0")).nilai == 0


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("tahun", "", "value_required"),
        ("tahun", "dua ribu", "integer_invalid"),
        ("periode", "MEI", "enum_invalid"),
        ("periode", "", "value_required"),
        ("kode_wilayah", "12.09.08.2002", "kode_wilayah_level"),  # a desa: too fine
        ("kode_wilayah", "12.71", "kode_wilayah_outside_region"),  # Kota Medan
        ("kode_wilayah", "12.71.01", "kode_wilayah_outside_region"),
        ("kode_wilayah", "12.09.99", "kode_wilayah_unknown"),
        ("kode_wilayah", "1209-08", "kode_wilayah_invalid"),
        ("indikator", "TENAGA_KERJA", "enum_invalid"),
        ("dimensi", "AGAMA", "enum_invalid"),
        ("kategori", "", "value_required"),
        ("kategori", "=1", "text_formula"),
        ("nilai", "-1", "integer_out_of_range"),
        ("nilai", "12,5", "integer_invalid"),
        ("nilai", "", "value_required"),
    ],
)
def test_each_field_rule(errors, column: str, value: object, code: str) -> None:
    assert (column, code) in errors(PendudukBekerja, row(**{column: value}))


def test_several_field_errors_are_all_reported(errors) -> None:
    found = errors(PendudukBekerja, row(tahun="1990", periode="MEI", nilai="-5"))
    assert found == {
        ("tahun", "integer_out_of_range"),
        ("periode", "enum_invalid"),
        ("nilai", "integer_out_of_range"),
    }
