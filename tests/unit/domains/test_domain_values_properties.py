"""Property tests for the shared value rules: every accepted written form reads back to its value."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from sikas_sync.domains import values as v

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel 1900 system, valid from serial 61 (1 March 1900) on

# Local settings (no global profile: other test folders keep their own).
PROPERTY = settings(max_examples=200, deadline=None)

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def _written(day: dt.date) -> list[object]:
    return [
        day.isoformat(),  # YYYY-MM-DD
        f"{day.day:02d}/{day.month:02d}/{day.year}",  # DD/MM/YYYY
        f"{day.day:02d}-{day.month:02d}-{day.year}",  # DD-MM-YYYY
        f"{day.day}/{day.month}/{day.year}",  # D/M/YYYY
        f"{day.day} {MONTHS[day.month - 1]} {day.year}",  # 20 Maret 2025
        f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}",  # 20 Mar 2025
        f"{day.day:02d} {MONTHS[day.month - 1].upper()} {day.year}",
        day,  # an Excel date cell read as a date
        dt.datetime(day.year, day.month, day.day, 8, 15),  # ... or as a datetime
    ]


@PROPERTY
@given(dates)
@example(dt.date(2024, 2, 29))
@example(dt.date(1900, 1, 1))
@example(dt.date(2100, 12, 31))
def test_date_round_trips_in_every_accepted_format(day: dt.date) -> None:
    for written in _written(day):
        assert v.date(written) == day, written


@PROPERTY
@given(st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_round_trips_excel_serial_numbers(day: dt.date) -> None:
    serial = (day - EXCEL_EPOCH).days
    assert v.date(serial) == day
    assert v.date(float(serial)) == day


def _dotted(number: int) -> str:
    return f"{number:,}".replace(",", ".")


@PROPERTY
@given(st.integers(min_value=0, max_value=10**15))
@example(0)
@example(999)
@example(1000)
@example(1234)
def test_integer_round_trips_with_and_without_thousands_dots(number: int) -> None:
    assert v.integer(str(number)) == number
    assert v.integer(_dotted(number)) == number
    assert v.integer(number) == number
    assert v.integer(float(number)) == number  # an Excel number: exact below 2**53


@PROPERTY
@given(st.integers(min_value=0, max_value=10**15))
@example(0)
@example(3_500_000)
def test_rupiah_round_trips_in_every_listed_form(amount: int) -> None:
    for written in (
        str(amount),
        _dotted(amount),
        f"Rp {_dotted(amount)}",
        f"Rp{_dotted(amount)}",
        f"Rp{_dotted(amount)},00",
        f"Rp {amount}",
    ):
        assert v.rupiah(written) == amount, written
    assert v.rupiah(amount) == amount


def _nik_accepts(text: str) -> bool:
    try:
        result = v.nik(text)
    except PydanticCustomError as error:
        rejection = error
    else:
        assert result == text
        return True
    assert rejection.type == "nik_invalid"
    assert text not in rejection.message()
    return False


_two = st.integers(min_value=0, max_value=99).map(lambda n: f"{n:02d}")
_known_places = st.sampled_from(["1209", "1271", "1101", "3171", "3273", "9471", "5171", "1208", "6471"])
_place = st.one_of(
    _known_places,
    _known_places,  # weighted so that many examples pass the place check
    st.sampled_from(["9999", "1299", "0000", "1900", "9971"]),
    st.integers(min_value=0, max_value=9999).map(lambda n: f"{n:04d}"),
)
_day = st.one_of(
    st.integers(min_value=1, max_value=31),  # men
    st.integers(min_value=41, max_value=71),  # women: day + 40
    st.integers(min_value=0, max_value=99),
).map(lambda n: f"{n:02d}")
_month = st.one_of(st.integers(min_value=1, max_value=12).map(lambda n: f"{n:02d}"), _two)
# NIK-shaped numbers (PPRR + SS + DDMMYY + serial) reach the date and place checks; plain random
# 16-digit strings are mostly rejected early.
_nik_shaped = st.builds(
    lambda place, district, day, month, year, serial: place + district + day + month + year + f"{serial:04d}",
    _place,
    _two,
    _day,
    _month,
    _two,
    st.integers(min_value=0, max_value=9999),
)
_sixteen_digits = st.text(alphabet="0123456789", min_size=16, max_size=16)


@PROPERTY
@given(st.one_of(_nik_shaped, _nik_shaped, _sixteen_digits))
@example("1209011708900001")
@example("1209015708900001")
@example("3171012902001234")  # 29-02-2000
@example("3171012902011234")  # 29-02-1901/2001: no such date
@example("1209018108900001")  # day 81 % 40 = 1, which the v1 rule let through
@example("9971011708450001")
@example("6571011708900001")  # Kalimantan Utara: python-stdnum's place list predates it
@example("1209071708900001")  # Asahan's 12.09.07, moved to Batu Bara in 2007
@example("1209011708900000")  # serial 0000
def test_nik_agrees_with_the_structure_rule_of_domains_md_v2(text: str) -> None:
    assert _nik_accepts(text) == _structurally_valid(text)


_PROVINCES = {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, *range(31, 37), 51, 52, 53, *range(61, 66)}
_PROVINCES |= {*range(71, 77), 81, 82, *range(91, 97)}


def _structurally_valid(text: str) -> bool:
    """domains.md v2, written out on its own: province, a real birth date, a serial that is not 0000."""
    day, month, year = int(text[6:8]), int(text[8:10]), int(text[10:12])
    if 41 <= day <= 71:
        day -= 40
    elif not 1 <= day <= 31:
        return False
    real = False
    for century in (1900, 2000):
        try:
            dt.date(century + year, month, day)
        except ValueError:
            continue
        real = True
    return int(text[:2]) in _PROVINCES and real and text[12:] != "0000"
