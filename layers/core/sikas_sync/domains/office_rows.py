"""Rows office spreadsheets carry that are no data: the closing totals row ("JUMLAH", "TOTAL").

Offices sum their tables before they export them. Such a row has a label in its first filled cell
and nothing but numbers or empty cells after it; it is skipped with a file warning, never
quarantined as a broken record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .values import is_empty

TOTAL_LABELS = frozenset(
    {
        "jumlah", "jumlah total", "jumlah keseluruhan", "jumlah akhir", "jml", "total",
        "grand total", "total keseluruhan", "sub total", "subtotal", "jumlah seluruhnya",
    }
)  # fmt: skip
_LABEL_NOISE = re.compile(r"[^a-z]+")
# A number as offices type it in a totals row: 1.234, 1,5, Rp 3.500.000,-, 96%.
_NUMBER_TEXT = re.compile(r"(?:rp\.?\s*)?[-+]?[\d.,\s]*\d[\d.,\s]*(?:,-)?\s*%?", re.IGNORECASE)


def _label(text: str) -> str:
    return _LABEL_NOISE.sub(" ", text.lower()).strip()


def is_totals_row(values: Sequence[object]) -> bool:
    """True when the first filled cell is a totals label and every later cell is empty or a number."""
    filled = [value for value in values if not is_empty(value)]
    if not filled or not isinstance(filled[0], str) or _label(filled[0]) not in TOTAL_LABELS:
        return False
    return all(_is_number(value) for value in filled[1:])


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()) is not None
