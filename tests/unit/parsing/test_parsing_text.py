"""CSV and TSV: encodings, delimiters, quoting, numbering and the limits that keep bad files cheap."""

from __future__ import annotations

import codecs
import time

import pytest
from parsing_support import read_all, read_bytes, values

from sikas_sync.errors import FileRejected
from sikas_sync.parsing import ReadLimits

HEADER = "nik;nama;kota\r\n"
BODY = "1;José Müller;Kisaran\r\n2;Ñoño;Medan\r\n"
EXPECTED = [["1", "José Müller", "Kisaran"], ["2", "Ñoño", "Medan"]]


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        pytest.param((HEADER + BODY).encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + (HEADER + BODY).encode("utf-8"), "utf-8-sig", id="utf-8-sig"),
        pytest.param(codecs.BOM_UTF16_LE + (HEADER + BODY).encode("utf-16-le"), "utf-16", id="utf-16-le"),
        pytest.param(codecs.BOM_UTF16_BE + (HEADER + BODY).encode("utf-16-be"), "utf-16", id="utf-16-be"),
        pytest.param((HEADER + BODY).encode("cp1252"), "cp1252", id="cp1252"),
    ],
)
def test_each_encoding_decodes_header_and_accented_cells(encoded: bytes, encoding: str) -> None:
    table, rows = read_bytes(encoded)

    assert table.encoding == encoding
    assert table.header == ["nik", "nama", "kota"]
    assert values(rows) == EXPECTED
    assert [row.number for row in rows] == [1, 2]


def test_cp1252_is_recognised_when_the_first_accent_comes_after_the_sample() -> None:
    filler = "".join(f"{i};Nama {i};Kota\r\n" for i in range(1, 5001))  # about 90 KiB of ASCII
    data = (HEADER + filler + "5001;Zoë Brühl;Medan\r\n").encode("cp1252")

    with_settle, rows = read_bytes(data)

    assert rows[-1].values == ["5001", "Zoë Brühl", "Medan"]
    assert with_settle.encoding == "cp1252"


def test_ascii_sample_then_utf8_settles_on_utf8() -> None:
    filler = "".join(f"{i};Nama {i};Kota\r\n" for i in range(1, 5001))
    table, rows = read_bytes((HEADER + filler + "5001;Zoë;Medan\r\n").encode("utf-8"))

    assert rows[-1].values == ["5001", "Zoë", "Medan"]
    assert table.encoding == "utf-8"


def test_invalid_utf8_after_the_sample_spoils_only_its_row() -> None:
    filler = "".join(f"{i};Nama {i};Kota\r\n" for i in range(2, 5002))
    data = (HEADER + "1;José;Kisaran\r\n" + filler).encode("utf-8") + "5002;Zoë;Medan\r\n".encode("cp1252")
    data += b"5003;Ani;Medan\r\n"

    table, rows = read_bytes(data)

    assert table.encoding == "utf-8"
    bad = rows[-2]
    assert bad.number == 5002
    assert bad.values is None
    assert bad.error is not None
    assert bad.error[0] == "encoding_invalid"
    assert "Zo" not in bad.error[1]
    assert rows[-1].values == ["5003", "Ani", "Medan"]


def test_cp1252_undefined_bytes_make_the_file_undecodable() -> None:
    with pytest.raises(FileRejected) as caught:
        read_bytes(b"nik;nama\r\n1;Jos\xe9\x81\r\n")
    assert caught.value.code == "file_undecodable"


def test_a_late_line_valid_in_neither_encoding_is_a_row_error() -> None:
    filler = "".join(f"{i};Nama {i};Kota\r\n" for i in range(1, 5001)).encode()
    table, rows = read_bytes(HEADER.encode() + filler + b"5001;\x81\x8d;Medan\r\n5002;Ani;Medan\r\n")

    assert rows[-2].error is not None
    assert rows[-2].error[0] == "encoding_invalid"
    assert rows[-1].values == ["5002", "Ani", "Medan"]
    assert table.encoding == "utf-8"


def test_broken_utf16_becomes_a_row_error_not_a_traceback() -> None:
    lone_surrogate = b"\x00\xd8"  # a high surrogate with no partner, little-endian
    data = codecs.BOM_UTF16_LE + "a,b\r\n1,".encode("utf-16-le") + lone_surrogate
    data += "\r\n2,ok\r\n".encode("utf-16-le") + b"\x41"  # and a dangling odd byte at the very end

    table, rows = read_bytes(data)

    assert table.encoding == "utf-16"
    assert rows[0].error is not None
    assert rows[0].error[0] == "encoding_invalid"
    assert rows[1].values == ["2", "ok"]
    assert rows[2].error is not None
    assert rows[2].error[0] == "encoding_invalid"


@pytest.mark.parametrize(
    ("delimiter", "fmt"),
    [(",", "csv"), (";", "csv"), ("\t", "tsv")],
)
def test_each_delimiter_is_detected(delimiter: str, fmt: str) -> None:
    text = delimiter.join(["nik", "nama", "alamat"]) + "\n" + delimiter.join(["1", "Budi", "Jl. A"]) + "\n"

    table, rows = read_bytes(text.encode())

    assert table.delimiter == delimiter
    assert table.format == fmt
    assert values(rows) == [["1", "Budi", "Jl. A"]]


def test_most_frequent_delimiter_outside_quotes_wins() -> None:
    table, rows = read_bytes(b'"nama, lengkap, dan gelar";nik;kota,asal\n"Budi, S.T.";1;Medan\n')

    assert table.delimiter == ";"
    assert table.header == ["nama, lengkap, dan gelar", "nik", "kota,asal"]
    assert values(rows) == [["Budi, S.T.", "1", "Medan"]]


@pytest.mark.parametrize(("name", "delimiter"), [("export.csv", ","), ("export.tsv", "\t")])
def test_single_column_header_uses_comma_unless_named_tsv(name: str, delimiter: str) -> None:
    table, rows = read_bytes(b"nik\n1209\n", name=name)

    assert table.delimiter == delimiter
    assert table.header == ["nik"]
    assert values(rows) == [["1209"]]


def test_quoted_fields_keep_delimiters_quotes_and_newlines() -> None:
    data = (
        b"nik,nama,alamat\r\n"
        b'1,"Budi, S.T.","Jl. Merdeka\r\nNo. 5"\r\n'
        b'2,"Ani ""Nona"" Lubis","baris\nkedua"\r\n'
        b'3,Jl 5" pipa,"akhir"\r\n'
    )

    _, rows = read_bytes(data)

    assert values(rows) == [
        ["1", "Budi, S.T.", "Jl. Merdeka\r\nNo. 5"],
        ["2", 'Ani "Nona" Lubis', "baris\nkedua"],
        ["3", 'Jl 5" pipa', "akhir"],
    ]
    assert [row.number for row in rows] == [1, 2, 3]


def test_a_quote_after_a_closing_quote_does_not_reopen_the_field() -> None:
    _, rows = read_bytes(b'a,b\n"x"y"z,2\n3,4\n')

    assert values(rows) == [['xy"z', "2"], ["3", "4"]]


@pytest.mark.parametrize("terminator", [b"\r\n", b"\n", b"\r"], ids=["crlf", "lf", "cr"])
def test_line_terminators(terminator: bytes) -> None:
    data = terminator.join([b"a;b", b"1;2", b"", b'3;"x' + terminator + b'y"', b"4;5"]) + terminator

    _, rows = read_bytes(data)

    assert values(rows) == [["1", "2"], ["3", "x" + terminator.decode() + "y"], ["4", "5"]]
    assert [row.number for row in rows] == [1, 3, 4]


def test_rows_are_numbered_like_spreadsheet_rows_minus_the_header() -> None:
    data = b"\n  \nnik,nama\n1,Budi\n\n   \n,,\n , \n2,Ani\n"

    table, rows = read_bytes(data)

    assert table.header == ["nik", "nama"]
    assert [(row.number, row.values) for row in rows] == [(1, ["1", "Budi"]), (6, ["2", "Ani"])]


def test_short_rows_are_padded_and_long_rows_refused_unless_the_extra_cells_are_empty() -> None:
    data = b"a,b,c,\n1\n1,2,3,,,\n1,2,3,4\n1,2,3, ,x\n"

    table, rows = read_bytes(data)

    assert table.header == ["a", "b", "c"]
    assert rows[0].values == ["1", None, None]
    assert rows[1].values == ["1", "2", "3"]
    assert rows[2].values is None
    assert rows[2].error is not None
    assert rows[2].error[0] == "row_too_many_columns"
    assert "4" not in rows[2].error[1].replace("ke-4", "")
    assert rows[3].error is not None
    assert rows[3].error[0] == "row_too_many_columns"


def test_header_cells_are_trimmed_and_bom_stripped() -> None:
    table, _ = read_bytes(codecs.BOM_UTF8 + b"\xef\xbb\xbf nik , Nama Lengkap ,\n1,2\n")

    assert table.header == ["nik", "Nama Lengkap"]


def test_data_cells_are_returned_as_written() -> None:
    _, rows = read_bytes(b"a,b\n  spasi  ,\t\n")

    assert values(rows) == [["  spasi  ", "\t"]]


def test_header_only_file_yields_no_rows() -> None:
    table, rows = read_bytes(b"nik,nama\r\n\r\n")

    assert table.header == ["nik", "nama"]
    assert rows == []


@pytest.mark.parametrize(
    "data",
    [b"", b"   \r\n\t\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b",,,\n , ,\n", codecs.BOM_UTF8 + b"\n \n"],
    ids=["zero-bytes", "whitespace", "bom-only", "utf16-bom-only", "empty-cells", "bom-and-blank"],
)
def test_empty_files_are_rejected(data: bytes) -> None:
    with pytest.raises(FileRejected) as caught:
        read_bytes(data)
    assert caught.value.code == "file_empty"
    assert caught.value.message == "Berkas kosong"


def test_too_many_header_columns() -> None:
    with pytest.raises(FileRejected) as caught:
        read_bytes(",".join(f"k{i}" for i in range(11)).encode() + b"\n", limits=ReadLimits(max_columns=10))
    assert caught.value.code == "header_invalid"
    assert "11" in caught.value.message


def test_ten_megabyte_line_is_one_row_error_and_reading_goes_on(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "huge.csv"  # type: ignore[operator]
    with path.open("wb") as file:
        file.write(b"nik,nama\n1,Budi\n2,")
        file.write(b"x" * (10 * 1024 * 1024))
        file.write(b"\n3,Ani\n")

    started = time.perf_counter()
    _, rows = read_all(path, "huge.csv")
    elapsed = time.perf_counter() - started

    assert [row.number for row in rows] == [1, 2, 3]
    assert rows[1].values is None
    assert rows[1].error == ("record_too_long", "Baris melebihi batas 1 MiB")
    assert rows[2].values == ["3", "Ani"]
    assert elapsed < 3


def test_header_longer_than_the_limit_rejects_the_file() -> None:
    with pytest.raises(FileRejected) as caught:
        read_bytes(b"a" * 5000 + b",b\n1,2\n", limits=ReadLimits(max_record_bytes=1000))
    assert caught.value.code == "record_too_long"


def test_unterminated_quote_near_the_end_costs_one_row() -> None:
    _, rows = read_bytes(b'a,b\n1,"Jl. Merdeka\n2,x\n3,y')

    assert rows[0].number == 1
    assert rows[0].error is not None
    assert rows[0].error[0] == "record_too_long"
    assert "kutip" in rows[0].error[1]
    assert [(row.number, row.values) for row in rows[1:]] == [(2, ["2", "x"]), (3, ["3", "y"])]


def test_unterminated_quote_swallowing_past_the_limit_costs_one_row() -> None:
    lines = b"".join(b"%d,isi\n" % i for i in range(2, 400))
    limits = ReadLimits(max_record_bytes=1000)

    _, rows = read_bytes(b'a,b\n1,"terbuka\n' + lines, limits=limits)

    assert rows[0].error is not None
    assert rows[0].error[0] == "record_too_long"
    assert [row.values for row in rows[1:]] == [[str(i), "isi"] for i in range(2, 400)]
    assert [row.number for row in rows] == list(range(1, 400))


def test_multiline_record_over_the_limit_is_refused() -> None:
    field = "\n".join("baris" for _ in range(300))
    _, rows = read_bytes(f'a,b\n1,"{field}"\n2,ok\n'.encode(), limits=ReadLimits(max_record_bytes=1000))

    assert rows[0].error is not None
    assert rows[0].error[0] == "record_too_long"
    assert rows[-1].values == ["2", "ok"]


def test_unterminated_quote_in_the_header() -> None:
    with pytest.raises(FileRejected) as caught:
        read_bytes(b'a,"b\n1,2\n')
    assert caught.value.code == "header_invalid"


def test_field_over_the_csv_module_limit_is_a_row_error() -> None:
    _, rows = read_bytes(b'a,b\n1,"' + b"x" * 200_000 + b'"\n2,y\n')

    assert rows[0].error is not None
    assert rows[0].error[0] == "record_too_long"
    assert rows[1].values == ["2", "y"]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"a,b\n1,\x00\x00\x002\n", "export.csv"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "export.csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "export.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "export.xls"),
        (bytes(range(1, 32)) * 40, "export.csv"),
    ],
    ids=["nul-bytes", "pdf", "png", "old-xls", "control-characters"],
)
def test_binary_junk_is_an_unsupported_type(data: bytes, name: str) -> None:
    with pytest.raises(FileRejected) as caught:
        read_bytes(data, name=name)
    assert caught.value.code == "file_type_unsupported"
    assert "CSV, TSV, XLSX atau JSON Lines" in caught.value.message


def test_text_named_xlsx_is_read_by_its_content() -> None:
    table, rows = read_bytes(b"a;b\n1;2\n", name="salah-nama.xlsx")

    assert table.format == "csv"
    assert values(rows) == [["1", "2"]]


def test_error_messages_never_echo_cell_contents() -> None:
    secret = "1209876543210001"
    data = f'nik,nama\n{secret},x,{secret}\n{secret},"{secret}\n'.encode() + b"x" * 3000 + b"\n"
    _, rows = read_bytes(data, limits=ReadLimits(max_record_bytes=1000))

    errors = [row.error for row in rows if row.error]
    assert len(errors) >= 3
    assert all(secret not in message for _, message in errors)
