"""lowongan: a job vacancy (natural key: id_lowongan)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

from . import values as v
from .base import CrossFieldRules, Domain, DomainRecord

_STATUS = v.enum("AKTIF", "TERISI", "KEDALUWARSA", "BATAL")


class Lowongan(DomainRecord):
    id_lowongan: Annotated[str, v.required(v.text(64))]
    nib_pemberi_kerja: Annotated[str, v.required(v.nib)]
    jabatan: Annotated[str, v.required(v.text())]
    kbji: Annotated[str, v.required(v.kbji)]
    jumlah_kebutuhan: Annotated[int, v.required(v.integer_between(1, None))]
    jumlah_l: Annotated[int | None, v.optional(v.integer_between(0, None))] = None
    jumlah_p: Annotated[int | None, v.optional(v.integer_between(0, None))] = None
    pendidikan_minimal: Annotated[str, v.required(v.pendidikan)]
    upah_min: Annotated[int | None, v.optional(v.rupiah)] = None
    upah_max: Annotated[int | None, v.optional(v.rupiah)] = None
    kode_wilayah_kerja: Annotated[str, v.required(v.kode_wilayah())]
    tanggal_mulai: Annotated[dt.date, v.required(v.date)]
    tanggal_berakhir: Annotated[dt.date, v.required(v.date)]
    status: Annotated[str, v.optional(_STATUS, default="AKTIF")] = "AKTIF"

    @classmethod
    def check_rules(cls, values: Mapping[str, Any], rules: CrossFieldRules) -> None:
        needed = values.get("jumlah_kebutuhan")
        by_sex = (values.get("jumlah_l") or 0) + (values.get("jumlah_p") or 0)
        if needed is not None and by_sex > needed:
            rules.fail("jumlah_l", "sum_exceeds_total", "jumlah_l + jumlah_p melebihi jumlah_kebutuhan")
        low, high = values.get("upah_min"), values.get("upah_max")
        if low is not None and high is not None and low > high:
            rules.fail("upah_min", "range_inverted", "upah_min tidak boleh lebih besar dari upah_max")
        start, end = values.get("tanggal_mulai"), values.get("tanggal_berakhir")
        if start is not None and end is not None and end < start:
            rules.fail(
                "tanggal_berakhir", "date_before_other", "Tanggal berakhir tidak boleh sebelum tanggal mulai"
            )


# Headers offices use for this domain's fields (normalised; see domains/columns.py).
HEADER_ALIASES = {
    "kode_lowongan": "id_lowongan", "no_lowongan": "id_lowongan", "nomor_lowongan": "id_lowongan",
    "nama_jabatan": "jabatan", "posisi": "jabatan", "jabatan_lowongan": "jabatan",
    "jumlah": "jumlah_kebutuhan", "jumlah_lowongan": "jumlah_kebutuhan",
    "kebutuhan": "jumlah_kebutuhan", "jml_kebutuhan": "jumlah_kebutuhan",
    "l": "jumlah_l", "laki_laki": "jumlah_l", "jumlah_laki_laki": "jumlah_l", "jml_l": "jumlah_l",
    "p": "jumlah_p", "perempuan": "jumlah_p", "jumlah_perempuan": "jumlah_p", "jml_p": "jumlah_p",
    "pendidikan": "pendidikan_minimal", "pendidikan_min": "pendidikan_minimal",
    "min_pendidikan": "pendidikan_minimal", "syarat_pendidikan": "pendidikan_minimal",
    "gaji_min": "upah_min", "gaji_minimal": "upah_min", "gaji_minimum": "upah_min",
    "upah_minimal": "upah_min", "upah_minimum": "upah_min",
    "gaji_maks": "upah_max", "gaji_max": "upah_max", "gaji_maksimal": "upah_max",
    "gaji_maksimum": "upah_max", "upah_maks": "upah_max", "upah_maksimal": "upah_max",
    "upah_maksimum": "upah_max",
    "lokasi_kerja": "kode_wilayah_kerja", "kode_lokasi_kerja": "kode_wilayah_kerja",
    "kode_wilayah": "kode_wilayah_kerja",
    "tanggal_buka": "tanggal_mulai", "tgl_buka": "tanggal_mulai", "tanggal_dibuka": "tanggal_mulai",
    "tanggal_tutup": "tanggal_berakhir", "tgl_tutup": "tanggal_berakhir",
    "tanggal_ditutup": "tanggal_berakhir", "batas_akhir": "tanggal_berakhir",
    "status_lowongan": "status",
}  # fmt: skip


DOMAIN = Domain(
    slug="lowongan",
    title="Lowongan kerja",
    model=Lowongan,
    natural_key=("id_lowongan",),
    aliases=HEADER_ALIASES,
)
