"""A workbook as a Disnaker office makes it, through `sikas-sync validate`: a title block, the office's
own headers, kecamatan and desa names instead of codes, a blank row, a closing JUMLAH row. Every
message names the row as Excel shows it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from sikas_sync.cli.main import main

HEADER = ["No", "Kode Lowongan", "NIB Perusahaan", "Nama Jabatan", "KBJI", "Jumlah", "L", "P", "Pendidikan",
          "Gaji Min", "Gaji Maks", "Kecamatan", "Desa/Kelurahan", "Tgl Buka", "Tgl Tutup"]  # fmt: skip
OPEN, CLOSE = dt.datetime(2025, 1, 6), dt.datetime(2025, 3, 31)


def _workbook(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in [
        ["DAFTAR LOWONGAN KERJA"],  # line 1
        ["DINAS TENAGA KERJA KABUPATEN ASAHAN - TRIWULAN I 2025"],  # line 2
        [],  # line 3
        HEADER,  # line 4
        [1, "LK-001", "1234567890123", "Operator Mesin", "8189", 4, 2, 2, "SMA/SMK", 3_000_000, 4_000_000,
         "Meranti", "Gajah", OPEN, CLOSE],  # line 5: valid
        [2, "LK-002", "1234567890123", "Juru Masak", "5120", 1, None, None, "SMK", "Rp 3.200.000", None,
         "Kota Kisaran Barat", None, OPEN, CLOSE],  # line 6: valid, a kecamatan's code
        [],  # line 7: Excel's blank row
        [3, "LK-003", "1234567890123", "Sopir", "8322", 1, None, None, "SMA", None, None,
         "Meranti", "Gajahh", OPEN, CLOSE],  # line 8: no such desa in Meranti
        [4, "LK-004", "1234567890123", "Kasir", "5230", 2, 3, 0, "SMA", 4_000_000, 3_000_000,
         "Meranti", "Gajah", OPEN, CLOSE],  # line 9: 3 + 0 > 2, and Gaji Min above Gaji Maks
        ["JUMLAH", None, None, None, None, 8, 5, 2, None, None, None, None, None, None, None],  # line 10
    ]:  # fmt: skip
        sheet.append(row)
    workbook.save(path)
    return path


def test_validate_reads_an_office_workbook_and_names_excel_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "id_ID.UTF-8")
    path = _workbook(tmp_path / "lowongan_2025-q1.xlsx")

    assert main(["validate", str(path), "--json"]) == 1  # some rows rejected
    document = json.loads(capsys.readouterr().out)

    assert document["domain"] == "lowongan"  # from the file name
    assert (document["rows"], document["valid"], document["rejected"]) == (4, 2, 2)
    assert document["header_line"] == 4
    assert [w["code"] for w in document["file_warnings"]] == ["title_rows_skipped", "totals_row_skipped"]
    assert [(e["line"], e["column"], e["code"]) for e in document["errors"]] == [
        (8, "kode_wilayah_kerja", "desa_name_unknown"),
        (9, "jumlah_l", "sum_exceeds_total"),
        (9, "upah_min", "range_inverted"),
    ]
    assert "Gajah (Kec. Meranti, 12.09.08.2019)" in document["errors"][0]["message"]

    assert main(["validate", str(path)]) == 1
    text = capsys.readouterr().out
    assert "baris judul kolom ada di baris 4" in text
    assert "Baris 10 dilewati" in text
    assert re.search(r"baris\s+8\s+kode_wilayah_kerja\s+desa_name_unknown", text)
    assert re.search(r"baris\s+9\s+upah_min\s+range_inverted", text)


def test_rejected_rows_of_the_workbook_come_out_as_excel_shows_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _workbook(tmp_path / "lowongan_2025-q1.xlsx")
    out = tmp_path / "ditolak.csv"

    assert main(["validate", str(path), "--rejected-out", str(out)]) == 1
    capsys.readouterr()
    header, *rows = [line.split(";") for line in out.read_text(encoding="utf-8-sig").splitlines()]

    assert header == [*HEADER, "_baris", "_kesalahan"]
    assert [row[header.index("_baris")] for row in rows] == ["8", "9"]
    assert [row[header.index("Desa/Kelurahan")] for row in rows] == ["Gajahh", "Gajah"]  # the names, as typed
    assert "[desa_name_unknown]" in rows[0][-1]
