"""`outbox/results/<key>.csv`: what became of every data row of one upload, for the operator who sent it.

The ingest use case writes the file when it has processed the upload (`ResultsWriter`, fed from
`ingest.service`), the outbox run rewrites it when the upload's records are delivered or refused
(`service.rewrite_results`). One row per data row, in row order:

- `row`: the 1-based data row (the header is not counted), as in `reports/`;
- `line`: the row number Excel (or a text editor) showed for that row in the upload, as the
  quarantine's `_baris`;
- the domain's natural key columns: as read for a rejected row, normalised for the others;
- `status`: `stored` (a new version was written), `unchanged` (same content as stored: nothing to
  send), `rejected` (with every error), `warning` (superseded by a later row with the same key);
- `codes` (`column:code`, as in the quarantine's `_kesalahan`, `*:code` for no one column) and
  `messages` (Bahasa Indonesia, ` | ` between them): a rejected row's errors, or the warnings of a
  row that was accepted (stored or unchanged all the same, e.g. `tanggal_lahir:nik_birth_date_mismatch`,
  `kode_wilayah:kode_wilayah_outside_region`, `nik:nik_number_cell`) and of a superseded one;
- `record_id`, `version`: the record the row went to (empty for rejected rows);
- `delivery_status` of the row's version (`delivery.ports.delivery_status`): `delivered` (the
  ministry holds it, or a later version of the record), `rejected_by_ministry`, `blocked`, `pending`,
  or `superseded` (a later upload replaced it before it was delivered) or `erased` (the record was
  erased on request; the row's natural key is blanked then); empty until the outbox run has looked
  it up, except `pending` right after a version was written;
- `ministry_ref` (for job seekers: the SIAPkerja ID) and the ministry's `ministry_codes` /
  `ministry_messages` of a refused record.

A whole file refused (no header, wrong type, ...) gets one row with an empty `row` and `line`, status
`rejected` and the file's reason. The file carries natural keys (NIKs): it lives under `outbox/`,
encrypted, readable only by SIKAS and the admins.
"""

from __future__ import annotations

import heapq
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from ..domains.base import Domain
from ..errors import RowIssue
from ..ingest.record_ids import record_id
from ..resources import OUTBOX_RESULTS_PREFIX
from ..validation import RowOutcome
from .sheets import CSV_CONTENT_TYPE, CsvSheet

STORED, UNCHANGED, REJECTED, WARNING = "stored", "unchanged", "rejected", "warning"
# The columns after `row`, `line` and the natural key, in this order.
RESULT_COLUMNS = (
    "status",
    "codes",
    "messages",
    "record_id",
    "version",
    "delivery_status",
    "ministry_ref",
    "ministry_codes",
    "ministry_messages",
)
CONTENT_TYPE = CSV_CONTENT_TYPE
# In `codes`, a code of no one column (an unreadable row, a whole file). Not `-` as in the quarantine's
# `_kesalahan`: a cell starting with `-` would have to be defused for Excel.
NO_COLUMN = "*"
SPOOL_BYTES = 4 * 1024 * 1024


def results_key(object_key: str) -> str:
    """`outbox/results/pencari_kerja/export.csv.csv` for the upload `pencari_kerja/export.csv`."""
    return f"{OUTBOX_RESULTS_PREFIX}{object_key}.csv"


def object_key_of(key: str) -> str | None:
    """The upload's key of a results file's key; None for another key."""
    if not key.startswith(OUTBOX_RESULTS_PREFIX) or not key.endswith(".csv"):
        return None
    return key[len(OUTBOX_RESULTS_PREFIX) : -len(".csv")] or None


def results_header(domain: Domain) -> list[str]:
    return ["row", "line", *domain.natural_key, *RESULT_COLUMNS]


def codes_of(issues: Iterable[RowIssue]) -> str:
    return " ".join(f"{issue.column or NO_COLUMN}:{issue.code}" for issue in issues)


def messages_of(issues: Iterable[RowIssue]) -> str:
    return " | ".join(issue.message for issue in issues)


@dataclass(frozen=True, slots=True)
class DecidedRow:
    """A valid row of pass 2: the record it went to and whether a new version was written."""

    row: int
    natural_key: tuple[str, ...]
    record_id: str
    version: int
    stored: bool
    warnings: tuple[RowIssue, ...] = ()  # the row's own (validation), stored all the same


class ResultsWriter:
    """Collects the rows' outcomes as ingest learns them and writes them in row order.

    Rejected rows are known in the validation pass, in row order; they wait in a spool. The valid
    rows are decided batch by batch in the write pass, also in row order, with the rows superseded
    by a later duplicate announced as the pass skips them. After each batch every row up to the
    batch's last one is known, and is written; only the rows of one batch wait in memory.
    """

    def __init__(self, domain: Domain, hmac_key: bytes) -> None:
        self.domain = domain
        self._hmac_key = hmac_key
        self._sheet = CsvSheet(results_header(domain))
        self._rejected: IO[str] = tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8")  # noqa: SIM115 - closed by close()
        self._waiting: list[tuple[int, list[object]]] = []  # a heap by row
        self._reader: Iterator[str] | None = None
        self._next_rejected: tuple[int, list[object]] | None = None
        self._warnings: dict[int, list[RowIssue]] = {}
        self._line_of: Callable[[int], int] | None = None  # the upload's data row → its line

    # -- pass 1 ---------------------------------------------------------------------------------

    def add_rejected(self, outcome: RowOutcome) -> None:
        fields = outcome.fields or {}
        key = [fields.get(name) for name in self.domain.natural_key]
        cells = [
            outcome.row,
            "" if outcome.line is None else outcome.line,
            *key,
            REJECTED,
            codes_of(outcome.errors),
            messages_of(outcome.errors),
            *[""] * (len(RESULT_COLUMNS) - 3),
        ]
        self._rejected.write(json.dumps(cells, ensure_ascii=False, default=str) + "\n")

    def discard(self) -> None:
        """Forget every row: the file was refused as a whole after some rows were read."""
        self._rejected.seek(0)
        self._rejected.truncate()
        self._waiting.clear()

    def file_rejected(self, code: str, message: str) -> None:
        """The one row of a file refused as a whole."""
        self.discard()
        blanks = [""] * len(self.domain.natural_key)
        self._sheet.row(
            ["", "", *blanks, REJECTED, f"{NO_COLUMN}:{code}", message, *[""] * (len(RESULT_COLUMNS) - 3)]
        )

    # -- pass 2 ---------------------------------------------------------------------------------

    def start_decisions(
        self, warnings: Iterable[RowIssue], line_of: Callable[[int], int] | None = None
    ) -> None:
        """The validation pass is over: its warnings (by row), the lines of its rows, and the
        rejected rows from the start."""
        self._line_of = line_of
        for issue in warnings:
            self._warnings.setdefault(issue.row, []).append(issue)
        self._rejected.seek(0)
        self._reader = iter(self._rejected)
        self._advance_rejected()

    def superseded(self, row: int, natural_key: tuple[str, ...], warnings: tuple[RowIssue, ...] = ()) -> None:
        """A valid row that a later row with the same key replaced: not stored, warned."""
        issues = [*warnings, *self._warnings.get(row, [])]
        rid = record_id(self._hmac_key, self.domain.slug, natural_key)
        cells: list[object] = [
            row,
            self._line(row),
            *natural_key,
            WARNING,
            codes_of(issues),
            messages_of(issues),
            rid,
        ]
        heapq.heappush(self._waiting, (row, cells + [""] * (len(RESULT_COLUMNS) - 4)))

    def _line(self, row: int) -> int | str:
        return self._line_of(row) if self._line_of is not None else ""

    def decided(self, rows: Iterable[DecidedRow]) -> None:
        last = 0
        for decided in rows:
            status = STORED if decided.stored else UNCHANGED
            issues = [*decided.warnings, *self._warnings.get(decided.row, [])]
            cells: list[object] = [
                decided.row,
                self._line(decided.row),
                *decided.natural_key,
                status,
                codes_of(issues),
                messages_of(issues),
                decided.record_id,
                decided.version,
                # Just queued: pending. An unchanged record's state is looked up by the outbox run.
                "pending" if decided.stored else "",
                "",
                "",
                "",
            ]
            heapq.heappush(self._waiting, (decided.row, cells))
            last = max(last, decided.row)
        self._flush(through=last)

    def finish(self) -> None:
        """Every row is known: write what still waits."""
        if self._reader is None:  # no write pass (a file with no valid row goes through it too)
            self.start_decisions(())
        self._flush(through=None)

    def _advance_rejected(self) -> None:
        line = next(self._reader, None) if self._reader is not None else None
        if line is None:
            self._next_rejected = None
            return
        cells: list[Any] = json.loads(line)
        self._next_rejected = (int(cells[0]), cells)

    def _flush(self, *, through: int | None) -> None:
        while True:
            waiting = self._waiting[0][0] if self._waiting else None
            rejected = self._next_rejected[0] if self._next_rejected else None
            candidates = [row for row in (waiting, rejected) if row is not None]
            if not candidates:
                return
            row = min(candidates)
            if through is not None and row > through:
                return
            if row == rejected and self._next_rejected is not None:
                self._sheet.row(self._next_rejected[1])
                self._advance_rejected()
            else:
                self._sheet.row(heapq.heappop(self._waiting)[1])

    # -- the object -----------------------------------------------------------------------------

    @property
    def rows(self) -> int:
        return self._sheet.rows

    def render(self) -> IO[bytes]:
        self.finish()
        return self._sheet.render()

    def close(self) -> None:
        self._rejected.close()
        self._sheet.close()
