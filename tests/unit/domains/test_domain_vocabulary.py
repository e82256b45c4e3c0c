"""Each vocabulary of domains.md v2, table-driven: every spelling the contract lists and its stored code.

The tables here are written from the contract, not copied from `domains/vocabulary.py`; the
completeness tests make adding a spelling to the code without a row here fail. Adding a spelling is
one line in the vocabulary and one row below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from pydantic_core import PydanticCustomError

from sikas_sync.domains import DOMAINS, get_domain
from sikas_sync.domains import values as v
from sikas_sync.domains import vocabulary as vocab

CONTEXT: dict[str, Any] = {"today": dt.date(2026, 11, 28), "region_code": "12.09"}

# ------------------------------------------------------------------------------------- education
# (spelling, code): the project's codes, Dukcapil's Kartu Keluarga categories (a category spanning two
# levels maps to the lower one), the madrasah and Paket A/B/C of UU 20/2003, and older school names.
EDUCATION: list[tuple[str, str]] = [
    ("TIDAK_SEKOLAH", "TIDAK_SEKOLAH"), ("SD", "SD"), ("SMP", "SMP"), ("SMA", "SMA"), ("SMK", "SMK"),
    ("D1", "D1"), ("D2", "D2"), ("D3", "D3"), ("D4", "D4"), ("S1", "S1"), ("S2", "S2"), ("S3", "S3"),
    ("TIDAK SEKOLAH", "TIDAK_SEKOLAH"),
    # Kartu Keluarga
    ("TIDAK/BELUM SEKOLAH", "TIDAK_SEKOLAH"),
    ("BELUM TAMAT SD/SEDERAJAT", "TIDAK_SEKOLAH"),
    ("TAMAT SD/SEDERAJAT", "SD"),
    ("SLTP/SEDERAJAT", "SMP"),
    ("SLTA/SEDERAJAT", "SMA"),
    ("DIPLOMA I/II", "D1"),
    ("AKADEMI/DIPLOMA III/S. MUDA", "D3"),
    ("DIPLOMA IV/STRATA I", "D4"),
    ("STRATA II", "S2"),
    ("STRATA III", "S3"),
    # UU 20/2003: madrasah and equivalency
    ("MI", "SD"), ("MTs", "SMP"), ("MA", "SMA"), ("MAK", "SMK"),
    ("Paket A", "SD"), ("Paket B", "SMP"), ("Paket C", "SMA"),
    ("SD/MI", "SD"), ("SMP/MTs", "SMP"), ("SMA/MA", "SMA"), ("SMK/MAK", "SMK"),
    # older names and everyday forms
    ("Belum Sekolah", "TIDAK_SEKOLAH"), ("Tidak Tamat SD", "TIDAK_SEKOLAH"),
    ("Belum Tamat SD", "TIDAK_SEKOLAH"), ("Tamat SD", "SD"),
    ("SLTP", "SMP"), ("Tamat SMP", "SMP"), ("Tamat SLTP", "SMP"),
    ("SLTA", "SMA"), ("SMU", "SMA"), ("Tamat SMA", "SMA"), ("Tamat SLTA", "SMA"), ("SMA/SMK", "SMA"),
    ("STM", "SMK"), ("SMEA", "SMK"), ("Tamat SMK", "SMK"),
    ("D-I", "D1"), ("DI", "D1"), ("D-1", "D1"), ("Diploma I", "D1"), ("Diploma 1", "D1"),
    ("D-II", "D2"), ("DII", "D2"), ("D-2", "D2"), ("Diploma II", "D2"), ("Diploma 2", "D2"),
    ("D-III", "D3"), ("DIII", "D3"), ("D-3", "D3"), ("Diploma III", "D3"), ("Diploma 3", "D3"),
    ("D-IV", "D4"), ("DIV", "D4"), ("D-4", "D4"), ("Diploma IV", "D4"), ("Diploma 4", "D4"),
    ("S-1", "S1"), ("Sarjana", "S1"), ("Strata I", "S1"), ("Strata 1", "S1"),
    ("S-2", "S2"), ("Magister", "S2"), ("Strata 2", "S2"),
    ("S-3", "S3"), ("Doktor", "S3"), ("Doktoral", "S3"), ("Strata 3", "S3"),
]  # fmt: skip

# Whole spellings only: punctuation is never squeezed to find a level.
NOT_EDUCATION = [
    "SEDERAJAT",
    "Kursus Menjahit",
    "DIPLOMA I/II/III",
    "SLTA SEDERAJAT X",
    "S4",
    "Paket D",
    "Pesantren",
]


def _variants(spelling: str) -> list[str]:
    """How the same spelling arrives: as listed, upper, lower, padded, with doubled inner spaces."""
    return [spelling, spelling.upper(), spelling.lower(), f"  {spelling} ", spelling.replace(" ", "  ")]


@pytest.mark.parametrize(("spelling", "code"), EDUCATION)
def test_every_education_spelling_gives_its_code(spelling: str, code: str) -> None:
    for variant in _variants(spelling):
        assert v.pendidikan(variant) == code, variant


def test_education_codes_spanning_two_levels_take_the_lower_and_are_not_misread() -> None:
    assert v.pendidikan("DIPLOMA I/II") == "D1"  # v1 squeezed it to DIPLOMAIII, read as D3
    assert v.pendidikan("DIPLOMA IV/STRATA I") == "D4"


@pytest.mark.parametrize("spelling", NOT_EDUCATION)
def test_what_is_no_education_level_is_rejected(spelling: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        v.pendidikan(spelling)
    assert caught.value.type == "pendidikan_invalid"
    assert "SLTA/SEDERAJAT" in caught.value.message()  # the message shows what is accepted


# ------------------------------------------------------------------------------------------- sex
SEX: list[tuple[str, str]] = [
    ("L", "L"), ("Lk", "L"), ("Laki-laki", "L"), ("Laki laki", "L"), ("Laki", "L"), ("Pria", "L"),
    ("P", "P"), ("Pr", "P"), ("Perempuan", "P"), ("Wanita", "P"),
]  # fmt: skip


@pytest.mark.parametrize(("spelling", "code"), SEX)
def test_every_sex_spelling_gives_its_code(spelling: str, code: str) -> None:
    for variant in _variants(spelling):
        assert v.jenis_kelamin(variant) == code, variant


@pytest.mark.parametrize("spelling", ["X", "LP", "Laki-laki/Perempuan", "M", "F"])
def test_what_is_no_sex_is_rejected(spelling: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        v.jenis_kelamin(spelling)
    assert caught.value.type == "jenis_kelamin_invalid"


# ------------------------------------------------------------------------------------- placement
# Permenaker 39/2016: AKL, AKAD, AKAN, and their names written out.
PLACEMENT: list[tuple[str, str]] = [
    ("LOKAL", "LOKAL"), ("ANTAR_DAERAH", "ANTAR_DAERAH"), ("LUAR_NEGERI", "LUAR_NEGERI"),
    ("Antar Daerah", "ANTAR_DAERAH"), ("luar-negeri", "LUAR_NEGERI"),
    ("AKL", "LOKAL"), ("AKAD", "ANTAR_DAERAH"), ("AKAN", "LUAR_NEGERI"),
    ("Antar Kerja Lokal", "LOKAL"), ("Antarkerja Lokal", "LOKAL"),
    ("Antar Kerja Antar Daerah", "ANTAR_DAERAH"), ("Antarkerja Antardaerah", "ANTAR_DAERAH"),
    ("Antar Kerja Antar Negara", "LUAR_NEGERI"), ("Antarkerja Antarnegara", "LUAR_NEGERI"),
]  # fmt: skip


def _field_rule(slug: str, field: str) -> v.FieldRule:
    for meta in get_domain(slug).model.model_fields[field].metadata:
        rule = getattr(meta, "func", None)
        if isinstance(rule, v.FieldRule):
            return rule
    raise LookupError(f"{slug}.{field} has no field rule")


@pytest.mark.parametrize(("spelling", "code"), PLACEMENT)
def test_every_placement_spelling_gives_its_code(spelling: str, code: str) -> None:
    normalise = _field_rule("penempatan", "jenis_penempatan").normalise
    for variant in (spelling, spelling.lower(), f" {spelling} "):
        assert normalise(variant, None) == code, variant


@pytest.mark.parametrize("spelling", ["LUAR NEGRI", "AK", "AKLN", "Transmigrasi"])
def test_what_is_no_placement_is_rejected(spelling: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        _field_rule("penempatan", "jenis_penempatan").normalise(spelling, None)
    assert caught.value.type == "enum_invalid"


# ---------------------------------------------------------------------------------------- months
MONTHS: list[tuple[str, int]] = [
    ("Januari", 1), ("Jan", 1),
    ("Februari", 2), ("Feb", 2), ("Pebruari", 2), ("Peb", 2),
    ("Maret", 3), ("Mar", 3), ("Mrt", 3),
    ("April", 4), ("Apr", 4),
    ("Mei", 5), ("May", 5),
    ("Juni", 6), ("Jun", 6),
    ("Juli", 7), ("Jul", 7),
    ("Agustus", 8), ("Agu", 8), ("Agt", 8), ("Ags", 8), ("Agus", 8), ("Aug", 8),
    ("September", 9), ("Sep", 9), ("Sept", 9),
    ("Oktober", 10), ("Okt", 10), ("Oct", 10),
    ("November", 11), ("Nov", 11), ("Nopember", 11), ("Nop", 11),
    ("Desember", 12), ("Des", 12), ("Dec", 12),
]  # fmt: skip


@pytest.mark.parametrize(("name", "month"), MONTHS)
def test_every_month_spelling_reads_its_month(name: str, month: int) -> None:
    expected = dt.date(1990, month, 17)
    for written in (
        f"17 {name} 1990",
        f"17 {name.upper()} 1990",
        f"17 {name.lower()}. 1990",
        f"17-{name}-1990",
    ):
        assert v.date(written) == expected, written


@pytest.mark.parametrize("written", ["17 Agst 1990", "17 Nopem 1990", "17 Bulan8 1990", "31 Pebruari 1990"])
def test_what_is_no_month_or_no_date_is_rejected(written: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        v.date(written)
    assert caught.value.type == "date_invalid"


# ---------------------------------------------------------------------------------- placeholders
# What offices type for "none"; the en and em dash are what Excel's AutoCorrect makes of a dash.
PLACEHOLDERS = [
    "-",
    "--",
    "---",
    "\u2014",
    "\u2013",
    "- tidak ada -",
    "-tidak ada-",
    "tidak ada",
    "N/A",
    "N / A",
    "NULL",
]
NOT_PLACEHOLDERS = ["0", "tidak", "ada", "NA", "-5", "- - -", "nihil?"]


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_every_placeholder_is_an_empty_cell(placeholder: str) -> None:
    for variant in (placeholder, placeholder.upper(), placeholder.lower(), f"  {placeholder}  "):
        assert v.is_empty(variant), variant
    assert v.is_empty(placeholder.replace(" ", "   "))


@pytest.mark.parametrize("text", NOT_PLACEHOLDERS)
def test_a_value_that_only_looks_empty_is_a_value(text: str) -> None:
    assert not v.is_empty(text)


def _normalisers() -> list[tuple[str, str, Callable[..., Any]]]:
    found = []
    for domain in DOMAINS:
        for name in domain.model.model_fields:
            try:
                found.append((domain.slug, name, _field_rule(domain.slug, name).normalise))
            except LookupError:
                continue
    return found


NORMALISERS = [(s, f, n) for s, f, n in _normalisers() if v.refuses_placeholders(n)]


def test_only_the_known_normalisers_leave_placeholders_to_the_full_empty_check() -> None:
    others = {(s, f) for s, f, n in _normalisers() if not v.refuses_placeholders(n)}
    assert others == {("penduduk_bekerja", "kategori")}
    assert len(NORMALISERS) > 60


@pytest.mark.parametrize(
    ("slug", "field", "normalise"), NORMALISERS, ids=[f"{s}.{f}" for s, f, _ in NORMALISERS]
)
def test_a_normaliser_that_refuses_placeholders_never_takes_one_for_a_value(
    slug: str, field: str, normalise: Callable[..., Any]
) -> None:
    """The compiled path finds empty cells by blanks alone for these: a placeholder reaching such a
    normaliser must be refused, so the field rule reads it as empty (values.refuses_placeholders)."""
    info = type("Info", (), {"context": CONTEXT, "data": {}})()
    if isinstance(normalise, v.Text):
        # Free text takes "tidak ada" as text; its column form, which the compiled path runs,
        # leaves every placeholder undecided for the field rule.
        found = normalise.column([f" {p} " for p in PLACEHOLDERS], info)
        assert found == [v.UNDECIDED] * len(PLACEHOLDERS)
        return
    for placeholder in PLACEHOLDERS:
        try:
            accepted = normalise(placeholder, info)
        except PydanticCustomError:
            continue
        assert accepted is v.ABSENT, f"{slug}.{field} took {placeholder!r} for {accepted!r}"


def test_a_placeholder_is_absent_in_an_optional_column_and_missing_in_a_required_one(
    validate, errors
) -> None:
    model = get_domain("pencari_kerja").model
    for placeholder in PLACEHOLDERS:
        record = validate(
            model, row(alamat=placeholder, email=placeholder, no_hp=placeholder, jurusan=placeholder)
        )
        assert (record.alamat, record.email, record.no_hp, record.jurusan) == (None, None, None, None)
        assert errors(model, row(nama=placeholder)) == {("nama", "value_required")}


def row(**changes: object) -> dict[str, object]:
    """A valid job seeker of the contract, with `changes`."""
    return {
        "nik": "1209011708900001",
        "nama": "Budi Santoso",
        "tanggal_lahir": "17/08/1990",
        "jenis_kelamin": "Lk",
        "pendidikan": "SLTA/SEDERAJAT",
        "kode_wilayah": "1209082002",
        "tanggal_daftar": "20 Maret 2025",
        **changes,
    }


# ----------------------------------------------------------------------------- the code's tables


@pytest.mark.parametrize(
    ("table", "rows"),
    [
        (vocab.PENDIDIKAN, EDUCATION),
        (vocab.JENIS_KELAMIN, SEX),
        (
            vocab.JENIS_PENEMPATAN,
            [(s, c) for s, c in PLACEMENT if s.upper() not in vocab.JENIS_PENEMPATAN_CODES],
        ),
    ],
    ids=["education", "sex", "placement"],
)
def test_each_spelling_of_the_code_has_its_row_here(
    table: dict[str, str], rows: list[tuple[str, str]]
) -> None:
    tested = {vocab.spelling_key(s): c for s, c in rows}
    for spelling, code in table.items():
        assert tested.get(vocab.spelling_key(spelling)) == code, f"{spelling!r} has no row in this test"


def test_each_month_and_placeholder_of_the_code_has_its_row_here() -> None:
    assert {name.lower(): month for name, month in MONTHS} == vocab.MONTHS
    assert {vocab.placeholder_key(p) for p in PLACEHOLDERS} == vocab.PLACEHOLDER_KEYS


def test_the_vocabulary_sizes_the_closing_note_reports() -> None:
    sizes = (len(vocab.PENDIDIKAN), len(vocab.JENIS_KELAMIN), len(vocab.JENIS_PENEMPATAN), len(vocab.MONTHS))
    assert sizes == (80, 10, 9, 36)
    assert (len(vocab.PLACEHOLDERS), len(vocab.NIK_PROVINCES)) == (11, 38)
