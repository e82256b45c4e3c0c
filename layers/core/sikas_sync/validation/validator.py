"""Row-by-row validation of one export against one domain, in one streaming pass."""

from __future__ import annotations

import datetime as dt
import operator
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain, compress, islice
from operator import attrgetter, itemgetter
from typing import Any, cast

from pydantic import ValidationError

from ..domains.base import CROSS_FIELD_ERROR, Domain, DomainRecord
from ..domains.office_rows import is_totals_row
from ..domains.values import DEFAULT_REGION_CODE, WIB, is_empty
from ..errors import FileRejected, FileWarning, RowIssue
from ..parsing.table import Cell, RawRow, Table
from .canonical import content_hash, record_data
from .compiled import Accepted, CompiledRules, Fallback, Problem, compile_rules, field_problem
from .headers import ColumnMap, map_header
from .places import place_issues, with_place_codes

# A key's digest is the process's own str hash (SipHash, 64 bits on 64-bit builds such as Lambda's),
# made unsigned: keys are only compared within one file in one process, and it costs a fraction of
# encoding and hashing each key with blake2b, with the same 64 bits against collisions.
if sys.hash_info.width != 64:  # pragma: no cover - 32-bit builds only
    raise ImportError("the duplicate-key check needs a 64-bit str hash")
_UNSIGNED = (1 << 64) - 1
_NUMBER = attrgetter("number")
_ROW = attrgetter("row")
KEY_PARTS = 64  # the remembered keys, split by the top 6 bits of their 64-bit digests
_PART_SHIFT = 64 - 6
BATCH_ROWS = 256  # rows validated together, a column at a time (see compiled.py), unless the reader batches


@dataclass(frozen=True, slots=True)
class RulesContext:
    """What rules depend on besides the row: the configured region and the day it is."""

    region_code: str = DEFAULT_REGION_CODE
    today: dt.date | None = None  # None: today in WIB, read once per file

    def as_context(self) -> dict[str, Any]:
        return {"region_code": self.region_code, "today": self.today or dt.datetime.now(WIB).date()}


@dataclass(frozen=True, slots=True)
class ValidRecord:
    """A row that passed: its normalised data, natural key and content hash, ready for storage."""

    row: int
    natural_key: tuple[str, ...]
    data: dict[str, Any]
    content_hash: str
    warnings: tuple[RowIssue, ...] = ()  # stored all the same; the operator should look at them


@dataclass(slots=True)
class RowOutcome:
    row: int
    record: ValidRecord | None  # None when rejected
    errors: list[RowIssue]
    # For a rejected row: its cells as read (for quarantine) and by field (for masked reports).
    raw: list[Cell] | None = None
    fields: dict[str, Cell] | None = None
    line: int | None = None  # the row number Excel shows; set before consumers see the outcome


# A rejected row's outcome, or a valid row's record data, content hash and warnings (its key comes
# later); None for a row that is no data row (every cell empty, placeholders included).
Verdict = RowOutcome | Accepted | None


def warning_issues(row: int, problems: list[Problem]) -> tuple[RowIssue, ...]:
    return tuple(RowIssue(row, column, code, message, "warning") for column, code, message in problems)


def _empty_row(values: list[Cell]) -> bool:
    """A row whose every cell is empty or a placeholder for "none": not a data row (domains.md v2).
    Asked only of rejected rows: such a row always misses its required columns."""
    return all(map(is_empty, values))


def row_errors(
    row: int,
    error: ValidationError,
    model: type[DomainRecord] | None = None,
    data: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> list[RowIssue]:
    """pydantic's errors as operator-facing issues; the offending input is never carried along.

    Given the model and the row's data, the cross-field rules among the fields that did pass are
    added, so a row reports every error it has.
    """
    issues, failed = _converted(row, error)
    # Field errors mean pydantic never reached the model's rules; run those that still apply.
    if model is not None and data is not None and failed:
        for rule in model.partial_rule_issues(data, failed, context or {}):
            issues.append(RowIssue(row, rule["column"], rule["code"], rule["message"]))
    return issues


def _converted(row: int, error: ValidationError) -> tuple[list[RowIssue], set[str]]:
    """The issues, and the fields that failed on their own (not through a cross-field rule)."""
    issues: list[RowIssue] = []
    failed_fields: set[str] = set()
    for item in error.errors(include_url=False, include_input=False):
        if item["type"] == CROSS_FIELD_ERROR:
            for rule in item.get("ctx", {}).get("issues", []):
                issues.append(RowIssue(row, rule["column"], rule["code"], rule["message"]))
            continue
        column, code, message = field_problem(
            str(item["loc"][0]) if item["loc"] else None, item["type"], item["msg"]
        )
        issues.append(RowIssue(row, column, code, message))
        if column:
            failed_fields.add(column)
    return issues, failed_fields


class RowValidator:
    """Validates the rows of one table. Construct it, iterate `outcomes()`, then ask `duplicates()`."""

    def __init__(self, table: Table, domain: Domain, context: RulesContext) -> None:
        self.domain = domain
        self.columns: ColumnMap = map_header(table.header, domain, table.header_line)
        self._width = len(table.header)
        places = self.columns.place_names
        if places is not None:
            with_place_codes(table, places[1], places[2], context.region_code)
        self._table = table
        self.totals_rows: list[int] = []  # rows skipped as an office's totals row (JUMLAH, TOTAL)
        self._context = context.as_context()
        # Natural keys are remembered as 8-byte digests in flat arrays: a 1,000,000-row export costs
        # 12 MB here instead of a dict of tuples. The arrays are split by the digest's top bits, so
        # finding repeats sorts one part at a time and never holds all digests as Python ints.
        self._key_digests = [array("Q") for _ in range(KEY_PARTS)]
        self._key_rows = [array("I") for _ in range(KEY_PARTS)]

    def outcomes(self) -> Iterator[RowOutcome]:
        return chain.from_iterable(self.outcome_batches())

    def outcome_batches(self) -> Iterator[list[RowOutcome]]:
        """`outcomes`, a list at a time, in row order."""
        compiled = compile_rules(self.domain.model, dict(self.columns.positions), self._context)
        if compiled is None:
            for raw in self._table.rows:
                outcome = self._validate(raw)
                if outcome is not None:
                    yield [outcome]
            return
        batches = self._table.row_batches
        if batches is None:
            batches = _batched(self._table.rows)
        for batch in batches:
            yield self._batch_outcomes(batch, compiled)

    def tallies(self) -> Iterator[tuple[int, list[RowOutcome], list[RowIssue]]]:
        """(valid rows, rejected rows' outcomes, valid rows' warnings) of each batch of rows, in row
        order, for a caller that needs no records: no record data or hash is made, only the keys."""
        compiled = compile_rules(self.domain.model, dict(self.columns.positions), self._context)
        if compiled is None:
            for outcomes in self.outcome_batches():
                rejected = [outcome for outcome in outcomes if outcome.record is None]
                warned = [
                    issue for outcome in outcomes if outcome.record for issue in outcome.record.warnings
                ]
                yield len(outcomes) - len(rejected), rejected, warned
            return
        batches = self._table.row_batches
        for batch in _batched(self._table.rows) if batches is None else batches:
            yield self._tally(batch, compiled)

    def _tally(
        self, batch: list[RawRow], compiled: CompiledRules
    ) -> tuple[int, list[RowOutcome], list[RowIssue]]:
        width = compiled.width
        readable = [raw.values for raw in batch if raw.values is not None and len(raw.values) >= width]
        names = self.domain.natural_key
        checked, warned = compiled.check_batch_keys(readable, names)
        if len(readable) < len(batch):
            return self._tally_rows(batch, checked, warned, compiled)
        # Every row readable (the usual batch): the passed rows' numbers and keys at once, in row order.
        passed = [key is not None for key in checked]
        numbers = list(compress(map(_NUMBER, batch), passed))
        keys = cast(list[tuple[str, ...]], list(compress(checked, passed)))
        warnings = [
            issue
            for position, found in warned.items()
            for issue in warning_issues(batch[position].number, found)
        ]
        rejected: list[RowOutcome] = []
        if len(numbers) < len(batch):
            for raw in compress(batch, map(operator.not_, passed)):
                verdict = self._checked_row(raw, cast(list[Cell], raw.values), compiled)
                if verdict is None:
                    continue
                if isinstance(verdict, RowOutcome):
                    rejected.append(verdict)
                else:  # pydantic accepted what the batch could not vouch for (rare): superseded_rows sorts
                    numbers.append(raw.number)
                    keys.append(tuple(str(verdict[0][name]) for name in names))
                    warnings.extend(warning_issues(raw.number, verdict[2]))
            warnings.sort(key=_ROW)
        self._remember_keys(numbers, keys)
        return len(numbers), rejected, warnings

    def _tally_rows(
        self,
        batch: list[RawRow],
        checked: list[tuple[str, ...] | None],
        warned: dict[int, list[Problem]],
        compiled: CompiledRules,
    ) -> tuple[int, list[RowOutcome], list[RowIssue]]:
        """`_tally` for a batch with unreadable rows, one row at a time."""
        width = compiled.width
        names = self.domain.natural_key
        numbers: list[int] = []
        keys: list[tuple[str, ...]] = []
        rejected: list[RowOutcome] = []
        warnings: list[RowIssue] = []
        position = 0  # in the batch's readable rows, as checked and warned count them
        for raw in batch:
            values = raw.values
            if values is None or len(values) < width:
                verdict = self._verdict(raw)
            else:
                key = checked[position]
                found = warned.get(position)
                position += 1
                if key is not None:
                    numbers.append(raw.number)
                    keys.append(key)
                    if found:
                        warnings.extend(warning_issues(raw.number, found))
                    continue
                verdict = self._checked_row(raw, values, compiled)
            if verdict is None:
                continue
            if isinstance(verdict, RowOutcome):
                rejected.append(verdict)
            else:
                numbers.append(raw.number)
                keys.append(tuple(str(verdict[0][name]) for name in names))
                warnings.extend(warning_issues(raw.number, verdict[2]))
        self._remember_keys(numbers, keys)
        return len(numbers), rejected, warnings

    def _remember_keys(self, numbers: list[int], keys: list[tuple[str, ...]]) -> None:
        digests = map(_UNSIGNED.__and__, map(hash, map("\x1f".join, keys)))
        parts, part_rows = self._key_digests, self._key_rows
        for digest, number in zip(digests, numbers, strict=True):
            part = digest >> _PART_SHIFT
            parts[part].append(digest)
            part_rows[part].append(number)

    def _batch_outcomes(self, batch: list[RawRow], compiled: CompiledRules) -> list[RowOutcome]:
        width = compiled.width
        readable = [raw.values for raw in batch if raw.values is not None and len(raw.values) >= width]
        checked = iter(compiled.check_batch(readable))
        verdicts: list[Verdict] = []
        for raw in batch:
            values = raw.values
            if values is None or len(values) < width:
                verdicts.append(self._verdict(raw))
                continue
            accepted = next(checked)
            verdicts.append(self._checked_row(raw, values, compiled) if accepted is None else accepted)
        return self._settled(batch, verdicts)

    def _checked_row(self, raw: RawRow, values: list[Cell], compiled: CompiledRules) -> Verdict:
        """A row the batch did not accept: its problems, or pydantic's verdict when only it can say."""
        try:
            checked = compiled.check(values)
        except Fallback:
            return self._verdict(raw)
        if isinstance(checked, tuple):
            return checked
        if self._no_data(raw.number, values):
            return None
        data = {name: values[index] for name, index in self.columns.positions}
        issues = [RowIssue(raw.number, column, code, message) for column, code, message in checked]
        return self._rejected(raw.number, issues, values, data)

    def _rejected(
        self, number: int, issues: list[RowIssue], values: list[Cell], data: dict[str, Cell]
    ) -> RowOutcome:
        places = self.columns.place_names
        if places is not None and len(values) > self._width:
            # The code resolved from names is no cell of the upload: the quarantine shows the names.
            issues = place_issues(issues, places[0], values[self._width])
            values = values[: self._width]
        return RowOutcome(number, None, issues, raw=values, fields=data)

    def _no_data(self, number: int, values: list[Cell]) -> bool:
        """A rejected row that is no data row: all empty, or a totals row (remembered for a warning)."""
        if _empty_row(values):
            return True
        if is_totals_row(values):
            self.totals_rows.append(number)
            return True
        return False

    def _validate(self, raw: RawRow, *_: Any) -> RowOutcome | None:
        verdict = self._verdict(raw)
        if verdict is None or isinstance(verdict, RowOutcome):
            return verdict
        return self._settled([raw], [verdict])[0]

    def _verdict(self, raw: RawRow) -> Verdict:
        """pydantic's verdict on a row: its outcome when rejected, its record data and hash when valid."""
        if raw.values is None:
            code, message = raw.error or ("row_unreadable", "Baris tidak dapat dibaca")
            return RowOutcome(raw.number, None, [RowIssue(raw.number, None, code, message)], raw=raw.cells)
        model, context = self.domain.model, self._context
        values = raw.values
        width = len(values)
        data = {name: values[index] for name, index in self.columns.positions if index < width}
        try:
            parsed = model.model_validate(data, context=context)
        except ValidationError as error:
            if self._no_data(raw.number, values):
                return None
            issues = row_errors(raw.number, error, model, data, context)
            return self._rejected(raw.number, issues, values, data)
        record_values = record_data(parsed)
        warned = model.row_warnings(data, parsed.__dict__, context)
        problems: list[Problem] = [(issue["column"], issue["code"], issue["message"]) for issue in warned]
        return record_values, content_hash(record_values), problems

    def _settled(self, batch: list[RawRow], verdicts: list[Verdict]) -> list[RowOutcome]:
        """The rows' outcomes (none for a row that is no data row); the natural keys of the valid
        ones are remembered, in row order."""
        paired = zip(batch, verdicts, strict=True)
        accepted = [(raw.number, verdict) for raw, verdict in paired if isinstance(verdict, tuple)]
        numbers = [number for number, _ in accepted]
        datas = [data for _, (data, _, _) in accepted]
        names = self.domain.natural_key
        texts = (map(str, map(itemgetter(name), datas)) for name in names)
        keys: list[tuple[str, ...]] = list(zip(*texts, strict=True))
        self._remember_keys(numbers, keys)
        records = map(
            ValidRecord,
            numbers,
            keys,
            datas,
            [digest for _, (_, digest, _) in accepted],
            [warning_issues(number, found) if found else () for number, (_, _, found) in accepted],
        )
        return [
            verdict if isinstance(verdict, RowOutcome) else RowOutcome(raw.number, next(records), [])
            for raw, verdict in zip(batch, verdicts, strict=True)
            if verdict is not None
        ]

    def superseded_rows(self) -> dict[int, int]:
        """Rows whose natural key appears again later in the file: {earlier row: the row that wins}."""
        superseded: dict[int, int] = {}
        for digests, rows in zip(self._key_digests, self._key_rows, strict=True):
            ordered = sorted(digests)
            repeated = set(compress(ordered, map(operator.eq, ordered, islice(ordered, 1, None))))
            del ordered
            if not repeated:
                continue
            groups: dict[int, list[int]] = {}
            for position in compress(range(len(digests)), map(repeated.__contains__, digests)):
                groups.setdefault(digests[position], []).append(rows[position])
            for members in groups.values():  # the last row wins
                members.sort()  # a batch may list a row pydantic rescued after the others
                for earlier in members[:-1]:
                    superseded[earlier] = members[-1]
        return superseded


def _batched(rows: Iterator[RawRow]) -> Iterator[list[RawRow]]:
    rows = iter(rows)
    while True:
        batch: list[RawRow] = []
        try:
            for raw in rows:
                batch.append(raw)
                if len(batch) == BATCH_ROWS:
                    break
        except BaseException:
            # The reader gave up part-way: the rows read before still come out first, in order.
            if batch:
                yield batch
            raise
        if not batch:
            return
        yield batch


def with_line(issue: RowIssue, line_of: Any) -> RowIssue:
    return issue if issue.line is not None else replace(issue, line=line_of(issue.row))


def duplicate_warning(row: int, winner: int, domain: Domain, line_of: Any = None) -> RowIssue:
    """`line_of` (a data row → its line) makes the message name the line Excel shows."""
    shown = line_of(winner) if line_of else winner
    return RowIssue(
        row,
        ",".join(domain.natural_key),
        "duplicate_key",
        f"Kunci yang sama muncul lagi di baris {shown}; baris {shown} yang dipakai",
        severity="warning",
        line=line_of(row) if line_of else None,
    )


@dataclass(slots=True)
class FileResult:
    """The per-file summary of cli.md (`files[]` entry) for validation."""

    file: str
    domain: str | None
    status: str = "processed"  # or "rejected"
    reason: str | None = None
    reason_code: str | None = None
    rows: int = 0
    valid: int = 0
    rejected: int = 0
    warnings: int = 0  # every warning: the valid rows' own and the duplicate keys
    errors: list[RowIssue] = field(default_factory=list)  # first `max_errors` row errors
    # The first `max_errors` warnings of all kinds, in row order (cli.md's `row_warnings`).
    row_warnings: list[RowIssue] = field(default_factory=list)
    # Every duplicate_key warning: which rows a later row with the same key replaced.
    duplicate_warnings: list[RowIssue] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    max_errors: int = 100
    errors_truncated: bool = False  # some rejected rows' errors are not in `errors` (see the report)
    # About the file as a whole: a title block above the header, totals rows skipped.
    file_warnings: list[FileWarning] = field(default_factory=list)
    header_line: int | None = None
    # The upload's data row → its line, for those who write rows later (the results file).
    line_of: Callable[[int], int] | None = field(default=None, repr=False, compare=False)

    def reject(self, problem: FileRejected) -> None:
        self.status, self.reason, self.reason_code = "rejected", problem.message, problem.code
        self.rows = self.valid = self.rejected = self.warnings = 0
        self.errors, self.row_warnings, self.duplicate_warnings = [], [], []
        self.errors_truncated, self.file_warnings = False, []

    @property
    def warnings_truncated(self) -> bool:
        return self.warnings > len(self.row_warnings)

    def add_row_warnings(self, issues: Iterable[RowIssue], line_of: Any = None) -> None:
        """Warnings of valid rows, in row order, as they are found: counted, the first ones kept
        (with their lines, when `line_of` maps data rows to lines)."""
        for issue in issues:
            self.warnings += 1
            if len(self.row_warnings) < self.max_errors:
                self.row_warnings.append(with_line(issue, line_of) if line_of else issue)

    def add_duplicates(self, issues: list[RowIssue]) -> None:
        """The duplicate_key warnings, known at the end of the file: counted and merged in row order."""
        self.duplicate_warnings = issues
        self.warnings += len(issues)
        merged = sorted([*self.row_warnings, *issues[: self.max_errors]], key=_ROW)  # stable: own first
        self.row_warnings = merged[: self.max_errors]

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "domain": self.domain,
            "status": self.status,
            "reason": self.reason,
            "rows": self.rows,
            "valid": self.valid,
            "rejected": self.rejected,
            "warnings": self.warnings,
            "errors": [issue.as_dict() for issue in self.errors],
            "errors_truncated": self.errors_truncated,
            "row_warnings": [issue.as_dict() for issue in self.row_warnings],
            "warnings_truncated": self.warnings_truncated,
            "file_warnings": [warning.as_dict() for warning in self.file_warnings],
            "header_line": self.header_line,
        }
