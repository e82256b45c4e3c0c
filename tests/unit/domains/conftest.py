"""Shared fixtures for the domain tests: the rules context of the brief and row-level helpers.

Expectations in this folder come from the domain contract (docs/domains.md), not from the code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from sikas_sync.errors import RowIssue
from sikas_sync.validation.validator import row_errors

TODAY = dt.date(2026, 11, 28)
CONTEXT: dict[str, Any] = {"today": TODAY, "region_code": "12.09"}

# Columns whose raw value must never show up in an issue (personal data and identifiers).
_SENSITIVE = {"nik", "nama", "tempat_lahir", "alamat", "no_hp", "email", "telepon", "npwp", "nib"}
_WHOLE_NIK = re.compile(r"\d{16}")
# Messages are in Bahasa Indonesia: pydantic's own English texts must not reach operators.
ENGLISH = re.compile(r"\b(Input|should|must|Field|required|invalid|valid string|greater|less)\b")


def _validate(model: type[BaseModel], raw: Mapping[str, Any], context: dict[str, Any] | None = None) -> Any:
    return model.model_validate(dict(raw), context=CONTEXT if context is None else context)


def _issues(
    model: type[BaseModel], raw: Mapping[str, Any], context: dict[str, Any] | None = None, row: int = 7
) -> list[RowIssue]:
    with pytest.raises(ValidationError) as caught:
        _validate(model, raw, context)
    found = row_errors(row, caught.value, model, dict(raw), CONTEXT if context is None else context)
    assert found, "a rejected row must report at least one issue"
    for issue in found:
        assert issue.row == row
        assert issue.severity == "error"
        assert issue.code
        assert issue.message
        assert not ENGLISH.search(issue.message), f"message not in Bahasa Indonesia: {issue.message}"
        assert not _WHOLE_NIK.search(issue.message), "a whole NIK must never appear in a report"
        for column, value in raw.items():
            if column in _SENSITIVE and isinstance(value, str) and len(value.strip()) >= 4:
                assert value.strip() not in issue.message, f"{column} value leaked into a message"
    return found


@pytest.fixture
def validate() -> Callable[..., Any]:
    """validate(Model, raw, context=None) -> the model instance (raises on an invalid row)."""
    return _validate


@pytest.fixture
def issues() -> Callable[..., list[RowIssue]]:
    """issues(Model, raw, context=None) -> the RowIssues of a row that must be rejected."""
    return _issues


@pytest.fixture
def errors() -> Callable[..., set[tuple[str | None, str]]]:
    """errors(Model, raw, context=None) -> {(column, code)} of a row that must be rejected."""

    def pairs(model: type[BaseModel], raw: Mapping[str, Any], context: dict[str, Any] | None = None):
        return {(issue.column, issue.code) for issue in _issues(model, raw, context)}

    return pairs


def _warnings(
    model: Any, raw: Mapping[str, Any], context: dict[str, Any] | None = None
) -> set[tuple[str | None, str]]:
    """{(column, code)} of the warnings of a row that must be valid (domains.md v2: stored, warned)."""
    rules_context = CONTEXT if context is None else context
    record = _validate(model, raw, rules_context)
    found = model.row_warnings(dict(raw), record.__dict__, rules_context)
    for warning in found:
        assert warning["code"]
        assert warning["message"]
        assert not ENGLISH.search(warning["message"]), (
            f"message not in Bahasa Indonesia: {warning['message']}"
        )
        assert not _WHOLE_NIK.search(warning["message"]), "a whole NIK must never appear in a report"
    return {(warning["column"], warning["code"]) for warning in found}


@pytest.fixture
def warnings() -> Callable[..., set[tuple[str | None, str]]]:
    """warnings(Model, raw, context=None) -> {(column, code)} of a valid row's warnings."""
    return _warnings


@pytest.fixture
def info() -> SimpleNamespace:
    """A stand-in for pydantic's ValidationInfo carrying the rules context."""
    return SimpleNamespace(context=dict(CONTEXT))
