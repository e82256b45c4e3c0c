"""What the reader needs from an XLSX package besides the sheet itself: which part is the first
worksheet, where the shared strings are, which cell styles show numbers as dates, and the epoch.

Read with the standard library's ElementTree; `xlsx.inspect_package` has already refused DTDs,
entities, bombs and external links before any of this runs.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from sikas_sync.parsing import messages

WORKBOOK_PART = "xl/workbook.xml"
_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELATIONSHIP_ID = f"{{{_RELATIONSHIPS_NS}}}id"
WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)

# Built-in number formats (ECMA-376 18.8.30) that show a date or time; 46 is the duration [h]:mm:ss.
BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
BUILTIN_DURATION_FORMATS = frozenset({46})
BUILTIN_PERCENT_FORMATS = frozenset({9, 10})  # 0% and 0.00%
FIRST_CUSTOM_FORMAT = 164
# A format code is a date when, outside quoted text and [locale]/[colour] brackets, it has a date or
# time letter not escaped by \ or _ (the same reading as openpyxl's, so cells type as they did).
_IGNORED_IN_FORMAT = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE)


@dataclass(frozen=True)
class WorkbookLayout:
    sheet_name: str
    sheet_part: str
    sheet_count: int
    shared_strings_part: str | None
    date_styles: frozenset[int]
    duration_styles: frozenset[int]
    epoch: dt.datetime
    percent_styles: frozenset[int] = frozenset()


def read_layout(archive: zipfile.ZipFile) -> WorkbookLayout:
    names = set(archive.namelist())
    workbook = _parse(archive, WORKBOOK_PART)
    ns = namespace_of(workbook.tag)
    relationships = _relationships(archive, WORKBOOK_PART, names)

    sheets: list[tuple[str, str]] = []
    sheet_count = 0
    for sheet in workbook.iter(f"{ns}sheet"):
        target = relationships.get(sheet.get(_RELATIONSHIP_ID, ""))
        if target is None or target[1] not in names:
            continue  # a sheet whose part is missing is skipped, as Excel does
        sheet_count += 1
        if target[0] == "worksheet":  # not a chart sheet
            sheets.append((sheet.get("name", ""), target[1]))
    if not sheets:
        raise messages.xlsx_invalid("tidak memiliki lembar kerja")

    properties = workbook.find(f"{ns}workbookPr")
    date1904 = properties is not None and properties.get("date1904", "").lower() in ("1", "true")
    by_type = {kind: path for kind, path in relationships.values() if path in names}
    date_styles, duration_styles, percent_styles = _number_styles(archive, by_type.get("styles"))
    return WorkbookLayout(
        sheet_name=sheets[0][0],
        sheet_part=sheets[0][1],
        sheet_count=sheet_count,
        shared_strings_part=by_type.get("sharedStrings"),
        date_styles=date_styles,
        duration_styles=duration_styles,
        epoch=MAC_EPOCH if date1904 else WINDOWS_EPOCH,
        percent_styles=percent_styles,
    )


def namespace_of(tag: str) -> str:
    """`{uri}` of a Clark-notation tag, or '' (ECMA and strict OOXML differ only in the uri)."""
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def _parse(archive: zipfile.ZipFile, part: str) -> ET.Element:
    try:
        with archive.open(part) as source:
            return ET.parse(source).getroot()  # noqa: S314 - DTDs/entities refused by inspect_package
    except KeyError:
        raise messages.xlsx_invalid(f"bagian {part} tidak ada") from None
    except ET.ParseError:
        raise messages.xlsx_invalid(f"bagian {part} bukan XML yang sah") from None


def _relationships(archive: zipfile.ZipFile, source_part: str, names: set[str]) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type's last word, part path) for the internal targets of a part."""
    folder, file_name = posixpath.split(source_part)
    rels_part = posixpath.join(folder, "_rels", f"{file_name}.rels")
    if rels_part not in names:
        raise messages.xlsx_invalid("relasi buku kerja (workbook.xml.rels) tidak ada")
    found: dict[str, tuple[str, str]] = {}
    for relationship in _parse(archive, rels_part):
        target = relationship.get("Target", "")
        if relationship.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        kind = relationship.get("Type", "").rsplit("/", 1)[-1]
        found[relationship.get("Id", "")] = (kind, posixpath.normpath(path))
    return found


def _number_styles(
    archive: zipfile.ZipFile, styles_part: str | None
) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """Indexes of the cell formats (the `s` of a cell) that show numbers as dates, as durations and
    as percentages."""
    if styles_part is None:
        return frozenset(), frozenset(), frozenset()
    styles = _parse(archive, styles_part)
    ns = namespace_of(styles.tag)
    custom = {
        _int(number_format.get("numFmtId")): number_format.get("formatCode", "")
        for number_format in styles.iter(f"{ns}numFmt")
    }
    dates: set[int] = set()
    durations: set[int] = set()
    percents: set[int] = set()
    cell_formats = styles.find(f"{ns}cellXfs")
    for index, cell_format in enumerate(cell_formats if cell_formats is not None else ()):
        format_id = _int(cell_format.get("numFmtId"))
        if format_id in custom:
            code = custom[format_id]
            is_date, is_duration = is_date_format(code), is_duration_format(code)
            is_percent = not is_date and is_percent_format(code)
        else:
            is_date, is_duration = format_id in BUILTIN_DATE_FORMATS, format_id in BUILTIN_DURATION_FORMATS
            is_percent = format_id in BUILTIN_PERCENT_FORMATS
        if is_date:
            dates.add(index)
        if is_duration:
            durations.add(index)
        if is_percent:
            percents.add(index)
    return frozenset(dates), frozenset(durations), frozenset(percents)


def is_percent_format(code: str) -> bool:
    """A `%` outside quoted text and brackets: Excel shows the number times 100 (0.96 as 96%)."""
    first = code.split(";", maxsplit=1)[0]
    return "%" in _IGNORED_IN_FORMAT.sub("", first).replace("\\%", "")


def is_date_format(code: str) -> bool:
    first = code.split(";", maxsplit=1)[0]  # the positive-number section decides
    return _DATE_LETTER.search(_IGNORED_IN_FORMAT.sub("", first)) is not None


def is_duration_format(code: str) -> bool:
    return _DURATION.search(code.split(";", maxsplit=1)[0]) is not None


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        raise messages.xlsx_invalid("format angka pada styles.xml tidak sah") from None
