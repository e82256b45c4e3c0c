"""The shared value rules of domains.md: each normaliser turns one raw cell into its stored form.

A normaliser raises `problem(code, message)` (a pydantic custom error) so that the domain models can
use it as a `BeforeValidator` and row errors come out with a stable code and an Indonesian message.
Messages never repeat the cell's value: it may be personal data. The spellings a rule accepts are
data, in `vocabulary`; the NIK rule has its own module, `nik`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import and_, is_not, methodcaller, not_
from typing import Any

from pydantic import BeforeValidator, ValidationInfo
from pydantic_core import PydanticCustomError
from stdnum.id import npwp as stdnum_npwp

from ..reference import wilayah
from . import vocabulary as vocab
from .cells import UNDECIDED, problem
from .cells import digits_cell as _digits_cell
from .cells import integral as _integral
from .cells import where as _where
from .cells import where_shaped as _where_shaped
from .nik import encoded_birth_date, nik, nik_birth_date, nik_column, nik_sex, nik_warning
from .nik import structure_problem as nik_structure_problem

__all__ = ["UNDECIDED", "encoded_birth_date", "nik", "nik_birth_date", "nik_sex", "problem"]

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")  # Indonesia has no DST; SIKAS dates are local dates
DEFAULT_REGION_CODE = "12.09"  # Kabupaten Asahan


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
# Empty cells: blank, or a placeholder for "none" (vocabulary.PLACEHOLDERS). A required column with
# an empty cell is an error; an optional one takes its default (None, or the domain's default).

_PLACEHOLDER_FIRST = frozenset("".join(key[0] + key[0].upper() for key in vocab.PLACEHOLDER_KEYS))
_PLACEHOLDER_MAX_TEXT = 4 * vocab.PLACEHOLDER_MAX_KEY  # room for the spaces offices put around them
# Each placeholder as a whole line of a column's cells, cleaned and lower-cased, joined by newlines.
_PLACEHOLDER_LINES = tuple(f"\n{key}\n" for key in sorted(vocab.PLACEHOLDER_KEYS))


def is_placeholder(text: str) -> bool:
    """A stripped, non-empty text that is one of the placeholders for "none"."""
    return (
        text[0] in _PLACEHOLDER_FIRST  # most texts stop here, cheaply
        and len(text) <= _PLACEHOLDER_MAX_TEXT
        and vocab.placeholder_key(text) in vocab.PLACEHOLDER_KEYS
    )


def is_empty(value: object) -> bool:
    """An empty cell: nothing, whitespace, or a placeholder for "none" (domains.md v2)."""
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        return not text or is_placeholder(text)
    return False


def filled_flags(cells: list[str]) -> list[bool]:
    """`not is_empty(cell)` for each cell of a column of text cells."""
    return [bool(text) and not is_placeholder(text) for text in map(str.strip, cells)]


def has_placeholder(cleaned: list[str]) -> bool:
    """Whether a column of cleaned cells (`" ".join(cell.split())`) holds a placeholder; one pass
    over the column's text in C: no newline survives the cleaning, so each cell is one line."""
    joined = "\n" + "\n".join(cleaned).lower() + "\n"
    return any(map(joined.__contains__, _PLACEHOLDER_LINES))


def refuses_placeholders(normalise: Callable[..., Any]) -> bool:
    """True when the normaliser (or its column form) never takes a placeholder for a value, so a
    caller may find empty cells by blanks alone: a placeholder then reaches the normaliser, is not
    accepted, and the field rule reads it as empty. Free-text normalisers take "tidak ada" for
    text; only `Text` leaves placeholders to the rule in its column form."""
    return normalise in _REFUSES_PLACEHOLDERS or isinstance(normalise, RegionCode | Text)


class Absent:
    """A normaliser's answer for a value that means "none" although it is not blank (an all-zero
    NPWP): the field then behaves exactly as for an empty cell."""

    __slots__ = ()


ABSENT = Absent()

# A field's warning for a value it accepted: (code, message), or None. It sees the raw cell too.
Warn = Callable[[object, Any, ValidationInfo | None], tuple[str, str] | None]


@dataclass(frozen=True, slots=True)
class FieldRule:
    """The validator of one field: empty-cell handling around a normaliser, and its warning.

    A plain callable, so pydantic runs it as the `BeforeValidator`'s function, and the row validator's
    compiled path (`validation.compiled`) can read what it is made of and run it without pydantic.
    Normalisers must be pure functions of (cell, context): the compiled path caches their results.
    """

    normalise: Callable[..., Any]
    required: bool
    default: Any = None
    warn: Warn | None = None

    def __call__(self, value: object, info: ValidationInfo | None) -> Any:
        if is_empty(value):
            return self.empty()
        result = self.normalise(value, info)
        return self.empty() if result is ABSENT else result

    def empty(self) -> Any:
        """The field's value for an empty cell, or its `value_required` error."""
        if self.required:
            raise problem("value_required", "Wajib diisi")
        return self.default


def warning_of(normalise: Callable[..., Any]) -> Warn | None:
    """The warning a normaliser gives for some values it accepts (see `Warn`), if any."""
    found = _WARNINGS.get(normalise)
    return found if found is not None else getattr(normalise, "warn", None)


def required(normalise: Callable[..., Any]) -> BeforeValidator:
    return BeforeValidator(FieldRule(normalise, required=True, warn=warning_of(normalise)))


def optional(normalise: Callable[..., Any], default: Any = None) -> BeforeValidator:
    """An optional column: an empty cell takes `default` (the domain's default value, or None)."""
    return BeforeValidator(FieldRule(normalise, required=False, default=default, warn=warning_of(normalise)))


_SEPARATORS = str.maketrans("", "", " .-\u00a0")


# --------------------------------------------------------------------------------------------
# Identifiers (the NIK rule is in nik.py)


def nib(value: object, info: ValidationInfo | None = None) -> str:
    text = _digits_cell(value, 13) if not isinstance(value, str) else value.strip().translate(_SEPARATORS)
    if text is None or not text.isdigit() or len(text) != 13:
        raise problem("nib_invalid", "NIB harus 13 digit angka")
    if text == "0" * 13:
        raise problem("nib_invalid", "NIB tidak boleh semua nol; isi NIB 13 digit dari OSS")
    return text


def npwp(value: object, info: ValidationInfo | None = None) -> str | Absent:
    """NPWP: the old 15 digits, or 16 (PMK 112/2022: a person's NIK, or `0` + the old 15).

    The all-zeros placeholder (`00.000.000.0-000.000`) means "none" (ABSENT).
    """
    text = _digits_cell(value, 15) if not isinstance(value, str) else stdnum_npwp.compact(value)
    if text is None or not text.isdigit() or len(text) not in (15, 16):
        raise problem("npwp_invalid", "NPWP harus 15 atau 16 digit angka")
    if text.count("0") == len(text):
        return ABSENT
    if len(text) == 16 and not text.startswith("0"):
        # A person's NPWP is their NIK: valid by the NIK rule, not by stdnum's (older) place list.
        wrong = nik_structure_problem(text)
        if wrong is not None:
            raise problem("npwp_invalid", "NPWP 16 digit berbentuk NIK: " + wrong)
        return text
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

_LEVEL_NAMES = {
    "provinsi": "provinsi",
    "kabupaten_kota": "kabupaten/kota",
    "kecamatan": "kecamatan",
    "desa_kelurahan": "desa/kelurahan",
}


class RegionCode:
    """A Kemendagri code of one of `levels` (all levels when empty). Outside the configured region
    it is an error (`within_region`), a warning (`warn_outside_region`), or nothing at all."""

    __slots__ = ("_allowed", "_allowed_text", "warn", "within_region")

    def __init__(self, levels: tuple[wilayah.Level, ...], *, within_region: bool, warn_outside_region: bool):
        if within_region and warn_outside_region:
            raise ValueError("a code outside the region is either an error or a warning")
        self._allowed = set(levels) or set(wilayah.LEVELS)
        self._allowed_text = " atau ".join(_LEVEL_NAMES[lv] for lv in wilayah.LEVELS if lv in self._allowed)
        self.within_region = within_region
        # Read by `warning_of`: only codes that may lie outside the region warn.
        self.warn: Warn | None = outside_region_warning if warn_outside_region else None

    def __call__(self, value: object, info: ValidationInfo | None = None) -> str:
        raw = _digits_cell(value, 0) if not isinstance(value, str) else value
        dotted = wilayah.to_dotted(raw) if raw else None
        if dotted is None:
            raise problem(
                "kode_wilayah_invalid", "Kode wilayah harus berbentuk kode Kemendagri, mis. 12.09.19.1001"
            )
        found = wilayah.lookup(dotted)
        if found is None:
            raise problem("kode_wilayah_unknown", "Kode wilayah tidak ada dalam daftar Kemendagri 2025")
        if found.tingkat not in self._allowed:
            raise problem("kode_wilayah_level", f"Kode wilayah harus tingkat {self._allowed_text}")
        if self.within_region:
            region = context_region(info)
            if not wilayah.is_within(dotted, region):
                raise problem("kode_wilayah_outside_region", f"Kode wilayah harus berada di wilayah {region}")
        return dotted


def kode_wilayah(
    *levels: wilayah.Level, within_region: bool = False, warn_outside_region: bool = False
) -> RegionCode:
    return RegionCode(levels, within_region=within_region, warn_outside_region=warn_outside_region)


def outside_region_warning(
    cell: object, value: str, info: ValidationInfo | None = None
) -> tuple[str, str] | None:
    region = context_region(info)
    if value == region or value.startswith(region + "."):  # wilayah.is_within, inlined: once a row
        return None
    return (
        "kode_wilayah_outside_region",
        f"Kode wilayah di luar wilayah {region}; data tetap disimpan (pencari kerja boleh terdaftar "
        "di luar kabupaten/kota KTP-nya). Periksa bila ini salah ketik",
    )


# --------------------------------------------------------------------------------------------
# Dates

_MONTHS = vocab.MONTHS
# A date-time cell that Excel wrote to CSV: the date, then its time, which must be midnight.
_MIDNIGHT = r"(?:[ T]0{1,2}[:.]00(?:[:.]00(?:\.0+)?)?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_YMD = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})" + _MIDNIGHT)
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})" + _MIDNIGHT)
_NAMED = re.compile(r"(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{4})" + _MIDNIGHT)
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 system from serial 61 (after its phantom 29 Feb 1900)
_EXCEL_FIRST_SERIAL = 7306  # 1920-01-01: a smaller number in a date column is a year or a count, not a date
_EXCEL_LAST_SERIAL = 2958465  # 9999-12-31


@lru_cache(maxsize=8192)
def _parse_date_text(text: str) -> dt.date | None:
    if (m := _ISO.fullmatch(text)) or (m := _YMD.fullmatch(text)):
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

    YYYY-MM-DD and DD/MM/YYYY (or DD-MM-YYYY, DD.MM.YYYY) in ASCII digits are exactly what the
    patterns match with two-digit days and months; every other text goes through the patterns.
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


_DMY_SEPARATORS = frozenset(a + b for a in "/-." for b in "/-.")


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

    _REFUSES_PLACEHOLDERS.add(normalise)  # `integer` refuses them
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


_RUPIAH_PREFIX = re.compile(r"^(?:rp\.?|idr)", re.IGNORECASE)
# Whole rupiah, written the Indonesian way (3.500.000,00), the English way (3,500,000.00) or plain
# (3500000, a database's 3500000.00); cents must be zero. `,-` after the amount means "no cents".
_RUPIAH = re.compile(
    r"(?P<id>\d{1,3}(?:\.\d{3})+)(?:,(?P<id_sen>\d{1,2}))?"
    r"|(?P<en>\d{1,3}(?:,\d{3})+)(?:\.(?P<en_sen>\d{2}))?"
    r"|(?P<plain>\d+)(?:,(?P<plain_sen>\d{1,2})|\.(?P<db_sen>\d{2}))?"
)
_NO_CENTS = (",-", ".-")


def rupiah(value: object, info: ValidationInfo | None = None) -> int:
    whole = _integral(value)
    if whole is not None:
        if whole < 0:
            raise problem("rupiah_invalid", "Nilai rupiah tidak boleh negatif")
        return whole
    if isinstance(value, float):
        raise problem("rupiah_invalid", "Nilai rupiah harus dalam rupiah penuh (tanpa sen)")
    text = _RUPIAH_PREFIX.sub("", str(value).strip()).replace(" ", "")
    if text.endswith(_NO_CENTS):
        text = text[:-2]
    match = _RUPIAH.fullmatch(text)
    if match is None:
        raise problem(
            "rupiah_invalid", "Nilai rupiah tidak valid; contoh: 3500000, 3.500.000 atau Rp 3.500.000,-"
        )
    amount = match["id"] or match["en"] or match["plain"]
    cents = match["id_sen"] or match["en_sen"] or match["plain_sen"] or match["db_sen"]
    if cents and int(cents) != 0:
        raise problem("rupiah_invalid", "Nilai rupiah harus dalam rupiah penuh (tanpa sen)")
    return int(amount.replace(".", "").replace(",", ""))


# --------------------------------------------------------------------------------------------
# Coded values: whole spellings from the vocabulary tables, never squeezed.

_SEX = vocab.keyed(vocab.JENIS_KELAMIN)
_PENDIDIKAN = vocab.keyed(vocab.PENDIDIKAN)
PENDIDIKAN = vocab.PENDIDIKAN_CODES


def _spelling(value: object) -> str:
    return vocab.spelling_key(str(value))


def jenis_kelamin(value: object, info: ValidationInfo | None = None) -> str:
    found = _SEX.get(_spelling(value))
    if found is None:
        raise problem(
            "jenis_kelamin_invalid",
            "Jenis kelamin harus L atau P (Laki-laki/Lk/Pria atau Perempuan/Pr/Wanita)",
        )
    return found


def pendidikan(value: object, info: ValidationInfo | None = None) -> str:
    found = _PENDIDIKAN.get(_spelling(value))
    if found is None:
        raise problem(
            "pendidikan_invalid",
            "Pendidikan tidak dikenal; gunakan TIDAK_SEKOLAH, SD, SMP, SMA, SMK, D1-D4, S1-S3 atau "
            "kategori pendidikan Kartu Keluarga (mis. SLTA/SEDERAJAT)",
        )
    return found


_ENUM_SEPARATORS = re.compile(r"[\s\-]+")


def _enum_key(value: object) -> str:
    return _ENUM_SEPARATORS.sub("_", str(value).strip().upper())


def enum(
    *codes: str, aliases: Mapping[str, str] | None = None
) -> Callable[[object, ValidationInfo | None], str]:
    """Case-insensitive code, spaces and dashes read as `_`; `aliases` (other spellings, read the
    same way) name a code too."""
    allowed = {code: code for code in codes}
    for spelling, code in (aliases or {}).items():
        if code not in codes:
            raise ValueError(f"alias {spelling!r} names {code!r}, which is not one of the codes")
        allowed[_enum_key(spelling)] = code
    listed = ", ".join(codes)
    if aliases:
        listed += " (atau " + ", ".join(s for s in aliases if s.isupper()) + ")"

    def normalise(value: object, info: ValidationInfo | None = None) -> str:
        found = allowed.get(_enum_key(value))
        if found is None:
            raise problem("enum_invalid", f"Nilai tidak dikenal; pilih salah satu: {listed}")
        return found

    if not any(_enum_key(placeholder) in allowed for placeholder in vocab.PLACEHOLDERS):
        _REFUSES_PLACEHOLDERS.add(normalise)
    return normalise


# --------------------------------------------------------------------------------------------
# Contact data


_PHONE_PUNCTUATION = re.compile(r"[\s\-.()]")
_TELEPHONE_PUNCTUATION = re.compile(r"[\s\-.()+]")
# `+62 (0) 812…`: the trunk 0 in brackets after the country code, as on business cards. A leading
# apostrophe is Excel's text marker, which the quarantine file writes before `+62…`.
_TRUNK_ZERO = re.compile(r"^'?(\+?62)\s*\(\s*0\s*\)|^'(?=\+)")
# `6.28123E+12`: a phone Excel held as a number and wrote in scientific notation; its digits are gone.
_PHONE_SCIENTIFIC = re.compile(r"\d[.,]\d+E\+\d{1,2}", re.IGNORECASE)


def no_hp(value: object, info: ValidationInfo | None = None) -> str:
    if type(value) is str:
        text = value.replace("-", "")
        if not text.isdigit():  # digits and dashes only: the dashes were all there was to remove
            text = _PHONE_PUNCTUATION.sub("", _TRUNK_ZERO.sub(r"\1", value.strip()))
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
        if type(value) is str and _PHONE_SCIENTIFIC.fullmatch(value.strip()):
            raise problem(
                "no_hp_invalid",
                "Nomor HP tertulis sebagai notasi ilmiah (mis. 6,28E+12) karena Excel menganggapnya "
                "angka, dan digitnya sudah hilang. Format kolom sebagai Teks, ketik ulang nomornya, lalu "
                "ekspor lagi",
            )
        if text.startswith("8") and text.isdigit():
            raise problem(
                "no_hp_invalid",
                "Nomor HP tanpa 0 di depan: Excel membuang angka 0 bila kolom berformat angka. Format "
                "kolom sebagai Teks dan tulis 08…, 628… atau +628…",
            )
        raise problem("no_hp_invalid", "Nomor HP harus nomor seluler Indonesia, mis. 0812-3456-7890")
    return "+62" + rest


def telepon(value: object, info: ValidationInfo | None = None) -> str:
    number = _integral(value)
    if number is not None:
        text = str(number)
    else:
        text = _TELEPHONE_PUNCTUATION.sub("", _TRUNK_ZERO.sub(r"\1", str(value).strip()))
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

    def column(self, cells: list[str], info: ValidationInfo | None = None) -> list[Any]:
        """The column form (see `column_form`): the same steps, each over the whole column; a
        placeholder is left undecided, for the field rule to read as empty."""
        cleaned = list(map(" ".join, map(str.split, cells)))
        found = self._column(cells, cleaned)
        if has_placeholder(cleaned):
            return [
                UNDECIDED if text and is_placeholder(text) else value
                for text, value in zip(cleaned, found, strict=True)
            ]
        return found

    def _column(self, cells: list[str], cleaned: list[str]) -> list[Any]:
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
    nik: nik_column,
    no_hp: _no_hp_column,
    date: _date_column,
    past_date: _past_date_column,
    email: _email_column,
}
# Normalisers that never accept a placeholder (`refuses_placeholders`); tests/unit/domains check it.
_REFUSES_PLACEHOLDERS: set[Callable[..., Any]] = {
    nik, nib, npwp, kbji, kbli_list, date, past_date, integer, percent, rupiah,
    jenis_kelamin, pendidikan, no_hp, telepon, email,
}  # fmt: skip

# Warnings of plain-function normalisers (normalisers that are objects carry their own `warn`).
_WARNINGS: dict[Callable[..., Any], Warn] = {nik: nik_warning}

# A warning's column test: True when no cell of the column can warn (the usual column, decided at
# once); False leaves the column to the warning itself, cell by cell. Columns may hold other values
# than the field's (markers of cells that failed).
WarningFree = Callable[[Sequence[object], Sequence[Any], ValidationInfo | None], bool]


def _no_number_cells(cells: Sequence[object], values: Sequence[Any], info: ValidationInfo | None) -> bool:
    kinds = set(map(type, cells))
    return int not in kinds and float not in kinds


def _all_within_region(cells: Sequence[object], values: Sequence[Any], info: ValidationInfo | None) -> bool:
    try:
        return all(map(str.startswith, values, repeat(context_region(info) + ".")))
    except TypeError:  # a cell that failed, or an empty one: decided cell by cell
        return False


_WARNING_FREE: dict[Warn, WarningFree] = {
    nik_warning: _no_number_cells,
    outside_region_warning: _all_within_region,
}


def warning_free(warn: Warn) -> WarningFree | None:
    return _WARNING_FREE.get(warn)
