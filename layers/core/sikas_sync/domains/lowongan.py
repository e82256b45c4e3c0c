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


DOMAIN = Domain(
    slug="lowongan",
    title="Lowongan kerja",
    model=Lowongan,
    natural_key=("id_lowongan",),
    aliases={"nib": "nib_pemberi_kerja", "lokasi_kerja": "kode_wilayah_kerja"},
)
