"""The sample generator on its own: determinism, counts, NIKs, spellings and each known breakage."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from stdnum.id import nik as stdnum_nik

from sikas_sync.domains import DOMAINS, get_domain
from sikas_sync.domains import values as v
from sikas_sync.sample import SampleSpec, generate_rows, write_sample
from sikas_sync.sample.breakages import BREAKS
from sikas_sync.sample.catalog import PENDIDIKAN_SPELLINGS, SEX_SPELLINGS
from sikas_sync.sample.context import SampleContext
from sikas_sync.sample.generator import _stylers
from sikas_sync.sample.rows import FACTORIES
from sikas_sync.validation.validator import row_errors

TODAY = dt.date(2026, 11, 28)
CONTEXT: dict[str, Any] = {"today": TODAY, "region_code": "12.09"}
SLUGS = [d.slug for d in DOMAINS]


def _errors(slug: str, row: dict[str, Any]) -> list[tuple[str | None, str]]:
    """The (column, code) pairs the validator reports for one row, cross-field rules included."""
    model = get_domain(slug).model
    try:
        model.model_validate(row, context=CONTEXT)
    except ValidationError as error:
        return [(issue.column, issue.code) for issue in row_errors(1, error, model, row, CONTEXT)]
    return []


def _write(tmp_path: Path, name: str, **spec: Any) -> bytes:
    out = tmp_path / name
    write_sample(SampleSpec(today=TODAY, **spec), out)
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_same_seed_gives_the_same_bytes(tmp_path: Path, fmt: str) -> None:
    first = _write(
        tmp_path, f"a.{fmt}", domain="pencari_kerja", rows=200, seed=7, invalid_ratio=0.2, format=fmt
    )
    second = _write(
        tmp_path, f"b.{fmt}", domain="pencari_kerja", rows=200, seed=7, invalid_ratio=0.2, format=fmt
    )
    assert first == second


@pytest.mark.parametrize("slug", SLUGS)
def test_different_seeds_give_different_files(tmp_path: Path, slug: str) -> None:
    one = _write(tmp_path, "one.csv", domain=slug, rows=50, seed=1)
    two = _write(tmp_path, "two.csv", domain=slug, rows=50, seed=2)
    assert one != two


def test_csv_has_the_model_fields_as_header(tmp_path: Path) -> None:
    for slug in SLUGS:
        text = _write(tmp_path, f"{slug}.csv", domain=slug, rows=3).decode("utf-8")
        assert not text.startswith("\ufeff")
        assert text.splitlines()[0] == ",".join(get_domain(slug).fields)


@pytest.mark.parametrize(("rows", "ratio"), [(300, 0.1), (1000, 0.137), (10, 1.0), (10, 0.0), (7, 0.5)])
def test_broken_count_is_exactly_rounded_ratio(rows: int, ratio: float) -> None:
    broken = [b for _, b in generate_rows(SampleSpec("jkp", rows, invalid_ratio=ratio, today=TODAY)) if b]
    assert len(broken) == round(rows * ratio)
    assert [b.row for b in broken] == sorted({b.row for b in broken})


def test_generation_is_lazy() -> None:
    # A billion rows must not be planned up front: the first one comes at once.
    row, _ = next(generate_rows(SampleSpec("pencari_kerja", 10**9, invalid_ratio=0.5, today=TODAY)))
    assert row["nik"]


def test_result_and_progress(tmp_path: Path) -> None:
    seen: list[int] = []
    result = write_sample(
        SampleSpec("wlkp", 25_000, invalid_ratio=0.01, format="jsonl", today=TODAY),
        tmp_path / "w.jsonl",
        on_progress=seen.append,
    )
    assert result.rows == 25_000
    assert result.duplicates == 0
    assert len(result.broken) == 250
    assert seen == [10_000, 20_000, 25_000]
    assert sum(1 for _ in (tmp_path / "w.jsonl").open(encoding="utf-8")) == 25_000


def test_every_nik_is_valid_and_agrees_with_birth_date_and_sex() -> None:
    prefixes = set()
    for row, _ in generate_rows(SampleSpec("pencari_kerja", 3000, seed=3, today=TODAY)):
        nik = str(row["nik"])
        assert stdnum_nik.is_valid(nik), nik
        born = v.date(row["tanggal_lahir"])
        assert stdnum_nik.get_birth_date(nik).replace(year=born.year) == born
        assert str(born.year)[-2:] == nik[10:12]
        assert v.nik_sex(nik) == v.jenis_kelamin(row["jenis_kelamin"])
        prefixes.add(nik[:4])
    assert "1209" in prefixes
    assert len(prefixes) > 5, "people move: some NIKs come from elsewhere"


@pytest.mark.parametrize("slug", ["pelatihan", "kartu_ak1", "jkp", "penempatan"])
def test_niks_of_other_domains_are_valid(slug: str) -> None:
    for row, _ in generate_rows(SampleSpec(slug, 500, today=TODAY)):
        assert stdnum_nik.is_valid(str(row["nik"]))


def test_spellings_are_all_accepted() -> None:
    for code, spellings in PENDIDIKAN_SPELLINGS.items():
        assert {v.pendidikan(s) for s in spellings} == {code}
    for code, spellings in SEX_SPELLINGS.items():
        assert {v.jenis_kelamin(s) for s in spellings} == {code}


def test_other_regions_work() -> None:
    medan = {"today": TODAY, "region_code": "12.71"}
    for row, _ in generate_rows(SampleSpec("pemberi_kerja", 50, region_code="12.71", today=TODAY)):
        assert str(row["kode_wilayah"]).replace(".", "").startswith("1271")
        get_domain("pemberi_kerja").model.model_validate(row, context=medan)


def test_penduduk_bekerja_refuses_more_rows_than_distinct_keys(tmp_path: Path) -> None:
    out = tmp_path / "too_many.csv"
    with pytest.raises(ValueError, match="distinct"):
        write_sample(SampleSpec("penduduk_bekerja", 10**8, today=TODAY), out)
    assert not out.exists()


def test_bad_spec_is_refused() -> None:
    with pytest.raises(ValueError, match="invalid_ratio"):
        generate_rows(SampleSpec("jkp", 5, invalid_ratio=1.5))
    with pytest.raises(ValueError, match="region_code"):
        generate_rows(SampleSpec("jkp", 5, region_code="12.09.08.2002"))
    with pytest.raises(KeyError):
        generate_rows(SampleSpec("nope", 5))


@pytest.mark.parametrize(
    ("slug", "index"), [(slug, i) for slug, breaks in BREAKS.items() for i in range(len(breaks))]
)
def test_each_breakage_gives_exactly_its_error(slug: str, index: int) -> None:
    """Every known breakage, on rows of every shape, yields its one error and nothing else."""
    broken = BREAKS[slug][index]
    ctx = SampleContext(SampleSpec(slug, 40, seed=index, today=TODAY))
    stylers = _stylers(slug)
    for i in range(40):
        row = FACTORIES[slug](ctx, i)
        broken.mutate(ctx, row)
        for column, style in stylers:
            row[column] = style(ctx.rng, row[column])
        assert _errors(slug, row) == [(broken.column, broken.code)], row


@pytest.mark.parametrize("slug", SLUGS)
def test_valid_rows_pass_the_model(slug: str) -> None:
    rows = generate_rows(SampleSpec(slug, 400, seed=11, today=TODAY))
    for row, _ in itertools.islice(rows, 400):
        assert _errors(slug, row) == [], row
