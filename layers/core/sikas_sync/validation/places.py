"""Rows whose region comes as kecamatan and desa/kelurahan names get the resolved code as one more
cell, where the column map expects the code field; names that do not resolve say why."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ..errors import RowIssue
from ..parsing.table import Cell, RawRow, Table
from ..reference.place_names import Unresolved, resolve


class UnresolvedPlace(str):
    """The code cell of names that gave no single code: fails the code rule, then its issue is
    replaced by the reason (`place_issues`)."""

    reason: Unresolved

    def __new__(cls, reason: Unresolved) -> UnresolvedPlace:
        made = super().__new__(cls, "?")
        made.reason = reason
        return made


def _name(cell: Cell) -> str | None:
    if cell is None:
        return None
    text = str(cell).strip()
    return text or None


def with_place_codes(table: Table, kecamatan: int | None, desa: int | None, region_code: str) -> None:
    """Make every readable row of `table` one cell longer: the code its names resolve to."""

    def code_of(values: list[Cell]) -> Cell:
        found = resolve(
            region_code,
            _name(values[kecamatan]) if kecamatan is not None else None,
            _name(values[desa]) if desa is not None else None,
        )
        return UnresolvedPlace(found) if isinstance(found, Unresolved) else found

    def extended(row: RawRow) -> RawRow:
        if row.values is not None:
            row.values.append(code_of(row.values))
        return row

    def rows(source: Iterator[RawRow]) -> Iterator[RawRow]:
        return map(extended, source)

    def batches(source: Iterator[list[RawRow]]) -> Iterator[list[RawRow]]:
        for batch in source:
            yield [extended(row) for row in batch]

    if table.row_batches is not None:
        table.row_batches = batches(table.row_batches)
    table.rows = rows(table.rows)


def place_issues(issues: list[RowIssue], field: str, cell: Cell) -> list[RowIssue]:
    """A row's issues with the code field's replaced by why its names did not resolve."""
    if not isinstance(cell, UnresolvedPlace):
        return issues
    reason = cell.reason
    fixed = [
        replace(issue, code=reason.code, message=reason.message) for issue in issues if issue.column == field
    ]
    return [issue for issue in issues if issue.column != field] + fixed[:1]
