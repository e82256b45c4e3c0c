"""The sample generator on its own: determinism, counts, NIKs, spellings and each known breakage."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from sikas_sync.domains import DOMAINS, get_domain
from sikas_sync.domains import values as v
from sikas_sync.reference import wilayah
from sikas_sync.sample import SampleSpec, generate_rows, write_sample
from sikas_sync.sample.breakages import BREAKS, WARNS, Break
from sikas_sync.sample.catalog import PENDIDIKAN_SPELLINGS, PENEMPATAN_SPELLINGS, SEX_SPELLINGS
from sikas_sync.sample.context import SampleContext
from sikas_sync.sample.generator import _stylers, write_as_offices_do
from sikas_sync.sample.places import RETIRED_NIK_PREFIXES
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


def _warnings(slug: str, row: dict[str, Any]) -> list[tuple[str | None, str]]:
    """The (column, code) pairs of the warnings of a row that must be valid."""
    model = get_domain(slug).model
    record = model.model_validate(row, context=CONTEXT)
    return [(w["column"], w["code"]) for w in model.row_warnings(row, record.__dict__, CONTEXT)]


def _rows_with(change: Break, slug: str, seed: int, count: int = 40) -> Iterator[dict[str, Any]]:
    """Rows of every shape with one known change, written as the generator writes them."""
    ctx = SampleContext(SampleSpec(slug, count, seed=seed, today=TODAY))
    stylers = _stylers(slug)
    for i in range(count):
        row = FACTORIES[slug](ctx, i)
        change.mutate(ctx, row)
        write_as_offices_do(ctx.rng, row, stylers)
        yield row


RETIRED = {prefix for prefixes in RETIRED_NIK_PREFIXES.values() for prefix in prefixes}


def _nik_problem(nik: str) -> str | None:
    """domains.md v2's NIK structure, read independently of the validator: what is wrong, or None."""
    if len(nik) != 16 or not nik.isdigit():
        return "not 16 digits"
    province = wilayah.lookup(nik[:2])
    if province is None or province.tingkat != "provinsi":
        return "no Kemendagri province"
    kecamatan = f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}"
    if wilayah.lookup(kecamatan) is None and nik[:6] not in RETIRED:
        return "a kecamatan neither in the 2025 table nor a retired one"  # the sample uses real ones
    day = int(nik[6:8]) - (40 if int(nik[6:8]) > 40 else 0)
    try:
        dt.date(2000, int(nik[8:10]), day)  # a leap year: 29 February is a real day
    except ValueError:
        return "digits 7-12 are no birth date"
    return "serial 0000" if nik[12:] == "0000" else None


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
        assert _nik_problem(nik) is None, (nik, _nik_problem(nik))
        born = v.date(row["tanggal_lahir"])
        encoded = v.encoded_birth_date(nik[6:12])
        assert encoded is not None
        assert (encoded.day, encoded.month) == (born.day, born.month)
        assert str(born.year)[-2:] == nik[10:12]
        assert v.nik_sex(nik) == v.jenis_kelamin(row["jenis_kelamin"])
        prefixes.add(nik[:6])
    assert any(p.startswith("1209") for p in prefixes)
    assert prefixes & RETIRED, "NIKs of Asahan's kecamatan that went to Batu Bara in 2007 live on"
    provinces = {p[:2] for p in prefixes}
    assert provinces & {"65", "91", "92", "93", "94", "95", "96"}, "people come from Kaltara and Papua too"
    assert len(provinces) > 8, "people move: NIKs come from many provinces"


def test_across_many_rows_niks_come_from_every_province() -> None:
    provinces = {
        str(row["nik"])[:2] for row, _ in generate_rows(SampleSpec("jkp", 20_000, seed=5, today=TODAY))
    }
    kemendagri = {f"{n:02d}" for n in range(100) if wilayah.lookup(f"{n:02d}") is not None}
    assert len(kemendagri) == 38
    assert provinces == kemendagri


@pytest.mark.parametrize("slug", ["pelatihan", "kartu_ak1", "jkp", "penempatan"])
def test_niks_of_other_domains_are_valid(slug: str) -> None:
    for row, _ in generate_rows(SampleSpec(slug, 500, today=TODAY)):
        assert _nik_problem(str(row["nik"])) is None, row["nik"]


def test_spellings_are_all_accepted() -> None:
    for code, spellings in PENDIDIKAN_SPELLINGS.items():
        assert {v.pendidikan(s) for s in spellings} == {code}
    for code, spellings in SEX_SPELLINGS.items():
        assert {v.jenis_kelamin(s) for s in spellings} == {code}
    placement = get_domain("penempatan").model
    row = next(generate_rows(SampleSpec("penempatan", 1, today=TODAY)))[0]
    for code, spellings in PENEMPATAN_SPELLINGS.items():
        for spelling in spellings:
            assert (
                placement.model_validate(
                    {**row, "jenis_penempatan": spelling}, context=CONTEXT
                ).jenis_penempatan
                == code
            )
    assert "SLTA/SEDERAJAT" in PENDIDIKAN_SPELLINGS["SMA"]
    assert {"Paket A", "MI"} <= set(PENDIDIKAN_SPELLINGS["SD"])
    assert {"Lk", "Pr"} <= {*SEX_SPELLINGS["L"], *SEX_SPELLINGS["P"]}
    assert PENEMPATAN_SPELLINGS["LOKAL"][0] == "AKL"


def test_rows_carry_the_spellings_offices_write() -> None:
    cells = [
        str(value)
        for slug in ("pencari_kerja", "lowongan", "jkp", "penempatan")
        for row, _ in generate_rows(SampleSpec(slug, 2000, seed=9, today=TODAY))
        for value in row.values()
    ]
    text = set(cells)
    for wanted in ("SLTA/SEDERAJAT", "Paket C", "MTs", "Lk", "Pr", "AKL", "AKAD", "N/A", "- tidak ada -"):
        assert wanted in text, wanted
    assert any(c.endswith(" 0:00") for c in cells), "a date-time cell saved as CSV"
    assert any(" Nopember " in c or " Pebruari " in c for c in cells), "an older month spelling"
    assert any(c.startswith("Rp ") and c.endswith(",-") for c in cells)
    assert any(c.startswith("IDR ") for c in cells)
    assert any(c.startswith("+62 (0)") for c in cells)
    assert sum(c == "-" for c in cells) > 100, "a dash for none in optional cells"


@pytest.mark.parametrize(
    ("slug", "index"), [(slug, i) for slug, warns in WARNS.items() for i in range(len(warns))]
)
def test_each_warning_keeps_the_row_valid_with_exactly_its_warning(slug: str, index: int) -> None:
    warned = WARNS[slug][index]
    for row in _rows_with(warned, slug, seed=index):
        assert _errors(slug, row) == [], row
        assert _warnings(slug, row) == [(warned.column, warned.code)], row


def test_warned_rows_are_counted_apart_from_broken_ones(tmp_path: Path) -> None:
    spec = SampleSpec("pencari_kerja", 1000, seed=4, invalid_ratio=0.05, warn_ratio=0.03, today=TODAY)
    result = write_sample(spec, tmp_path / "p.csv")
    assert (len(result.broken), len(result.warned)) == (50, 30)
    assert not {b.row for b in result.broken} & {w.row for w in result.warned}
    assert all(w.warning for w in result.warned)
    assert not any(b.warning for b in result.broken)
    assert {w.code for w in result.warned} == {c.code for c in WARNS["pencari_kerja"]}
    # A domain without known warnings has none, whatever the ratio.
    jkp = write_sample(SampleSpec("jkp", 100, warn_ratio=0.5, today=TODAY), tmp_path / "j.csv")
    assert jkp.warned == []


def test_a_warn_ratio_beyond_the_rows_left_is_capped_and_a_bad_one_refused() -> None:
    assert SampleSpec("pencari_kerja", 10, invalid_ratio=0.8, warn_ratio=0.5).warned_rows == 2
    with pytest.raises(ValueError, match="warn_ratio"):
        generate_rows(SampleSpec("pencari_kerja", 5, warn_ratio=-0.1))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_files_end_with_rows_excel_keeps_but_that_hold_nothing(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"w.{fmt}"
    write_sample(SampleSpec("wlkp", 5, format=fmt, today=TODAY), out)
    if fmt == "csv":
        lines = out.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1 + 5 + 2
        assert lines[-1] == "," * (len(get_domain("wlkp").fields) - 1)
    else:
        from openpyxl import load_workbook

        rows = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
        assert len(rows) == 1 + 5 + 2
        assert set(rows[-1]) == {None}


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
    for row in _rows_with(broken, slug, seed=index):
        assert _errors(slug, row) == [(broken.column, broken.code)], row


@pytest.mark.parametrize("slug", SLUGS)
def test_valid_rows_pass_the_model(slug: str) -> None:
    rows = generate_rows(SampleSpec(slug, 400, seed=11, today=TODAY))
    for row, _ in itertools.islice(rows, 400):
        assert _errors(slug, row) == [], row
