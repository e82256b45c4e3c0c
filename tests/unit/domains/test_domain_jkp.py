"""jkp (domains.md, "### jkp"): one Jaminan Kehilangan Pekerjaan claim, rules of PP 6/2025."""

from __future__ import annotations

import datetime as dt

import pytest

from sikas_sync.domains.jkp import Jkp


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "kode_klaim": "JKP-2025-000123",
        "nik": "1209011708900001",
        "tanggal_phk": "2025-03-15",
        "tanggal_pengajuan": "15/09/2025",
        "upah_terakhir": "Rp 5.000.000",
        "manfaat_bulan_ke": "1",
        "nilai_manfaat": "Rp3.000.000,00",
        "status": "disetujui",
    }
    base.update(changes)
    return base


def codes(found: set[tuple[str | None, str]]) -> set[str]:
    return {code for _, code in found}


def test_valid_row_gives_the_stored_form(validate) -> None:
    record = validate(Jkp, row())
    assert record.kode_klaim == "JKP-2025-000123"
    assert record.nik == "1209011708900001"
    assert record.tanggal_phk == dt.date(2025, 3, 15)
    assert record.tanggal_pengajuan == dt.date(2025, 9, 15)
    assert record.upah_terakhir == 5_000_000
    assert record.manfaat_bulan_ke == 1
    assert record.nilai_manfaat == 3_000_000
    assert record.status == "DISETUJUI"


@pytest.mark.parametrize("status", ["DIAJUKAN", "Disetujui", "ditolak", "DIBAYAR"])
def test_status_values(validate, status: str) -> None:
    assert validate(Jkp, row(status=status)).status == status.upper()


# --------------------------------------------------------------------------------- claim window


def test_claim_exactly_six_months_after_phk_is_accepted(validate) -> None:
    assert validate(Jkp, row(tanggal_phk="2025-03-15", tanggal_pengajuan="2025-09-15")).tanggal_pengajuan == (
        dt.date(2025, 9, 15)
    )


def test_claim_one_day_later_is_rejected(errors) -> None:
    found = errors(Jkp, row(tanggal_phk="2025-03-15", tanggal_pengajuan="2025-09-16"))
    assert found == {("tanggal_pengajuan", "jkp_claim_too_late")}


def test_claim_on_the_day_of_phk_is_accepted(validate) -> None:
    assert validate(Jkp, row(tanggal_pengajuan="2025-03-15")).tanggal_pengajuan == dt.date(2025, 3, 15)


def test_claim_before_phk_is_rejected(errors) -> None:
    assert errors(Jkp, row(tanggal_pengajuan="2025-03-14")) == {("tanggal_pengajuan", "date_before_other")}


def test_claim_window_across_the_end_of_february(validate, errors) -> None:
    # 31 August + 6 months: 28 February 2026 is surely inside, 4 March 2026 surely outside.
    assert validate(Jkp, row(tanggal_phk="2025-08-31", tanggal_pengajuan="2026-02-28")).tanggal_pengajuan == (
        dt.date(2026, 2, 28)
    )
    found = errors(Jkp, row(tanggal_phk="2025-08-31", tanggal_pengajuan="2026-03-04"))
    assert found == {("tanggal_pengajuan", "jkp_claim_too_late")}


def test_phk_and_claim_not_in_the_future(errors, validate) -> None:
    assert validate(
        Jkp, row(tanggal_phk="2026-11-28", tanggal_pengajuan="2026-11-28")
    ).tanggal_phk == dt.date(2026, 11, 28)
    assert ("tanggal_phk", "date_in_future") in errors(
        Jkp, row(tanggal_phk="2026-11-29", tanggal_pengajuan="2026-11-28")
    )


# ------------------------------------------------------------------------------- benefit amount


@pytest.mark.parametrize(
    ("upah", "manfaat"),
    [
        ("5.000.000", "3.000.000"),  # exactly 60% of the cap
        ("8.000.000", "3.000.000"),  # wage above the cap counts as 5,000,000
        ("Rp 25.000.000", "Rp 3.000.000"),
        ("4.000.000", "2.400.000"),  # 60% of a wage below the cap
        ("3.333.333", "1.999.999"),  # 60% = 1,999,999.8
        ("5.000.000", "0"),
        ("1", "0"),
    ],
)
def test_benefit_within_60_percent_of_capped_wage(validate, upah: str, manfaat: str) -> None:
    record = validate(Jkp, row(upah_terakhir=upah, nilai_manfaat=manfaat))
    assert record.nilai_manfaat == int(manfaat.removeprefix("Rp ").replace(".", ""))


@pytest.mark.parametrize(
    ("upah", "manfaat"),
    [
        ("5.000.000", "3.000.001"),
        ("8.000.000", "3.000.001"),
        ("Rp 25.000.000", "Rp 4.000.000"),
        ("4.000.000", "2.400.001"),
        ("3.333.333", "2.000.000"),  # above 1,999,999.8
    ],
)
def test_benefit_above_60_percent_of_capped_wage(errors, upah: str, manfaat: str) -> None:
    assert errors(Jkp, row(upah_terakhir=upah, nilai_manfaat=manfaat)) == {
        ("nilai_manfaat", "jkp_benefit_too_high")
    }


def test_benefit_rule_applies_from_7_february_2025(errors) -> None:
    found = errors(
        Jkp, row(tanggal_phk="2025-02-07", tanggal_pengajuan="2025-02-10", nilai_manfaat="3.000.001")
    )
    assert found == {("nilai_manfaat", "jkp_benefit_too_high")}


@pytest.mark.parametrize("phk", ["2025-02-06", "2024-12-31"])
def test_benefit_not_checked_before_pp_6_2025(validate, phk: str) -> None:
    record = validate(Jkp, row(tanggal_phk=phk, tanggal_pengajuan="2025-02-10", nilai_manfaat="4.000.000"))
    assert record.nilai_manfaat == 4_000_000


# --------------------------------------------------------------------------------- field rules


def test_upah_terakhir_must_be_above_zero(errors) -> None:
    found = errors(Jkp, row(upah_terakhir="0", nilai_manfaat="0"))
    assert {column for column, _ in found} == {"upah_terakhir"}
    assert codes(found) <= {"rupiah_invalid", "integer_out_of_range", "value_out_of_range"}


@pytest.mark.parametrize("month", ["1", "6", 3, 6.0])
def test_manfaat_bulan_ke_1_to_6(validate, month: object) -> None:
    assert validate(Jkp, row(manfaat_bulan_ke=month)).manfaat_bulan_ke == int(month)


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("kode_klaim", "K" * 41, "text_too_long"),
        ("kode_klaim", "", "value_required"),
        ("nik", "3171011708450", "nik_invalid"),
        ("tanggal_phk", "", "value_required"),
        ("tanggal_phk", "2025-02-29", "date_invalid"),
        ("tanggal_pengajuan", "", "value_required"),
        ("upah_terakhir", "lima juta", "rupiah_invalid"),
        ("upah_terakhir", "-5.000.000", "rupiah_invalid"),
        ("upah_terakhir", "", "value_required"),
        ("manfaat_bulan_ke", "0", "integer_out_of_range"),
        ("manfaat_bulan_ke", "7", "integer_out_of_range"),
        ("manfaat_bulan_ke", "satu", "integer_invalid"),
        ("nilai_manfaat", "Rp 3.000.000,50", "rupiah_invalid"),
        ("nilai_manfaat", "", "value_required"),
        ("status", "DICAIRKAN", "enum_invalid"),
        ("status", "", "value_required"),
    ],
)
def test_each_field_rule(errors, column: str, value: object, code: str) -> None:
    assert (column, code) in errors(Jkp, row(**{column: value}))


def test_cross_field_rules_reported_together(errors) -> None:
    found = errors(Jkp, row(tanggal_pengajuan="2026-01-01", nilai_manfaat="3.500.000"))
    assert found == {("tanggal_pengajuan", "jkp_claim_too_late"), ("nilai_manfaat", "jkp_benefit_too_high")}


def test_several_field_errors_are_all_reported(errors) -> None:
    found = errors(Jkp, row(nik="1", manfaat_bulan_ke="9", status="X", tanggal_phk="2027-01-01"))
    assert found == {
        ("nik", "nik_invalid"),
        ("manfaat_bulan_ke", "integer_out_of_range"),
        ("status", "enum_invalid"),
        ("tanggal_phk", "date_in_future"),
    }
