"""pemberi_kerja (domains.md, "### pemberi_kerja"): an employer."""

from __future__ import annotations

import pytest

from sikas_sync.domains.pemberi_kerja import PemberiKerja


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "nib": "1234567890123",
        "npwp": "01.312.166.0-091.000",
        "nama_perusahaan": " PT  Sawit Asahan Lestari ",
        "kbli": "01262; 10431",
        "skala_usaha": "menengah",
        "kode_wilayah": "12.09.08",
        "alamat": "Jl. Lintas Sumatera Km. 12",
        "telepon": "(0623) 41234",
        "email": "Info@SawitAsahan.CO.ID",
    }
    base.update(changes)
    return base


def test_valid_row_gives_the_stored_form(validate) -> None:
    record = validate(PemberiKerja, row())
    assert record.nib == "1234567890123"
    assert record.npwp == "0013121660091000"  # old 15-digit form gets a leading 0
    assert record.nama_perusahaan == "PT Sawit Asahan Lestari"
    assert record.kbli == ["01262", "10431"]
    assert record.skala_usaha == "MENENGAH"
    assert record.kode_wilayah == "12.09.08"
    assert record.alamat == "Jl. Lintas Sumatera Km. 12"
    assert record.telepon == "062341234"
    assert record.email == "info@sawitasahan.co.id"


def test_only_required_columns(validate) -> None:
    raw = {"nib": 1234567890123, "nama_perusahaan": "CV Maju", "kbli": 1262, "kode_wilayah": 1209082002}
    record = validate(PemberiKerja, raw)
    assert record.nib == "1234567890123"
    assert record.kbli == ["01262"]
    assert record.kode_wilayah == "12.09.08.2002"
    assert record.npwp is None
    assert record.skala_usaha is None
    assert record.telepon is None


@pytest.mark.parametrize(
    ("npwp", "stored"),
    [
        ("016090524017000", "0016090524017000"),
        ("0013121660091000", "0013121660091000"),
        ("01.312.166.0-091.000", "0013121660091000"),
    ],
)
def test_npwp_stored_as_16_digits(validate, npwp: str, stored: str) -> None:
    assert validate(PemberiKerja, row(npwp=npwp)).npwp == stored


@pytest.mark.parametrize("kode", ["12.09.08", "120908", "12.09.08.2002", "1209082002", "12.09.19.1001"])
def test_kode_wilayah_kecamatan_or_desa_within_region(validate, kode: str) -> None:
    assert validate(PemberiKerja, row(kode_wilayah=kode)).kode_wilayah.replace(".", "") == kode.replace(
        ".", ""
    )


@pytest.mark.parametrize("skala", ["MIKRO", "kecil", "Menengah", "besar"])
def test_skala_usaha_values(validate, skala: str) -> None:
    assert validate(PemberiKerja, row(skala_usaha=skala)).skala_usaha == skala.upper()


@pytest.mark.parametrize(
    ("telepon", "stored"),
    [
        ("0623-41234", "062341234"),
        ("0623 41234", "062341234"),
        ("062341234", "062341234"),
        ("623412", "623412"),
    ],
)
def test_telepon_digits_after_normalisation(validate, telepon: str, stored: str) -> None:
    assert validate(PemberiKerja, row(telepon=telepon)).telepon == stored


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("nib", "12345678901234", "nib_invalid"),
        ("nib", "", "value_required"),
        ("npwp", "01.312.166.1-091.000", "npwp_invalid"),
        ("npwp", "12345", "npwp_invalid"),
        ("nama_perusahaan", "=PT", "text_formula"),
        ("nama_perusahaan", "", "value_required"),
        ("kbli", "4711", "kbli_invalid"),
        ("kbli", "47111;ABCDE", "kbli_invalid"),
        ("kbli", "", "value_required"),
        ("skala_usaha", "RAKSASA", "enum_invalid"),
        ("kode_wilayah", "12.09", "kode_wilayah_level"),  # the kabupaten itself
        ("kode_wilayah", "12", "kode_wilayah_level"),
        ("kode_wilayah", "12.71.01", "kode_wilayah_outside_region"),  # Medan Kota
        ("kode_wilayah", "11.01.01.2001", "kode_wilayah_outside_region"),
        ("kode_wilayah", "12.09.99", "kode_wilayah_unknown"),
        ("kode_wilayah", "12.09.8", "kode_wilayah_invalid"),
        ("alamat", "Jl.\x00", "text_control_char"),
        ("telepon", "12345", "telepon_invalid"),
        ("telepon", "0623412345678901", "telepon_invalid"),
        ("telepon", "0623 ext 5", "telepon_invalid"),
        ("email", "info@", "email_invalid"),
    ],
)
def test_each_field_rule(errors, column: str, value: object, code: str) -> None:
    assert (column, code) in errors(PemberiKerja, row(**{column: value}))


def test_several_field_errors_are_all_reported(errors) -> None:
    found = errors(PemberiKerja, row(npwp="1", kbli="1", kode_wilayah="12.71", email="x"))
    assert {column for column, _ in found} == {"npwp", "kbli", "kode_wilayah", "email"}
