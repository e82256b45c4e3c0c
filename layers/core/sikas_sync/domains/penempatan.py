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


DOMAIN = Domain(
    slug="penempatan",
    title="Penempatan tenaga kerja",
    model=Penempatan,
    natural_key=("id_penempatan",),
    aliases={"nib": "nib_pemberi_kerja", "tgl_diterima": "tanggal_diterima"},
)
