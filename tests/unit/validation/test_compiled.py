"""The compiled rules give exactly what pydantic's model_validate path gives, row for row.

The compiled path (validation/compiled.py) and the column forms of the value rules exist only for
speed; these tests hold them to the pydantic path: same records (data, order, hash, key), same
issues in the same order, same counts and warnings.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sikas_sync.domains import DOMAINS, get_domain
from sikas_sync.domains import values as v
from sikas_sync.parsing import open_table
from sikas_sync.sample import SampleSpec, write_sample
from sikas_sync.sample.spec import FORMATS
from sikas_sync.validation import RulesContext, validate_file
from sikas_sync.validation import validator as validator_module
from sikas_sync.validation.canonical import canonical_json
from sikas_sync.validation.compiled import compile_rules
from sikas_sync.validation.validator import RowOutcome, RowValidator

TODAY = dt.date(2026, 11, 28)
CONTEXT = RulesContext(today=TODAY)
CASES = [(d.slug, fmt) for d in DOMAINS for fmt in FORMATS]


def _sample(tmp_path: Path, slug: str, fmt: str, rows: int = 700, ratio: float = 0.3) -> Path:
    out = tmp_path / f"{slug}_compiled.{fmt}"
    write_sample(SampleSpec(slug, rows, seed=7, invalid_ratio=ratio, format=fmt, today=TODAY), out)  # type: ignore[arg-type]
    return out


def _outcomes(path: Path, slug: str, *, compiled: bool, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    with monkeypatch.context() as patch:
        if not compiled:
            patch.setattr(validator_module, "compile_rules", lambda *args, **kwargs: None)
        with open_table(path, name=path.name) as table:
            validator = RowValidator(table, get_domain(slug), CONTEXT)
            found = [_plain(outcome) for outcome in validator.outcomes()]
            found.append(sorted(validator.superseded_rows().items()))
    return found


def _plain(outcome: RowOutcome) -> Any:
    record = outcome.record
    return (
        outcome.row,
        None
        if record is None
        else (record.row, record.natural_key, list(record.data.items()), record.content_hash),
        [issue.as_dict() for issue in outcome.errors],
        outcome.raw,
        None if outcome.fields is None else list(outcome.fields.items()),
    )


@pytest.mark.parametrize(("slug", "fmt"), CASES)
def test_compiled_rows_equal_pydantic_rows(
    tmp_path: Path, slug: str, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _sample(tmp_path, slug, fmt)
    fast = _outcomes(path, slug, compiled=True, monkeypatch=monkeypatch)
    slow = _outcomes(path, slug, compiled=False, monkeypatch=monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("slug", [d.slug for d in DOMAINS])
def test_counting_without_records_reports_the_same(tmp_path: Path, slug: str) -> None:
    path = _sample(tmp_path, slug, "csv", rows=3000, ratio=0.05)
    seen: list[RowOutcome] = []
    with_records = validate_file(
        path, get_domain(slug), name=path.name, context=CONTEXT, on_outcome=seen.append
    )
    counted = validate_file(path, get_domain(slug), name=path.name, context=CONTEXT)
    assert counted.as_json() == with_records.as_json()
    assert counted.warning_list == with_records.warning_list
    assert len(seen) == counted.rows


def test_every_domain_model_compiles() -> None:
    for domain in DOMAINS:
        positions = {name: index for index, name in enumerate(domain.fields)}
        assert compile_rules(domain.model, positions, CONTEXT.as_context()) is not None, domain.slug


def test_progress_is_reported_at_the_same_rows(tmp_path: Path) -> None:
    path = _sample(tmp_path, "pencari_kerja", "csv", rows=12_000, ratio=0.01)
    counted: list[int] = []
    both: list[int] = []
    validate_file(
        path, get_domain("pencari_kerja"), name=path.name, context=CONTEXT, on_progress=counted.append
    )
    validate_file(
        path,
        get_domain("pencari_kerja"),
        name=path.name,
        context=CONTEXT,
        on_progress=both.append,
        on_outcome=lambda outcome: None,
    )
    assert counted == both == [5000, 10000, 12000]


# ------------------------------------------------------------------------------------ column forms

_CELL_ALPHABET = "0123456789-/ .+()abcJuliMaretAPRIL@_=\u0661\u00a0\t"
cells = st.lists(st.text(_CELL_ALPHABET, min_size=1, max_size=24).filter(str.strip), min_size=1, max_size=30)
INFO: Any = type("Info", (), {"context": {"today": TODAY, "region_code": "12.09"}})()


def _one_by_one(normalise: Any, column: list[str]) -> list[Any]:
    found: list[Any] = []
    for cell in column:
        try:
            found.append(normalise(cell, INFO))
        except Exception:
            found.append(v.UNDECIDED)
    return found


def _agrees(normalise: Any, column: list[str]) -> None:
    form = v.column_form(normalise)
    assert form is not None
    decided = form(column, INFO)
    if decided is None:
        return
    expected = _one_by_one(normalise, column)
    assert len(decided) == len(column)
    for got, want in zip(decided, expected, strict=True):
        if got is not v.UNDECIDED:
            assert got == want
            assert type(got) is type(want)


@settings(max_examples=300, deadline=None)
@given(cells, st.lists(st.builds(lambda d: "1209" + d, st.text("0123456789", min_size=12, max_size=12))))
def test_nik_column_form(column: list[str], niks: list[str]) -> None:
    _agrees(v.nik, column + niks)


@settings(max_examples=300, deadline=None)
@given(cells, st.lists(st.from_regex(r"(\+62|62|0|)8[0-9 \-]{6,15}", fullmatch=True)))
def test_no_hp_column_form(column: list[str], phones: list[str]) -> None:
    _agrees(v.no_hp, column + phones)


@settings(max_examples=300, deadline=None)
@given(cells, st.lists(st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(dt.date.isoformat)))
def test_date_column_forms(column: list[str], iso: list[str]) -> None:
    _agrees(v.date, column + iso)
    _agrees(v.past_date, column + iso)


@settings(max_examples=300, deadline=None)
@given(cells, st.lists(st.emails()))
def test_email_column_form(column: list[str], emails: list[str]) -> None:
    _agrees(v.email, column + emails)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30).filter(str.strip), min_size=1, max_size=30))
def test_text_column_form(column: list[str]) -> None:
    _agrees(v.text(12), column)


# ------------------------------------------------------------------------------------ canonical JSON

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)


@given(st.dictionaries(st.text(max_size=10), json_values, max_size=10))
def test_canonical_json_is_json_dumps(data: dict[str, Any]) -> None:
    try:
        expected: bytes | type[Exception] = json.dumps(
            data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        ).encode()
    except ValueError:
        expected = ValueError
    if expected is ValueError:
        with pytest.raises(ValueError):
            canonical_json(data)
    else:
        assert canonical_json(data) == expected


def test_canonical_json_refuses_what_json_refuses() -> None:
    with pytest.raises(ValueError):
        canonical_json({"x": math.nan})
