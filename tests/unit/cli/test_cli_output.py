"""What `validate` and `run` print for people: line numbers, notes on the file, and how many errors
and warnings were left out, never a negative count."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from sikas_sync.cli.messages import speaking
from sikas_sync.cli.output import file_result_text, run_summary_text
from sikas_sync.errors import FileWarning, RowIssue
from sikas_sync.validation import FileResult


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    with speaking("id"):
        yield


def _issue(row: int, code: str = "nik_invalid", line: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"row": row}
    if line is not None:
        found["line"] = line
    return found | {"column": "nik", "code": code, "message": "NIK harus berupa 16 digit angka"}


def _entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "file": "pencari_kerja.csv",
        "key": "pencari_kerja/pencari_kerja.csv",
        "domain": "pencari_kerja",
        "status": "processed",
        "reason": None,
        "rows": 10,
        "valid": 9,
        "rejected": 1,
        "created": 9,
        "updated": 0,
        "unchanged": 0,
        "warnings": 0,
        "errors": [],
        "row_warnings": [],
    }
    return entry | changes


def _summary(*entries: dict[str, Any]) -> dict[str, Any]:
    delivery = {
        "queued": 9,
        "delivered": 9,
        "rejected_by_ministry": 0,
        "pending": 0,
        "dead_lettered": 0,
        "attempts": 1,
    }
    return {"region_code": "12.09", "files": list(entries), "delivery": delivery}


def test_one_row_with_many_errors_never_says_a_negative_number_of_rows() -> None:
    """The old summary said "… -2 more rejected rows" for one row with five errors."""
    codes = ["nik_invalid", "nama_required", "date_invalid", "no_hp_invalid", "email_invalid"]
    errors = [_issue(4, code) for code in codes]
    text = run_summary_text(_summary(_entry(rejected=1, errors=errors)))
    assert not re.search(r"-\d", text)
    assert "… dan 2 kesalahan lain pada baris yang sama tidak ditampilkan" in text
    assert "baris ditolak lain" not in text


def test_the_run_summary_counts_the_rejected_rows_left_out_in_both_languages() -> None:
    entry = _entry(rows=4000, valid=100, rejected=3900, errors=[_issue(n, line=n + 1) for n in range(1, 101)])
    text = run_summary_text(_summary(entry))
    assert "baris 2: nik nik_invalid — NIK harus berupa 16 digit angka" in text  # the line, not the row
    assert "… dan 3.897 baris ditolak lain tidak ditampilkan (lihat --json atau laporannya)" in text
    assert text.splitlines()[2].split() == [
        "berkas", "domain", "status", "baris", "sah", "tolak", "baru", "ubah", "tetap",
    ]  # fmt: skip
    with speaking("en"):
        text = run_summary_text(_summary(entry))
    assert "line 2: nik nik_invalid — NIK harus berupa 16 digit angka" in text
    assert "… and 3,897 more rejected rows not shown (see --json or the report)" in text
    assert "delivery: queued 9, delivered 9, refused by ministry 0, pending 0" in text


def test_the_run_summary_shows_notes_on_the_file_and_the_warnings_left_out() -> None:
    entry = _entry(
        warnings=5,
        row_warnings=[_issue(n, "nik_sex_mismatch") for n in (2, 3, 5, 6, 8)],
        file_warnings=[{"code": "title_rows_skipped", "message": "Judul di atas header dilewati"}],
    )
    text = run_summary_text(_summary(entry))
    assert "catatan berkas: Judul di atas header dilewati (title_rows_skipped)" in text
    assert "peringatan baris 2: nik nik_sex_mismatch" in text
    assert "… dan 2 peringatan lain tidak ditampilkan (lihat --json atau laporannya)" in text


def _result(**changes: Any) -> FileResult:
    result = FileResult(file="pencari_kerja.csv", domain="pencari_kerja")
    for name, value in changes.items():
        setattr(result, name, value)
    return result


def test_validate_says_how_many_rejected_rows_it_left_out_and_how_to_get_them() -> None:
    errors = [
        RowIssue(n, "nik", "nik_invalid", "NIK harus berupa 16 digit angka", line=n + 3) for n in range(100)
    ]
    result = _result(rows=4000, valid=100, rejected=3900, errors=errors, errors_truncated=True)
    text = file_result_text(result)
    assert "  baris 4.000  sah 100  ditolak 3.900  peringatan 0" in text
    assert re.search(r"^  baris +3  nik +nik_invalid +NIK harus", text, re.MULTILINE)  # line 3, row 0
    assert (
        "  … dan 3.880 baris ditolak lain tidak ditampilkan; gunakan --rejected-out BERKAS untuk "
        "menyimpan semuanya"
    ) in text
    with speaking("en"):
        text = file_result_text(result)
    assert "  … and 3,880 more rejected rows not shown; use --rejected-out FILE to save them all" in text


def test_validate_prints_notes_on_the_file_and_says_when_warnings_stop() -> None:
    warnings = [RowIssue(n, "nik", "nik_from_number", "NIK dari sel angka", "warning") for n in range(1, 31)]
    result = _result(
        rows=50,
        valid=50,
        warnings=45,
        row_warnings=warnings,
        file_warnings=[FileWarning("totals_row_skipped", "Baris jumlah di bawah data dilewati")],
    )
    text = file_result_text(result)
    assert "  catatan berkas: Baris jumlah di bawah data dilewati (totals_row_skipped)" in text
    assert "  peringatan (baris tetap disimpan dan dikirim):" in text
    assert "  … dan 25 peringatan lain tidak ditampilkan (--json memuat 30 yang pertama)" in text
    assert "kesalahan" not in text  # nothing was rejected


def test_a_rejected_file_shows_its_reason() -> None:
    result = _result(status="rejected", reason="Kolom wajib tidak ada: nik", reason_code="missing_columns")
    assert file_result_text(result) == (
        "pencari_kerja.csv [pencari_kerja]: ditolak\n  alasan: Kolom wajib tidak ada: nik (missing_columns)"
    )
