"""The per-file report and the quarantine of rejected rows, streamed to temporary files.

Reports leave the encrypted record store and are read by operators: personal values in them are
masked. Quarantine files keep rejected rows' originals (encrypted in the bucket) so SIKAS can fix
and re-upload them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from typing import IO, Any

from ..domains.base import Domain
from ..domains.values import is_placeholder
from ..errors import RowIssue
from ..parsing.table import Cell
from ..privacy import mask_nik, mask_nik_shaped
from ..validation import RowOutcome

SPOOL_BYTES = 4 * 1024 * 1024  # reports stay in memory up to this size, then go to /tmp
ALWAYS_PERSONAL = frozenset(
    {"nik", "nama", "tempat_lahir", "tanggal_lahir", "alamat", "no_hp", "email", "npwp"}
)
MAX_SHOWN_VALUE = 40


def masked_value(column: str | None, value: Cell, personal: frozenset[str]) -> str | None:
    """What a report may show of a cell: NIK as `1209************`, other personal data as stars."""
    if value is None or column is None:
        return None
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if column == "nik" or column.startswith("nik"):
        return mask_nik(text)
    if column in personal or column in ALWAYS_PERSONAL:
        return "*" * min(len(text), 8)
    # A NIK typed into the wrong column is still a NIK.
    return mask_nik_shaped(text[:MAX_SHOWN_VALUE])


class ReportWriter:
    """Collects row errors and warnings into a JSON report without holding them all in memory."""

    def __init__(self, domain: Domain | None) -> None:
        self._personal = domain.model.personal_fields if domain else frozenset()
        self._errors: IO[str] = tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8")  # noqa: SIM115 - closed by close()/the caller
        self._count = 0

    def add_rejected(self, outcome: RowOutcome) -> None:
        for issue in outcome.errors:
            value = outcome.fields.get(issue.column) if outcome.fields and issue.column else None
            self._write(issue, masked_value(issue.column, value, self._personal))

    def discard(self) -> None:
        """Forget every issue: the file was refused as a whole after some rows were read."""
        self._errors.seek(0)
        self._errors.truncate()
        self._count = 0

    def add_warning(self, issue: RowIssue) -> None:
        self._write(issue, None)

    def _write(self, issue: RowIssue, value: str | None) -> None:
        entry: dict[str, Any] = {**issue.as_dict(), "severity": issue.severity}
        if value is not None:
            entry["value"] = value
        self._errors.write(("," if self._count else "") + json.dumps(entry, ensure_ascii=False))
        self._count += 1

    def render(self, summary: dict[str, Any]) -> IO[bytes]:
        """The report JSON: the summary's fields, then every issue (`issues`), as one document."""
        out: IO[bytes] = tempfile.SpooledTemporaryFile(SPOOL_BYTES)  # noqa: SIM115 - closed by close()/the caller
        # `issues` holds every error and warning; the summary's first hundred of each would repeat them.
        listed = ("errors", "row_warnings")
        head = json.dumps({k: v for k, v in summary.items() if k not in listed}, ensure_ascii=False)
        out.write(head[:-1].encode() + b', "issues": [')
        self._errors.seek(0)
        while chunk := self._errors.read(1024 * 1024):
            out.write(chunk.encode())
        out.write(b"]}")
        out.seek(0)
        return out

    def close(self) -> None:
        self._errors.close()


def problems_text(issues: list[RowIssue]) -> str:
    """A row's errors as an operator reads them: `kolom: pesan [code]`, one after another."""
    return " | ".join(f"{issue.column or 'baris'}: {issue.message} [{issue.code}]" for issue in issues)


class QuarantineWriter:
    """Rejected rows with the original header, plus `_baris` (the row number Excel showed in the
    upload) and `_kesalahan` (every error in Bahasa Indonesia with its code), as CSV.

    UTF-8 with BOM and `;` so Excel in an Indonesian locale opens it as a table; the two extra
    columns are ignored when the fixed file is uploaded again.
    """

    def __init__(self) -> None:
        self._binary: IO[bytes] = tempfile.SpooledTemporaryFile(SPOOL_BYTES)  # noqa: SIM115 - closed by close()/the caller
        self._text = io.TextIOWrapper(self._binary, encoding="utf-8", newline="", write_through=True)
        self._text.write("\ufeff")
        self._writer = csv.writer(self._text, delimiter=";")
        self._width = 0
        self._header: list[str] = []
        self.rows = 0

    def header(self, columns: list[str]) -> None:
        self._width = len(columns)
        self._header = [*columns, "_baris", "_kesalahan"]
        self._writer.writerow(self._header)

    def add(self, outcome: RowOutcome) -> None:
        # A row the reader could not read at all has no cells (its original stays in the upload);
        # padding keeps its row number and codes under their own columns.
        cells = [_cell_text(cell) for cell in outcome.raw or []]
        cells += [""] * (self._width - len(cells))
        # Cells beyond the header (a row with too many columns) follow the two extra columns.
        line = outcome.line if outcome.line is not None else outcome.row
        self._writer.writerow(
            [*cells[: self._width], line, problems_text(outcome.errors), *cells[self._width :]]
        )
        self.rows += 1

    def discard(self) -> None:
        self._text.seek(0)
        self._text.truncate()
        self._text.write("\ufeff")
        if self._header:
            self._writer.writerow(self._header)
        self.rows = 0

    def render(self) -> IO[bytes]:
        self._text.flush()
        self._text.detach()  # hand the bytes over without closing them
        self._binary.seek(0)
        return self._binary

    def close(self) -> None:
        self._binary.close()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    text = cell.isoformat() if isinstance(cell, dt.date) else str(cell)
    # The file is opened in Excel: a cell that starts like a formula is shown as text (leading ').
    # A placeholder for none (`-`, `- tidak ada -`) is no formula Excel could run, and must stay
    # one when the fixed rows are uploaded again.
    return "'" + text if text.startswith(_FORMULA_START) and not is_placeholder(text) else text
