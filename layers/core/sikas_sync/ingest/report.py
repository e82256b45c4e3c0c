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
from ..domains.values import mask_nik
from ..errors import RowIssue
from ..parsing.table import Cell
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
    return text[:MAX_SHOWN_VALUE]


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
        head = json.dumps({k: v for k, v in summary.items() if k != "errors"}, ensure_ascii=False)
        out.write(head[:-1].encode() + b', "issues": [')
        self._errors.seek(0)
        while chunk := self._errors.read(1024 * 1024):
            out.write(chunk.encode())
        out.write(b"]}")
        out.seek(0)
        return out

    def close(self) -> None:
        self._errors.close()


class QuarantineWriter:
    """Rejected rows with the original header, plus the row number and error codes, as CSV.

    UTF-8 with BOM and `;` so Excel in an Indonesian locale opens it as a table; the two extra
    columns are ignored when the fixed file is uploaded again.
    """

    def __init__(self) -> None:
        self._binary: IO[bytes] = tempfile.SpooledTemporaryFile(SPOOL_BYTES)  # noqa: SIM115 - closed by close()/the caller
        self._text = io.TextIOWrapper(self._binary, encoding="utf-8", newline="", write_through=True)
        self._text.write("\ufeff")
        self._writer = csv.writer(self._text, delimiter=";")
        self.rows = 0

    def header(self, columns: list[str]) -> None:
        self._writer.writerow([*columns, "_baris", "_kesalahan"])

    def add(self, outcome: RowOutcome) -> None:
        cells = [_cell_text(cell) for cell in outcome.raw or []]
        codes = " ".join(sorted({f"{issue.column or '-'}:{issue.code}" for issue in outcome.errors}))
        self._writer.writerow([*cells, outcome.row, codes])
        self.rows += 1

    def render(self) -> IO[bytes]:
        self._text.flush()
        self._text.detach()  # hand the bytes over without closing them
        self._binary.seek(0)
        return self._binary

    def close(self) -> None:
        self._binary.close()


def _cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    return cell.isoformat() if isinstance(cell, dt.date) else str(cell)
