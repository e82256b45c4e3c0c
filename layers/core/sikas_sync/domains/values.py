"""The shared value rules of domains.md: each normaliser turns one raw cell into its stored form.

A normaliser raises `problem(code, message)` (a pydantic custom error) so that the domain models can
use it as a `BeforeValidator` and row errors come out with a stable code and an Indonesian message.
Messages never repeat the cell's value: it may be personal data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import and_, getitem, is_not, methodcaller, not_
from typing import Any

from pydantic import BeforeValidator, ValidationInfo
from pydantic_core import PydanticCustomError
from stdnum import numdb
from stdnum.id import npwp as stdnum_npwp

from ..reference import wilayah

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")  # Indonesia has no DST; SIKAS dates are local dates
DEFAULT_REGION_CODE = "12.09"  # Kabupaten Asahan


def problem(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message)


def context_today(info: ValidationInfo | None) -> dt.date:
    ctx = info.context if info is not None else None
    if ctx and "today" in ctx:
        today: dt.date = ctx["today"]
        return today
    return dt.datetime.now(WIB).date()


def context_region(info: ValidationInfo | None) -> str:
    ctx = info.context if info is not None else None
    if ctx and "region_code" in ctx:
        region: str = ctx["region_code"]
        return region
    return DEFAULT_REGION_CODE


# --------------------------------------------------------------------------------------------
# Blank handling: a required column with an empty cell is an error; an optional one becomes None.


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True, slots=True)
class FieldRule:
    """The validator of one field: blank handling around a normaliser.

    A plain callable, so pydantic runs it as the `BeforeValidator`'s function, and the row validator's
    compiled path (`validation.compiled`) can read what it is made of and run it without pydantic.
    Normalisers must be pure functions of (cell, context): the compiled path caches their results.
    """

    normalise: Callable[..., Any]
    required: bool
    default: Any = None

    def __call__(self, value: object, info: ValidationInfo | None) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                raise problem("value_required", "Wajib diisi")
            return self.default
        return self.normalise(value, info)


def required(normalise: Callable[..., Any]) -> BeforeValidator:
    return BeforeValidator(FieldRule(normalise, required=True))


def optional(normalise: Callable[..., Any], default: Any = None) -> BeforeValidator:
    """An optional column: a blank cell takes `default` (the domain's default value, or None)."""
    return BeforeValidator(FieldRule(normalise, required=False, default=default))


# --------------------------------------------------------------------------------------------
# Helpers for cells that Excel typed as numbers.


def _integral(value: object) -> int | None:
    """An Excel number that holds a whole number, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _digits_cell(value: object, width: int) -> str | None:
    """Identifier cells stored as numbers lose leading zeros in Excel; pad them back."""
    number = _integral(value)
    if number is None or number < 0:
        return None
    return str(number).zfill(width)


_SEPARATORS = str.maketrans("", "", " .-\u00a0")


# --------------------------------------------------------------------------------------------
# Identifiers


@lru_cache(maxsize=4096)
def _nik_place_known(prefix: str) -> bool:
    # python-stdnum's own registration-place table, cached per 4-digit prefix: the lookup is the
    # slow part of stdnum.id.nik.validate and prefixes repeat across a whole export.
    return bool(numdb.get("id/loc").info(prefix)[0][1])


def nik_birth_date(nik: str) -> dt.date | None:
    """The birth date encoded in a NIK (day + 40 for women), with the 2-digit year as in stdnum."""
    return encoded_birth_date(nik[6:12])


@lru_cache(maxsize=65536)
def encoded_birth_date(ddmmyy: str) -> dt.date | None:
    """`nik_birth_date` of a NIK's digits 7-12 (DDMMYY).

    Cached: there are at most 36,500 birth dates, and each NIK is checked twice per row.
    """
    day = int(ddmmyy[0:2]) % 40
    month = int(ddmmyy[2:4])
    year = int(ddmmyy[4:6])
    for century in (1900, 2000):
        try:
            return dt.date(century + year, month, day)
        except ValueError:
            continue
    return None


def nik_sex(nik: str) -> str:
    return "P" if int(nik[6:8]) > 40 else "L"


def nik(value: object, info: ValidationInfo | None = None) -> str:
    """NIK: 16 digits, valid per stdnum.id.nik (same checks, the place lookup cached)."""
    text: str | None
    if isinstance(value, str):
        stripped = value.strip()
        # Digits only: nothing to remove, and translate is the slow part.
        text = stripped if stripped.isdigit() else stripped.translate(_SEPARATORS)
    else:
        text = _digits_cell(value, 16)
    if text is None or not text.isdigit():
        raise problem("nik_invalid", "NIK harus berupa 16 digit angka")
    if len(text) != 16:
        raise problem("nik_invalid", "NIK harus 16 digit")
    if encoded_birth_date(text[6:12]) is None:  # nik_birth_date(text)
        raise problem("nik_invalid", "NIK tidak valid: bagian tanggal lahir tidak mungkin")
    if not _nik_place_known(text[:4]):
        raise problem("nik_invalid", "NIK tidak valid: kode wilayah pada NIK tidak dikenal")
    return text


def nib(value: object, info: ValidationInfo | None = None) -> str:
    text = _digits_cell(value, 13) if not isinstance(value, str) else value.strip().translate(_SEPARATORS)
    if text is None or not text.isdigit() or len(text) != 13:
        raise problem("nib_invalid", "NIB harus 13 digit angka")
    return text


def npwp(value: object, info: ValidationInfo | None = None) -> str:
    text = _digits_cell(value, 15) if not isinstance(value, str) else stdnum_npwp.compact(value)
    if text is None or not text.isdigit() or len(text) not in (15, 16):
        raise problem("npwp_invalid", "NPWP harus 15 atau 16 digit angka")
    if not stdnum_npwp.is_valid(text):
        raise problem("npwp_invalid", "NPWP tidak valid (digit pemeriksa salah)")
    return text if len(text) == 16 else "0" + text


_KBJI = re.compile(r"\d{4}(\.\d{2})?")


def kbji(value: object, info: ValidationInfo | None = None) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = _digits_cell(value, 4) or f"{value:.2f}"
    else:
        text = str(value).strip()
    if not _KBJI.fullmatch(text):
        raise problem("kbji_invalid", "Kode KBJI harus berbentuk NNNN atau NNNN.NN")
    return text


_KBLI_SEPARATOR = re.compile(r"[;,]")


def kbli_list(value: object, info: ValidationInfo | None = None) -> list[str]:
    single = _digits_cell(value, 5)
    parts = [single] if single is not None else _KBLI_SEPARATOR.split(str(value))
    codes = [p.strip() for p in parts if p.strip()]
    if not codes:
        raise problem("value_required", "Wajib diisi (minimal satu kode KBLI)")
    if not all(len(c) == 5 and c.isdigit() for c in codes):
        raise problem("kbli_invalid", "Kode KBLI harus 5 digit; pisahkan beberapa kode dengan ; atau ,")
    return list(dict.fromkeys(codes))  # keep order, drop repeats


# --------------------------------------------------------------------------------------------
# Region codes


def kode_wilayah(
    *levels: wilayah.Level, within_region: bool = False
) -> Callable[[object, ValidationInfo | None], str]:
    """A Kemendagri code of one of `levels` (all levels when empty), optionally inside the region."""
    allowed = set(levels) or set(wilayah.LEVELS)
    level_names = {
        "provinsi": "provinsi",
        "kabupaten_kota": "kabupaten/kota",
        "kecamatan": "kecamatan",
        "desa_kelurahan": "desa/kelurahan",
    }
    allowed_text = " atau ".join(level_names[lv] for lv in wilayah.LEVELS if lv in allowed)

    def normalise(value: object, info: ValidationInfo | None = None) -> str:
        raw = _digits_cell(value, 0) if not isinstance(value, str) else value
        dotted = wilayah.to_dotted(raw) if raw else None
        if dotted is None:
            raise problem(
                "kode_wilayah_invalid", "Kode wilayah harus berbentuk kode Kemendagri, mis. 12.09.19.1001"
            )
        found = wilayah.lookup(dotted)
        if found is None:
            raise problem("kode_wilayah_unknown", "Kode wilayah tidak ada dalam daftar Kemendagri 2025")
        if found.tingkat not in allowed:
            raise problem("kode_wilayah_level", f"Kode wilayah harus tingkat {allowed_text}")
        if within_region:
            region = context_region(info)
            if not wilayah.is_within(dotted, region):
                raise problem("kode_wilayah_outside_region", f"Kode wilayah harus berada di wilayah {region}")
        return dotted

    return normalise


# --------------------------------------------------------------------------------------------
# Dates

_MONTHS = {
    "januari": 1, "jan": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "peb": 2,
    "maret": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12,
}  # fmt: skip
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DMY = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_NAMED = re.compile(r"(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{4})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 system from serial 61 (after its phantom 29 Feb 1900)
_EXCEL_FIRST_SERIAL = 7306  # 1920-01-01: a smaller number in a date column is a year or a count, not a date
_EXCEL_LAST_SERIAL = 2958465  # 9999-12-31


@lru_cache(maxsize=8192)
def _parse_date_text(text: str) -> dt.date | None:
    if m := _ISO.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DMY.fullmatch(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _NAMED.fullmatch(text):
        found = _MONTHS.get(m[2].lower())
        if found is None:
            return None
        day, month, year = int(m[1]), found, int(m[3])
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _text_date(text: str) -> dt.date | None:
    """`_parse_date_text`, with the fixed-width forms most exports use read directly, not cached.

    YYYY-MM-DD and DD/MM/YYYY (or DD-MM-YYYY) in ASCII digits are exactly what the patterns match
    with two-digit days and months; every other text goes through the patterns.
    """
    if len(text) == 10 and text.isascii():
        if text[4] == "-" == text[7] and text.count("-") == 2 and text.replace("-", "").isdigit():
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return None
        separators = text[2] + text[5]
        if separators in _DMY_SEPARATORS and (text[:2] + text[3:5] + text[6:]).isdigit():
            try:
                return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
            except ValueError:
                return None
    return _parse_date_text(text)


_DMY_SEPARATORS = frozenset({"//", "/-", "-/", "--"})


def date(value: object, info: ValidationInfo | None = None) -> dt.date:
    if type(value) is str:  # the common case, and what the general path below does with it
        parsed = _text_date(value.strip())
        if parsed is None:
            raise _date_unknown()
        return parsed
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    serial = _integral(value)
    if serial is not None:
        # A date cell Excel left unformatted arrives as its serial day number.
        if _EXCEL_FIRST_SERIAL <= serial <= _EXCEL_LAST_SERIAL:
            return _EXCEL_EPOCH + dt.timedelta(days=serial)
        raise problem("date_invalid", "Tanggal tidak valid: angka ini bukan tanggal Excel")
    parsed = _text_date(str(value).strip())
    if parsed is None:
        raise _date_unknown()
    return parsed


def _date_unknown() -> PydanticCustomError:
    return problem(
        "date_invalid",
        "Tanggal tidak dikenali; gunakan YYYY-MM-DD, DD/MM/YYYY atau mis. 20 Maret 2025",
    )


def past_date(value: object, info: ValidationInfo | None = None) -> dt.date:
    """A date of an event that has happened: not after today (WIB)."""
    if type(value) is str:  # `date`'s common case, inlined: this runs for most date cells
        parsed = _text_date(value.strip())
        if parsed is None:
            raise _date_unknown()
    else:
        parsed = date(value, info)
    if parsed > context_today(info):
        raise problem("date_in_future", "Tanggal tidak boleh di masa depan")
    return parsed


# --------------------------------------------------------------------------------------------
# Numbers

_PLAIN_INT = re.compile(r"-?\d+")
_DOTTED_INT = re.compile(r"-?\d{1,3}(\.\d{3})+")


def integer(value: object, info: ValidationInfo | None = None) -> int:
    whole = _integral(value)
    if whole is not None:
        return whole
    text = str(value).strip().replace(" ", "")
    if _PLAIN_INT.fullmatch(text) or _DOTTED_INT.fullmatch(text):
        return int(text.replace(".", ""))
    raise problem("integer_invalid", "Harus bilangan bulat, mis. 1234 atau 1.234")


def integer_between(
    low: int | None, high: int | Callable[[ValidationInfo | None], int] | None
) -> Callable[[object, ValidationInfo | None], int]:
    def normalise(value: object, info: ValidationInfo | None = None) -> int:
        number = integer(value, info)
        top = high(info) if callable(high) else high
        if low is not None and number < low:
            raise problem("integer_out_of_range", f"Harus paling sedikit {low}")
        if top is not None and number > top:
            raise problem("integer_out_of_range", f"Harus paling banyak {top}")
        return number

    return normalise


def current_year(info: ValidationInfo | None) -> int:
    return context_today(info).year


_DECIMAL = re.compile(r"-?\d+([.,]\d+)?")


def percent(value: object, info: ValidationInfo | None = None) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip().rstrip("%").strip()
        if not _DECIMAL.fullmatch(text):
            raise problem("number_invalid", "Harus berupa angka, mis. 87,5")
        number = float(text.replace(",", "."))
    if not 0 <= number <= 100:
        raise problem("number_out_of_range", "Harus antara 0 dan 100")
    return number


_RUPIAH_PREFIX = re.compile(r"^rp\.?", re.IGNORECASE)
_RUPIAH = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d+)(?:,(\d{1,2}))?")


def rupiah(value: object, info: ValidationInfo | None = None) -> int:
    whole = _integral(value)
    if whole is not None:
        if whole < 0:
            raise problem("rupiah_invalid", "Nilai rupiah tidak boleh negatif")
        return whole
    if isinstance(value, float):
        raise problem("rupiah_invalid", "Nilai rupiah harus dalam rupiah penuh")
    text = _RUPIAH_PREFIX.sub("", str(value).strip()).replace(" ", "")
    match = _RUPIAH.fullmatch(text)
    if match is None:
        raise problem("rupiah_invalid", "Nilai rupiah tidak valid; contoh: 3500000 atau Rp 3.500.000")
    if match[2] and int(match[2]) != 0:
        raise problem("rupiah_invalid", "Nilai rupiah harus dalam rupiah penuh (tanpa sen)")
    return int(match[1].replace(".", "").replace(",", ""))


# --------------------------------------------------------------------------------------------
# Coded values

_SEX = {
    "L": "L", "LAKILAKI": "L", "PRIA": "L", "LAKI": "L",
    "P": "P", "PEREMPUAN": "P", "WANITA": "P",
}  # fmt: skip
_SQUEEZE = re.compile(r"[\s_.\-/]+")


def _key(value: object) -> str:
    return _SQUEEZE.sub("", str(value).strip().upper())


def jenis_kelamin(value: object, info: ValidationInfo | None = None) -> str:
    found = _SEX.get(_key(value))
    if found is None:
        raise problem("jenis_kelamin_invalid", "Jenis kelamin harus L atau P (Laki-laki/Perempuan)")
    return found


PENDIDIKAN = ("TIDAK_SEKOLAH", "SD", "SMP", "SMA", "SMK", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
_PENDIDIKAN_ALIASES = {
    **{_key(code): code for code in PENDIDIKAN},
    "BELUMSEKOLAH": "TIDAK_SEKOLAH", "TIDAKBELUMSEKOLAH": "TIDAK_SEKOLAH", "TIDAKTAMATSD": "TIDAK_SEKOLAH",
    "TAMATSD": "SD", "SEDERAJAT": "SD",
    "SLTP": "SMP", "TAMATSMP": "SMP", "MTS": "SMP", "TAMATSLTP": "SMP",
    "SLTA": "SMA", "TAMATSMA": "SMA", "MA": "SMA", "TAMATSLTA": "SMA", "SMU": "SMA",
    "TAMATSMK": "SMK", "STM": "SMK", "SMEA": "SMK",
    "DI": "D1", "DIPLOMAI": "D1", "DIPLOMA1": "D1",
    "DII": "D2", "DIPLOMAII": "D2", "DIPLOMA2": "D2",
    "DIII": "D3", "DIPLOMAIII": "D3", "DIPLOMA3": "D3",
    "DIV": "D4", "DIPLOMAIV": "D4", "DIPLOMA4": "D4",
    "SARJANA": "S1", "STRATA1": "S1",
    "MAGISTER": "S2", "STRATA2": "S2",
    "DOKTOR": "S3", "DOKTORAL": "S3", "STRATA3": "S3",
}  # fmt: skip


def pendidikan(value: object, info: ValidationInfo | None = None) -> str:
    found = _PENDIDIKAN_ALIASES.get(_key(value))
    if found is None:
        raise problem(
            "pendidikan_invalid", "Pendidikan tidak dikenal; gunakan SD, SMP, SMA, SMK, D1-D4, S1-S3"
        )
    return found


_ENUM_SEPARATORS = re.compile(r"[\s\-]+")


def enum(*codes: str) -> Callable[[object, ValidationInfo | None], str]:
    """Case-insensitive code, spaces and dashes read as `_`."""
    allowed = set(codes)
    listed = ", ".join(codes)

    def normalise(value: object, info: ValidationInfo | None = None) -> str:
        text = _ENUM_SEPARATORS.sub("_", str(value).strip().upper())
        if text not in allowed:
            raise problem("enum_invalid", f"Nilai tidak dikenal; pilih salah satu: {listed}")
        return text

    return normalise


# --------------------------------------------------------------------------------------------
# Contact data


_PHONE_PUNCTUATION = re.compile(r"[\s\-.()]")
_TELEPHONE_PUNCTUATION = re.compile(r"[\s\-.()+]")


def no_hp(value: object, info: ValidationInfo | None = None) -> str:
    if type(value) is str:
        text = value.replace("-", "")
        if not text.isdigit():  # digits and dashes only: the dashes were all there was to remove
            text = _PHONE_PUNCTUATION.sub("", value)
    elif (number := _integral(value)) is not None:
        # Excel drops the leading 0 of 08… when the cell is numeric; 628… keeps its country code.
        text = str(number) if str(number).startswith("62") else "0" + str(number)
    else:
        text = _PHONE_PUNCTUATION.sub("", str(value))
    if text.startswith("+62"):
        rest = text[3:]
    elif text.startswith("62"):
        rest = text[2:]
    elif text.startswith("0"):
        rest = text[1:]
    else:
        rest = ""
    if not (rest.startswith("8") and rest.isdigit() and 10 <= len(rest) + 1 <= 15):
        raise problem("no_hp_invalid", "Nomor HP harus nomor seluler Indonesia, mis. 0812-3456-7890")
    return "+62" + rest


def telepon(value: object, info: ValidationInfo | None = None) -> str:
    number = _integral(value)
    text = str(number) if number is not None else _TELEPHONE_PUNCTUATION.sub("", str(value))
    if not text.isdigit() or not 6 <= len(text) <= 15:
        raise problem("telepon_invalid", "Nomor telepon harus 6-15 digit angka")
    return text


_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def email(value: object, info: ValidationInfo | None = None) -> str:
    text = str(value).strip().lower()
    if len(text) > 254 or not _EMAIL.fullmatch(text):
        raise problem("email_invalid", "Alamat email tidak valid")
    return text


# --------------------------------------------------------------------------------------------
# Free text

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(max_length: int = 200) -> Text:
    return Text(max_length)


_FORMULA_STARTS = ("=", "+", "-", "@")


class Text:
    """Free text of at most `max_length` characters, whitespace runs collapsed to one space."""

    __slots__ = ("max_length",)

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def __call__(self, value: object, info: ValidationInfo | None = None) -> str:
        max_length = self.max_length
        if type(value) is str:
            raw = value  # what the general path below makes of a str
        elif isinstance(value, dt.date):
            return value.isoformat()
        else:
            whole = _integral(value)
            raw = str(whole) if whole is not None else str(value)
        # Every character _CONTROL matches is unprintable, so printable text skips the search.
        if not raw.isprintable() and _CONTROL.search(raw):
            raise problem("text_control_char", "Teks berisi karakter kontrol yang tidak diizinkan")
        # str.split() and the regex \s agree on what whitespace is: the same runs collapse to " ".
        cleaned = " ".join(raw.split())
        if cleaned[:1] in _FORMULA_STARTS:
            raise problem("text_formula", "Teks tidak boleh diawali =, +, - atau @ (rumus spreadsheet)")
        if len(cleaned) > max_length:
            raise problem("text_too_long", f"Teks paling banyak {max_length} karakter")
        return cleaned

    def column(self, cells: list[str], info: ValidationInfo | None = None) -> list[str]:
        """The column form (see `column_form`): the same steps, each over the whole column."""
        cleaned = list(map(" ".join, map(str.split, cells)))
        if (
            all(map(str.isprintable, cells))  # else maybe a control character
            and not any(map(str.startswith, cleaned, repeat(_FORMULA_STARTS)))
            and max(map(len, cleaned)) <= self.max_length
        ):
            return cleaned  # the usual column: every cell passes
        passed = map(
            and_,
            map(str.isprintable, cells),
            map(not_, map(str.startswith, cleaned, repeat(_FORMULA_STARTS))),
        )
        return _where(cleaned, list(map(and_, passed, map(self.max_length.__ge__, map(len, cleaned)))))


# --------------------------------------------------------------------------------------------
# Column forms: a normaliser over a whole column of filled text cells at once.

UNDECIDED: Any = object()  # a cell a column form leaves to its normaliser
ColumnForm = Callable[[list[str], ValidationInfo | None], list[Any] | None]


def column_form(normalise: Callable[..., Any]) -> ColumnForm | None:
    """The column form of a normaliser, if it has one.

    A column form takes filled cells, all of type str, and returns for each the value the
    normaliser returns for it, or UNDECIDED for a cell the form does not vouch for (it may be a
    problem); the caller runs the normaliser on those. None leaves every cell to the normaliser.
    Its steps are the normaliser's, each done for the whole column by functions written in C.
    """
    form = _COLUMN_FORMS.get(normalise)
    return form if form is not None else getattr(normalise, "column", None)


def _where(values: list[Any], passed: list[bool]) -> list[Any]:
    """values where passed, UNDECIDED elsewhere."""
    if all(passed):
        return values
    return [value if ok else UNDECIDED for value, ok in zip(values, passed, strict=True)]


def _where_shaped(
    values: list[Any], shaped: list[bool], checked: Callable[[list[Any]], list[Any]]
) -> list[Any]:
    """checked(values that have the shape) in their places, UNDECIDED for the others."""
    if all(shaped):
        return checked(values)
    results = iter(checked(list(compress(values, shaped))))
    return [next(results) if ok else UNDECIDED for ok in shaped]


_NIK_SHAPE = re.compile(r"[0-9]{16}")  # digits only: no separator to remove, and 16 of them
_BIRTH_DIGITS = slice(6, 12)
_PLACE_DIGITS = slice(0, 4)


def _nik_column(cells: list[str], info: ValidationInfo | None = None) -> list[str]:
    def checked(texts: list[str]) -> list[str]:
        births = list(map(encoded_birth_date, map(getitem, texts, repeat(_BIRTH_DIGITS))))
        placed = list(map(_nik_place_known, map(getitem, texts, repeat(_PLACE_DIGITS))))
        if None not in births and all(placed):
            return texts
        return _where(texts, list(map(and_, map(is_not, births, repeat(None)), placed)))

    texts = list(map(str.strip, cells))
    return _where_shaped(texts, list(map(bool, map(_NIK_SHAPE.fullmatch, texts))), checked)


# What no_hp keeps of a mobile number once its dashes are gone: +62, 62 or 0, then the rest, which
# starts with 8 and has 9 to 14 digits (10 to 15 with the leading 0).
_MOBILE = re.compile(r"(?:\+62|62|0)(8[0-9]{8,13})")
_GROUP_1 = methodcaller("group", 1)


def _no_hp_column(cells: list[str], info: ValidationInfo | None = None) -> list[str]:
    # A text of digits (or + and digits) after the dashes go is what the punctuation pattern leaves too.
    found = list(map(_MOBILE.fullmatch, map(str.replace, cells, repeat("-"), repeat(""))))
    shaped = list(map(bool, found))
    return _where_shaped(found, shaped, lambda matches: list(map("+62".__add__, map(_GROUP_1, matches))))


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # _text_date's first case


def _date_column(cells: list[str], info: ValidationInfo | None = None) -> list[Any]:
    texts = list(map(str.strip, cells))
    shaped = list(map(bool, map(_ISO_DATE.fullmatch, texts)))
    try:
        iso = list(map(dt.date.fromisoformat, compress(texts, shaped)))  # as _text_date reads them
    except ValueError:
        return [UNDECIDED] * len(texts)  # an impossible date
    if len(iso) == len(texts):
        return iso
    others = iter(map(_text_date, compress(texts, map(not_, shaped))))
    read = iter(iso)
    found = [next(read) if is_iso else next(others) for is_iso in shaped]
    return _where(found, list(map(is_not, found, repeat(None))))


def _past_date_column(cells: list[str], info: ValidationInfo | None = None) -> list[Any]:
    found = _date_column(cells, info)
    today = context_today(info)
    if UNDECIDED not in found and max(found) <= today:
        return found
    return [UNDECIDED if day is UNDECIDED or day > today else day for day in found]


def _email_column(cells: list[str], info: ValidationInfo | None = None) -> list[str]:
    texts = list(map(str.lower, map(str.strip, cells)))
    passed = map(and_, map(bool, map(_EMAIL.fullmatch, texts)), map(_EMAIL_LENGTH.__ge__, map(len, texts)))
    return _where(texts, list(passed))


_EMAIL_LENGTH = 254
_COLUMN_FORMS: dict[Callable[..., Any], ColumnForm] = {
    nik: _nik_column,
    no_hp: _no_hp_column,
    date: _date_column,
    past_date: _past_date_column,
    email: _email_column,
}
