"""Test support for the parsing package: reading helpers and hand-written XLSX packages.

The XLSX builder writes the XML itself so tests control every byte: cached formula values, error cells,
DOCTYPEs, external links, 1904 dates.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from sikas_sync.parsing import Cell, RawRow, ReadLimits, Table, open_table

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Style indexes in STYLES below: 1 = date (built-in format 14), 2 = date and time, 3 = time only.
DATE_STYLE, DATETIME_STYLE, TIME_STYLE = 1, 2, 3
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN_NS}">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/>
<numFmt numFmtId="165" formatCode="hh:mm"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""


@dataclass(frozen=True)
class Formula:
    """A formula cell with the value Excel cached when it last calculated the sheet."""

    formula: str
    cached: str | float | int | bool


@dataclass(frozen=True)
class Raw:
    """A cell written verbatim: `<c r=.. t=type><v>text</v></c>`, for values Python cannot express."""

    text: str
    type: str | None = None
    style: int | None = None


XCell = str | int | float | bool | dt.date | dt.datetime | dt.time | Formula | Raw | None


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _serial(value: dt.date | dt.datetime | dt.time, date1904: bool) -> float:
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
    return (moment - epoch).total_seconds() / 86400


class _Strings:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(text)
        return self.index[text]


def _cell_xml(ref: str, value: XCell, strings: _Strings | None, date1904: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, Raw):
        type_attr = f' t="{value.type}"' if value.type else ""
        style_attr = f' s="{value.style}"' if value.style is not None else ""
        return f'<c r="{ref}"{style_attr}{type_attr}><v>{escape(value.text)}</v></c>'
    if isinstance(value, Formula):
        cached = value.cached
        if isinstance(cached, bool):
            return f'<c r="{ref}" t="b"><f>{escape(value.formula)}</f><v>{int(cached)}</v></c>'
        if isinstance(cached, str):
            return f'<c r="{ref}" t="str"><f>{escape(value.formula)}</f><v>{escape(cached)}</v></c>'
        return f'<c r="{ref}"><f>{escape(value.formula)}</f><v>{cached!r}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, dt.datetime):
        return f'<c r="{ref}" s="{DATETIME_STYLE}"><v>{_serial(value, date1904)!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{_serial(value, date1904)!r}</v></c>'
    if isinstance(value, dt.time):
        return f'<c r="{ref}" s="{TIME_STYLE}"><v>{_serial(value, date1904)!r}</v></c>'
    if strings is not None:
        return f'<c r="{ref}" t="s"><v>{strings.add(value)}</v></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'


def sheet_xml(
    rows: Sequence[Sequence[XCell]],
    *,
    strings: _Strings | None = None,
    date1904: bool = False,
    first_row: int = 1,
    first_col: int = 0,
    prolog: str = "",
) -> str:
    parts = [f'{XML_DECLARATION}{prolog}<worksheet xmlns="{MAIN_NS}">']
    parts.append("<sheetData>")
    for offset, row in enumerate(rows):
        number = first_row + offset
        cells = "".join(
            _cell_xml(f"{_column(first_col + col)}{number}", value, strings, date1904)
            for col, value in enumerate(row)
        )
        if cells:
            parts.append(f'<row r="{number}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def build_xlsx(
    sheets: Mapping[str, Sequence[Sequence[XCell]]],
    *,
    shared_strings: bool = True,
    date1904: bool = False,
    first_row: int = 1,
    first_col: int = 0,
    sheet_prolog: str = "",
    strings_prolog: str = "",
    extra_parts: Mapping[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """An XLSX package with one worksheet per mapping entry, in order."""
    strings = _Strings() if shared_strings else None
    sheet_parts = {
        f"xl/worksheets/sheet{i}.xml": sheet_xml(
            rows,
            strings=strings,
            date1904=date1904,
            first_row=first_row,
            first_col=first_col,
            prolog=sheet_prolog,
        )
        for i, rows in enumerate(sheets.values(), start=1)
    }
    sheet_entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(sheets, start=1)
    )
    workbook_pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" '
        f'xmlns:r="{REL_NS}">{workbook_pr}<sheets>{sheet_entries}</sheets></workbook>'
    )
    n = len(sheets)
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1)
    )
    rels += f'<Relationship Id="rId{n + 1}" Type="{REL_NS}/styles" Target="styles.xml"/>'
    if strings is not None:
        rels += f'<Relationship Id="rId{n + 2}" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    if strings is not None:
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    parts: dict[str, bytes] = {
        "[Content_Types].xml": content_types.encode(),
        "_rels/.rels": root_rels.encode(),
        "xl/workbook.xml": workbook.encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL_NS}">{rels}</Relationships>'
        ).encode(),
        "xl/styles.xml": STYLES.encode(),
    }
    parts.update({path: text.encode() for path, text in sheet_parts.items()})
    if strings is not None:
        items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings.items)
        count = len(strings.items)
        parts["xl/sharedStrings.xml"] = (
            f"{XML_DECLARATION}{strings_prolog}"
            f'<sst xmlns="{MAIN_NS}" count="{count}" uniqueCount="{count}">{items}</sst>'
        ).encode()
    parts.update(extra_parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for path, data in parts.items():
            archive.writestr(path, data)
    return buffer.getvalue()


# --- reading helpers ----------------------------------------------------------------------------------


class NonSeekable:
    """A stream like botocore's StreamingBody: `read(n)` only, and short reads."""

    def __init__(self, data: bytes, max_read: int = 7_001) -> None:
        self._data = memoryview(data)
        self._position = 0
        self._max_read = max_read
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        size = len(self._data) if size is None or size < 0 else size
        end = min(self._position + min(size, self._max_read), len(self._data))
        chunk = bytes(self._data[self._position : end])
        self._position = end
        return chunk


def read_all(
    source: object, name: str = "export.csv", limits: ReadLimits | None = None, size: int | None = None
) -> tuple[Table, list[RawRow]]:
    """Open, read every row inside the context, and hand back both."""
    with open_table(source, name=name, limits=limits or ReadLimits(), size=size) as table:  # type: ignore[arg-type]
        rows = list(table.rows)
    return table, rows


def read_bytes(
    data: bytes, name: str = "export.csv", limits: ReadLimits | None = None, stream: bool = False
) -> tuple[Table, list[RawRow]]:
    return read_all(NonSeekable(data) if stream else io.BytesIO(data), name, limits)


def values(rows: list[RawRow]) -> list[list[Cell] | None]:
    return [row.values for row in rows]


def gzip_of_repeated(prefix: bytes, unit: bytes, count: int) -> bytes:
    """gzip of prefix + unit * count, built without holding the expanded text in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [compressor.compress(prefix)]
    block = unit * (1024 * 1024 // len(unit))
    written = 0
    total = len(unit) * count
    while written < total:
        piece = block[: total - written]
        parts.append(compressor.compress(piece))
        written += len(piece)
    parts.append(compressor.flush())
    return b"".join(parts)
