"""Kemendagri region codes (Kepmendagri 300.2.2-2138/2025), loaded once from a packaged gzip CSV.

The data is public; the file is the 2025 list as published, unchanged.
"""

from __future__ import annotations

import csv
import gzip
import io
from functools import cache
from importlib import resources
from typing import Literal, NamedTuple

Level = Literal["provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan"]
LEVELS: tuple[Level, ...] = ("provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan")
_DATA_FILE = "wilayah_kemendagri_2025.csv.gz"
# Digits per level in the compact form: 11, 1101, 110101, 1101012001.
_COMPACT_SPLITS = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}


class Wilayah(NamedTuple):
    kode: str
    nama: str
    tingkat: Level


@cache
def _table() -> dict[str, tuple[str, str, str]]:
    # Plain tuples of strings, made Wilayah on the way out: the collector stops tracking such tuples
    # (not those of a subclass), so its full collections during a long validation no longer walk the
    # ~91,000 regions of the table (about a tenth of `validate`'s time on a 200,000-row file).
    raw = resources.files(__package__).joinpath(_DATA_FILE).read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    next(reader)  # header: kode,nama,tingkat
    return {row[0]: (row[0], row[1], row[2]) for row in reader}


def to_dotted(code: str) -> str | None:
    """`1209191001` or `12.09.19.1001` (spaces ignored) as the dotted form, or None if malformed."""
    text = code.strip().replace(" ", "")
    if "." in text:
        parts = text.split(".")
        widths = tuple(len(p) for p in parts)
        if widths in _COMPACT_SPLITS.values() and all(p.isdigit() for p in parts):
            return text
        return None
    if not text.isdigit() or len(text) not in _COMPACT_SPLITS:
        return None
    parts, start = [], 0
    for width in _COMPACT_SPLITS[len(text)]:
        parts.append(text[start : start + width])
        start += width
    return ".".join(parts)


def lookup(dotted: str) -> Wilayah | None:
    found = _table().get(dotted)
    return None if found is None else Wilayah._make(found)


def children(parent: str, level: Level) -> list[Wilayah]:
    """Every region of `level` whose code starts with `parent` (used by sample data and reports)."""
    prefix = parent + "."
    return [Wilayah._make(w) for w in _table().values() if w[2] == level and w[0].startswith(prefix)]


def is_within(dotted: str, region_code: str) -> bool:
    return dotted == region_code or dotted.startswith(region_code + ".")
