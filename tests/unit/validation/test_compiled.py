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
        else (
            record.row,
            record.natural_key,
            list(record.data.items()),
            record.content_hash,
            [(issue.as_dict(), issue.severity) for issue in record.warnings],
        ),
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
    assert counted.duplicate_warnings == with_records.duplicate_warnings
    assert counted.row_warnings == with_records.row_warnings
    assert len(seen) == counted.rows
    own = [issue for outcome in seen if outcome.record for issue in outcome.record.warnings]
    assert counted.warnings == len(own) + len(counted.duplicate_warnings)


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


# ------------------------------------------------------------------- office spellings (domains.md v2)

_OFFICE_HEADER = ["NIK", "Nama Lengkap", "Tgl Lahir", "L/P", "Pendidikan Terakhir", "Kode Desa"]
_OFFICE_HEADER += ["Jurusan", "No HP", "Email", "Tgl Daftar", "Status"]


def _office_rows() -> list[list[Any]]:
    """Rows as offices type them: placeholders, KK education, old month names, warned rows, number
    cells for NIKs (XLSX), a row of placeholders and empty rows; repeated past one batch of rows."""
    rows: list[list[Any]] = []
    for n in range(600):
        serial = f"{n + 1:04d}"
        woman = n % 2 == 1
        nik = f"1209{n % 7 + 1:02d}{17 + (40 if woman else 0)}0890{serial}"
        row: list[Any] = [
            nik,
            f"Nama {n}",
            "17 Agt 1990" if n % 5 else "17/08/1990 0:00",
            ("Pr" if woman else "Lk")
            if n % 11
            else ("L" if woman else "P"),  # every 11th: sex unlike the NIK
            ["SLTA/SEDERAJAT", "DIPLOMA I/II", "MTs", "Paket C", "SEDERAJAT"][n % 5],  # every 5th: no level
            "12.09.19.1001" if n % 13 else "12.72.01.1001",  # every 13th: Tanjungbalai, warned
            "-" if n % 3 else "Teknik",
            "+62 (0) 812-3456-7890" if n % 4 else "tidak ada",
            "N/A",
            "03/01/2025",
            "-",
        ]
        if n % 17 == 16:  # (not the first row: its serial 0001 would become 0000)
            row[0] = int(nik[:15] + "0")  # a number cell: warned when it ends in 0 (XLSX only)
        if n % 29 == 0:
            row[2] = "01 Pebruari 1991"  # unlike the NIK: warned
        rows.append(row)
        if n % 101 == 0:
            rows.append(["-"] * len(_OFFICE_HEADER))  # a row of placeholders: no data row
            rows.append([None] * len(_OFFICE_HEADER))
    return rows


def _office_file(tmp_path: Path, fmt: str) -> Path:
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Data")
        sheet.append(_OFFICE_HEADER)
        for row in _office_rows():
            sheet.append(row)
        path = tmp_path / "office.xlsx"
        workbook.save(path)
        return path
    path = tmp_path / "office.csv"
    lines = [";".join(_OFFICE_HEADER)]
    lines += [";".join("" if cell is None else str(cell) for cell in row) for row in _office_rows()]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_office_rows_give_the_same_records_warnings_and_errors_either_way(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _office_file(tmp_path, fmt)
    fast = _outcomes(path, "pencari_kerja", compiled=True, monkeypatch=monkeypatch)
    slow = _outcomes(path, "pencari_kerja", compiled=False, monkeypatch=monkeypatch)
    assert fast == slow
    result = validate_file(path, get_domain("pencari_kerja"), name=path.name, context=CONTEXT)
    assert (result.rows, result.valid, result.rejected) == (600, 480, 120)  # no placeholder rows counted
    assert {issue.code for issue in result.errors} == {"pendidikan_invalid"}
    codes = [issue.code for issue in result.row_warnings]
    assert {"nik_sex_mismatch", "kode_wilayah_outside_region", "nik_birth_date_mismatch"} <= set(codes)
    assert ("nik_number_cell" in codes) == (fmt == "xlsx")  # CSV cells are text: every digit was kept
    assert all(issue.severity == "warning" for issue in result.row_warnings)
    assert len(result.row_warnings) == min(result.warnings, 100)
    assert [issue.row for issue in result.row_warnings] == sorted(issue.row for issue in result.row_warnings)
