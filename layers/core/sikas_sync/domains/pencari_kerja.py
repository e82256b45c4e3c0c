"""pencari_kerja: a registered job seeker (natural key: nik)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from . import values as v
from .base import CrossFieldRules, Domain, DomainRecord
from .person import check_nik_agrees

MINIMUM_AGE = 15  # job seekers register from working age
_STATUS = v.enum("TERDAFTAR", "SUDAH_BEKERJA", "KEDALUWARSA", "DIHAPUS")


class PencariKerja(DomainRecord):
    personal_fields: ClassVar[frozenset[str]] = frozenset(
        {"nik", "nama", "tempat_lahir", "tanggal_lahir", "alamat", "no_hp", "email"}
    )

    nik: Annotated[str, v.required(v.nik)]
    nama: Annotated[str, v.required(v.text(100))]
    tempat_lahir: Annotated[str | None, v.optional(v.text())] = None
    tanggal_lahir: Annotated[dt.date, v.required(v.past_date)]
    jenis_kelamin: Annotated[str, v.required(v.jenis_kelamin)]
    pendidikan: Annotated[str, v.required(v.pendidikan)]
    jurusan: Annotated[str | None, v.optional(v.text())] = None
    # A desa anywhere in Indonesia: job seekers may register away from their KTP's regency (v2).
    kode_wilayah: Annotated[str, v.required(v.kode_wilayah("desa_kelurahan", warn_outside_region=True))]
    alamat: Annotated[str | None, v.optional(v.text())] = None
    no_hp: Annotated[str | None, v.optional(v.no_hp)] = None
    email: Annotated[str | None, v.optional(v.email)] = None
    kbji_diminati: Annotated[str | None, v.optional(v.kbji)] = None
    tanggal_daftar: Annotated[dt.date, v.required(v.past_date)]
    status: Annotated[str, v.optional(_STATUS, default="TERDAFTAR")] = "TERDAFTAR"

    @classmethod
    def check_rules(cls, values: Mapping[str, Any], rules: CrossFieldRules) -> None:
        check_nik_agrees(rules, values.get("nik"), values.get("tanggal_lahir"), values.get("jenis_kelamin"))
        born, registered = values.get("tanggal_lahir"), values.get("tanggal_daftar")
        if born is None or registered is None:
            return
        if registered < born:
            rules.fail(
                "tanggal_daftar", "date_before_other", "Tanggal daftar tidak boleh sebelum tanggal lahir"
            )
        elif registered.year - born.year <= MINIMUM_AGE and age_on(born, registered) < MINIMUM_AGE:
            # (a larger difference of years is at least MINIMUM_AGE full years)
            rules.fail("tanggal_lahir", "age_below_minimum", "Usia pada tanggal daftar minimal 15 tahun")


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# Headers offices use for this domain's fields (normalised; see domains/columns.py).
HEADER_ALIASES = {
    "kode_desa": "kode_wilayah", "kode_kelurahan": "kode_wilayah", "kode_desa_kelurahan": "kode_wilayah",
    "jurusan_pendidikan": "jurusan", "program_studi": "jurusan", "prodi": "jurusan",
    "no_telepon": "no_hp", "telepon": "no_hp", "nomor_telepon": "no_hp",
    "kbji_yang_diminati": "kbji_diminati", "kode_jabatan_diminati": "kbji_diminati",
    "kbji_minat": "kbji_diminati",
    "tanggal_pendaftaran": "tanggal_daftar", "tgl_pendaftaran": "tanggal_daftar",
    "tanggal_registrasi": "tanggal_daftar", "tgl_registrasi": "tanggal_daftar",
    "status_pencaker": "status", "status_pencari_kerja": "status",
}  # fmt: skip


DOMAIN = Domain(
    slug="pencari_kerja",
    title="Pencari kerja",
    model=PencariKerja,
    natural_key=("nik",),
    aliases=HEADER_ALIASES,
)
