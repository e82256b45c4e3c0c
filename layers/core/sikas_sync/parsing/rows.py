"""Row rules shared by every format: blank rows, header cells, and fitting a row to the header."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sikas_sync.parsing import messages
from sikas_sync.parsing.table import Cell, HeaderScore, RawRow


def is_blank(values: Sequence[Cell]) -> bool:
    """True when no cell holds anything but whitespace."""
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def header_names(values: Sequence[Cell], max_columns: int) -> list[str]:
    """Header cells as trimmed strings; trailing empty cells (a trailing delimiter, styled but
    empty spreadsheet columns) are dropped so that they do not count as columns."""
    names = [_header_text(value) for value in values]
    if names:
        names[0] = names[0].lstrip("\ufeff").strip()
    while names and not names[-1]:
        names.pop()
    if len(names) > max_columns:
        raise messages.header_too_wide(len(names), max_columns)
    return names


def best_header(candidates: Sequence[Sequence[Cell]], score: HeaderScore | None) -> int:
    """Which of the first non-blank rows is the header: the one naming most fields (the earliest
    on a tie); the first row when none names any, so the answer is today's "missing columns"."""
    if score is None or len(candidates) < 2:
        return 0
    scores = [score([_header_text(value) for value in cells]) for cells in candidates]
    return scores.index(max(scores))


def _header_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def fit(number: int, values: list[Cell], width: int) -> RawRow:
    """Pad a short row with None; a long one is an error unless its extra cells are all empty."""
    if len(values) > width:
        extra = values[width:]
        if not is_blank(extra):
            last_filled = max(i for i, value in enumerate(values) if not is_blank((value,))) + 1
            error = messages.too_many_columns(last_filled, width)
            return RawRow(number, None, error, cells=values)
        del values[width:]
    elif len(values) < width:
        values.extend([None] * (width - len(values)))
    return RawRow(number, values)
