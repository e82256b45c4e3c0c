"""Spreadsheets as regency offices make them: a title block above the header, the office's own
header names, kecamatan and desa names instead of codes, percent cells, a closing totals row, and
row numbers as Excel shows them in every message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from sikas_sync.domains import get_domain
from sikas_sync.validation import RowOutcome, RulesContext, validate_file

CONTEXT = RulesContext(region_code="12.09", today=dt.date(2025, 6, 30))
NIKS = ["1209124508950001", "1209120101900002", "1209125005920003", "1209120303930004"]


def _workbook(path: Path, rows: list[list[object]], percent_column: int | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if percent_column is not None:
        for (cell,) in sheet.iter_rows(min_col=percent_column, max_col=percent_column):
            if isinstance(cell.value, float):
                cell.number_format = "0%"  # Excel stores 0.96 and shows 96%
    workbook.save(path)
    return path


def _training_workbook(path: Path) -> Path:
    header = ["No", "Kode Pelatihan", "Gelombang", "Nama Pelatihan", "Lembaga Pelatihan", "No KTP",
              "Tgl Mulai", "Tgl Selesai", "Kelulusan", "Kehadiran (%)"]  # fmt: skip
    start, end = dt.datetime(2025, 3, 3), dt.datetime(2025, 3, 28)
    return _workbook(
        path,
        [
            ["DATA PESERTA PELATIHAN BERBASIS KOMPETENSI"],
            ["UPTD BLK KABUPATEN ASAHAN TAHUN 2025"],
            [],
            header,
            [1, "PBK-01", "I", "Menjahit", "BLK Asahan", NIKS[0], start, end, "Lulus", 0.96],
            [2, "PBK-01", "I", "Menjahit", "BLK Asahan", NIKS[1], start, end, "Lulus", 1.0],
            [],  # Excel leaves blank rows; they keep their row numbers
            [3, "PBK-01", "I", "Menjahit", "BLK Asahan", "1.20919E+15", start, end, "Lulus", 0.875],
            [4, "PBK-01", "I", "Menjahit", "BLK Asahan", NIKS[3], start, end, "Lulus", "85%"],
            ["JUMLAH", None, None, None, None, None, None, None, None, 4],
        ],
        percent_column=10,
    )


def _validated(path: Path, slug: str, outcomes: list[RowOutcome] | None = None):  # type: ignore[no-untyped-def]
    return validate_file(
        path,
        get_domain(slug),
        name=path.name,
        context=CONTEXT,
        on_outcome=outcomes.append if outcomes is not None else None,
    )


def test_a_workbook_as_an_office_makes_it_validates_as_its_rows_deserve(tmp_path: Path) -> None:
    outcomes: list[RowOutcome] = []
    result = _validated(_training_workbook(tmp_path / "pelatihan_2025.xlsx"), "pelatihan", outcomes)

    assert result.status == "processed", result.reason
    assert (result.rows, result.valid, result.rejected) == (4, 3, 1)
    assert result.header_line == 4
    assert result.ignored_columns == ("No",)
    # The title block and the totals row are named in the output, not quarantined.
    assert [(w.code, w.message) for w in result.file_warnings] == [
        (
            "title_rows_skipped",
            "2 baris judul tabel di atas baris judul kolom dilewati; baris judul kolom ada di baris 4",
        ),
        ("totals_row_skipped", "Baris 10 dilewati: baris jumlah (JUMLAH/TOTAL), bukan data"),
    ]
    # The NIK Excel turned into 1.20919E+15 sits on sheet row 8 (data row 4: the blank row counts).
    [error] = result.errors
    assert (error.row, error.line, error.column, error.code) == (4, 8, "nik", "nik_scientific_notation")
    assert "Format kolom NIK sebagai Teks" in error.message
    # Percent cells and percent text are the figure Excel shows.
    kehadiran = {o.line: o.record.data["persen_kehadiran"] for o in outcomes if o.record is not None}
    assert kehadiran == {5: 96, 6: 100, 9: 85}
    assert [o.line for o in outcomes] == [5, 6, 8, 9]


def test_json_of_a_file_carries_lines_file_warnings_and_the_header_line(tmp_path: Path) -> None:
    document = _validated(_training_workbook(tmp_path / "pelatihan.xlsx"), "pelatihan").as_json()

    assert document["errors"][0]["row"] == 4
    assert document["errors"][0]["line"] == 8
    assert document["header_line"] == 4
    assert [w["code"] for w in document["file_warnings"]] == ["title_rows_skipped", "totals_row_skipped"]
    assert document["errors_truncated"] is False
    assert document["warnings_truncated"] is False


def test_csv_lines_count_the_title_block_and_cells_that_span_lines(tmp_path: Path) -> None:
    path = tmp_path / "lowongan.csv"
    path.write_text(
        "DATA LOWONGAN KERJA KABUPATEN ASAHAN;;;\n"
        ";;;\n"
        "Kode Lowongan;NIB Perusahaan;Nama Jabatan;KBJI;Jumlah;Pendidikan;Lokasi Kerja;Tgl Buka;"
        "Tgl Tutup;Gaji Min;Gaji Maks\n"
        'L-1;1234567890123;"Operator\nMesin";8189;2;SMA;12.09.08.2019;2025-01-01;2025-03-01;3000000;4000000\n'
        "L-2;1234567890123;Operator;8189;2;SMA;12.09.08.2019;2025-01-01;2024-03-01;3000000;4000000\n"
        "\n"
        "L-3;1234567890123;Operator;8189;2;SMA;12.09.08.2019;2025-01-01;2025-03-01;5000000;4000000\n"
        "TOTAL;;;;6;;;;;;\n",
        encoding="utf-8",
    )
    result = _validated(path, "lowongan")

    assert result.status == "processed", result.reason
    assert (result.rows, result.valid, result.rejected) == (3, 1, 2)
    assert [(e.row, e.line, e.code) for e in result.errors] == [
        (2, 6, "date_before_other"),  # the quoted cell of row 1 spans lines 4-5
        (4, 8, "range_inverted"),  # the blank line 7 is row 3
    ]
    assert [w.code for w in result.file_warnings] == ["title_rows_skipped", "totals_row_skipped"]
    assert "Baris 9 dilewati" in result.file_warnings[1].message


@pytest.mark.parametrize(
    ("cells", "skipped"),
    [
        (["JUMLAH", "", "", "4"], True),
        (["", "Total", "", "1.234"], True),
        (["Grand Total", "Rp 3.500.000,-", "", ""], True),
        (["JUMLAH", "Budi", "", "4"], False),  # a name after the label: a broken data row, kept
        (["Jumlahnya", "", "", "4"], False),
    ],
)
def test_a_totals_row_is_skipped_only_when_it_holds_a_label_and_numbers(
    tmp_path: Path, cells: list[str], skipped: bool
) -> None:
    path = tmp_path / "wlkp.csv"
    header = "nomor_wlkp;nib;tahun_lapor;tk_wni_l;tk_wni_p;tk_wna_l;tk_wna_p"
    good = "W-1;1234567890123;2024;3;1;0;0"
    path.write_text("\n".join([header, good, ";".join([*cells, "", "", ""])]) + "\n", encoding="utf-8")
    result = _validated(path, "wlkp")

    assert result.rows == (1 if skipped else 2)
    assert [w.code for w in result.file_warnings] == (["totals_row_skipped"] if skipped else [])
    assert result.rejected == (0 if skipped else 1)


def test_names_of_kecamatan_and_desa_become_the_kemendagri_code(tmp_path: Path) -> None:
    path = tmp_path / "pemberi_kerja.csv"
    path.write_text(
        "NIB Perusahaan;Nama Perusahaan;KBLI;Kecamatan;Desa/Kelurahan\n"
        "1234567890123;CV Satu;10792;Kec. Meranti;Desa Gajah\n"  # 12.09.08.2019
        "1234567890124;CV Dua;10792;Meranti;\n"  # the kecamatan alone: 12.09.08
        "1234567890125;CV Tiga;10792;;Mekar Sari\n"  # two desa of that name
        "1234567890126;CV Empat;10792;Merantii;Gajah\n"  # no such kecamatan
        "1234567890127;CV Lima;10792;Meranti;Gajahh\n",  # no such desa there
        encoding="utf-8",
    )
    outcomes: list[RowOutcome] = []
    result = _validated(path, "pemberi_kerja", outcomes)

    stored = {o.row: o.record.data["kode_wilayah"] for o in outcomes if o.record is not None}
    assert stored == {1: "12.09.08.2019", 2: "12.09.08"}
    assert result.ignored_columns == ()
    errors = {e.row: (e.column, e.code, e.message) for e in result.errors}
    assert errors[3][:2] == ("kode_wilayah", "desa_name_ambiguous")
    assert "Kec. Pulau Rakyat, 12.09.14.2012" in errors[3][2]
    assert "12.09.16.2017" in errors[3][2]
    assert errors[4][:2] == ("kode_wilayah", "kecamatan_name_unknown")
    assert "yang mirip: Meranti (12.09.08)" in errors[4][2]
    assert errors[5][:2] == ("kode_wilayah", "desa_name_unknown")
    assert "Gajah (Kec. Meranti, 12.09.08.2019)" in errors[5][2]
    # The quarantine gets the row as uploaded: the names, not the code made from them.
    rejected = [o for o in outcomes if o.record is None]
    assert next(o.raw for o in rejected) == ["1234567890125", "CV Tiga", "10792", "", "Mekar Sari"]


def test_a_header_nowhere_near_the_top_is_missing_columns_that_name_the_help(tmp_path: Path) -> None:
    path = tmp_path / "pencari_kerja.csv"
    # A file without a header: its first row is data and must not be echoed in the answer.
    path.write_text("1209124508950001;Siti Aminah;1995-08-05\n", encoding="utf-8")
    result = _validated(path, "pencari_kerja")

    assert (result.status, result.reason_code) == ("rejected", "header_missing_columns")
    assert result.reason is not None
    assert "baris judul dibaca di baris 1: 0 dari 3 kolom dikenali" in result.reason
    assert "sikas-sync columns --domain pencari_kerja" in result.reason
    assert "Siti" not in result.reason
    assert "1209124508950001" not in result.reason


def test_a_semicolon_file_under_a_title_line_without_delimiters_is_read(tmp_path: Path) -> None:
    path = tmp_path / "wlkp.csv"
    path.write_text(
        "REKAP WLKP KABUPATEN ASAHAN 2024\n\n"
        "Nomor WLKP;NIB Perusahaan;Tahun;WNI (L);WNI (P);WNA (L);WNA (P)\n"
        "W-1;1234567890123;2024;3;1;0;0\n",
        encoding="utf-8",
    )
    result = _validated(path, "wlkp")
    assert (result.status, result.valid, result.header_line) == ("processed", 1, 3)


def test_a_kecamatan_named_without_its_kota_prefix_is_found(tmp_path: Path) -> None:
    path = tmp_path / "pemberi_kerja.csv"
    path.write_text(
        "NIB;Nama Perusahaan;KBLI;Kecamatan\n1234567890123;CV Satu;10792;Kisaran Barat\n", encoding="utf-8"
    )
    outcomes: list[RowOutcome] = []
    _validated(path, "pemberi_kerja", outcomes)
    [outcome] = outcomes
    assert outcome.record is not None
    assert outcome.record.data["kode_wilayah"].startswith("12.09.")
    assert outcome.record.data["kode_wilayah"].count(".") == 2  # the kecamatan Kota Kisaran Barat
