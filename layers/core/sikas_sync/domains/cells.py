"""What every value rule needs: its error type, and the whole numbers and digit strings of cells
that Excel typed as numbers."""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress
from typing import Any

from pydantic_core import PydanticCustomError


def problem(code: str, message: str) -> PydanticCustomError:
    """A rule's error: a stable English code and a message in Bahasa Indonesia (never the value)."""
    return PydanticCustomError(code, message)


def integral(value: object) -> int | None:
    """An Excel number that holds a whole number, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def digits_cell(value: object, width: int) -> str | None:
    """Identifier cells stored as numbers lose leading zeros in Excel; pad them back."""
    number = integral(value)
    if number is None or number < 0:
        return None
    return str(number).zfill(width)


def is_number_cell(value: object) -> bool:
    """A cell the reader typed as a number (XLSX, JSON), not text."""
    return type(value) in (int, float)


# Column forms (values.column_form) vouch for some cells of a column and leave the others.
UNDECIDED: Any = object()  # a cell a column form leaves to its normaliser


def where(values: list[Any], passed: list[bool]) -> list[Any]:
    """values where passed, UNDECIDED elsewhere."""
    if all(passed):
        return values
    return [value if ok else UNDECIDED for value, ok in zip(values, passed, strict=True)]


def where_shaped(
    values: list[Any], shaped: list[bool], checked: Callable[[list[Any]], list[Any]]
) -> list[Any]:
    """checked(values that have the shape) in their places, UNDECIDED for the others."""
    if all(shaped):
        return checked(values)
    results = iter(checked(list(compress(values, shaped))))
    return [next(results) if ok else UNDECIDED for ok in shaped]
