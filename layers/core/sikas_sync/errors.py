"""Outcomes that reach SIKAS operators: a stable English code plus a message in Bahasa Indonesia."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class RowIssue:
    """One problem of one data row; `row` is 1-based and does not count the header; `line` is the
    row number Excel (or a text editor) shows, once the file's reader has told it."""

    row: int
    column: str | None
    code: str
    message: str
    severity: Severity = "error"
    line: int | None = None

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {"row": self.row}
        if self.line is not None:
            found["line"] = self.line
        found.update(column=self.column, code=self.code, message=self.message)
        return found


@dataclass(frozen=True, slots=True)
class FileWarning:
    """Something about a whole file that was accepted: rows skipped as no data, a title block."""

    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class FileRejected(Exception):
    """The whole file is refused for one clear reason; its rows are not looked at."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
