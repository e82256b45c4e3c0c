"""pelatihan: one participant in one training batch (natural key: kode_program, angkatan, nik)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from . import values as v
from .base import CrossFieldRules, Domain, DomainRecord


class Pelatihan(DomainRecord):
    personal_fields: ClassVar[frozenset[str]] = frozenset({"nik"})

    kode_program: Annotated[str, v.required(v.text(40))]
    angkatan: Annotated[str, v.required(v.text(20))]
    nama_program: Annotated[str, v.required(v.text())]
    lembaga: Annotated[str, v.required(v.text())]
    nik: Annotated[str, v.required(v.nik)]
    tanggal_mulai: Annotated[dt.date, v.required(v.date)]
    tanggal_selesai: Annotated[dt.date, v.required(v.date)]
    status_kelulusan: Annotated[str, v.required(v.enum("BERLANGSUNG", "LULUS", "TIDAK_LULUS"))]
    persen_kehadiran: Annotated[float | None, v.optional(v.percent)] = None
    nomor_sertifikat: Annotated[str | None, v.optional(v.text())] = None

    @classmethod
    def check_rules(cls, values: Mapping[str, Any], rules: CrossFieldRules) -> None:
        start, end = values.get("tanggal_mulai"), values.get("tanggal_selesai")
        if start is not None and end is not None and end < start:
            rules.fail(
                "tanggal_selesai", "date_before_other", "Tanggal selesai tidak boleh sebelum tanggal mulai"
            )


# Headers offices use for this domain's fields (normalised; see domains/columns.py).
HEADER_ALIASES = {
    "kode_pelatihan": "kode_program", "kode_kejuruan": "kode_program",
    "gelombang": "angkatan", "batch": "angkatan", "angkatan_ke": "angkatan",
    "nama_pelatihan": "nama_program", "program_pelatihan": "nama_program",
    "judul_pelatihan": "nama_program",
    "lembaga_pelatihan": "lembaga", "penyelenggara": "lembaga", "nama_lembaga": "lembaga",
    "status": "status_kelulusan", "kelulusan": "status_kelulusan", "status_lulus": "status_kelulusan",
    "hasil_pelatihan": "status_kelulusan", "keterangan_lulus": "status_kelulusan",
    "kehadiran": "persen_kehadiran", "persentase_kehadiran": "persen_kehadiran",
    "persen_hadir": "persen_kehadiran", "presensi": "persen_kehadiran",
    "no_sertifikat": "nomor_sertifikat", "nomor_sertifikat_kompetensi": "nomor_sertifikat",
}  # fmt: skip


DOMAIN = Domain(
    slug="pelatihan",
    title="Pelatihan dan produktivitas",
    model=Pelatihan,
    natural_key=("kode_program", "angkatan", "nik"),
    aliases=HEADER_ALIASES,
)
