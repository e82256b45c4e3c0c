"""pemberi_kerja: an employer (natural key: nib)."""

from __future__ import annotations

from typing import Annotated

from . import values as v
from .base import Domain, DomainRecord


class PemberiKerja(DomainRecord):
    nib: Annotated[str, v.required(v.nib)]
    npwp: Annotated[str | None, v.optional(v.npwp)] = None
    nama_perusahaan: Annotated[str, v.required(v.text())]
    kbli: Annotated[list[str], v.required(v.kbli_list)]
    skala_usaha: Annotated[str | None, v.optional(v.enum("MIKRO", "KECIL", "MENENGAH", "BESAR"))] = None
    kode_wilayah: Annotated[
        str, v.required(v.kode_wilayah("kecamatan", "desa_kelurahan", within_region=True))
    ]
    alamat: Annotated[str | None, v.optional(v.text())] = None
    telepon: Annotated[str | None, v.optional(v.telepon)] = None
    email: Annotated[str | None, v.optional(v.email)] = None


# Headers offices use for this domain's fields (normalised; see domains/columns.py).
HEADER_ALIASES = {
    "kode_desa": "kode_wilayah", "kode_kelurahan": "kode_wilayah", "kode_desa_kelurahan": "kode_wilayah",
    "nib_perusahaan": "nib", "nomor_induk_berusaha": "nib",
    "npwp_perusahaan": "npwp", "no_npwp": "npwp",
    "nama_pemberi_kerja": "nama_perusahaan", "nama_usaha": "nama_perusahaan",
    "perusahaan": "nama_perusahaan", "nama_badan_usaha": "nama_perusahaan",
    "kode_kbli": "kbli", "kbli_2020": "kbli",
    "skala": "skala_usaha", "skala_perusahaan": "skala_usaha",
    "alamat_perusahaan": "alamat",
    "no_telepon": "telepon", "nomor_telepon": "telepon", "no_telp": "telepon", "telp": "telepon",
    "telepon_kantor": "telepon",
    "email_perusahaan": "email",
    "kode_kecamatan": "kode_wilayah",
}  # fmt: skip


DOMAIN = Domain(
    slug="pemberi_kerja",
    title="Pemberi kerja",
    model=PemberiKerja,
    natural_key=("nib",),
    aliases=HEADER_ALIASES,
)
