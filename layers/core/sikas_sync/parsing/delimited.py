"""CSV and TSV: delimiter detection, quote-aware records over bounded lines, and row parsing."""

from __future__ import annotations

import csv
import enum
import re
from collections import deque
from collections.abc import Iterator

from sikas_sync.parsing import messages
from sikas_sync.parsing.encoding import LineDecoder
from sikas_sync.parsing.rows import fit, header_names, is_blank
from sikas_sync.parsing.table import Cell, RawRow

DELIMITERS = (",", ";", "\t")  # order breaks ties: comma first, then semicolon (Indonesian Excel)
_QUOTED = re.compile(r'"[^"]*"')


def choose_delimiter(sample_text: str, ext: str) -> str:
    """The delimiter that occurs most often outside quotes in the first non-blank line."""
    first = next((line for line in sample_text.lstrip("\ufeff").splitlines() if line.strip()), "")
    unquoted = _QUOTED.sub("", first)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return "\t" if ext == "tsv" else ","
    if ext == "tsv" and counts["\t"] == best:
        return "\t"
    return next(delimiter for delimiter in DELIMITERS if counts[delimiter] == best)


class Broken(enum.Enum):
    """Why a record could not be delimited."""

    TOO_LONG = "too_long"
    UNTERMINATED = "unterminated"


class QuoteScanner:
    """Tells whether a line ends inside a quoted field, by the csv module's (non-strict) rules.

    A quote opens a quoted field only at the very start of a field; elsewhere it is a literal character.
    Inside a quoted field `""` is an escaped quote and a lone quote closes the field. Both patterns are
    possessive, so matching is linear and the whole scan runs inside the regex engine.
    """

    def __init__(self, delimiter: bytes) -> None:
        d = re.escape(delimiter)
        # The remainder of a quoted field: its text, `""` escapes, and the closing quote.
        self._rest_of_quoted = re.compile(rb'(?:[^"]++|"")*+"')
        # Outside quotes: plain text, whole quoted fields opened at a field start, literal quotes elsewhere.
        self._outside = re.compile(rb'(?:[^"]++|(?<![^' + d + rb'])"(?:[^"]++|"")*+"|(?<=[^' + d + rb'])")*+')

    def ends_in_quotes(self, line: bytes, in_quotes: bool) -> bool:
        position = 0
        if in_quotes:
            closed = self._rest_of_quoted.match(line)
            if closed is None:
                return True
            position = closed.end()
        outside = self._outside.match(line, position)
        # The scan stops early only at a quote that opens a field and is never closed on this line.
        return outside is None or outside.end() < len(line)


class _Assembler:
    """The state of `records`: the lines of an open quoted record, and lines waiting to be re-read."""

    def __init__(self, delimiter: str, max_bytes: int) -> None:
        self._scanner = QuoteScanner(delimiter.encode("ascii"))
        self._max_bytes = max_bytes
        self.parts: list[bytes] = []
        self._size = 0
        self.replay: deque[bytes | None] = deque()

    def start(self, line: bytes | None, *, replayed: bool) -> bytes | Broken | None:
        """A line that begins a record: the record itself, why it broke, or None while it stays open."""
        if line is None:
            return Broken.TOO_LONG
        if b'"' not in line or not self._scanner.ends_in_quotes(line, in_quotes=False):
            return line
        if replayed:
            # Replayed lines stand alone, so one broken quote cannot swallow the file twice over.
            return Broken.UNTERMINATED
        self.parts, self._size = [line], len(line)
        return None

    def extend(self, line: bytes | None) -> bytes | Broken | None:
        """A line inside an open quoted record."""
        if line is None:
            return self.abandon(Broken.TOO_LONG, trailing=[None])
        self.parts.append(line)
        self._size += len(line)
        if not self._scanner.ends_in_quotes(line, in_quotes=True):
            record = b"".join(self.parts)
            self.parts, self._size = [], 0
            return record
        if self._size > self._max_bytes:
            return self.abandon(Broken.TOO_LONG)
        return None

    def drain(self) -> Iterator[bytes | Broken]:
        """The records of the lines waiting to be re-read; each stands alone, so none stays open."""
        while self.replay:
            item = self.start(self.replay.popleft(), replayed=True)
            assert item is not None
            yield item

    def abandon(self, reason: Broken, trailing: list[bytes | None] | None = None) -> Broken:
        """Give up the open record; its lines after the first are read again, one record each."""
        self.replay.extend(self.parts[1:])
        self.replay.extend(trailing or [])
        self.parts, self._size = [], 0
        return reason


def records(lines: Iterator[bytes | None], delimiter: str, max_bytes: int) -> Iterator[bytes | Broken]:
    """Join physical lines into records (a quoted field may span lines), up to `max_bytes` per record.

    When a record breaks (too long, or its quote is never closed) it is reported once, and the lines
    it swallowed are read again one record per line, so the rows after it are not lost.
    """
    assembler = _Assembler(delimiter, max_bytes)
    for line in lines:
        if not assembler.parts and line is not None and b'"' not in line:
            yield line  # the common case: a whole record on one line without quotes
            continue
        item = assembler.start(line, replayed=False) if not assembler.parts else assembler.extend(line)
        if item is not None:
            yield item
        yield from assembler.drain()
    if assembler.parts:
        yield assembler.abandon(Broken.UNTERMINATED)
        yield from assembler.drain()


def _strip_terminator(record: bytes) -> bytes:
    if record.endswith(b"\r\n"):
        return record[:-2]
    if record.endswith((b"\n", b"\r")):
        return record[:-1]
    return record


def _cells(text: str, delimiter: str) -> list[str]:
    if '"' not in text:
        return text.split(delimiter)
    # Records arrive whole (embedded newlines included), so one csv.reader call parses exactly one.
    return next(csv.reader((text,), delimiter=delimiter, quotechar='"', doublequote=True, strict=False))


class DelimitedReader:
    """Reads the header at construction; `rows()` then streams the data rows."""

    def __init__(
        self,
        lines: Iterator[bytes | None],
        *,
        delimiter: str,
        decoder: LineDecoder,
        max_record_bytes: int,
        max_columns: int,
    ) -> None:
        self.delimiter = delimiter
        self._decoder = decoder
        self._max_record_bytes = max_record_bytes
        self._records = records(lines, delimiter, max_record_bytes)
        self.header = self._read_header(max_columns)

    def _read_header(self, max_columns: int) -> list[str]:
        for record in self._records:
            if record is Broken.TOO_LONG:
                raise messages.header_too_long(self._max_record_bytes)
            if record is Broken.UNTERMINATED:
                raise messages.header_unterminated()
            assert isinstance(record, bytes)
            if not record.strip():
                continue
            text = self._decoder.decode(_strip_terminator(record))
            if text is None:
                raise messages.header_undecodable()
            try:
                cells = _cells(text, self.delimiter)
            except csv.Error:
                raise messages.header_too_long(self._max_record_bytes) from None
            if not is_blank(cells):
                return header_names(cells, max_columns)
        raise messages.empty()

    def rows(self) -> Iterator[RawRow]:
        width = len(self.header)
        number = 0
        for record in self._records:
            number += 1
            if record is Broken.TOO_LONG:
                yield RawRow(number, None, messages.record_too_long(number, self._max_record_bytes))
                continue
            if record is Broken.UNTERMINATED:
                yield RawRow(number, None, messages.record_unterminated(number))
                continue
            assert isinstance(record, bytes)
            if not record.strip():
                continue
            text = self._decoder.decode(_strip_terminator(record))
            if text is None:
                yield RawRow(number, None, messages.encoding_invalid(number, self._decoder.name))
                continue
            try:
                cells: list[Cell] = list(_cells(text, self.delimiter))
            except csv.Error:
                # Only the csv module's 128 KiB per-field limit gets here; the quote rules match ours.
                yield RawRow(number, None, messages.cell_too_long(number))
                continue
            if not is_blank(cells):
                yield fit(number, cells, width)
