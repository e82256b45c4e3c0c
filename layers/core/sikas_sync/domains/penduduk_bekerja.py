"""penduduk_bekerja: one aggregate figure of the employed population (no personal data)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import ValidationInfo

from . import values as v
from .base import CrossFieldRules, Domain, DomainRecord


def _kategori(value: object, info: ValidationInfo | None = None) -> str:
    """A category code within its dimension, written like the enum codes (upper case, `_`)."""
    return v.text(40)(value, info).upper().replace(" ", "_").replace("-", "_")


class PendudukBekerja(DomainRecord):
    tahun: Annotated[int, v.required(v.integer_between(2000, v.current_year))]
    periode: Annotated[str, v.required(v.enum("FEBRUARI", "AGUSTUS"))]
    kode_wilayah: Annotated[
        str, v.required(v.kode_wilayah("kabupaten_kota", "kecamatan", within_region=True))
    ]
    indikator: Annotated[
        str, v.required(v.enum("PENDUDUK_USIA_KERJA", "ANGKATAN_KERJA", "BEKERJA", "PENGANGGURAN"))
    ]
    dimensi: Annotated[
        str,
        v.required(
            v.enum(
                "TOTAL", "JENIS_KELAMIN", "PENDIDIKAN", "LAPANGAN_USAHA", "STATUS_PEKERJAAN", "KELOMPOK_UMUR"
            )
        ),
    ]
    kategori: Annotated[str, v.required(_kategori)]
    nilai: Annotated[int, v.required(v.integer_between(0, None))]

    @classmethod
    def check_rules(cls, values: Mapping[str, Any], rules: CrossFieldRules) -> None:
        dimensi, kategori = values.get("dimensi"), values.get("kategori")
        if dimensi is not None and kategori is not None and (dimensi == "TOTAL") != (kategori == "TOTAL"):
            rules.fail("kategori", "kategori_invalid", "Kategori TOTAL hanya (dan wajib) untuk dimensi TOTAL")


# Headers offices use for this domain's fields (normalised; see domains/columns.py).
HEADER_ALIASES = {
    "bulan_survei": "periode", "periode_survei": "periode",
    "kode_kecamatan": "kode_wilayah", "kode_kabupaten": "kode_wilayah",
    "jumlah": "nilai", "nilai_indikator": "nilai", "angka": "nilai",
}  # fmt: skip


DOMAIN = Domain(
    slug="penduduk_bekerja",
    title="Penduduk bekerja",
    model=PendudukBekerja,
    natural_key=("tahun", "periode", "kode_wilayah", "indikator", "dimensi", "kategori"),
    aliases=HEADER_ALIASES,
)
