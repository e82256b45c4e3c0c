"""Matching an export's header row to a domain's fields."""

from __future__ import annotations

from dataclasses import dataclass

from ..domains.base import Domain
from ..domains.columns import (
    DESA_HEADERS,
    KECAMATAN_HEADERS,
    PLACE_CODE_FIELDS,
    aliases_of,
    normalise_header,
)
from ..errors import FileRejected
from ..parsing.table import HeaderScore


def header_score(domain: Domain) -> HeaderScore:
    """How many of the domain's fields a row of cells names: the header is the row naming most."""
    fields = set(domain.fields)
    aliases = aliases_of(domain)

    places = KECAMATAN_HEADERS | DESA_HEADERS

    def score(names: list[str]) -> int:
        keys = [normalise_header(name) for name in names]
        named = {key if key in fields else aliases.get(key) for key in keys} - {None}
        return len(named) + any(key in places for key in keys)

    return score


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which column of the export feeds which field; columns of no field are listed, not used."""

    positions: tuple[tuple[str, int], ...]  # (field, index in the row)
    ignored: tuple[str, ...]
    # A code field given as names: (field, kecamatan column or None, desa column or None). Its
    # position in `positions` is one past the header: the code resolved from the names goes there.
    place_names: tuple[str, int | None, int | None] | None = None


def map_header(header: list[str], domain: Domain, header_line: int = 1) -> ColumnMap:
    fields = set(domain.fields)
    aliases = aliases_of(domain)
    seen: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        key = normalise_header(name)
        target = key if key in fields else aliases.get(key)
        if target not in fields:
            if key:
                ignored.append(name.strip())
            continue
        assert target is not None
        if target in seen:
            raise FileRejected(
                "header_duplicate_column",
                f"Kolom {target} muncul lebih dari sekali (kolom ke-{seen[target] + 1} dan ke-{index + 1})",
            )
        seen[target] = index
    places = _place_names(header, domain, seen, ignored)
    if places is not None:
        seen[places[0]] = len(header)
    missing = [name for name in domain.required_columns if name not in seen]
    if missing:
        # The row read as the header may be data (a file without one): name no cell of it.
        raise FileRejected(
            "header_missing_columns",
            "Kolom wajib tidak ada: "
            + ", ".join(missing)
            + f" (baris judul dibaca di baris {header_line}: {len(seen)} dari {len(header)} kolom dikenali;"
            + f" nama kolom yang diterima: sikas-sync columns --domain {domain.slug})",
        )
    return ColumnMap(positions=tuple(seen.items()), ignored=tuple(ignored), place_names=places)


def _place_names(
    header: list[str], domain: Domain, seen: dict[str, int], ignored: list[str]
) -> tuple[str, int | None, int | None] | None:
    """The code field to fill from kecamatan and desa/kelurahan name columns, when the export has
    names and not the code; those columns are then used, not ignored."""
    target = next((name for name in PLACE_CODE_FIELDS if name in domain.fields and name not in seen), None)
    if target is None:
        return None
    keys = [normalise_header(name) for name in header]
    kecamatan = next((i for i, key in enumerate(keys) if key in KECAMATAN_HEADERS), None)
    desa = next((i for i, key in enumerate(keys) if key in DESA_HEADERS), None)
    if kecamatan is None and desa is None:
        return None
    for index in (kecamatan, desa):
        if index is not None and header[index].strip() in ignored:
            ignored.remove(header[index].strip())
    return target, kecamatan, desa
