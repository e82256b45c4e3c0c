"""wlkp (domains.md, "### wlkp"): a company's mandatory manpower report."""

from __future__ import annotations

import datetime as dt

import pytest

from sikas_sync.domains.wlkp import Wlkp


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "nomor_wlkp": "WLKP/1209/2025/000045",
        "nib": "1234567890123",
        "tahun_lapor": "2025",
        "tk_wni_l": "1.200",
        "tk_wni_p": "300",
        "tk_wna_l": 2,
        "tk_wna_p": "0",
        "peserta_bpjs_tk": "1.502",
    }
    base.update(changes)
    return base


def test_valid_row_fills_tk_total(validate) -> None:
    record = validate(Wlkp, row())
    assert record.nomor_wlkp == "WLKP/1209/2025/000045"
    assert record.nib == "1234567890123"
    assert record.tahun_lapor == 2025
    assert (record.tk_wni_l, record.tk_wni_p, record.tk_wna_l, record.tk_wna_p) == (1200, 300, 2, 0)
    assert record.tk_total == 1502
    assert record.peserta_bpjs_tk == 1502


def test_given_tk_total_equal_to_the_sum(validate) -> None:
    assert validate(Wlkp, row(tk_total="1.502")).tk_total == 1502
    assert validate(Wlkp, row(tk_total=1502.0)).tk_total == 1502


def test_all_zero_company(validate) -> None:
    record = validate(Wlkp, row(tk_wni_l="0", tk_wni_p="0", tk_wna_l="0", tk_wna_p="0", peserta_bpjs_tk="0"))
    assert record.tk_total == 0


def test_tk_total_not_the_sum(errors) -> None:
    assert errors(Wlkp, row(tk_total="1500")) == {("tk_total", "total_mismatch")}
    assert errors(Wlkp, row(tk_total="1503", peserta_bpjs_tk="")) == {("tk_total", "total_mismatch")}


def test_peserta_bpjs_tk_above_the_total(errors) -> None:
    assert errors(Wlkp, row(peserta_bpjs_tk="1503")) == {("peserta_bpjs_tk", "sum_exceeds_total")}


def test_both_cross_field_rules_reported_together(errors) -> None:
    assert errors(Wlkp, row(tk_total="10", peserta_bpjs_tk="2000")) == {
        ("tk_total", "total_mismatch"),
        ("peserta_bpjs_tk", "sum_exceeds_total"),
    }


@pytest.mark.parametrize("year", ["1981", "2000", "2026"])
def test_tahun_lapor_range_accepts(validate, year: str) -> None:
    assert validate(Wlkp, row(tahun_lapor=year)).tahun_lapor == int(year)


@pytest.mark.parametrize("year", ["1980", "2027", "0"])
def test_tahun_lapor_range_rejects(errors, year: str) -> None:
    assert errors(Wlkp, row(tahun_lapor=year)) == {("tahun_lapor", "integer_out_of_range")}


def test_tahun_lapor_upper_bound_is_the_year_of_context_today(validate, errors) -> None:
    next_year = {"today": dt.date(2027, 1, 2), "region_code": "12.09"}
    assert validate(Wlkp, row(tahun_lapor="2027"), next_year).tahun_lapor == 2027
    last_year = {"today": dt.date(2025, 12, 31), "region_code": "12.09"}
    assert errors(Wlkp, row(tahun_lapor="2026"), last_year) == {("tahun_lapor", "integer_out_of_range")}


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("nomor_wlkp", "W" * 65, "text_too_long"),
        ("nomor_wlkp", "", "value_required"),
        ("nib", "123", "nib_invalid"),
        ("tahun_lapor", "dua ribu", "integer_invalid"),
        ("tahun_lapor", "", "value_required"),
        ("tk_wni_l", "-1", "integer_out_of_range"),
        ("tk_wni_p", "", "value_required"),
        ("tk_wna_l", "1,5", "integer_invalid"),
        ("tk_wna_p", "-3", "integer_out_of_range"),
        ("tk_total", "-1", "integer_out_of_range"),
        ("peserta_bpjs_tk", "-1", "integer_out_of_range"),
        ("peserta_bpjs_tk", "banyak", "integer_invalid"),
    ],
)
def test_each_field_rule(errors, column: str, value: object, code: str) -> None:
    assert (column, code) in errors(Wlkp, row(**{column: value}))


@pytest.mark.parametrize(
    "column", ["nomor_wlkp", "nib", "tahun_lapor", "tk_wni_l", "tk_wni_p", "tk_wna_l", "tk_wna_p"]
)
def test_missing_required_column(errors, column: str) -> None:
    raw = row()
    del raw[column]
    assert (column, "value_required") in errors(Wlkp, raw)


def test_several_field_errors_are_all_reported(errors) -> None:
    found = errors(Wlkp, row(nib="1", tahun_lapor="1900", tk_wni_l="-1", tk_wna_p="x"))
    assert found == {
        ("nib", "nib_invalid"),
        ("tahun_lapor", "integer_out_of_range"),
        ("tk_wni_l", "integer_out_of_range"),
        ("tk_wna_p", "integer_invalid"),
    }
