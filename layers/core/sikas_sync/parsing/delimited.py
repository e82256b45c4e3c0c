"""CSV and TSV: delimiter detection, quote-aware records over bounded lines, and row parsing."""

from __future__ import annotations

import csv
import enum
import re
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, compress, repeat
from operator import itemgetter, methodcaller
from typing import Any, cast

from sikas_sync.parsing import messages
from sikas_sync.parsing.encoding import LineDecoder
from sikas_sync.parsing.rows import best_header, fit, header_names, is_blank
from sikas_sync.parsing.table import HEADER_SEARCH_ROWS, Cell, HeaderScore, RawRow

DELIMITERS = (",", ";", "\t")  # order breaks ties: comma first, then semicolon (Indonesian Excel)
_QUOTED = re.compile(r'"[^"]*"')


def choose_delimiter(sample_text: str, ext: str) -> str:
    """The delimiter that occurs most often outside quotes in the first non-blank line that has
    one: a title line above the header ("DATA PENCARI KERJA …") may hold none at all."""
    lines = [line for line in sample_text.lstrip("\ufeff").splitlines() if line.strip()]
    counts = dict.fromkeys(DELIMITERS, 0)
    for line in lines[:HEADER_SEARCH_ROWS]:
        unquoted = _QUOTED.sub("", line)
        counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
        if any(counts.values()):
            break
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
        # The scan of a line that starts outside quotes: the line ends inside quotes unless the match
        # reaches its end. The pattern matches the empty string, so there is always a match.
        self.match_outside = self._outside.match

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
        self.scanner = QuoteScanner(delimiter.encode("ascii"))
        self._max_bytes = max_bytes
        self.parts: list[bytes] = []
        self._size = 0
        self.replay: deque[bytes | None] = deque()

    def start(self, line: bytes | None, *, replayed: bool) -> bytes | Broken | None:
        """A line that begins a record: the record itself, why it broke, or None while it stays open."""
        if line is None:
            return Broken.TOO_LONG
        if b'"' not in line or not self.scanner.ends_in_quotes(line, in_quotes=False):
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
        if not self.scanner.ends_in_quotes(line, in_quotes=True):
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
    for batch, _ in record_batches(([line] for line in lines), delimiter, max_bytes):
        yield from batch


def record_batches(
    line_batches: Iterable[list[bytes | None]], delimiter: str, max_bytes: int
) -> Iterator[tuple[list[bytes | Broken], bool]]:
    """`records`, a list per batch of lines, each with True when every line of the batch is a
    whole record on its own (the common case, recognised for the batch at once)."""
    assembler = _Assembler(delimiter, max_bytes)
    scan = assembler.scanner.match_outside
    for lines in line_batches:
        if (
            not assembler.parts
            and None not in lines
            # No line ends inside quotes: each scan reaches its line's end (see QuoteScanner).
            and list(map(_END, map(scan, lines))) == list(map(len, lines))  # type: ignore[arg-type]
        ):
            yield cast(list[bytes | Broken], lines), True
            continue
        batch: list[bytes | Broken] = []
        for line in lines:
            if not assembler.parts and line is not None and b'"' not in line:
                batch.append(line)  # a whole record on one line without quotes
                continue
            item = assembler.start(line, replayed=False) if not assembler.parts else assembler.extend(line)
            if item is not None:
                batch.append(item)
            batch.extend(assembler.drain())
        yield batch, False
    if assembler.parts:
        yield [assembler.abandon(Broken.UNTERMINATED), *assembler.drain()], False


_END = methodcaller("end")


def _fitted(number: int, cells: list[Cell], width: int) -> RawRow | None:
    """The row of a record's cells; None for a blank one."""
    # Filled rows of the header's width need neither the blank test nor fitting.
    first = cells[0] if cells else None
    if len(cells) == width and first and not first.isspace():  # type: ignore[union-attr]  # text cells
        return RawRow(number, cells)
    if is_blank(cells):
        return None
    return fit(number, cells, width)


def _parsed_alone(texts: Iterable[str], count: int, delimiter: str) -> list[list[str]] | None:
    """The cells of `count` lines by one csv reader, or None unless each line made one row on its
    own (a line it found open would have taken the next one with it; the last one ends the input)."""
    try:
        parsed = list(csv.reader(texts, **_DIALECT, delimiter=delimiter))
    except csv.Error:
        return None
    return parsed if len(parsed) == count else None


def _line_count(record: bytes | Broken) -> int:
    """The physical lines a record spans (a broken record stands for its first line: the rest are
    read again as records of their own)."""
    if not isinstance(record, bytes):
        return 1
    inner = _strip_terminator(record)
    return 1 + (inner.count(b"\n") or inner.count(b"\r"))


def _strip_terminator(record: bytes) -> bytes:
    if record.endswith(b"\r\n"):
        return record[:-2]
    if record.endswith((b"\n", b"\r")):
        return record[:-1]
    return record


_DIALECT: dict[str, Any] = {"quotechar": '"', "doublequote": True, "strict": False}


class CellSplitter:
    """A record's cells: split on the delimiter, or by the csv module when the record has quotes.

    Records arrive whole (embedded newlines included), so each is parsed on its own, exactly as
    `next(csv.reader((text,), ...))` would: the one reader here is fed one record per call. It resets
    its state at the start of every record, and when a record ends inside quotes it finds the feed
    empty, as it would find a one-record iterable exhausted. Creating a reader per record cost more
    than parsing the record.
    """

    __slots__ = ("_delimiter", "_pending", "_reader")

    def __init__(self, delimiter: str) -> None:
        self._delimiter = delimiter
        self._pending: str | None = None
        self._reader = csv.reader(self, **_DIALECT, delimiter=delimiter)

    def __iter__(self) -> CellSplitter:
        return self

    def __next__(self) -> str:
        text = self._pending
        if text is None:
            raise StopIteration
        self._pending = None
        return text

    def __call__(self, text: str) -> list[str]:
        if '"' not in text:
            return text.split(self._delimiter)
        self._pending = text
        try:
            return next(self._reader)
        finally:
            self._pending = None


class DelimitedReader:
    """Reads the header at construction; `rows()` then streams the data rows.

    The header is the first non-blank record unless `header_score` is given: then it is the record,
    among the first HEADER_SEARCH_ROWS non-blank ones, that names most fields, and the records above
    it are a title block (`title_rows`). `line_of` maps a data row to its line in the file.
    """

    def __init__(
        self,
        line_batches: Iterable[list[bytes | None]],
        *,
        delimiter: str,
        decoder: LineDecoder,
        max_record_bytes: int,
        max_columns: int,
        header_score: HeaderScore | None = None,
    ) -> None:
        self.delimiter = delimiter
        self._decoder = decoder
        self._max_record_bytes = max_record_bytes
        self._batches = record_batches(line_batches, delimiter, max_record_bytes)
        self._cells = CellSplitter(delimiter)
        self._left: list[bytes | Broken] = []  # records read ahead of the rows: after the header
        # Multi-line records (a quoted cell with line breaks) push the lines below them down: the
        # data rows where that happens, and the extra lines up to and including each.
        self._shifted_rows: list[int] = []
        self._shifted_lines: list[int] = []
        self.title_rows = 0
        self.header_line = 1
        self.header = self._read_header(max_columns, header_score)

    def _records(self) -> Iterator[bytes | Broken]:
        for batch, _ in self._batches:
            for position, record in enumerate(batch):
                self._left = batch[position + 1 :]
                yield record

    def _read_header(self, max_columns: int, score: HeaderScore | None) -> list[str]:
        read: list[bytes | Broken] = []  # every record up to the last candidate, blank ones too
        candidates: list[tuple[int, list[str]]] = []  # (position in `read`, cells)
        for record in self._records():
            read.append(record)
            if not isinstance(record, bytes):
                if candidates:
                    break  # a broken record below a possible header: it is a data row's problem
                if record is Broken.TOO_LONG:
                    raise messages.header_too_long(self._max_record_bytes)
                raise messages.header_unterminated()
            if not record.strip():
                continue
            text = self._decoder.decode(_strip_terminator(record))
            if text is None:
                if candidates:
                    break
                raise messages.header_undecodable()
            try:
                cells = self._cells(text)
            except csv.Error:
                if candidates:
                    break
                raise messages.header_too_long(self._max_record_bytes) from None
            if is_blank(cells):
                continue
            candidates.append((len(read) - 1, cells))
            if score is None or len(candidates) == HEADER_SEARCH_ROWS:
                break
        if not candidates:
            raise messages.empty()
        chosen = best_header([cells for _, cells in candidates], score)
        position, cells = candidates[chosen]
        self.title_rows = chosen
        self.header_line = 1 + sum(map(_line_count, read[:position]))
        # Lines of multi-line records inside the header itself push the data down as well.
        self.header_line += _line_count(read[position]) - 1
        self._left = [*read[position + 1 :], *self._left]
        return header_names(cells, max_columns)

    def line_of(self, number: int) -> int:
        """The line where data row `number` starts, once the rows up to it have been read."""
        shifted = bisect_left(self._shifted_rows, number)
        return self.header_line + number + (self._shifted_lines[shifted - 1] if shifted else 0)

    def _shift(self, number: int, record: bytes) -> None:
        extra = _line_count(record) - 1
        if extra:
            total = self._shifted_lines[-1] if self._shifted_lines else 0
            self._shifted_rows.append(number)
            self._shifted_lines.append(total + extra)

    def rows(self) -> Iterator[RawRow]:
        return chain.from_iterable(self.row_batches())

    def row_batches(self) -> Iterator[list[RawRow]]:
        """`rows`, a list at a time (about 64 KiB of the file each): one or the other, not both."""
        width = len(self.header)
        number = 0
        left, self._left = self._left, []
        for batch, whole in chain([(left, False)], self._batches):
            rows = self._whole_rows(cast(list[bytes], batch), number, width) if whole else None
            if rows is None:
                rows = []
                for record in batch:
                    number += 1
                    if type(record) is bytes and len(record) > 1 and record.find(b"\n", 0, -1) >= 0:
                        self._shift(number, record)
                    row = self._row(record, number, width)
                    if row is not None:
                        rows.append(row)
            else:
                number += len(batch)
            if rows:
                yield rows

    def _row(self, record: bytes | Broken, number: int, width: int) -> RawRow | None:
        """One record's row; None for a blank one."""
        if type(record) is not bytes:
            if record is Broken.TOO_LONG:
                return RawRow(number, None, messages.record_too_long(self._max_record_bytes))
            return RawRow(number, None, messages.record_unterminated())
        if not record.strip():
            return None
        text = self._decoder.decode(_strip_terminator(record))
        if text is None:
            return RawRow(number, None, messages.encoding_invalid(self._decoder.name))
        try:
            cells: list[Cell] = self._cells(text)  # type: ignore[assignment]  # a fresh list[str]
        except csv.Error:
            # Only the csv module's 128 KiB per-field limit gets here; the quote rules match ours.
            return RawRow(number, None, messages.cell_too_long())
        return _fitted(number, cells, width)

    def _whole_rows(self, records: list[bytes], number: int, width: int) -> list[RawRow] | None:
        """The rows of a batch of one-line records, each step done for the batch at once; None
        unless every record is an ordinary one (not blank, decodable, parsed on its own): then the
        batch goes record by record, as `_row` does."""
        if not all(map(bytes.strip, records)):
            return None  # a blank record
        texts = self._decoder.decode_all(records)
        if texts is None:
            return None
        delimiter = self.delimiter
        quoted = sum(map(str.__contains__, texts, repeat('"')))
        cells: list[list[str]]
        if quoted * 4 < len(texts):
            # Few quoted lines: split the others on the delimiter, parse only those with the csv module.
            # One physical line ends with at most one terminator, which is what _strip_terminator drops.
            texts = list(map(str.rstrip, texts, repeat("\r\n")))
            cells = list(map(str.split, texts, repeat(delimiter)))
            if quoted:
                is_quoted = list(map(str.__contains__, texts, repeat('"')))
                parsed = _parsed_alone(compress(texts, is_quoted), quoted, delimiter)
                if parsed is None:
                    return None
                found = iter(parsed)
                cells = [next(found) if q else split for split, q in zip(cells, is_quoted, strict=True)]
        else:
            # Mostly quoted (addresses with commas): one csv pass over every line, as a bare reader
            # would; without quotes it splits exactly as str.split does, and drops the terminator.
            parsed = _parsed_alone(texts, len(texts), delimiter)
            if parsed is None:
                return None
            cells = parsed
        numbers = range(number + 1, number + 1 + len(cells))
        if set(map(len, cells)) == {width} and all(map(str.strip, map(itemgetter(0), cells))):
            return list(map(RawRow, numbers, cells))  # type: ignore[arg-type]
        return [row for row in map(_fitted, numbers, cells, repeat(width)) if row is not None]  # type: ignore[arg-type]
