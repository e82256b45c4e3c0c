"""How SIKAS operators write a value: the same date, amount or code in its many accepted spellings.

Row factories produce canonical values (date objects, ints, codes); a styler rewrites one cell into
a spelling chosen by the RNG and leaves values of any other type alone, so a deliberately broken
cell (always text) passes through unchanged.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from . import catalog
from .spec import Cell

Styler = Callable[[random.Random, Cell], Cell]

PLAIN_INT_COLUMNS = frozenset({"tahun", "tahun_lapor", "manfaat_bulan_ke"})  # never "2.025"


def thousands(amount: int) -> str:
    """3500000 -> 3.500.000 (the Indonesian thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def indonesian_date(day: dt.date) -> str:
    return f"{day.day} {catalog.MONTHS_ID[day.month - 1]} {day.year}"


def style_date(rng: random.Random, value: Cell) -> Cell:
    if not isinstance(value, dt.date):
        return value
    draw = rng.random()
    if draw < 0.70:
        return value  # ISO in CSV/JSONL, a real date cell in XLSX
    if draw < 0.85:
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if draw < 0.95:
        return indonesian_date(value)
    return f"{value.day}-{value.month:02d}-{value.year}"


def style_rupiah(rng: random.Random, value: Cell) -> Cell:
    if not isinstance(value, int) or isinstance(value, bool):
        return value
    draw = rng.random()
    if draw < 0.5:
        return value
    if draw < 0.8:
        return f"Rp {thousands(value)}"
    if draw < 0.9:
        return thousands(value)
    return f"Rp{thousands(value)},00"


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
    return rng.choice(spellings) if spellings else value


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
}


def phone(rng: random.Random) -> str:
    prefix = rng.choice(catalog.MOBILE_PREFIXES)
    rest = f"{rng.randrange(10_000_000, 100_000_000)}"
    draw = rng.random()
    if draw < 0.55:
        return prefix + rest
    if draw < 0.8:
        return f"{prefix}-{rest[:4]}-{rest[4:]}"
    if draw < 0.9:
        return f"+62{prefix[1:]}{rest}"
    return f"62{prefix[1:]}{rest}"
