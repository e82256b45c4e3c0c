"""The NIK rule of domains.md v2: a NIK is valid by its structure, never by a list of places.

A NIK is never reissued, so it keeps the regency and kecamatan digits of its first registration
(Asahan's kecamatan 12.09.01-07 moved to Batu Bara in 2007); python-stdnum's place list is older
than Kemendagri's and rejected hundreds of today's kecamatan. What is checked: 16 digits, a
Kemendagri province code, a real birth date (day 01-31 for men, 41-71 for women), a serial that
is not 0000.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from itertools import repeat
from operator import and_, getitem, is_not
from typing import Any

from pydantic import ValidationInfo

from .cells import digits_cell, is_number_cell, problem, where, where_shaped
from .vocabulary import NIK_PROVINCES

_SEPARATORS = str.maketrans("", "", " .-\u00a0")
# `1.20919E+15`, `1,209190102E+15`: what Excel shows, and writes to CSV, for a long number.
_SCIENTIFIC = re.compile(r"[0-9](?:[.,][0-9]+)?\s*[eE]\s*\+?\s*[0-9]{1,3}")
WOMEN_DAY_OFFSET = 40  # a woman's NIK carries her day of birth + 40

NIK_SCIENTIFIC_MESSAGE = (
    "NIK tertulis sebagai notasi ilmiah (mis. 1,2E+15) karena Excel menganggapnya angka, dan digitnya "
    "sudah hilang. Format kolom NIK sebagai Teks di Excel, ketik ulang NIK-nya, lalu ekspor lagi"
)
NIK_NUMBER_CELL_MESSAGE = (
    "NIK tersimpan sebagai angka di Excel, yang hanya menyimpan 15 digit: angka 0 terakhir mungkin "
    "bukan digit aslinya. Periksa NIK ini, dan format kolom NIK sebagai Teks sebelum ekspor berikutnya"
)


@lru_cache(maxsize=65536)
def encoded_birth_date(ddmmyy: str) -> dt.date | None:
    """The birth date encoded in a NIK's digits 7-12 (DDMMYY; DD + 40 for women), or None.

    The year is read in the 1900s when that makes a real date, else in the 2000s (29 February 00).
    Cached: there are at most 36,500 birth dates, and each NIK is checked twice per row.
    """
    day = int(ddmmyy[0:2])
    if day > WOMEN_DAY_OFFSET:
        day -= WOMEN_DAY_OFFSET
        if day > 31:
            return None
    elif day > 31:
        return None
    month, year = int(ddmmyy[2:4]), int(ddmmyy[4:6])
    for century in (1900, 2000):
        try:
            return dt.date(century + year, month, day)
        except ValueError:
            continue
    return None


def nik_birth_date(nik: str) -> dt.date | None:
    return encoded_birth_date(nik[6:12])


def nik_sex(nik: str) -> str:
    return "P" if int(nik[6:8]) > WOMEN_DAY_OFFSET else "L"


def structure_problem(text: str) -> str | None:
    """What is wrong with a 16-digit string as a NIK, in the operator's words; None when valid."""
    if text[:2] not in NIK_PROVINCES:
        return "NIK tidak valid: 2 digit pertama bukan kode provinsi Kemendagri"
    if encoded_birth_date(text[6:12]) is None:
        return (
            "NIK tidak valid: digit 7-12 bukan tanggal lahir yang mungkin "
            "(tanggal 01-31, atau 41-71 untuk perempuan, lalu bulan dan tahun)"
        )
    if text[12:] == "0000":
        return "NIK tidak valid: 4 digit terakhir (nomor urut) tidak boleh 0000"
    return None


def nik_digits(value: object) -> str:
    """The digits of a NIK cell, separators removed; raises the format errors."""
    if isinstance(value, str):
        stripped = value.strip()
        # Digits only: nothing to remove, and translate is the slow part.
        text = stripped if stripped.isdigit() else stripped.translate(_SEPARATORS)
        if not text.isdigit():
            if _SCIENTIFIC.fullmatch(stripped):
                raise problem("nik_scientific_notation", NIK_SCIENTIFIC_MESSAGE)
            raise problem("nik_invalid", "NIK harus berupa 16 digit angka")
    else:
        found = digits_cell(value, 16)
        if found is None:
            raise problem("nik_invalid", "NIK harus berupa 16 digit angka")
        text = found
    if len(text) != 16:
        raise problem("nik_invalid", "NIK harus berupa 16 digit angka")
    return text


def nik(value: object, info: ValidationInfo | None = None) -> str:
    """NIK: 16 digits whose structure is valid (module docstring)."""
    text = nik_digits(value)
    wrong = structure_problem(text)
    if wrong is not None:
        raise problem("nik_invalid", wrong)
    return text


def nik_warning(cell: object, value: str, info: ValidationInfo | None = None) -> tuple[str, str] | None:
    """A NIK from a number cell that ends in 0: Excel may have replaced its 16th digit."""
    if is_number_cell(cell) and value.endswith("0"):
        return "nik_number_cell", NIK_NUMBER_CELL_MESSAGE
    return None


_NIK_SHAPE = re.compile(r"[0-9]{16}")  # digits only: no separator to remove, and 16 of them
_PROVINCE_DIGITS = slice(0, 2)
_BIRTH_DIGITS = slice(6, 12)
_SERIAL_DIGITS = slice(12, 16)


def nik_column(cells: list[str], info: ValidationInfo | None = None) -> list[Any]:
    """`nik` over a column of text cells (see values.column_form): the shape, then the structure."""

    def checked(texts: list[str]) -> list[str]:
        births = list(map(encoded_birth_date, map(getitem, texts, repeat(_BIRTH_DIGITS))))
        provinces = list(map(NIK_PROVINCES.__contains__, map(getitem, texts, repeat(_PROVINCE_DIGITS))))
        serials = list(map("0000".__ne__, map(getitem, texts, repeat(_SERIAL_DIGITS))))
        if None not in births and all(provinces) and all(serials):
            return texts
        passed = map(and_, map(and_, map(is_not, births, repeat(None)), provinces), serials)
        return where(texts, list(passed))

    texts = list(map(str.strip, cells))
    return where_shaped(texts, list(map(bool, map(_NIK_SHAPE.fullmatch, texts))), checked)
