"""Streaming writers: rows go to disk as they come, whatever the file size.

XLSX is byte-identical for a seed too: workbook properties and zip member timestamps are pinned
to the sample's day instead of the wall clock.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.writer.excel import ExcelWriter

from .spec import Cell, Format

Writer = Callable[[Path, Sequence[str], Iterable[Sequence[Cell]], dt.date], None]
DATE_FORMAT = "DD/MM/YYYY"  # how an Indonesian-locale Excel shows dates
# Rows below the data that Excel still saves: cells once formatted or cleared, with no value. The
# validator skips them (domains.md v2: a row of empty cells is no data row).
TRAILING_EMPTY_ROWS = 2


def write_csv(out: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]], today: dt.date) -> None:
    # csv renders None as "" and a date through str(), which is ISO 8601.
    with out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerows([[""] * len(header)] * TRAILING_EMPTY_ROWS)  # ",,,,": what Excel writes


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def write_jsonl(out: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]], today: dt.date) -> None:
    keys = tuple(header)
    encode = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    with out.open("w", encoding="utf-8", newline="\n") as stream:
        for row in rows:
            stream.write(encode(dict(zip(keys, row, strict=True))))
            stream.write("\n")


class _PinnedZip(zipfile.ZipFile):
    """A ZipFile whose members all carry one timestamp, so equal content gives equal bytes."""

    def __init__(self, path: Path, stamp: dt.datetime) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._stamp = stamp.timetuple()[:6]

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(  # type: ignore[override]
        self, zinfo_or_arcname: str | zipfile.ZipInfo, data: bytes | str, *args: Any, **kwargs: Any
    ) -> None:
        name = (
            zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        )
        super().writestr(self._info(name), data)

    def write(  # type: ignore[override]
        self, filename: str | os.PathLike[str], arcname: str | None = None, *args: Any, **kwargs: Any
    ) -> None:
        # openpyxl's write-only sheet is a temporary file; ZipFile.write would stamp its mtime.
        with (
            open(filename, "rb") as source,
            self.open(self._info(arcname or str(filename)), "w", force_zip64=True) as target,
        ):
            shutil.copyfileobj(source, target, 1024 * 1024)


def _xlsx_cell(sheet: Any, value: Cell) -> Any:
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # text that looks like a formula stays text, as in the SIKAS export
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def _formatted_empty(sheet: Any) -> Any:
    cell = WriteOnlyCell(sheet, None)
    cell.number_format = DATE_FORMAT  # a styled cell with no value, as a cleared row keeps
    return cell


def write_xlsx(out: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]], today: dt.date) -> None:
    workbook = Workbook(write_only=True)
    stamp = dt.datetime.combine(today, dt.time())
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = "SIKAS"
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(list(header))
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    for _ in range(TRAILING_EMPTY_ROWS):
        sheet.append([_formatted_empty(sheet) for _ in header])
    archive = _PinnedZip(out, stamp)
    try:
        ExcelWriter(workbook, archive).save()
    finally:
        archive.close()


WRITERS: dict[Format, Writer] = {"csv": write_csv, "jsonl": write_jsonl, "xlsx": write_xlsx}
