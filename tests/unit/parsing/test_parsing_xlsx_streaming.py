"""XLSX read by the standard-library reader: shared strings past the memory budget, rich text, strict
OOXML, chart sheets, and damaged sheets answered with the cell or row at fault."""

from __future__ import annotations

import io
import zipfile

import pytest
from parsing_support import MAIN_NS, Raw, build_xlsx, read_bytes, values

from sikas_sync.errors import FileRejected
from sikas_sync.parsing import ReadLimits
from sikas_sync.parsing.xlsx_strings import SharedStrings

SHEET = "xl/worksheets/sheet1.xml"


def _edit(package: bytes, part: str, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                assert old in data, f"{old!r} not in {part}"
                data = data.replace(old, new)
            target.writestr(info.filename, data)
    return buffer.getvalue()


def _rejection(data: bytes, limits: ReadLimits | None = None) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        read_bytes(data, name="x.xlsx", limits=limits)
    return caught.value


def test_shared_strings_store_spills_past_its_budget_and_reads_every_string_back() -> None:
    texts = [f"nama ke-{i} Ñandú 🙂" if i % 3 else "" for i in range(5_000)]
    strings = SharedStrings(memory_budget_bytes=10_000)
    for text in texts:
        strings.append(text)
    strings.finish()
    try:
        assert 0 < strings.spilled < len(texts)
        assert len(strings) == len(texts)
        assert [strings[i] for i in range(len(texts))] == texts
        assert strings[len(texts) - 1] == texts[-1]
        with pytest.raises(IndexError):
            strings[len(texts)]
    finally:
        strings.close()


def test_workbook_cells_are_the_same_whether_shared_strings_stay_in_memory_or_not() -> None:
    body = [[f"1209{i:012d}", f"Nama {i}", f"Jalan {i % 7}"] for i in range(3_000)]
    rows = [["nik", "nama", "alamat"], *body]
    data = build_xlsx({"Data": rows}, shared_strings=True)

    in_memory = read_bytes(data, name="x.xlsx")[1]
    spilled = read_bytes(data, name="x.xlsx", limits=ReadLimits(xlsx_strings_memory_bytes=0))[1]

    assert values(spilled) == values(in_memory) == body


def test_rich_text_runs_are_joined_and_phonetic_runs_left_out() -> None:
    data = build_xlsx({"Data": [["nama"], ["placeholder"]]}, shared_strings=True)
    rich = (
        b'<si><r><rPr><b/></rPr><t>Siti </t></r><r><t xml:space="preserve">Rahma</t></r>'
        b'<rPh sb="0" eb="1"><t>x</t></rPh></si>'
    )
    data = _edit(data, "xl/sharedStrings.xml", b'<si><t xml:space="preserve">placeholder</t></si>', rich)

    _, rows = read_bytes(data, name="x.xlsx")

    assert values(rows) == [["Siti Rahma"]]


def test_strict_ooxml_namespace_is_read() -> None:
    strict = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    data = build_xlsx({"Data": [["nik", "nama"], [1, "A"]]}, shared_strings=False)
    data = _edit(data, SHEET, MAIN_NS.encode(), strict)

    table, rows = read_bytes(data, name="x.xlsx")

    assert table.header == ["nik", "nama"]
    assert values(rows) == [[1, "A"]]


def test_a_chart_sheet_before_the_data_is_passed_over() -> None:
    data = build_xlsx({"Grafik": [["x"]], "Data": [["nik"], [7]]})
    data = _edit(
        data,
        "xl/_rels/workbook.xml.rels",
        b'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"',
        b'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet"',
    )

    table, rows = read_bytes(data, name="x.xlsx")

    assert table.details == {"sheet": "Data", "sheet_count": 2}
    assert values(rows) == [[7]]


def test_rows_out_of_order_reject_the_file_instead_of_losing_a_row() -> None:
    data = build_xlsx({"Data": [["nik"], [1], [2], [3]]})
    data = _edit(data, SHEET, b'<row r="3">', b'<row r="9">')

    rejected = _rejection(data)

    assert rejected.code == "xlsx_invalid"
    assert "baris 4 muncul setelah baris 9" in rejected.message


def test_an_unreadable_number_names_its_cell_not_its_content() -> None:
    data = build_xlsx({"Data": [["nik", "n"], [1, Raw("12,5x")]]})

    rejected = _rejection(data)

    assert rejected.code == "xlsx_invalid"
    assert "sel B2" in rejected.message
    assert "12,5x" not in rejected.message


def test_a_shared_string_index_past_the_table_is_refused() -> None:
    data = build_xlsx({"Data": [["nama"], ["A"]]}, shared_strings=True)
    data = _edit(data, SHEET, b'<c r="A2" t="s"><v>1</v></c>', b'<c r="A2" t="s"><v>99</v></c>')

    rejected = _rejection(data)

    assert rejected.code == "xlsx_invalid"
    assert "sel A2" in rejected.message


def test_cells_without_references_take_the_next_column() -> None:
    data = build_xlsx({"Data": [["a", "b", "c"], [1, 2, 3]]}, shared_strings=False)
    data = _edit(data, SHEET, b' r="B2"', b"")
    data = _edit(data, SHEET, b' r="C2"', b"")

    _, rows = read_bytes(data, name="x.xlsx")

    assert values(rows) == [[1, 2, 3]]


def test_a_truncated_sheet_is_refused_cleanly() -> None:
    data = build_xlsx({"Data": [["a"], [1], [2]]}, shared_strings=False)
    data = _edit(data, SHEET, b"</sheetData></worksheet>", b"<row r=")

    rejected = _rejection(data)

    assert rejected.code == "xlsx_invalid"
    assert "isi lembar kerja tidak dapat dibaca" in rejected.message


def test_a_missing_workbook_relationship_part_is_named() -> None:
    source = zipfile.ZipFile(io.BytesIO(build_xlsx({"Data": [["a"], [1]]})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            if info.filename != "xl/_rels/workbook.xml.rels":
                target.writestr(info.filename, source.read(info))

    rejected = _rejection(buffer.getvalue())

    assert rejected.code == "xlsx_invalid"
    assert "workbook.xml.rels" in rejected.message
