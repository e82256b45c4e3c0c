"""XLSX: a guarded look at the zip package, then the first worksheet streamed by openpyxl.

openpyxl's read-only mode is used rather than python-calamine: calamine materialises the whole sheet
(about 100 bytes per cell, 280 MB for 200,000 rows of 14 columns), aborts the process on sparse
sheets (one cell in A1 and one in XFD1048576 asks for 550 GB), rounds integers above 2**53 and turns
error cells into empty strings. openpyxl stays near 40 MB whatever the row count.
"""

from __future__ import annotations

import codecs
import datetime as dt
import warnings
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from sikas_sync.parsing import messages
from sikas_sync.parsing.rows import fit, header_names, is_blank
from sikas_sync.parsing.table import Cell, RawRow, ReadLimits

WORKBOOK_PART = "xl/workbook.xml"
EXTERNAL_LINKS = "xl/externallinks/"
PROLOG_BYTES = 64 * 1024  # a DTD must precede the root element; real parts reach it in a few hundred bytes
RATIO_CHECKED_FROM = 1024 * 1024  # a member smaller than this cannot be a bomb, whatever its ratio
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def inspect_package(file: IO[bytes], limits: ReadLimits) -> None:
    """Refuse a package before any XML parser sees it: not a zip, not a workbook, bombs, links, DTDs."""
    try:
        archive = zipfile.ZipFile(file)
    except Exception:
        # BadZipFile, and NotImplementedError for versions or features zipfile does not know.
        raise messages.xlsx_invalid() from None
    with archive:
        infos = archive.infolist()
        if WORKBOOK_PART not in {info.filename for info in infos}:
            raise messages.unsupported("arsip ZIP yang bukan XLSX")
        total = 0
        for info in infos:
            total += info.file_size
            if info.flag_bits & 0x1:
                raise messages.xlsx_invalid("berkas dilindungi kata sandi")
            if info.filename.lower().startswith(EXTERNAL_LINKS):
                raise messages.xlsx_invalid("memuat tautan ke buku kerja lain (external links)")
            ratio_limit = limits.max_xlsx_compression_ratio * max(info.compress_size, 1)
            if info.file_size > RATIO_CHECKED_FROM and info.file_size > ratio_limit:
                raise messages.xlsx_invalid("rasio kompresi tidak wajar (kemungkinan bom zip)")
        if total > limits.max_xlsx_uncompressed_bytes:
            limit = messages.size_text(limits.max_xlsx_uncompressed_bytes)
            raise messages.xlsx_invalid(f"ukuran setelah diekstrak melebihi batas {limit}")
        for info in infos:
            if info.file_size and info.filename.lower().endswith(_XML_SUFFIXES):
                _check_prolog(archive, info)


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    try:
        with archive.open(info) as part:
            head = part.read(PROLOG_BYTES)
    except Exception:
        # BadZipFile, zlib.error, an unsupported compression method: a damaged or exotic member.
        raise messages.xlsx_invalid() from None
    if declares_dtd(head):
        raise messages.xlsx_invalid("memuat deklarasi DOCTYPE/ENTITY")


def declares_dtd(head: bytes) -> bool:
    """True when an XML part declares a DTD or entities (billion laughs, external entities), or when
    its root element does not start within the first bytes, so a DTD could hide further on."""
    text = _markup_text(head)
    upper = text.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        return True
    return not _reaches_root(text)


def _markup_text(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="replace")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", errors="replace")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", errors="replace")
    # Markup is ASCII in UTF-8 and single-byte encodings alike; latin-1 never fails.
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def _reaches_root(text: str) -> bool:
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n\ufeff":
            position += 1
        for opener, closer in (("<?", "?>"), ("<!--", "-->")):
            if text.startswith(opener, position):
                end = text.find(closer, position + len(opener))
                if end < 0:
                    return False
                position = end + len(closer)
                break
        else:
            return text.startswith("<", position) and text[position + 1 : position + 2] not in ("", "!", "?")


def normalise(value: Any) -> Cell:
    """openpyxl's values as Cells: integral floats become int, midnight datetimes become dates."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.datetime):
        # Excel has no date type: a date cell is a datetime at midnight, a real timestamp keeps its time.
        return value.date() if value.tzinfo is None and value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)  # timedelta (duration formats) and anything a future openpyxl may add


_AS_IS = frozenset({str, int, bool, type(None)})


def _cells(values: tuple[Any, ...]) -> list[Cell]:
    # Most cells are text or whole numbers already; skipping the call for them keeps large sheets fast.
    return [value if type(value) in _AS_IS else normalise(value) for value in values]


class XlsxReader:
    """Opens the first worksheet and reads its header; `rows()` streams the rest. Call `close()`."""

    def __init__(self, file: IO[bytes], max_columns: int) -> None:
        from openpyxl import load_workbook

        try:
            with warnings.catch_warnings():
                # openpyxl warns about styles and extensions it ignores; none of that matters for values.
                warnings.simplefilter("ignore")
                self._workbook = load_workbook(file, read_only=True, data_only=True, keep_links=False)
        except Exception:
            raise messages.xlsx_invalid() from None
        try:
            worksheets = self._workbook.worksheets
            if not worksheets:
                raise messages.xlsx_invalid("tidak memiliki lembar kerja")
            sheet = worksheets[0]
            self.sheet_name: str = str(sheet.title)
            self.sheet_count = len(self._workbook.sheetnames)
            # The stored dimension may be stale or absurd (A1:XFD1048576); rows are read as they are.
            sheet.reset_dimensions()
            self._rows: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
            self.header = self._read_header(max_columns)
        except BaseException:
            self.close()
            raise

    def _next(self) -> tuple[Any, ...] | None:
        try:
            return next(self._rows, None)
        except Exception:
            raise messages.xlsx_invalid("isi lembar kerja tidak dapat dibaca") from None

    def _read_header(self, max_columns: int) -> list[str]:
        while (values := self._next()) is not None:
            cells = _cells(values)
            if not is_blank(cells):
                return header_names(cells, max_columns)
        raise messages.empty()

    def rows(self) -> Iterator[RawRow]:
        width = len(self.header)
        number = 0
        while (values := self._next()) is not None:
            number += 1
            cells = _cells(values)
            if not is_blank(cells):
                yield fit(number, cells, width)

    def close(self) -> None:
        self._workbook.close()
