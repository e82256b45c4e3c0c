"""How SIKAS operators write a value: the same date, amount or code in its many accepted spellings.

Row factories produce canonical values (date objects, ints, codes); a styler rewrites one cell into
a spelling chosen by the RNG and leaves values of any other type alone, so a deliberately broken
cell (always text) passes through unchanged.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from . import catalog
from .spec import Cell

Styler = Callable[[random.Random, Cell], Cell]

PLAIN_INT_COLUMNS = frozenset({"tahun", "tahun_lapor", "manfaat_bulan_ke"})  # never "2.025"


def thousands(amount: int) -> str:
    """3500000 -> 3.500.000 (the Indonesian thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def indonesian_date(day: dt.date, month: str | None = None) -> str:
    return f"{day.day} {month or catalog.MONTHS_ID[day.month - 1]} {day.year}"


def _named_date(rng: random.Random, value: dt.date) -> str:
    older = catalog.MONTHS_OTHER.get(value.month)
    return indonesian_date(value, rng.choice(older) if older and rng.random() < 0.5 else None)


# (share, spelling) of each way a date is written; the rest of the draws keep the date itself (ISO
# in CSV/JSONL, a real date cell in XLSX).
DATE_SPELLINGS: tuple[tuple[float, Callable[[random.Random, dt.date], str]], ...] = (
    (0.13, lambda rng, d: f"{d.day:02d}/{d.month:02d}/{d.year}"),
    (0.04, lambda rng, d: f"{d.day:02d}/{d.month:02d}/{d.year} 0:00"),  # a date-time cell saved as CSV
    (0.04, lambda rng, d: f"{d.day:02d}.{d.month:02d}.{d.year}"),
    (0.02, lambda rng, d: f"{d.year}/{d.month:02d}/{d.day:02d}"),
    (0.07, _named_date),
    (0.05, lambda rng, d: f"{d.day}-{d.month:02d}-{d.year}"),
)
RUPIAH_SPELLINGS: tuple[tuple[float, Callable[[int], str]], ...] = (
    (0.20, lambda amount: f"Rp {thousands(amount)}"),
    (0.10, lambda amount: f"Rp {thousands(amount)},-"),
    (0.07, thousands),
    (0.06, lambda amount: f"IDR {thousands(amount)}"),
    (0.06, lambda amount: f"{amount}.00"),  # a number cell with two decimals, saved as CSV
    (0.06, lambda amount: f"Rp{thousands(amount)},00"),
)


def _pick(rng: random.Random, spellings: tuple[tuple[float, Any], ...]) -> Any:
    """One spelling by its share, or None for the value as it is."""
    draw = rng.random()
    for share, spelling in spellings:
        if draw < share:
            return spelling
        draw -= share
    return None


def style_date(rng: random.Random, value: Cell) -> Cell:
    if not isinstance(value, dt.date):
        return value
    spelling = _pick(rng, DATE_SPELLINGS)
    return value if spelling is None else spelling(rng, value)


def style_rupiah(rng: random.Random, value: Cell) -> Cell:
    if not isinstance(value, int) or isinstance(value, bool):
        return value
    spelling = _pick(rng, RUPIAH_SPELLINGS)
    return value if spelling is None else spelling(value)


def style_count(rng: random.Random, value: Cell) -> Cell:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1000 and rng.random() < 0.3:
        return thousands(value)
    return value


def style_percent(rng: random.Random, value: Cell) -> Cell:
    if isinstance(value, float) and rng.random() < 0.3:
        return f"{value:.1f}".replace(".", ",")  # Indonesian decimal comma
    return value


def style_pendidikan(rng: random.Random, value: Cell) -> Cell:
    spellings = catalog.PENDIDIKAN_SPELLINGS.get(value) if isinstance(value, str) else None
    if spellings is None or rng.random() < 0.5:
        return value
    return rng.choice(spellings)


def style_sex(rng: random.Random, value: Cell) -> Cell:
    spellings = catalog.SEX_SPELLINGS.get(value) if isinstance(value, str) else None
    if spellings is None or rng.random() < 0.4:
        return value
    return rng.choice(spellings)


def style_penempatan(rng: random.Random, value: Cell) -> Cell:
    if not isinstance(value, str) or value not in catalog.PENEMPATAN_SPELLINGS:
        return value
    spellings = catalog.PENEMPATAN_SPELLINGS[value]
    draw = rng.random()
    if draw < 0.5:
        return value
    if draw < 0.65:
        return value.replace("_", " ").title()  # "Antar Daerah"
    return rng.choice(spellings)


def placeholder(rng: random.Random) -> str | None:
    """An empty optional cell as offices leave it: mostly blank, now and then a dash or `N/A`."""
    return rng.choice(catalog.PLACEHOLDERS) if rng.random() < 0.2 else None


def style_kode_wilayah(rng: random.Random, value: Cell) -> Cell:
    if isinstance(value, str) and rng.random() < 0.15:
        return value.replace(".", "")  # the compact form some exports use
    return value


def styler_for(column: str, annotation: object) -> Styler | None:
    """The styler of one domain column, from its name and its model type."""
    named = BY_COLUMN.get(column)
    if named is not None:
        return named
    kinds = getattr(annotation, "__args__", (annotation,))
    if dt.date in kinds:
        return style_date
    if float in kinds:
        return style_percent
    if int in kinds and column not in PLAIN_INT_COLUMNS:
        return style_count
    return None


BY_COLUMN: dict[str, Styler] = {
    **dict.fromkeys(("upah_min", "upah_max", "upah_terakhir", "nilai_manfaat"), style_rupiah),
    **dict.fromkeys(("pendidikan", "pendidikan_minimal"), style_pendidikan),
    **dict.fromkeys(("kode_wilayah", "kode_wilayah_kerja"), style_kode_wilayah),
    "jenis_kelamin": style_sex,
    "jenis_penempatan": style_penempatan,
}


def phone(rng: random.Random) -> str:
    prefix = rng.choice(catalog.MOBILE_PREFIXES)
    rest = f"{rng.randrange(10_000_000, 100_000_000)}"
    draw = rng.random()
    if draw < 0.55:
        return prefix + rest
    if draw < 0.8:
        return f"{prefix}-{rest[:4]}-{rest[4:]}"
    if draw < 0.88:
        return f"+62{prefix[1:]}{rest}"
    if draw < 0.93:
        return f"+62 (0){prefix[1:]}-{rest[:4]}-{rest[4:]}"  # the trunk 0 kept in brackets
    return f"62{prefix[1:]}{rest}"
