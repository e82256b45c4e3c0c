"""Matching an export's header row to a domain's fields."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domains.base import Domain
from ..errors import FileRejected

# Aliases every domain understands, applied only when the target is a field of the domain.
SHARED_ALIASES = {
    "no_ktp": "nik", "nomor_ktp": "nik", "no_nik": "nik", "nomor_induk_kependudukan": "nik",
    "nama_lengkap": "nama",
    "tgl_lahir": "tanggal_lahir",
    "l_p": "jenis_kelamin", "jk": "jenis_kelamin", "sex": "jenis_kelamin",
    "no_hp": "no_hp", "nomor_hp": "no_hp", "no_handphone": "no_hp", "hp": "no_hp",
    "e_mail": "email",
    "kode_kemendagri": "kode_wilayah", "kd_wilayah": "kode_wilayah",
    "tgl_mulai": "tanggal_mulai", "tgl_selesai": "tanggal_selesai", "tgl_berakhir": "tanggal_berakhir",
    "tgl_pengajuan": "tanggal_pengajuan", "tgl_terbit": "tanggal_terbit",
}  # fmt: skip
_SEPARATORS = re.compile(r"[\s./\-]+")


def normalise_header(name: str) -> str:
    return _SEPARATORS.sub("_", name.strip().lstrip("\ufeff").strip().lower()).strip("_")


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which column of the export feeds which field; columns of no field are listed, not used."""

    positions: tuple[tuple[str, int], ...]  # (field, index in the row)
    ignored: tuple[str, ...]


def map_header(header: list[str], domain: Domain) -> ColumnMap:
    fields = set(domain.fields)
    seen: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        key = normalise_header(name)
        target = key if key in fields else domain.aliases.get(key) or SHARED_ALIASES.get(key)
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
    missing = [name for name in domain.required_columns if name not in seen]
    if missing:
        raise FileRejected("header_missing_columns", "Kolom wajib tidak ada: " + ", ".join(missing))
    return ColumnMap(positions=tuple(seen.items()), ignored=tuple(ignored))
