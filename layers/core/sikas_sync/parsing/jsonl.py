"""JSON Lines: one object per line; the first object's keys are the header."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sikas_sync.errors import FileRejected
from sikas_sync.parsing import messages
from sikas_sync.parsing.encoding import LineDecoder
from sikas_sync.parsing.rows import fit, header_names, is_blank
from sikas_sync.parsing.table import Cell, RawRow


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are Python extensions, not JSON; a file that holds them is malformed.
    raise ValueError(name)


def _load_object(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    # Nested lists and objects reach the validator as their JSON text.
    return json.dumps(value, ensure_ascii=False)


class JsonLinesReader:
    """Reads the header (first object) at construction; `rows()` streams every object, the first too.

    Row numbers count lines from the first object (= 1), blank lines included.
    """

    def __init__(
        self,
        lines: Iterator[bytes | None],
        *,
        decoder: LineDecoder,
        max_record_bytes: int,
        max_columns: int,
    ) -> None:
        self._lines = lines
        self._decoder = decoder
        self._max_record_bytes = max_record_bytes
        self._blank_above = 0  # blank lines above the first object (row 1): JSON Lines has no header
        self._first = self._read_first()
        self.header = header_names(list(self._first), max_columns)
        if not self.header:
            raise messages.reject(messages.HEADER_INVALID, "Objek JSON pertama tidak memiliki kolom")
        self._index = {key.strip(): position for position, key in enumerate(self._first)}

    def _read_first(self) -> dict[str, Any]:
        for line in self._lines:
            if line is None:
                raise messages.header_too_long(self._max_record_bytes)
            if not line.strip():
                self._blank_above += 1
                continue
            text = self._decoder.decode(line)
            if text is None:
                raise messages.header_undecodable()
            first = _load_object(text)
            if first is None:
                raise FileRejected(messages.HEADER_INVALID, "Baris pertama bukan objek JSON yang valid")
            return first
        raise messages.empty()

    def line_of(self, number: int) -> int:
        return self._blank_above + number

    def rows(self) -> Iterator[RawRow]:
        width = len(self.header)
        first = self._row(1, self._first, width)
        if first is not None:
            yield first
        number = 1
        for line in self._lines:
            number += 1
            if line is None:
                yield RawRow(number, None, messages.record_too_long(self._max_record_bytes))
                continue
            if not line.strip():
                continue
            text = self._decoder.decode(line)
            if text is None:
                yield RawRow(number, None, messages.encoding_invalid(self._decoder.name))
                continue
            value = _load_object(text)
            if value is None:
                yield RawRow(number, None, messages.invalid_json())
                continue
            row = self._row(number, value, width)
            if row is not None:
                yield row

    def _row(self, number: int, value: dict[str, Any], width: int) -> RawRow | None:
        """The object laid onto the header; None for an object with nothing but empty values."""
        cells: list[Cell] = [None] * width
        unknown: list[str] = []
        for key, item in value.items():
            position = self._index.get(key.strip())
            cell = _cell(item)
            if position is not None and position < width:
                cells[position] = cell
            elif position is None or not is_blank((cell,)):
                # A key the header does not have, or one whose empty name was trimmed off the header.
                unknown.append(key)
        if unknown:
            return RawRow(number, None, messages.unknown_columns(unknown))
        if is_blank(cells):
            return None
        return fit(number, cells, width)
