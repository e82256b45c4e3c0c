"""Validating one export file end to end: open, map the header, check every row, find duplicates."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import BinaryIO

from ..domains.base import Domain
from ..errors import FileRejected, FileWarning, RowIssue
from ..parsing import open_table
from ..parsing.table import ReadLimits, Table
from .headers import header_score
from .validator import (
    FileResult,
    RowOutcome,
    RowValidator,
    RulesContext,
    ValidRecord,
    duplicate_warning,
    with_line,
)

ProgressCallback = Callable[[int], None]  # called with the number of rows read so far
RecordSink = Callable[[ValidRecord], None]
PROGRESS_EVERY = 5000


def validate_file(
    source: str | os.PathLike[str] | BinaryIO,
    domain: Domain,
    *,
    name: str,
    context: RulesContext | None = None,
    limits: ReadLimits | None = None,
    on_progress: ProgressCallback | None = None,
    on_outcome: Callable[[RowOutcome], None] | None = None,
    on_header: Callable[[list[str]], None] | None = None,
    size_hint: int | None = None,
) -> FileResult:
    """Validate every row; keep counts and the first row errors. `on_outcome` sees every row, its
    issues and `line` already set to the row number Excel shows."""
    result = FileResult(file=name, domain=domain.slug)
    try:
        with open_table(
            source,
            name=name,
            limits=limits or ReadLimits(),
            size=size_hint,
            header_score=header_score(domain),
        ) as table:
            result.header_line = table.header_line or None
            validator = RowValidator(table, domain, context or RulesContext())
            result.ignored_columns = validator.columns.ignored
            if on_header is not None:
                on_header(table.header)
            if on_outcome is not None:
                on_outcome = _with_lines(on_outcome, table)
            _read_rows(validator, result, on_outcome, on_progress, table.line_of)
            if result.rows == 0:
                raise FileRejected("file_no_rows", "Berkas hanya berisi header, tanpa baris data")
            superseded = validator.superseded_rows()
            line_of = result.line_of = table.line_of
            result.file_warnings = _file_warnings(table, [line_of(row) for row in validator.totals_rows])
    except FileRejected as problem:
        result.reject(problem)
        return result
    result.add_duplicates(
        [duplicate_warning(row, winner, domain, line_of) for row, winner in sorted(superseded.items())]
    )
    if on_progress is not None:
        on_progress(result.rows)
    return result


MAX_LINES_NAMED = 5  # a file warning names this many lines, then counts the rest


def _file_warnings(table: Table, totals_lines: list[int]) -> list[FileWarning]:
    warnings: list[FileWarning] = []
    if table.title_rows:
        warnings.append(
            FileWarning(
                "title_rows_skipped",
                f"{table.title_rows} baris judul tabel di atas baris judul kolom dilewati; "
                f"baris judul kolom ada di baris {table.header_line}",
            )
        )
    if totals_lines:
        named = ", ".join(map(str, totals_lines[:MAX_LINES_NAMED]))
        more = len(totals_lines) - MAX_LINES_NAMED
        warnings.append(
            FileWarning(
                "totals_row_skipped",
                f"Baris {named}{f' dan {more} baris lain' if more > 0 else ''} dilewati: "
                "baris jumlah (JUMLAH/TOTAL), bukan data",
            )
        )
    return warnings


def _with_lines(on_outcome: Callable[[RowOutcome], None], table: Table) -> Callable[[RowOutcome], None]:
    """Consumers (reports, quarantine, results) see each outcome with the line Excel shows."""
    line_of = table.line_of

    def lined(outcome: RowOutcome) -> None:
        outcome.line = line_of(outcome.row)
        if outcome.record is None:
            outcome.errors = [with_line(issue, line_of) for issue in outcome.errors]
        elif outcome.record.warnings:
            warnings = tuple(with_line(issue, line_of) for issue in outcome.record.warnings)
            outcome.record = replace(outcome.record, warnings=warnings)
        on_outcome(outcome)

    return lined


def _read_rows(
    validator: RowValidator,
    result: FileResult,
    on_outcome: Callable[[RowOutcome], None] | None,
    on_progress: ProgressCallback | None,
    line_of: Callable[[int], int],
) -> None:
    if on_outcome is not None and on_progress is not None:
        # Both callbacks: each progress call comes right after its row's outcome, as it always has.
        for outcome in validator.outcomes():
            if outcome.record is None:
                _count(result, 0, [outcome], line_of=line_of)
            else:
                _count(result, 1, [], outcome.record.warnings, line_of)
            on_outcome(outcome)
            if result.rows % PROGRESS_EVERY == 0:
                on_progress(result.rows)
    elif on_outcome is not None:
        for outcomes in validator.outcome_batches():
            rejected = [outcome for outcome in outcomes if outcome.record is None]
            warned = [issue for outcome in outcomes if outcome.record for issue in outcome.record.warnings]
            _count(result, len(outcomes) - len(rejected), rejected, warned, line_of)
            for outcome in outcomes:
                on_outcome(outcome)
    else:
        # Nobody sees the records: count, keep the errors, remember the keys; no data or hash is made.
        for valid, rejected, warned in validator.tallies():
            before = result.rows
            _count(result, valid, rejected, warned, line_of)
            if on_progress is not None:
                for reached in range(before // PROGRESS_EVERY + 1, result.rows // PROGRESS_EVERY + 1):
                    on_progress(reached * PROGRESS_EVERY)


def _count(
    result: FileResult,
    valid: int,
    rejected: list[RowOutcome],
    warned: Iterable[RowIssue] = (),
    line_of: Callable[[int], int] | None = None,
) -> None:
    """Counts of a batch of rows, and the first `max_errors` row errors and warnings, in row order."""
    result.add_row_warnings(warned, line_of)
    result.rows += valid + len(rejected)
    result.valid += valid
    result.rejected += len(rejected)
    for outcome in rejected:
        room = result.max_errors - len(result.errors)
        if room < len(outcome.errors):
            result.errors_truncated = True
        kept = outcome.errors[:room]
        result.errors.extend([with_line(issue, line_of) for issue in kept] if line_of else kept)
