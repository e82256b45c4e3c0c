"""The shape every export reader produces: a header and a stream of raw rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

# What a reader may hand over for one cell: text from CSV/JSON, typed values from XLSX/JSON.
Cell = str | int | float | bool | dt.date | dt.datetime | None


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Bounds that keep a hostile or broken file from exhausting memory or time."""

    max_file_bytes: int = 512 * 1024 * 1024  # larger uploads are rejected before reading
    max_record_bytes: int = 1024 * 1024  # one CSV/JSONL record (line) at most
    max_columns: int = 500
    max_xlsx_uncompressed_bytes: int = 2 * 1024 * 1024 * 1024
    max_xlsx_compression_ratio: int = 200  # zip-bomb guard per member
    # Shared strings past this estimate of memory go to a temporary file (the workbook's first,
    # repeated strings stay in memory), so a large workbook's distinct texts do not fill the heap.
    xlsx_strings_memory_bytes: int = 16 * 1024 * 1024


# How many non-blank rows from the top may hold the header: an office's title block (judul,
# subjudul, periode, a blank row) is a handful of rows; more would be reading data as a header.
HEADER_SEARCH_ROWS = 20

# Scores a candidate header row (its cells as text): how many of a domain's fields it names.
HeaderScore = Callable[[list[str]], int]


def _next_line(row: int) -> int:
    return row + 1


@dataclass(slots=True)
class RawRow:
    """One data row as read. `number` is 1-based, the header not counted.

    `values` lines up with the table's header (missing trailing cells are None). When the reader
    could not make sense of the row, `values` is None and `error` holds (code, message).
    """

    number: int
    values: list[Cell] | None
    error: tuple[str, str] | None = None
    cells: list[Cell] | None = None  # an unreadable row's cells as far as they could be read


@dataclass(slots=True)
class Table:
    """An opened export: what was detected, the header, and a one-pass iterator over its rows."""

    format: str  # "csv", "tsv", "xlsx", "jsonl"
    header: list[str]
    rows: Iterator[RawRow]
    encoding: str | None = None
    delimiter: str | None = None
    compressed: bool = False
    details: dict[str, object] = field(default_factory=dict)
    # The same rows a list at a time, when the reader makes them so (CSV/TSV): read `rows` or these,
    # not both. Batches let a consumer work on many rows at once.
    row_batches: Iterator[list[RawRow]] | None = None
    # The line (Excel's row number, a text editor's line) of the header, and the non-blank rows above
    # it that were skipped as a title block.
    header_line: int = 1
    title_rows: int = 0
    # A data row's number → its line, for any row already read (multi-line CSV records shift lines).
    line_of: Callable[[int], int] = _next_line
