"""wlkp: a company's mandatory manpower report (natural key: nomor_wlkp)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from . import values as v
from .base import CrossFieldRules, Domain, DomainRecord

_COUNT = v.required(v.integer_between(0, None))
_PARTS = ("tk_wni_l", "tk_wni_p", "tk_wna_l", "tk_wna_p")


class Wlkp(DomainRecord):
    nomor_wlkp: Annotated[str, v.required(v.text(64))]
    nib: Annotated[str, v.required(v.nib)]
    tahun_lapor: Annotated[int, v.required(v.integer_between(1981, v.current_year))]
    tk_wni_l: Annotated[int, _COUNT]
    tk_wni_p: Annotated[int, _COUNT]
    tk_wna_l: Annotated[int, _COUNT]
    tk_wna_p: Annotated[int, _COUNT]
    tk_total: Annotated[int | None, v.optional(v.integer_between(0, None))] = None
    peserta_bpjs_tk: Annotated[int | None, v.optional(v.integer_between(0, None))] = None

    @classmethod
    def check_rules(cls, values: Mapping[str, Any], rules: CrossFieldRules) -> None:
        parts: list[int] = [values[name] for name in _PARTS if values.get(name) is not None]
        if len(parts) < len(_PARTS):
            return  # the total is only known when all four counts are
        total = sum(parts)
        if values.get("tk_total") is not None and values["tk_total"] != total:
            rules.fail(
                "tk_total", "total_mismatch", "tk_total harus sama dengan jumlah tk_wni_l/p dan tk_wna_l/p"
            )
        if values.get("peserta_bpjs_tk") is not None and values["peserta_bpjs_tk"] > total:
            rules.fail("peserta_bpjs_tk", "sum_exceeds_total", "peserta_bpjs_tk melebihi jumlah tenaga kerja")

    def fill_defaults(self) -> None:
        if self.tk_total is None:
            self.tk_total = self.tk_wni_l + self.tk_wni_p + self.tk_wna_l + self.tk_wna_p


# Headers offices use for this domain's fields (normalised; see domains/columns.py).
HEADER_ALIASES = {
    "no_wlkp": "nomor_wlkp", "nomor_laporan": "nomor_wlkp", "no_laporan": "nomor_wlkp",
    "nib_perusahaan": "nib", "nomor_induk_berusaha": "nib",
    "tahun": "tahun_lapor", "tahun_laporan": "tahun_lapor", "tahun_pelaporan": "tahun_lapor",
    "wni_l": "tk_wni_l", "wni_laki_laki": "tk_wni_l", "tk_wni_laki_laki": "tk_wni_l",
    "wni_p": "tk_wni_p", "wni_perempuan": "tk_wni_p", "tk_wni_perempuan": "tk_wni_p",
    "wna_l": "tk_wna_l", "wna_laki_laki": "tk_wna_l", "tk_wna_laki_laki": "tk_wna_l",
    "wna_p": "tk_wna_p", "wna_perempuan": "tk_wna_p", "tk_wna_perempuan": "tk_wna_p",
    "total_tk": "tk_total", "jumlah_tk": "tk_total", "jumlah_tenaga_kerja": "tk_total",
    "peserta_bpjs": "peserta_bpjs_tk", "peserta_bpjs_ketenagakerjaan": "peserta_bpjs_tk",
    "bpjs_ketenagakerjaan": "peserta_bpjs_tk", "jumlah_peserta_bpjs_tk": "peserta_bpjs_tk",
}  # fmt: skip


DOMAIN = Domain(
    slug="wlkp",
    title="Wajib Lapor Ketenagakerjaan",
    model=Wlkp,
    natural_key=("nomor_wlkp",),
    aliases=HEADER_ALIASES,
)
