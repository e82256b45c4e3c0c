"""Where bytes come from: paths, seekable and non-seekable streams, gzip, and the size limits."""

from __future__ import annotations

import gzip
import io
import time
from pathlib import Path

import pytest
from parsing_support import NonSeekable, build_xlsx, gzip_of_repeated, read_all, read_bytes, values

from sikas_sync.errors import FileRejected
from sikas_sync.parsing import RawRow, ReadLimits, open_table

CSV = b"nik;nama\r\n1;Budi\r\n2;Ani\r\n"
XLSX = build_xlsx({"Data": [["nik", "nama"], [1, "Budi"], [2, "Ani"]]})


@pytest.mark.parametrize(
    ("payload", "name", "fmt", "expected"),
    [
        (CSV, "export.csv.gz", "csv", [["1", "Budi"], ["2", "Ani"]]),
        (b'{"nik": 1}\n{"nik": 2}\n', "export.jsonl.gz", "jsonl", [[1], [2]]),
        (XLSX, "export.xlsx.gz", "xlsx", [[1, "Budi"], [2, "Ani"]]),
    ],
    ids=["csv", "jsonl", "xlsx"],  # not the payload: zip bytes carry a timestamp, ids must not
)
@pytest.mark.parametrize("stream", [False, True], ids=["seekable", "non-seekable"])
def test_gzip_of_each_format(
    payload: bytes, name: str, fmt: str, expected: list[list[object]], stream: bool
) -> None:
    table, rows = read_bytes(gzip.compress(payload), name=name, stream=stream)

    assert table.format == fmt
    assert table.compressed is True
    assert table.details["inner_name"] == name[:-3]
    assert values(rows) == expected


def test_concatenated_gzip_members_are_one_file() -> None:
    data = gzip.compress(b"a,b\n1,2\n") + gzip.compress(b"3,4\n")

    _, rows = read_bytes(data, name="x.csv.gz")

    assert values(rows) == [["1", "2"], ["3", "4"]]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-12],
        lambda data: data[:20] + bytes(b ^ 0x55 for b in data[20:40]) + data[40:],
        lambda data: data + b"sampah di belakang",
    ],
    ids=["truncated", "corrupt", "trailing-garbage"],
)
def test_damaged_gzip(damage: object) -> None:
    body = b"a,b\n" + b"".join(b"%d,%d\n" % (i, i * 7) for i in range(20_000))
    data = damage(gzip.compress(body))  # type: ignore[operator]

    with pytest.raises(FileRejected) as caught:
        read_bytes(data, name="x.csv.gz")
    assert caught.value.code == "gzip_invalid"


def test_gzip_ratio_bomb_stops_early() -> None:
    data = gzip_of_repeated(b"a,b\n", b"\n", 64 * 1024 * 1024)
    assert len(data) < 100_000

    started = time.perf_counter()
    with pytest.raises(FileRejected) as caught:
        read_bytes(data, name="x.csv.gz")
    assert caught.value.code == "gzip_invalid"
    assert time.perf_counter() - started < 5


def test_gzip_expanding_past_ten_times_the_file_limit() -> None:
    body = b"a,b\n" + b"".join(
        b"%d,%s\n" % (i, b"Jalan Merdeka Raya Kisaran Asahan " * 4) for i in range(50_000)
    )
    data = gzip.compress(body)
    limits = ReadLimits(max_file_bytes=len(data) + 1000)
    assert len(body) > 10 * limits.max_file_bytes

    with pytest.raises(FileRejected) as caught:
        read_bytes(data, name="x.csv.gz", limits=limits)
    assert caught.value.code == "file_too_large"


def test_gzip_inside_gzip_is_refused() -> None:
    with pytest.raises(FileRejected) as caught:
        read_bytes(gzip.compress(gzip.compress(CSV)), name="x.csv.gz.gz")
    assert caught.value.code == "file_type_unsupported"


def test_empty_gzip_is_an_empty_file() -> None:
    with pytest.raises(FileRejected) as caught:
        read_bytes(gzip.compress(b""), name="x.csv.gz")
    assert caught.value.code == "file_empty"


@pytest.mark.parametrize("as_text", [True, False], ids=["str", "pathlib"])
@pytest.mark.parametrize(("payload", "name"), [(CSV, "x.csv"), (XLSX, "x.xlsx")], ids=["csv", "xlsx"])
def test_paths(tmp_path: Path, payload: bytes, name: str, as_text: bool) -> None:
    path = tmp_path / name
    path.write_bytes(payload)

    _, rows = read_all(str(path) if as_text else path, name)

    assert len(rows) == 2


def test_xlsx_from_a_non_seekable_stream_with_short_reads() -> None:
    _, rows = read_all(NonSeekable(XLSX, max_read=333), "x.xlsx")

    assert values(rows) == [[1, "Budi"], [2, "Ani"]]


def test_seekable_stream_not_at_offset_zero_is_read_from_its_position() -> None:
    stream = io.BytesIO(b"prefix-bytes" + XLSX)
    stream.seek(len(b"prefix-bytes"))

    _, rows = read_all(stream, "x.xlsx")

    assert values(rows) == [[1, "Budi"], [2, "Ani"]]


@pytest.mark.parametrize(
    ("payload", "name"),
    [(CSV, "x.csv"), (XLSX, "x.xlsx"), (gzip.compress(XLSX), "x.gz")],
    ids=["csv", "xlsx", "gz"],
)
def test_caller_stream_is_left_open(payload: bytes, name: str) -> None:
    stream = io.BytesIO(payload)

    read_all(stream, name)

    assert not stream.closed


def test_declared_size_over_the_limit_is_refused_before_reading() -> None:
    stream = NonSeekable(b"")  # would be "empty" if it were read at all

    with pytest.raises(FileRejected) as caught:
        read_all(stream, "x.csv", limits=ReadLimits(max_file_bytes=100), size=101)
    assert caught.value.code == "file_too_large"
    assert caught.value.message == "Berkas melebihi batas 100 byte"


def test_path_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(CSV * 10)

    with pytest.raises(FileRejected) as caught:
        read_all(path, "x.csv", limits=ReadLimits(max_file_bytes=100))
    assert caught.value.code == "file_too_large"


def test_stream_of_unknown_size_is_stopped_at_the_limit_while_rows_are_read() -> None:
    data = b"a,b\n" + b"1,2\n" * 100_000
    limits = ReadLimits(max_file_bytes=200_000)

    seen: list[RawRow] = []
    with (
        open_table(NonSeekable(data), name="x.csv", limits=limits) as table,
        pytest.raises(FileRejected) as caught,
    ):
        seen.extend(table.rows)
    assert caught.value.code == "file_too_large"
    assert 0 < len(seen) < 50_000


class _FailingStream:
    def __init__(self, data: bytes, fail_after: int) -> None:
        self._data = io.BytesIO(data)
        self._fail_after = fail_after

    def read(self, size: int = -1) -> bytes:
        if self._data.tell() >= self._fail_after:
            raise ConnectionResetError("the network went away with a secret 1209876543210001")
        return self._data.read(min(size, 4096))


def test_stream_failure_mid_file_is_a_clean_rejection_without_details() -> None:
    data = b"a,b\n" + b"1209876543210001,2\n" * 20_000

    stream = _FailingStream(data, 150_000)
    with open_table(stream, name="x.csv") as table, pytest.raises(FileRejected) as caught:
        list(table.rows)
    assert caught.value.code == "file_unreadable"
    assert "1209876543210001" not in str(caught.value)
    assert caught.value.__cause__ is None
