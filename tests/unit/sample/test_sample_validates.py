"""Sample files read back through the real parser and validator, for every domain and format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sikas_sync.domains import DOMAINS, get_domain
from sikas_sync.sample import SampleResult, SampleSpec, write_sample
from sikas_sync.sample.spec import FORMATS, Format
from sikas_sync.validation import FileResult, RulesContext, validate_file

TODAY = dt.date(2026, 11, 28)
CASES = [(d.slug, fmt) for d in DOMAINS for fmt in FORMATS]


def _run(
    tmp_path: Path, slug: str, fmt: Format, ratio: float, warn_ratio: float = 0.0
) -> tuple[SampleResult, FileResult]:
    out = tmp_path / f"{slug}_sample.{fmt}"
    spec = SampleSpec(slug, 300, seed=42, invalid_ratio=ratio, warn_ratio=warn_ratio, format=fmt, today=TODAY)
    sample = write_sample(spec, out)
    result = validate_file(out, get_domain(slug), name=out.name, context=RulesContext(today=TODAY))
    return sample, result


@pytest.mark.parametrize(("slug", "fmt"), CASES)
def test_valid_sample_is_fully_accepted(tmp_path: Path, slug: str, fmt: Format) -> None:
    _, result = _run(tmp_path, slug, fmt, 0.0)
    assert result.status == "processed", result.reason
    assert (result.rows, result.valid, result.rejected) == (300, 300, 0), result.errors[:5]
    assert result.warnings == 0, result.row_warnings[:5]


@pytest.mark.parametrize(("slug", "fmt"), CASES)
def test_broken_rows_give_exactly_the_expected_errors(tmp_path: Path, slug: str, fmt: Format) -> None:
    sample, result = _run(tmp_path, slug, fmt, 0.1, warn_ratio=0.05)
    assert result.status == "processed", result.reason
    # The trailing empty rows of CSV and XLSX are no data rows: 300, not 302.
    assert (result.rows, result.valid, result.rejected) == (300, 270, 30)
    expected = [(b.row, b.column, b.code) for b in sample.broken]
    reported = [(issue.row, issue.column, issue.code) for issue in result.errors]
    assert reported == expected
    # Warned rows are valid and stored; each reports its one warning.
    assert len(sample.warned) == (15 if slug == "pencari_kerja" else 0)
    assert result.warnings == len(sample.warned)
    warned = [(w.row, w.column, w.code) for w in sample.warned]
    assert [(issue.row, issue.column, issue.code) for issue in result.row_warnings] == warned
