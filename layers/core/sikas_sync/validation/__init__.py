"""Validation: header mapping, row rules, duplicates and the canonical record form."""

from .run import validate_file
from .validator import FileResult, RowOutcome, RulesContext, ValidRecord

__all__ = ["FileResult", "RowOutcome", "RulesContext", "ValidRecord", "validate_file"]
