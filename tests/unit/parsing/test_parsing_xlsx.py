"""XLSX: native cell types from the first worksheet, and the package checks that run before parsing."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import pytest
from openpyxl import Workbook
from parsing_support import Formula, Raw, build_xlsx, read_bytes, values

from sikas_sync.errors import FileRejected
from sikas_sync.parsing import ReadLimits

TYPED_ROWS = [
    ["nik", "nama", "lahir", "daftar", "skor", "aktif", "jam"],
    [
        9471012345678901,
        "Budi",
        dt.date(1990, 3, 20),
        dt.datetime(2024, 3, 20, 10, 30),
        1.5,
        True,
        dt.time(10, 30),
    ],
    [1209010101900001, "  Ani  ", dt.date(2001, 12, 31), dt.datetime(2024, 1, 1), 3.0, False, None],
]


@pytest.mark.parametrize("shared_strings", [True, False], ids=["shared-strings", "inline-strings"])
def test_cells_keep_native_types(shared_strings: bool) -> None:
    table, rows = read_bytes(build_xlsx({"Data": TYPED_ROWS}, shared_strings=shared_strings), name="x.xlsx")

    assert table.format == "xlsx"
    assert table.encoding is None
    assert table.header == TYPED_ROWS[0]
    assert values(rows) == [
        [
            9471012345678901,
            "Budi",
            dt.date(1990, 3, 20),
            dt.datetime(2024, 3, 20, 10, 30),
            1.5,
            True,
            "10:30:00",
        ],
        # 3.0 is an integer to everyone; a datetime at midnight is a date cell; strings are not trimmed.
        [1209010101900001, "  Ani  ", dt.date(2001, 12, 31), dt.date(2024, 1, 1), 3, False, None],
    ]
    first = values(rows)[0]
    assert first is not None
    assert type(first[0]) is int


def test_1904_date_system() -> None:
    data = build_xlsx({"Data": [["tanggal"], [dt.date(2024, 3, 20)]]}, date1904=True)

    _, rows = read_bytes(data, name="x.xlsx")

    assert values(rows) == [[dt.date(2024, 3, 20)]]


def test_formula_cells_return_the_cached_value() -> None:
    data = build_xlsx(
        {
            "Data": [
                ["angka", "teks", "benar", "galat", "tanggal"],
                [
                    Formula("1+1", 42),
                    Formula('CONCAT("a","b")', "abc"),
                    Formula("TRUE()", True),
                    Raw("#N/A", "e"),
                    Raw("45371", style=1),
                ],
            ]
        }
    )

    _, rows = read_bytes(data, name="x.xlsx")

    assert values(rows) == [[42, "abc", True, "#N/A", dt.date(2024, 3, 20)]]


def test_workbook_written_by_openpyxl() -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Pencari Kerja")
    sheet.append(["nik", "tanggal_lahir", "nilai"])
    sheet.append([1209010101900001, dt.date(1990, 1, 31), 12.25])
    sheet.append([])
    sheet.append(["1209010101900002", dt.datetime(1991, 2, 1, 8, 0), 7])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table, rows = read_bytes(buffer.getvalue(), name="x.xlsx")

    assert table.details["sheet"] == "Pencari Kerja"
    assert [(row.number, row.values) for row in rows] == [
        (1, [1209010101900001, dt.date(1990, 1, 31), 12.25]),
        (3, ["1209010101900002", dt.datetime(1991, 2, 1, 8, 0), 7]),
    ]


def test_first_worksheet_is_read_and_named_in_details() -> None:
    data = build_xlsx({"Utama": [["a"], [1]], "Lain": [["b"], [2]]})

    table, rows = read_bytes(data, name="x.xlsx")

    assert table.details == {"sheet": "Utama", "sheet_count": 2}
    assert values(rows) == [[1]]


def test_row_numbers_follow_spreadsheet_rows_and_empty_rows_are_skipped() -> None:
    data = build_xlsx(
        {"Data": [["nik", "nama", None, None], [1, "A"], [], [None, "  "], [2, "B", None, ""], [3, "C", 9]]}
    )

    table, rows = read_bytes(data, name="x.xlsx")

    assert table.header == ["nik", "nama"]
    assert [(row.number, row.values, row.error and row.error[0]) for row in rows] == [
        (1, [1, "A"], None),
        (4, [2, "B"], None),
        (5, None, "row_too_many_columns"),
    ]


def test_table_starting_below_and_right_of_a1() -> None:
    data = build_xlsx({"Data": [["nik", "nama"], [1, "A"]]}, first_row=3, first_col=2)

    table, rows = read_bytes(data, name="x.xlsx")

    # Leading empty columns stay, so positions line up with the sheet; the mapper ignores unnamed ones.
    assert table.header == ["", "", "nik", "nama"]
    assert values(rows) == [[None, None, 1, "A"]]
    assert rows[0].number == 1


def test_cells_far_from_the_data_do_not_exhaust_memory() -> None:
    data = build_xlsx({"Data": [["a"], [1]]})
    far = b'<row r="200000"><c r="XFD200000"><v>1</v></c></row></sheetData>'
    data = _replace_in_part(data, "xl/worksheets/sheet1.xml", b"</sheetData>", far)
    data = _replace_in_part(
        data, "xl/worksheets/sheet1.xml", b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>'
    )

    started = time.perf_counter()
    _, rows = read_bytes(data, name="x.xlsx")

    assert [(row.number, row.error and row.error[0]) for row in rows] == [
        (1, None),
        (199999, "row_too_many_columns"),
    ]
    assert time.perf_counter() - started < 5


def test_empty_sheet_is_an_empty_file() -> None:
    with pytest.raises(FileRejected) as caught:
        read_bytes(build_xlsx({"Data": [[], [None, ""]]}), name="x.xlsx")
    assert caught.value.code == "file_empty"


def test_too_many_header_columns() -> None:
    data = build_xlsx({"Data": [[f"k{i}" for i in range(6)]]})

    with pytest.raises(FileRejected) as caught:
        read_bytes(data, name="x.xlsx", limits=ReadLimits(max_columns=5))
    assert caught.value.code == "header_invalid"


def test_detected_by_content_whatever_the_name() -> None:
    table, _ = read_bytes(build_xlsx({"Data": [["a"], [1]]}), name="export.csv")

    assert table.format == "xlsx"


def _replace_in_part(package: bytes, part: str, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, data.replace(old, new) if info.filename == part else data)
    return buffer.getvalue()


def _add_member(package: bytes, name: str, data: bytes) -> bytes:
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _rejection(data: bytes, name: str = "x.xlsx", limits: ReadLimits | None = None) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        read_bytes(data, name=name, limits=limits)
    return caught.value


def test_zip_bomb_member_is_refused() -> None:
    buffer = io.BytesIO(build_xlsx({"Data": [["a"], [1]]}))
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/nol.bin", "w") as out,
    ):
        block = bytes(1024 * 1024)
        for _ in range(50):
            out.write(block)
    assert len(buffer.getvalue()) < 200_000

    rejected = _rejection(buffer.getvalue())

    assert rejected.code == "xlsx_invalid"
    assert "bom zip" in rejected.message


def test_total_uncompressed_size_is_capped() -> None:
    data = build_xlsx({"Data": [["a"], ["x" * 5000]]})

    rejected = _rejection(data, limits=ReadLimits(max_xlsx_uncompressed_bytes=4000))

    assert rejected.code == "xlsx_invalid"


def test_external_links_are_refused() -> None:
    data = _add_member(build_xlsx({"Data": [["a"], [1]]}), "xl/externalLinks/externalLink1.xml", b"<x/>")

    assert _rejection(data).code == "xlsx_invalid"


@pytest.mark.parametrize(
    ("sheet_prolog", "strings_prolog"),
    [
        ('<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaa">]>\n', ""),
        ("", '<!DOCTYPE sst [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n'),
        ("<!--" + "x" * 70_000 + "-->\n<!DOCTYPE worksheet>\n", ""),
    ],
    ids=["sheet", "shared-strings", "behind-a-long-comment"],
)
def test_dtd_declarations_are_refused(sheet_prolog: str, strings_prolog: str) -> None:
    data = build_xlsx({"Data": [["a"], ["b"]]}, sheet_prolog=sheet_prolog, strings_prolog=strings_prolog)

    rejected = _rejection(data)

    assert rejected.code == "xlsx_invalid"


def test_not_a_zip_with_an_xlsx_name() -> None:
    rejected = _rejection(b"\x00\x01\x02\x03binary\x00" * 50)

    assert rejected.code == "xlsx_invalid"


def test_truncated_zip() -> None:
    data = build_xlsx({"Data": [["a"], [1]]})

    assert _rejection(data[: len(data) // 2]).code == "xlsx_invalid"


def test_damaged_member_is_refused_cleanly() -> None:
    data = build_xlsx({"Data": [["a"], ["b" * 300]]}, compression=zipfile.ZIP_STORED)
    damaged = data.replace(b"b" * 300, b"c" * 300)  # the stored CRC no longer matches

    rejected = _rejection(damaged)

    assert rejected.code == "xlsx_invalid"


def test_zip_that_is_not_a_workbook_is_an_unsupported_type() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")

    assert _rejection(buffer.getvalue(), name="data.zip").code == "file_type_unsupported"


def test_password_protected_xlsx_is_refused() -> None:
    # Excel stores an encrypted workbook inside an OLE2 compound file, not a zip.
    rejected = _rejection(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)

    assert rejected.code == "xlsx_invalid"
