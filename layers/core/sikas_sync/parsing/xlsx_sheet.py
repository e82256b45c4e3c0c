"""The rows of a worksheet part, streamed, with each cell typed as Excel shows it.

ElementTree's pull parser builds one `<row>` at a time; the rows already handed over are detached
from `<sheetData>`, so memory stays flat however long the sheet is (openpyxl's read-only mode keeps
an emptied element per row: about 100 bytes a row, 100 MB for a million).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import IO, cast
from xml.etree import ElementTree as ET

from sikas_sync.parsing import messages
from sikas_sync.parsing.table import Cell
from sikas_sync.parsing.xlsx_workbook import WINDOWS_EPOCH, WorkbookLayout, namespace_of

READ_BYTES = 64 * 1024
MAX_COLUMNS = 16_384  # Excel's last column, XFD
_SECONDS_PER_DAY = 86_400
_BOOLEANS = {"1": True, "0": False, "true": True, "false": False}


def stream_children(source: IO[bytes], parent: str, child: str) -> Iterator[ET.Element]:
    """Each finished `child` element of the first `parent` element (local names), in document order.

    Children already yielded are detached from the parent, so only the current read's elements are
    alive. Stops at the parent's end: what follows (merged cells, print settings) is never parsed.
    """
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    parent_tag = child_tag = ""
    container: ET.Element | None = None
    while chunk := source.read(READ_BYTES):
        parser.feed(chunk)
        events = cast("Iterator[tuple[str, ET.Element]]", parser.read_events())  # no namespace events asked
        for event, element in events:
            if not parent_tag:
                # The root's namespace names everything (ECMA and strict OOXML differ only there).
                ns = namespace_of(element.tag)
                parent_tag, child_tag = ns + parent, ns + child
            if event == "end":
                if element.tag == child_tag and container is not None:
                    yield element
                elif element.tag == parent_tag:
                    return
            elif element.tag == parent_tag and container is None:
                container = element
        if container is not None:
            # Rows still being built stay referenced by the parser; the finished ones are let go.
            container.clear()
    parser.close()  # raises ParseError for a truncated document


class CellReader:
    """Turns a `<c>` element into a Cell: shared and inline strings, numbers, booleans, errors, dates."""

    def __init__(self, ns: str, shared_strings: Callable[[int], str], layout: WorkbookLayout) -> None:
        self._ns = ns
        self._value_tag = f"{ns}v"
        self._inline_tag = f"{ns}is"
        self._shared = shared_strings
        self._date_styles = layout.date_styles
        self._duration_styles = layout.duration_styles
        self._percent_styles = layout.percent_styles
        self._epoch = layout.epoch
        self._columns: dict[str, int] = {}

    def column(self, reference: str) -> int:
        """1-based column of a reference like `AB12` (cached by its letters: a sheet has few)."""
        letters = reference.rstrip("0123456789")
        found = self._columns.get(letters)
        if found is None:
            found = 0
            for letter in letters.upper():
                if not "A" <= letter <= "Z":
                    found = 0
                    break
                found = found * 26 + ord(letter) - 64
            if not 0 < found <= MAX_COLUMNS:
                raise messages.xlsx_invalid("alamat sel tidak sah di lembar kerja")
            self._columns[letters] = found
        return found

    def value(self, cell: ET.Element, where: str) -> Cell:
        """The cell's value; `where` names it (a reference, never a value) if it cannot be read."""
        try:
            return self._value(cell)
        except (ValueError, IndexError, KeyError, OverflowError):
            raise messages.xlsx_invalid(f"sel {where} berisi nilai yang tidak sah") from None

    def _value(self, cell: ET.Element) -> Cell:
        kind = cell.get("t")
        if kind == "inlineStr":
            inline = cell.find(self._inline_tag)
            return None if inline is None else string_item_text(inline, self._ns)
        raw = cell.findtext(self._value_tag)
        if not raw:
            return None
        if kind is None or kind == "n":
            return self._number(raw, cell.get("s"))
        return self._typed(kind, raw)

    def _typed(self, kind: str, raw: str) -> Cell:
        if kind == "s":
            return self._shared(int(raw))
        if kind == "b":
            return _BOOLEANS[raw.strip().lower()]
        if kind == "d":
            return _iso_value(raw)
        return raw  # "str" (a formula's text), "e" (an error such as #N/A)

    def _number(self, raw: str, style: str | None) -> Cell:
        number: int | float = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
        if style is not None and style != "0":
            index = int(style)
            if index in self._date_styles:
                return _as_cell(self._date(number, index in self._duration_styles))
            if index in self._percent_styles:
                return _percent_text(number)
        if type(number) is float and number.is_integer():
            return int(number)  # 3.0 is an integer to everyone reading the export
        return number

    def _date(self, serial: float, duration: bool) -> dt.datetime | dt.time | dt.timedelta | str:
        """Excel's serial day number as a datetime (or a time below one day), as Excel shows it."""
        try:
            if duration:
                return dt.timedelta(milliseconds=round(serial * _SECONDS_PER_DAY * 1000))
            day, fraction = divmod(serial, 1)
            within = dt.timedelta(milliseconds=round(fraction * _SECONDS_PER_DAY * 1000))
            if 0 <= serial < 1 and within.days == 0:
                return (dt.datetime.min + within).time()
            if 0 < serial < 60 and self._epoch == WINDOWS_EPOCH:
                day += 1  # Excel's phantom 29 February 1900
            return self._epoch + dt.timedelta(days=day) + within
        except (OverflowError, ValueError):
            return "#VALUE!"  # a date-styled number outside the calendar, shown as an error by Excel


def _percent_text(number: float) -> str:
    """A percent-formatted number as the percentage it holds (0.96 → `96%`, 0.875 → `87.5%`, which
    Excel may show rounded): offices mean the percentage, not the fraction Excel stores."""
    shown = round(number * 100, 9)  # 0.07 * 100 is 7.000000000000001 in binary floating point
    return f"{int(shown) if float(shown).is_integer() else shown}%"


def string_item_text(item: ET.Element, ns: str) -> str:
    """Plain text of a string item: its `<t>`, or the `<t>` of each rich-text run (no phonetics)."""
    text_tag = f"{ns}t"
    if len(item) == 1 and item[0].tag == text_tag:
        return item[0].text or ""
    run_tag = f"{ns}r"
    return "".join(
        (part.text or "") if part.tag == text_tag else (part.findtext(text_tag) or "")
        for part in item
        if part.tag in (text_tag, run_tag)
    )


def _as_cell(value: dt.datetime | dt.time | dt.timedelta | str) -> Cell:
    if isinstance(value, dt.datetime):
        # Excel has no date type: a date cell is a datetime at midnight, a real timestamp keeps its time.
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def _iso_value(raw: str) -> Cell:
    """A `t="d"` cell (strict OOXML): an ISO 8601 date, date-time or time."""
    text = raw.strip().removesuffix("Z")
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    if "-" in text[:5]:
        return _as_cell(dt.datetime.fromisoformat(text))
    return _as_cell(dt.time.fromisoformat(text))
