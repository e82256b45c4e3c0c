"""jkp: one Jaminan Kehilangan Pekerjaan claim, with the benefit rules of PP 6/2025."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from . import values as v
from .base import CrossFieldRules, Domain, DomainRecord

PP_6_2025_IN_FORCE = dt.date(2025, 2, 7)
BENEFIT_SHARE = 0.60  # 60% of the last reported wage
WAGE_CAP = 5_000_000  # the wage counted is capped at Rp5,000,000
CLAIM_WINDOW_MONTHS = 6


class Jkp(DomainRecord):
    personal_fields: ClassVar[frozenset[str]] = frozenset({"nik", "upah_terakhir", "nilai_manfaat"})

    kode_klaim: Annotated[str, v.required(v.text(40))]
    nik: Annotated[str, v.required(v.nik)]
    tanggal_phk: Annotated[dt.date, v.required(v.past_date)]
    tanggal_pengajuan: Annotated[dt.date, v.required(v.past_date)]
    upah_terakhir: Annotated[int, v.required(v.rupiah)]
    manfaat_bulan_ke: Annotated[int, v.required(v.integer_between(1, 6))]
    nilai_manfaat: Annotated[int, v.required(v.rupiah)]
    status: Annotated[str, v.required(v.enum("DIAJUKAN", "DISETUJUI", "DITOLAK", "DIBAYAR"))]

    @classmethod
    def check_rules(cls, values: Mapping[str, Any], rules: CrossFieldRules) -> None:
        wage, benefit = values.get("upah_terakhir"), values.get("nilai_manfaat")
        dismissed, claimed = values.get("tanggal_phk"), values.get("tanggal_pengajuan")
        if wage is not None and wage <= 0:
            rules.fail("upah_terakhir", "rupiah_invalid", "Upah terakhir harus lebih dari 0")
        if dismissed is not None and claimed is not None:
            if claimed < dismissed:
                rules.fail(
                    "tanggal_pengajuan",
                    "date_before_other",
                    "Tanggal pengajuan tidak boleh sebelum tanggal PHK",
                )
            elif claimed > add_months(dismissed, CLAIM_WINDOW_MONTHS):
                rules.fail(
                    "tanggal_pengajuan",
                    "jkp_claim_too_late",
                    "Klaim JKP harus diajukan paling lambat 6 bulan setelah PHK",
                )
        if (
            dismissed is not None
            and dismissed >= PP_6_2025_IN_FORCE
            and wage is not None
            and benefit is not None
            and benefit > max_benefit(wage)
        ):
            rules.fail(
                "nilai_manfaat",
                "jkp_benefit_too_high",
                "Nilai manfaat melebihi 60% dari upah (upah dihitung paling tinggi Rp5.000.000) "
                "menurut PP 6/2025",
            )


def max_benefit(upah_terakhir: int) -> int:
    # Integer arithmetic: 60% of a whole-rupiah wage is exact in tenths, so no float rounding at the cap.
    return min(upah_terakhir, WAGE_CAP) * 6 // 10


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Headers offices use for this domain's fields (normalised; see domains/columns.py).
HEADER_ALIASES = {
    "no_klaim": "kode_klaim", "nomor_klaim": "kode_klaim", "id_klaim": "kode_klaim",
    "tgl_phk": "tanggal_phk", "tanggal_pemutusan_hubungan_kerja": "tanggal_phk",
    "upah": "upah_terakhir", "gaji_terakhir": "upah_terakhir",
    "bulan_ke": "manfaat_bulan_ke", "manfaat_ke": "manfaat_bulan_ke",
    "manfaat": "nilai_manfaat", "manfaat_uang_tunai": "nilai_manfaat", "nilai_mut": "nilai_manfaat",
    "status_klaim": "status",
}  # fmt: skip


DOMAIN = Domain(
    slug="jkp",
    title="Jaminan Kehilangan Pekerjaan",
    model=Jkp,
    natural_key=("kode_klaim",),
    aliases=HEADER_ALIASES,
)
