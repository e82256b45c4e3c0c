"""Kecamatan and desa/kelurahan names, as offices write them, to Kemendagri codes within a region.

Offices keep names ("Kisaran Barat", "Kel. Sidodadi"), the ministry wants codes. A name resolves
only inside the configured region, and only when it is unambiguous; otherwise the answer names the
candidates (reference names and codes, public data), never the cell itself.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

from . import wilayah

# Words offices put before a name: "Kec. Meranti", "Desa Gajah", "Kelurahan Sidodadi".
_PREFIX = re.compile(r"^(?:kecamatan|kec|desa|ds|kelurahan|kel|nagori|kampung)\b[\s.:]*")
_NOISE = re.compile(r"[^a-z0-9]+")
MAX_CANDIDATES = 4


def name_key(text: str) -> str:
    """`Kec. Air  Joman` → `air joman`: lower case, prefix words and punctuation dropped."""
    lowered = text.strip().lower()
    return _NOISE.sub(" ", _PREFIX.sub("", lowered)).strip()


@dataclass(frozen=True, slots=True)
class Unresolved:
    """Why names did not give one code: a stable code and an Indonesian message with candidates."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class _Region:
    kecamatan: dict[str, list[wilayah.Wilayah]]  # name key → kecamatan (more than one: ambiguous)
    desa: dict[str, list[wilayah.Wilayah]]  # name key → desa/kelurahan across the region


@cache
def _region(region_code: str) -> _Region:
    kecamatan: dict[str, list[wilayah.Wilayah]] = {}
    desa: dict[str, list[wilayah.Wilayah]] = {}
    for place in wilayah.children(region_code, "kecamatan"):
        kecamatan.setdefault(name_key(place.nama), []).append(place)
    # Offices drop the "Kota" of kecamatan such as Kota Kisaran Barat; the short name is another key
    # unless a kecamatan of the region is called that already.
    for key, places in list(kecamatan.items()):
        if key.startswith("kota "):
            kecamatan.setdefault(key.removeprefix("kota "), places)
    for place in wilayah.children(region_code, "desa_kelurahan"):
        desa.setdefault(name_key(place.nama), []).append(place)
    return _Region(kecamatan, desa)


def _listed(places: list[wilayah.Wilayah]) -> str:
    """`Mekar Sari (Kec. Pulo Bandring, 12.09.14.2012)`: a desa with its kecamatan, for the choice."""
    shown = []
    for place in places[:MAX_CANDIDATES]:
        parent = wilayah.lookup(place.kode[:8]) if place.tingkat == "desa_kelurahan" else None
        shown.append(f"{place.nama} ({f'Kec. {parent.nama}, ' if parent else ''}{place.kode})")
    return ", ".join(shown)


def _close(key: str, names: dict[str, list[wilayah.Wilayah]], within: str | None = None) -> str:
    pool = {
        name: [place for place in places if within is None or place.kode.startswith(within + ".")]
        for name, places in names.items()
    }
    pool = {name: places for name, places in pool.items() if places}
    found = difflib.get_close_matches(key, list(pool), n=MAX_CANDIDATES, cutoff=0.6)
    if not found:
        return ""
    return "; yang mirip: " + _listed([place for name in found for place in pool[name]])


@cache
def resolve(region_code: str, kecamatan: str | None, desa: str | None) -> str | Unresolved | None:
    """The code of desa `desa` in kecamatan `kecamatan` (either may be missing) within the region;
    None when both are empty."""
    region = _region(region_code)
    kec_key = name_key(kecamatan) if kecamatan else ""
    desa_key = name_key(desa) if desa else ""
    if not kec_key:
        return _desa_in_region(region, region_code, desa_key) if desa_key else None
    matches = region.kecamatan.get(kec_key, [])
    if len(matches) != 1:
        return Unresolved(
            "kecamatan_name_unknown",
            f"Nama kecamatan tidak ditemukan di wilayah {region_code}"
            + _close(kec_key, region.kecamatan)
            + "; tulis nama seperti di daftar Kemendagri atau isi kode wilayah",
        )
    return _desa_in_kecamatan(region, matches[0], desa_key) if desa_key else matches[0].kode


def _desa_in_kecamatan(region: _Region, kecamatan: wilayah.Wilayah, key: str) -> str | Unresolved:
    places = region.desa.get(key, [])
    inside = [place for place in places if place.kode.startswith(kecamatan.kode + ".")]
    if len(inside) == 1:
        return inside[0].kode
    hint = f"; nama itu ada di {_listed(places)}" if places else _close(key, region.desa, kecamatan.kode)
    return Unresolved(
        "desa_name_unknown",
        f"Nama desa/kelurahan tidak ditemukan di Kecamatan {kecamatan.nama} ({kecamatan.kode}){hint}",
    )


def _desa_in_region(region: _Region, region_code: str, key: str) -> str | Unresolved:
    places = region.desa.get(key, [])
    if len(places) == 1:
        return places[0].kode
    if not places:
        return Unresolved(
            "desa_name_unknown",
            f"Nama desa/kelurahan tidak ditemukan di wilayah {region_code}" + _close(key, region.desa),
        )
    return Unresolved(
        "desa_name_ambiguous",
        f"Nama desa/kelurahan ada di lebih dari satu kecamatan: {_listed(places)}; isi kolom kecamatan",
    )
