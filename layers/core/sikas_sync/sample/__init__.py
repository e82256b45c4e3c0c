"""Realistic synthetic SIKAS exports for demos and tests, deterministic for a seed.

`write_sample` streams a CSV, XLSX or JSON Lines file of one domain; about `invalid_ratio` of its
rows carry exactly one known error, listed in the result so tests can check the validator.
"""

from .generator import generate_rows, write_sample
from .spec import Breakage, Cell, Row, SampleResult, SampleSpec

__all__ = ["Breakage", "Cell", "Row", "SampleResult", "SampleSpec", "generate_rows", "write_sample"]
