"""What a sample run is asked for and what it hands back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Format = Literal["csv", "xlsx", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "jsonl")

# One raw cell as an export holds it: dates stay `date` objects until a writer renders them.
Cell = str | int | float | dt.date | None
Row = dict[str, Cell]


@dataclass
class SampleSpec:
    domain: str
    rows: int
    seed: int = 0
    invalid_ratio: float = 0.0
    # Rows that stay valid with one known warning (domains with known warnings: see breakages.WARNS).
    warn_ratio: float = 0.0
    format: Format = "csv"
    region_code: str = "12.09"
    today: dt.date | None = None  # None: today in WIB

    @property
    def broken_rows(self) -> int:
        """How many rows get exactly one known error."""
        return round(self.rows * self.invalid_ratio)

    @property
    def warned_rows(self) -> int:
        """How many rows get exactly one known warning, where the domain has such (never more than
        the rows left once the broken ones are chosen)."""
        return min(round(self.rows * self.warn_ratio), self.rows - self.broken_rows)

    def check(self) -> None:
        if self.rows < 0:
            raise ValueError("rows must not be negative")
        if not 0.0 <= self.invalid_ratio <= 1.0:
            raise ValueError("invalid_ratio must be between 0 and 1")
        if not 0.0 <= self.warn_ratio <= 1.0:
            raise ValueError("warn_ratio must be between 0 and 1")
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}")


@dataclass(frozen=True)
class Breakage:
    """The one error (or warning) the validator must report for a row (1-based data row)."""

    row: int
    column: str
    code: str
    warning: bool = False  # a warning: the row stays valid and is stored


@dataclass
class SampleResult:
    path: Path
    rows: int
    broken: list[Breakage]
    duplicates: int = 0
    warned: list[Breakage] = field(default_factory=list)  # valid rows with one known warning
