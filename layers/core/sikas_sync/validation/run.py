"""Validating one export file end to end: open, map the header, check every row, find duplicates."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import BinaryIO

from ..domains.base import Domain
from ..errors import FileRejected, RowIssue
from ..parsing import open_table
from ..parsing.table import ReadLimits
from .validator import FileResult, RowOutcome, RowValidator, RulesContext, ValidRecord, duplicate_warning

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
    """Validate every row; keep counts and the first row errors. `on_outcome` sees every row."""
    result = FileResult(file=name, domain=domain.slug)
    try:
        with open_table(source, name=name, limits=limits or ReadLimits(), size=size_hint) as table:
            validator = RowValidator(table, domain, context or RulesContext())
            result.ignored_columns = validator.columns.ignored
            if on_header is not None:
                on_header(table.header)
            _read_rows(validator, result, on_outcome, on_progress)
            if result.rows == 0:
                raise FileRejected("file_no_rows", "Berkas hanya berisi header, tanpa baris data")
            superseded = validator.superseded_rows()
    except FileRejected as problem:
        result.reject(problem)
        return result
    result.add_duplicates(
        [duplicate_warning(row, winner, domain) for row, winner in sorted(superseded.items())]
    )
    if on_progress is not None:
        on_progress(result.rows)
    return result


def _read_rows(
    validator: RowValidator,
    result: FileResult,
    on_outcome: Callable[[RowOutcome], None] | None,
    on_progress: ProgressCallback | None,
) -> None:
    if on_outcome is not None and on_progress is not None:
        # Both callbacks: each progress call comes right after its row's outcome, as it always has.
        for outcome in validator.outcomes():
            if outcome.record is None:
                _count(result, 0, [outcome])
            else:
                _count(result, 1, [], outcome.record.warnings)
            on_outcome(outcome)
            if result.rows % PROGRESS_EVERY == 0:
                on_progress(result.rows)
    elif on_outcome is not None:
        for outcomes in validator.outcome_batches():
            rejected = [outcome for outcome in outcomes if outcome.record is None]
            warned = [issue for outcome in outcomes if outcome.record for issue in outcome.record.warnings]
            _count(result, len(outcomes) - len(rejected), rejected, warned)
            for outcome in outcomes:
                on_outcome(outcome)
    else:
        # Nobody sees the records: count, keep the errors, remember the keys; no data or hash is made.
        for valid, rejected, warned in validator.tallies():
            before = result.rows
            _count(result, valid, rejected, warned)
            if on_progress is not None:
                for reached in range(before // PROGRESS_EVERY + 1, result.rows // PROGRESS_EVERY + 1):
                    on_progress(reached * PROGRESS_EVERY)


def _count(
    result: FileResult, valid: int, rejected: list[RowOutcome], warned: Iterable[RowIssue] = ()
) -> None:
    """Counts of a batch of rows, and the first `max_errors` row errors and warnings, in row order."""
    result.add_row_warnings(warned)
    result.rows += valid + len(rejected)
    result.valid += valid
    result.rejected += len(rejected)
    for outcome in rejected:
        if len(result.errors) >= result.max_errors:
            break
        result.errors.extend(outcome.errors[: result.max_errors - len(result.errors)])
