"""The files SIKAS operators open: CSV for Excel in an Indonesian locale, and JSON Lines for programs.

CSV is UTF-8 with a BOM (Excel then reads it as UTF-8) and `;` between cells (Excel's list separator
where the decimal separator is a comma). A cell that starts like a formula is written as text, with
the leading `'` the quarantine files use (`ingest.report`): outbox files carry the ministry's text
too (its error messages, records registered in SIAPkerja), which this project never validated.
Both kinds are spooled (memory up to a few MiB, then a temporary file) and handed over as bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from ..ingest.report import _cell_text

SPOOL_BYTES = 4 * 1024 * 1024
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
JSONL_CONTENT_TYPE = "application/x-ndjson; charset=utf-8"
DELIMITER = ";"
BOM = "\ufeff"


def excel_text(value: object) -> str:
    """One cell as text: lists joined with `,` (KBLI codes), dates in ISO form, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return _cell_text(",".join(excel_text(item) for item in value))
    if isinstance(value, dt.date | str | int | float):
        return _cell_text(value)
    return _cell_text(json.dumps(value, ensure_ascii=False, sort_keys=True))


class _Spool:
    def __init__(self) -> None:
        self._binary: IO[bytes] = tempfile.SpooledTemporaryFile(SPOOL_BYTES)  # noqa: SIM115 - closed by close()
        self._text = io.TextIOWrapper(self._binary, encoding="utf-8", newline="", write_through=True)
        self.rows = 0

    def render(self) -> IO[bytes]:
        """The bytes written so far, from the start; the spool is not written to any more."""
        self._text.flush()
        self._text.detach()  # hand the bytes over without closing them
        self._binary.seek(0)
        return self._binary

    def close(self) -> None:
        self._binary.close()


class CsvSheet(_Spool):
    """A header, then rows; every cell through `excel_text`."""

    def __init__(self, header: Sequence[str]) -> None:
        super().__init__()
        self.header = list(header)
        self._text.write(BOM)
        self._writer = csv.writer(self._text, delimiter=DELIMITER)
        self._writer.writerow(self.header)

    def row(self, cells: Iterable[object]) -> None:
        self._writer.writerow([excel_text(cell) for cell in cells])
        self.rows += 1


class JsonLinesSheet(_Spool):
    """One JSON object per line, UTF-8 without BOM (for programs, not for Excel)."""

    def row(self, document: dict[str, Any]) -> None:
        self._text.write(json.dumps(document, ensure_ascii=False) + "\n")
        self.rows += 1


def read_csv(body: IO[bytes]) -> Iterable[list[str]]:
    """Rows of a CSV this module wrote (BOM and `;`), streamed."""
    text = io.TextIOWrapper(body, encoding="utf-8-sig", newline="")
    yield from csv.reader(text, delimiter=DELIMITER)
