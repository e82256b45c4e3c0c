"""penempatan: a placement of a job seeker in a job (natural key: id_penempatan)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

from . import values as v
from . import vocabulary
from .base import Domain, DomainRecord


class Penempatan(DomainRecord):
    personal_fields: ClassVar[frozenset[str]] = frozenset({"nik"})

    id_penempatan: Annotated[str, v.required(v.text(64))]
    nik: Annotated[str, v.required(v.nik)]
    nib_pemberi_kerja: Annotated[str, v.required(v.nib)]
    jabatan: Annotated[str, v.required(v.text())]
    kbji: Annotated[str | None, v.optional(v.kbji)] = None
    tanggal_diterima: Annotated[dt.date, v.required(v.past_date)]
    jenis_penempatan: Annotated[
        str,
        v.required(v.enum(*vocabulary.JENIS_PENEMPATAN_CODES, aliases=vocabulary.JENIS_PENEMPATAN)),
    ]
    id_lowongan: Annotated[str | None, v.optional(v.text())] = None


# Headers offices use for this domain's fields (normalised; see domains/columns.py).
HEADER_ALIASES = {
    "kode_penempatan": "id_penempatan", "no_penempatan": "id_penempatan",
    "nomor_penempatan": "id_penempatan",
    "nama_jabatan": "jabatan", "posisi": "jabatan",
    "tgl_diterima": "tanggal_diterima", "tanggal_penempatan": "tanggal_diterima",
    "tgl_penempatan": "tanggal_diterima", "tanggal_mulai_kerja": "tanggal_diterima",
    "tmt": "tanggal_diterima",
    "jenis": "jenis_penempatan", "mekanisme_penempatan": "jenis_penempatan",
    "kode_lowongan": "id_lowongan", "no_lowongan": "id_lowongan", "nomor_lowongan": "id_lowongan",
}  # fmt: skip


DOMAIN = Domain(
    slug="penempatan",
    title="Penempatan tenaga kerja",
    model=Penempatan,
    natural_key=("id_penempatan",),
    aliases=HEADER_ALIASES,
)
