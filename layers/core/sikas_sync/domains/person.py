"""Rules about a person that several domains share."""

from __future__ import annotations

import datetime as dt

from . import values as v
from .base import CrossFieldRules


def check_nik_agrees(rules: CrossFieldRules, nik: str | None, birth: dt.date | None, sex: str | None) -> None:
    """The NIK encodes the birth date (DDMMYY) and sex (day + 40 for women); where the row disagrees,
    it is a warning (domains.md v2): Dukcapil corrects a birth date without a new NIK, and the
    ministry checks identity against Dukcapil itself."""
    if nik is None:
        return
    encoded = v.encoded_birth_date(nik[6:12])  # v.nik_birth_date(nik)
    if (
        birth is not None
        and encoded is not None
        and encoded != birth  # the same date agrees; only a different one needs the DDMMYY comparison
        and (encoded.day, encoded.month, encoded.year % 100) != (birth.day, birth.month, birth.year % 100)
    ):
        rules.warn(
            "tanggal_lahir",
            "nik_birth_date_mismatch",
            "Tanggal lahir tidak sesuai dengan tanggal pada NIK; data tetap disimpan. Periksa KTP/KK "
            "(tanggal lahir yang dikoreksi Dukcapil tetap memakai NIK lama)",
        )
    if sex is not None and v.nik_sex(nik) != sex:
        rules.warn(
            "jenis_kelamin",
            "nik_sex_mismatch",
            "Jenis kelamin tidak sesuai dengan NIK (tanggal NIK + 40 untuk perempuan); data tetap "
            "disimpan. Periksa KTP dan kolom jenis kelamin",
        )
