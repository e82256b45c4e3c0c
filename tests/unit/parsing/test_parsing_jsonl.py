"""JSON Lines: header from the first object, strict mapping of the others, row-level errors."""

from __future__ import annotations

import codecs

import pytest
from parsing_support import read_bytes, values

from sikas_sync.errors import FileRejected
from sikas_sync.parsing import ReadLimits


def test_first_object_gives_the_header_and_is_row_one() -> None:
    data = (
        b'{"nik": "1209", "nama": "Budi", "umur": 30, "aktif": true, "skor": 1.5, "catatan": null}\n'
        b'{"nama": "Ani", "nik": "1210"}\n'
    )

    table, rows = read_bytes(data, name="export.jsonl")

    assert table.format == "jsonl"
    assert table.delimiter is None
    assert table.header == ["nik", "nama", "umur", "aktif", "skor", "catatan"]
    assert values(rows) == [
        ["1209", "Budi", 30, True, 1.5, None],
        ["1210", "Ani", None, None, None, None],
    ]
    assert [row.number for row in rows] == [1, 2]


def test_detected_by_content_whatever_the_name() -> None:
    table, _ = read_bytes(b'  \n {"a": 1}\n', name="export.csv")

    assert table.format == "jsonl"


def test_nested_values_become_json_text_and_big_integers_stay_exact() -> None:
    _, rows = read_bytes('{"a": [1, "dua"], "b": {"c": "é"}, "n": 9471012345678901}\n'.encode())

    assert values(rows) == [['[1, "dua"]', '{"c": "é"}', 9471012345678901]]


def test_row_errors_and_blank_lines_keep_their_numbers() -> None:
    data = (
        b'{"nik": "1", "nama": "A"}\n'
        b"\n"
        b'{"nik": "2", "nama": "B", "rahasia": "x", "lain": 1}\n'
        b"{bukan json\n"
        b"[1, 2]\n"
        b'{"nik": NaN}\n'
        b'{"nik": "", "nama": " "}\n'
        b'{"nik": "3"}\n'
    )

    _, rows = read_bytes(data)

    assert [(row.number, row.error[0] if row.error else None) for row in rows] == [
        (1, None),
        (3, "row_unknown_columns"),
        (4, "row_invalid_json"),
        (5, "row_invalid_json"),
        (6, "row_invalid_json"),
        (8, None),
    ]
    unknown = rows[1].error
    assert unknown is not None
    assert "rahasia" in unknown[1]
    assert "lain" in unknown[1]
    assert '"x"' not in unknown[1]
    assert rows[-1].values == ["3", None]


def test_deeply_nested_line_is_a_row_error() -> None:
    deep = b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"

    _, rows = read_bytes(b'{"a": 1}\n' + deep + b'{"a": 2}\n')

    assert rows[1].error is not None
    assert rows[1].error[0] == "row_invalid_json"
    assert rows[2].values == [2]


def test_line_over_the_limit_is_a_row_error() -> None:
    long_line = b'{"a": "' + b"x" * 5000 + b'"}\n'

    _, rows = read_bytes(b'{"a": 1}\n' + long_line + b'{"a": 2}\n', limits=ReadLimits(max_record_bytes=1000))

    assert rows[1].error is not None
    assert rows[1].error[0] == "record_too_long"
    assert rows[2].values == [2]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"{not json}\n", "header_invalid"),
        (b"{}\n", "header_invalid"),
        (b'{"a": 1, ' + b'"k": 0, ' * 3 + b'"z": 2}\n', "header_invalid"),
    ],
    ids=["invalid", "no-keys", "too-many-keys"],
)
def test_bad_first_line_rejects_the_file(data: bytes, code: str) -> None:
    with pytest.raises(FileRejected) as caught:
        read_bytes(data, limits=ReadLimits(max_columns=1))
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF16_LE + '{"nama": "José"}\n'.encode("utf-16-le"), "utf-16"),
        ('{"nama": "José"}\n'.encode("cp1252"), "cp1252"),
        (codecs.BOM_UTF8 + '{"nama": "José"}\n'.encode(), "utf-8-sig"),
    ],
)
def test_non_utf8_jsonl_is_decoded(data: bytes, encoding: str) -> None:
    table, rows = read_bytes(data)

    assert table.format == "jsonl"
    assert table.encoding == encoding
    assert values(rows) == [["José"]]
