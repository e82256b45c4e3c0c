"""The NIK rule of domains.md v2 as properties: every structurally valid NIK of every province is
accepted (the regency and kecamatan digits are never looked up), every structurally invalid one is
rejected with `nik_invalid`, and the fast column form agrees with the rule cell by cell."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from sikas_sync.domains import values as v
from sikas_sync.domains.nik import nik_column, nik_warning

PROPERTY = settings(max_examples=300, deadline=None)

# Kepmendagri 300.2.2-2138/2025: the 38 province codes, Kalimantan Utara (65) and Papua's (91-96).
PROVINCES = [
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
    "31", "32", "33", "34", "35", "36", "51", "52", "53",
    "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
    "81", "82", "91", "92", "93", "94", "95", "96",
]  # fmt: skip
NOT_PROVINCES = [f"{n:02d}" for n in range(100) if f"{n:02d}" not in PROVINCES]

_four_digits = st.integers(min_value=0, max_value=9999).map(lambda n: f"{n:04d}")
_serials = st.integers(min_value=1, max_value=9999).map(lambda n: f"{n:04d}")
_births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))


def _ddmmyy(born: dt.date, woman: bool) -> str:
    return f"{born.day + (40 if woman else 0):02d}{born.month:02d}{born.year % 100:02d}"


valid_niks = st.builds(
    lambda province, place, born, woman, serial: province + place + _ddmmyy(born, woman) + serial,
    st.sampled_from(PROVINCES),
    _four_digits,  # any regency and kecamatan digits, 00 and 99 included
    _births,
    st.booleans(),
    _serials,
)


def _bad_day(nik: str, day: int) -> str:
    return nik[:6] + f"{day:02d}" + nik[8:]


# One part wrong at a time, the rest of a valid NIK kept.
invalid_niks = st.one_of(
    st.builds(lambda nik, p: p + nik[2:], valid_niks, st.sampled_from(NOT_PROVINCES)),
    st.builds(_bad_day, valid_niks, st.sampled_from([0, *range(32, 41), *range(72, 100)])),
    st.builds(
        lambda nik, month: nik[:8] + f"{month:02d}" + nik[10:],
        valid_niks,
        st.sampled_from([0, *range(13, 100)]),
    ),
    st.builds(lambda nik: nik[:12] + "0000", valid_niks),
)


def _refusal(text: object) -> PydanticCustomError:
    with pytest.raises(PydanticCustomError) as caught:
        v.nik(text)
    return caught.value


@PROPERTY
@given(valid_niks)
def test_every_structurally_valid_nik_of_every_province_is_accepted(nik: str) -> None:
    assert v.nik(nik) == nik
    assert v.nik(f"{nik[:6]}.{nik[6:12]}.{nik[12:]}") == nik  # separators ignored
    assert v.nik(int(nik)) == nik  # a number cell (no NIK starts with 0)
    assert nik_column([nik, f" {nik} "]) == [nik, nik]


@PROPERTY
@given(invalid_niks)
def test_every_structurally_invalid_nik_is_rejected_without_showing_it(nik: str) -> None:
    refusal = _refusal(nik)
    assert refusal.type == "nik_invalid"
    assert nik not in refusal.message()
    found = nik_column([nik])
    assert found[0] is v.UNDECIDED  # left to the rule, which rejects it


@pytest.mark.parametrize("province", PROVINCES)
def test_each_province_code_opens_a_valid_nik(province: str) -> None:
    assert v.nik(f"{province}99991708900001") == f"{province}99991708900001"  # kecamatan 99.99: not checked


def test_the_examples_of_the_issue() -> None:
    assert v.nik("6501011708900001") == "6501011708900001"  # Kalimantan Utara
    assert v.nik("9601014507950002") == "9601014507950002"  # Papua Barat Daya, a woman
    assert v.nik("1209071708900001") == "1209071708900001"  # Asahan 12.09.07, Batu Bara since 2007
    for nik, problem in (
        ("1209018108900001", "digit 7-12"),  # day 81: beyond 31 + 40
        ("1209013102900001", "digit 7-12"),  # 31 February
        ("1209011708900000", "0000"),
        ("2009011708900001", "kode provinsi"),
    ):
        assert problem in _refusal(nik).message(), nik


@pytest.mark.parametrize("shown", ["1.20919E+15", "1,20919E+15", "1.209011708E+15", "1,2E+15", "1.20919e15"])
def test_a_nik_in_scientific_notation_has_its_own_code_and_says_what_to_do(shown: str) -> None:
    refusal = _refusal(shown)
    assert refusal.type == "nik_scientific_notation"
    assert "Teks" in refusal.message()  # format the column as Text in Excel
    assert "ekspor" in refusal.message()


@PROPERTY
@given(valid_niks)
def test_a_number_cell_warns_exactly_when_its_last_digit_is_0(nik: str) -> None:
    warned = nik_warning(int(nik), nik)
    assert (warned is not None) == nik.endswith("0")
    if warned is not None:
        assert warned[0] == "nik_number_cell"
    assert nik_warning(nik, nik) is None  # a text cell keeps every digit
