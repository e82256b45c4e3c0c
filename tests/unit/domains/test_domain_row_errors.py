"""row_errors: a rejected row becomes RowIssue(row, column, code, message) per broken rule."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from sikas_sync.domains.jkp import Jkp
from sikas_sync.domains.lowongan import Lowongan
from sikas_sync.domains.pencari_kerja import PencariKerja
from sikas_sync.errors import RowIssue
from sikas_sync.validation.validator import row_errors

CONTEXT = {"today": dt.date(2026, 11, 28), "region_code": "12.09"}
NIK = "1209011708900001"


def failing(model, raw) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(raw, context=CONTEXT)
    return caught.value


def test_field_errors_keep_row_column_and_code() -> None:
    error = failing(Jkp, {"kode_klaim": "K1", "nik": NIK, "manfaat_bulan_ke": "9"})
    found = row_errors(42, error)
    assert all(isinstance(issue, RowIssue) for issue in found)
    assert {issue.row for issue in found} == {42}
    pairs = {(issue.column, issue.code) for issue in found}
    assert ("manfaat_bulan_ke", "integer_out_of_range") in pairs
    # Absent required columns come out as value_required, each under its own column.
    for column in ("tanggal_phk", "tanggal_pengajuan", "upah_terakhir", "nilai_manfaat", "status"):
        assert (column, "value_required") in pairs
    assert all(issue.message for issue in found)


def test_cross_field_rules_are_split_into_one_issue_per_column() -> None:
    raw = {
        "id_lowongan": "L1",
        "nib_pemberi_kerja": "1234567890123",
        "jabatan": "Operator",
        "kbji": "8160",
        "jumlah_kebutuhan": "1",
        "jumlah_l": "1",
        "jumlah_p": "1",
        "pendidikan_minimal": "SMA",
        "upah_min": "5.000.000",
        "upah_max": "4.000.000",
        "kode_wilayah_kerja": "12.09",
        "tanggal_mulai": "2026-01-02",
        "tanggal_berakhir": "2026-01-01",
    }
    found = row_errors(3, failing(Lowongan, raw))
    assert len(found) == 3
    assert {issue.code for issue in found} == {"sum_exceeds_total", "range_inverted", "date_before_other"}
    assert all(issue.column for issue in found)
    assert all(issue.row == 3 for issue in found)


def test_no_issue_carries_the_nik_or_other_personal_values() -> None:
    raw = {
        "nik": "1209011708900002",
        "nama": "=Budi Santoso",
        "tanggal_lahir": "1990-08-18",
        "jenis_kelamin": "X",
        "pendidikan": "SMA",
        "kode_wilayah": "12.71.01.9999",
        "no_hp": "0712-999-888",
        "email": "budi.santoso@",
        "tanggal_daftar": "2025-03-20",
    }
    found = row_errors(1, failing(PencariKerja, raw))
    assert len(found) >= 5
    for issue in found:
        text = f"{issue.column} {issue.code} {issue.message} {issue.as_dict()}"
        for value in ("1209011708900002", "Budi Santoso", "0712-999-888", "budi.santoso@", "12.71.01.9999"):
            assert value not in text


def test_a_sex_mismatch_is_a_warning_of_a_valid_row() -> None:
    raw = {
        "nik": "1209015708900001",
        "nama": "Siti",
        "tanggal_lahir": "1990-08-17",
        "jenis_kelamin": "L",
        "pendidikan": "SMA",
        "kode_wilayah": "12.09.08.2002",
        "tanggal_daftar": "2025-03-20",
    }
    record = PencariKerja.model_validate(raw, context=CONTEXT)
    found = PencariKerja.row_warnings(raw, record.__dict__, CONTEXT)
    assert [(w["column"], w["code"]) for w in found] == [("jenis_kelamin", "nik_sex_mismatch")]
    raw["jenis_kelamin"] = "P"
    record = PencariKerja.model_validate(raw, context=CONTEXT)
    assert PencariKerja.row_warnings(raw, record.__dict__, CONTEXT) == []


def test_unknown_extra_columns_are_ignored() -> None:
    # "A project may accept more columns than listed here."
    raw = {
        "kode_klaim": "K1",
        "nik": NIK,
        "tanggal_phk": "2025-03-15",
        "tanggal_pengajuan": "2025-04-01",
        "upah_terakhir": "4.000.000",
        "manfaat_bulan_ke": "2",
        "nilai_manfaat": "2.400.000",
        "status": "DIBAYAR",
        "catatan_petugas": "=apa saja",
    }
    assert Jkp.model_validate(raw, context=CONTEXT).nilai_manfaat == 2_400_000
