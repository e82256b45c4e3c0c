"""Which headers an export may use for each field: the field's own name and its aliases.

Offices name columns as their templates do ("No KTP", "Nama Jabatan", "Gaji Maks"); a header is
normalised (case, spaces and punctuation) and then looked up here. Every alias is listed by
`sikas-sync columns` and in docs/domains.md, and tested.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .base import Domain

# Aliases every domain understands, applied only when the target is a field of the domain.
SHARED_ALIASES: Mapping[str, str] = {
    "no_ktp": "nik", "nomor_ktp": "nik", "no_nik": "nik", "nomor_nik": "nik",
    "nomor_induk_kependudukan": "nik", "nik_ktp": "nik", "ktp": "nik",
    "nama_lengkap": "nama", "nama_peserta": "nama", "nama_pencaker": "nama", "nama_pekerja": "nama",
    "tmp_lahir": "tempat_lahir", "tempat_lhr": "tempat_lahir",
    "tgl_lahir": "tanggal_lahir", "tanggal_lhr": "tanggal_lahir", "tgl_lhr": "tanggal_lahir",
    "l_p": "jenis_kelamin", "jk": "jenis_kelamin", "sex": "jenis_kelamin", "gender": "jenis_kelamin",
    "no_hp": "no_hp", "nomor_hp": "no_hp", "no_handphone": "no_hp", "hp": "no_hp", "no_telp": "no_hp",
    "no_wa": "no_hp", "nomor_whatsapp": "no_hp", "telepon_seluler": "no_hp",
    "e_mail": "email", "alamat_email": "email",
    "alamat_lengkap": "alamat", "alamat_domisili": "alamat",
    "kode_kemendagri": "kode_wilayah", "kd_wilayah": "kode_wilayah",
    "pendidikan_terakhir": "pendidikan", "pendidikan_akhir": "pendidikan",
    "nib_perusahaan": "nib_pemberi_kerja", "nib": "nib_pemberi_kerja",
    "nomor_induk_berusaha": "nib_pemberi_kerja",
    "kode_kbji": "kbji", "kbji_2014": "kbji",
    "tgl_mulai": "tanggal_mulai", "tgl_selesai": "tanggal_selesai", "tgl_berakhir": "tanggal_berakhir",
    "tgl_pengajuan": "tanggal_pengajuan", "tgl_terbit": "tanggal_terbit", "tgl_daftar": "tanggal_daftar",
    "keterangan_status": "status",
}  # fmt: skip

# Fields a Kemendagri code fills, which an export may give as kecamatan and desa/kelurahan names.
PLACE_CODE_FIELDS = ("kode_wilayah", "kode_wilayah_kerja")
KECAMATAN_HEADERS = frozenset({"kecamatan", "nama_kecamatan", "kec"})
DESA_HEADERS = frozenset(
    {"desa", "kelurahan", "desa_kelurahan", "kelurahan_desa", "desa_kel", "kel_desa", "nama_desa",
     "nama_kelurahan", "nama_desa_kelurahan"}
)  # fmt: skip

_SEPARATORS = re.compile(r"[^0-9a-z]+")


def normalise_header(name: str) -> str:
    """`No. KTP` → `no_ktp`, `Kehadiran (%)` → `kehadiran`: lower case, every run of characters
    other than letters and digits read as one `_`."""
    return _SEPARATORS.sub("_", name.strip().lstrip("\ufeff").lower()).strip("_")


def aliases_of(domain: Domain) -> dict[str, str]:
    """Every alias the domain accepts (normalised header → field); its own override shared ones."""
    fields = set(domain.fields)
    found = {alias: target for alias, target in SHARED_ALIASES.items() if target in fields}
    found.update(domain.aliases)
    return {alias: target for alias, target in found.items() if alias != target and alias not in fields}


def field_for(header: str, domain: Domain) -> str | None:
    """The field a header feeds, or None when it belongs to no field of the domain."""
    key = normalise_header(header)
    if key in domain.fields:
        return key
    return aliases_of(domain).get(key)


@dataclass(frozen=True, slots=True)
class AcceptedColumn:
    """One field as an export may name it: required or not, and the aliases it is also known by."""

    field: str
    required: bool
    aliases: tuple[str, ...]
    # A Kemendagri code that may come as names instead: kecamatan and desa/kelurahan columns.
    from_place_names: bool = False


def accepted_columns(domain: Domain) -> list[AcceptedColumn]:
    """The domain's fields in model order, each with its aliases (normalised spellings, sorted)."""
    aliases = aliases_of(domain)
    required = set(domain.required_columns)
    return [
        AcceptedColumn(
            name,
            name in required,
            tuple(sorted(a for a, t in aliases.items() if t == name)),
            from_place_names=name in PLACE_CODE_FIELDS,
        )
        for name in domain.fields
    ]
