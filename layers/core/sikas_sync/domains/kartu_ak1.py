"""kartu_ak1: one AK/1 job-seeker card application or issuance (natural key: nomor_pendaftaran)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from . import values as v
from .base import CrossFieldRules, Domain, DomainRecord

# Permenaker 39/2016: an AK/1 card is valid two years from issuance; SIKAS may record a shorter term.
CARD_VALIDITY_YEARS = 2


class KartuAk1(DomainRecord):
    personal_fields: ClassVar[frozenset[str]] = frozenset({"nik"})

    nomor_pendaftaran: Annotated[str, v.required(v.text(40))]
    nik: Annotated[str, v.required(v.nik)]
    status: Annotated[str, v.required(v.enum("PENGAJUAN", "PROSES", "TERBIT", "DITOLAK"))]
    tanggal_pengajuan: Annotated[dt.date, v.required(v.past_date)]
    tanggal_terbit: Annotated[dt.date | None, v.optional(v.past_date)] = None
    berlaku_sampai: Annotated[dt.date | None, v.optional(v.date)] = None
    alasan_tolak: Annotated[str | None, v.optional(v.text())] = None

    @classmethod
    def check_rules(cls, values: Mapping[str, Any], rules: CrossFieldRules) -> None:
        status, issued, applied = (
            values.get("status"),
            values.get("tanggal_terbit"),
            values.get("tanggal_pengajuan"),
        )
        # Blank cells are None in `values`; cells that failed their own rule are absent (not "missing").
        if status == "TERBIT" and "tanggal_terbit" in values and issued is None:
            rules.fail("tanggal_terbit", "value_required", "Wajib diisi bila status TERBIT")
        if status == "DITOLAK" and "alasan_tolak" in values and values["alasan_tolak"] is None:
            rules.fail("alasan_tolak", "value_required", "Wajib diisi bila status DITOLAK")
        if issued is not None and applied is not None and issued < applied:
            rules.fail(
                "tanggal_terbit", "date_before_other", "Tanggal terbit tidak boleh sebelum tanggal pengajuan"
            )
        until = values.get("berlaku_sampai")
        if issued is not None and until is not None:
            if until <= issued:
                rules.fail(
                    "berlaku_sampai", "date_before_other", "Berlaku sampai harus sesudah tanggal terbit"
                )
            elif until > add_years(issued, CARD_VALIDITY_YEARS):
                rules.fail(
                    "berlaku_sampai",
                    "ak1_validity_too_long",
                    "Kartu AK/1 berlaku paling lama 2 tahun sejak tanggal terbit (Permenaker 39/2016)",
                )

    def fill_defaults(self) -> None:
        if self.berlaku_sampai is None and self.tanggal_terbit is not None:
            self.berlaku_sampai = add_years(self.tanggal_terbit, CARD_VALIDITY_YEARS)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap target year
        return day.replace(year=day.year + years, day=28)


# Headers offices use for this domain's fields (normalised; see domains/columns.py).
HEADER_ALIASES = {
    "no_pendaftaran": "nomor_pendaftaran", "nomor_ak1": "nomor_pendaftaran",
    "no_ak1": "nomor_pendaftaran",
    "no_kartu_ak1": "nomor_pendaftaran", "nomor_kartu_ak1": "nomor_pendaftaran",
    "no_kartu_kuning": "nomor_pendaftaran", "no_registrasi": "nomor_pendaftaran",
    "nomor_registrasi": "nomor_pendaftaran",
    "status_kartu": "status", "status_ak1": "status",
    "tanggal_permohonan": "tanggal_pengajuan", "tgl_permohonan": "tanggal_pengajuan",
    "tanggal_cetak": "tanggal_terbit", "tgl_cetak": "tanggal_terbit",
    "berlaku_hingga": "berlaku_sampai", "masa_berlaku": "berlaku_sampai",
    "tanggal_berlaku": "berlaku_sampai", "tgl_berlaku": "berlaku_sampai",
    "alasan_penolakan": "alasan_tolak", "alasan_ditolak": "alasan_tolak",
}  # fmt: skip


DOMAIN = Domain(
    slug="kartu_ak1",
    title="Kartu AK/1",
    model=KartuAk1,
    natural_key=("nomor_pendaftaran",),
    aliases=HEADER_ALIASES,
)
