"""XLSX: a guarded look at the zip package, then the first worksheet streamed on the standard library.

The sheet is read by ElementTree's pull parser a row at a time (xlsx_sheet), the workbook's parts by
xlsx_workbook, the shared strings kept in bounded memory (xlsx_strings). Cells type as openpyxl's
read-only mode typed them (this reader replaced it): openpyxl kept an emptied element per row and
every shared string, so its memory grew with the export (108 MiB at 100,000 rows, 205 MiB at a
million), and it read about 4,000 rows/s. python-calamine was ruled out earlier: it materialises the
whole sheet, aborts on sparse sheets, rounds integers above 2**53 and blanks error cells.
"""

from __future__ import annotations

import codecs
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from typing import IO
from xml.etree import ElementTree as ET

from sikas_sync.errors import FileRejected
from sikas_sync.parsing import messages
from sikas_sync.parsing.rows import best_header, fit, header_names, is_blank
from sikas_sync.parsing.table import HEADER_SEARCH_ROWS, Cell, HeaderScore, RawRow, ReadLimits
from sikas_sync.parsing.xlsx_sheet import MAX_COLUMNS, CellReader, stream_children, string_item_text
from sikas_sync.parsing.xlsx_strings import SharedStrings
from sikas_sync.parsing.xlsx_workbook import WORKBOOK_PART, namespace_of, read_layout

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


class XlsxReader:
    """Opens the first worksheet and reads its header; `rows()` streams the rest. Call `close()`.

    The package must have passed `inspect_package`. Rows are numbered from the header: the sheet row
    below it is row 1; `line_of` gives the sheet row Excel shows. With `header_score`, the header is
    the row among the first HEADER_SEARCH_ROWS non-blank ones that names most fields, and the rows
    above it are a title block (`title_rows`).
    """

    def __init__(
        self,
        file: IO[bytes],
        max_columns: int,
        *,
        strings_memory_bytes: int,
        header_score: HeaderScore | None = None,
    ) -> None:
        self._strings = SharedStrings(strings_memory_bytes)
        self._sheet: IO[bytes] | None = None
        self._archive: zipfile.ZipFile | None = None
        self._read_ahead: list[tuple[int, list[Cell]]] = []  # rows read while looking for the header
        self.title_rows = 0
        try:
            self._archive = zipfile.ZipFile(file)
            with _unreadable("struktur buku kerja"):
                layout = read_layout(self._archive)
            self.sheet_name: str = layout.sheet_name
            self.sheet_count = layout.sheet_count
            self._layout = layout
            if layout.shared_strings_part is not None:
                self._read_shared_strings(layout.shared_strings_part)
            self._sheet = self._archive.open(layout.sheet_part)
            self._rows = self._sheet_rows(self._sheet)
            self.header, self._header_row = self._read_header(max_columns, header_score)
        except BaseException:
            self.close()
            raise

    def _read_shared_strings(self, part: str) -> None:
        assert self._archive is not None
        with self._archive.open(part) as source, _unreadable("daftar teks bersama (sharedStrings.xml)"):
            for item in stream_children(source, "sst", "si"):
                # openpyxl's reading of an escaped '_' (_x005F_), kept so cells read as they always did.
                self._strings.append(string_item_text(item, namespace_of(item.tag)).replace("x005F_", ""))
        self._strings.finish()

    def _sheet_rows(self, sheet: IO[bytes]) -> Iterator[tuple[int, list[Cell]]]:
        """(sheet row number, cells from column A) for each `<row>` that has cells."""
        previous = 0
        reader: CellReader | None = None
        cell_tag = ""
        with _unreadable("isi lembar kerja"):
            for row in stream_children(sheet, "sheetData", "row"):
                if reader is None:
                    ns = namespace_of(row.tag)
                    reader = CellReader(ns, self._strings.__getitem__, self._layout)
                    cell_tag = f"{ns}c"
                number = _row_number(row.get("r"), previous)
                if number <= previous:
                    # Out-of-order rows would be dropped or misnumbered: refuse rather than lose them.
                    where = f"baris {number} muncul setelah baris {previous}"
                    raise messages.xlsx_invalid(f"{where} (urutan baris rusak)")
                previous = number
                values: dict[int, Cell] = {}
                column = 0
                for cell in row:
                    if cell.tag == cell_tag:
                        reference = cell.get("r")
                        column = reader.column(reference) if reference else column + 1
                        if column > MAX_COLUMNS:
                            raise messages.xlsx_invalid(f"baris {number} melebihi kolom terakhir Excel (XFD)")
                        values[column] = reader.value(cell, reference or f"baris {number} kolom {column}")
                if values:
                    yield number, [values.get(i) for i in range(1, max(values) + 1)]

    def _read_header(self, max_columns: int, score: HeaderScore | None) -> tuple[list[str], int]:
        candidates: list[tuple[int, list[Cell]]] = []
        for number, cells in self._rows:
            if not is_blank(cells):
                candidates.append((number, cells))
                if score is None or len(candidates) == HEADER_SEARCH_ROWS:
                    break
        if not candidates:
            raise messages.empty()
        chosen = best_header([cells for _, cells in candidates], score)
        self.title_rows = chosen
        self._read_ahead = candidates[chosen + 1 :]
        number, cells = candidates[chosen]
        return header_names(cells, max_columns), number

    @property
    def header_line(self) -> int:
        return self._header_row

    def line_of(self, number: int) -> int:
        return self._header_row + number

    def rows(self) -> Iterator[RawRow]:
        width = len(self.header)
        first = self._header_row
        for number, cells in chain(self._read_ahead, self._rows):
            if not is_blank(cells):
                yield fit(number - first, cells, width)

    def close(self) -> None:
        if self._sheet is not None:
            self._sheet.close()
        self._strings.close()
        if self._archive is not None:
            self._archive.close()


@contextmanager
def _unreadable(what: str) -> Iterator[None]:
    """Damage found while streaming (bad XML, a CRC error, a truncated member) names the part."""
    try:
        yield
    except FileRejected:
        raise
    except (ET.ParseError, zipfile.BadZipFile, zlib.error, EOFError, UnicodeError):
        raise messages.xlsx_invalid(f"{what} tidak dapat dibaca") from None


def _row_number(text: str | None, previous: int) -> int:
    if text is None:
        return previous + 1
    try:
        number = float(text)
    except ValueError:
        number = 0.5
    if not number.is_integer() or number < 1:
        raise messages.xlsx_invalid("nomor baris tidak sah di lembar kerja")
    return int(number)
