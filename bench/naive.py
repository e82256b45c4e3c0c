"""The naive peer: how a tutorial validates a pencari_kerja export with pydantic.

`csv.DictReader` hands each row to a plain pydantic model whose `field_validator`s and
`model_validator` hold the same rules as the project's model (domains.md v2): the NIK by its
structure, placeholders for "none", free text, the accepted date spellings, coded values, the
region code, contacts, and the rules between columns (the NIK agreement is a warning, so it rejects
nothing). Nothing is cached or batched; each row is validated on its own. The vocabularies and the
Kemendagri table are data, so they are read from the project.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, PrivateAttr, ValidationError, ValidationInfo, field_validator, model_validator

from sikas_sync.domains import vocabulary
from sikas_sync.reference import wilayah

TODAY = dt.date.today()
MONTHS = vocabulary.MONTHS  # Indonesian and English month names and abbreviations
SEX = {"".join(k.split()).upper(): v for k, v in vocabulary.JENIS_KELAMIN.items()}
EDUCATION = {"".join(k.split()).upper(): v for k, v in vocabulary.PENDIDIKAN.items()}
PLACEHOLDERS = {"".join(p.split()).upper() for p in vocabulary.PLACEHOLDERS}
STATUS = {"TERDAFTAR", "SUDAH_BEKERJA", "KEDALUWARSA", "DIHAPUS"}


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and "".join(value.split()).upper() in PLACEHOLDERS | {""})


def check_nik_structure(text: str) -> str:
    if text[:2] not in vocabulary.NIK_PROVINCES or text[12:] == "0000":
        raise ValueError("NIK tidak valid")
    day = int(text[6:8])
    day = day - 40 if 41 <= day <= 71 else day if 1 <= day <= 31 else 0
    for century in (1900, 2000):
        try:
            dt.date(century + int(text[10:12]), int(text[8:10]), day)
            return text
        except ValueError:
            continue
    raise ValueError("NIK tidak valid")


def parse_date(value: str) -> dt.date:
    text = value.strip()
    text = re.sub(r"\s+0{1,2}[:.]00([:.]00)?$", "", text)  # a date-time cell at midnight
    for pattern in (
        r"(\d{4})-(\d{1,2})-(\d{1,2})",
        r"(\d{4})/(\d{1,2})/(\d{1,2})",
        r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})",
    ):
        match = re.fullmatch(pattern, text)
        if match:
            numbers = [int(part) for part in match.groups()]
            year, month, day = numbers if len(match.group(1)) == 4 else numbers[::-1]
            return dt.date(year, month, day)
    match = re.fullmatch(r"(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{4})", text)
    if match and match.group(2).lower() in MONTHS:
        return dt.date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
    raise ValueError("tanggal tidak dikenali")


def clean_text(value: str, limit: int) -> str:
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value):
        raise ValueError("karakter kontrol")
    cleaned = re.sub(r"\s+", " ", value).strip()
    if cleaned[:1] in ("=", "+", "-", "@"):
        raise ValueError("rumus")
    if len(cleaned) > limit:
        raise ValueError("terlalu panjang")
    return cleaned


class NaivePencariKerja(BaseModel):
    nik: str
    nama: str
    tempat_lahir: str | None = None
    tanggal_lahir: dt.date
    jenis_kelamin: str
    pendidikan: str
    jurusan: str | None = None
    kode_wilayah: str
    alamat: str | None = None
    no_hp: str | None = None
    email: str | None = None
    kbji_diminati: str | None = None
    tanggal_daftar: dt.date
    status: str = "TERDAFTAR"
    _warnings: list[bool] = PrivateAttr(default_factory=list)

    @field_validator("nik", mode="before")
    @classmethod
    def check_nik(cls, value: Any) -> str:
        if blank(value):
            raise ValueError("wajib diisi")
        text = re.sub(r"[\s.\-\u00a0]", "", str(value))
        if not re.fullmatch(r"\d{16}", text):
            raise ValueError("NIK harus 16 digit")
        return check_nik_structure(text)

    @field_validator("nama", mode="before")
    @classmethod
    def check_nama(cls, value: Any) -> str:
        if blank(value):
            raise ValueError("wajib diisi")
        return clean_text(str(value), 100)

    @field_validator("tempat_lahir", "jurusan", "alamat", mode="before")
    @classmethod
    def check_text(cls, value: Any) -> str | None:
        return None if blank(value) else clean_text(str(value), 200)

    @field_validator("tanggal_lahir", "tanggal_daftar", mode="before")
    @classmethod
    def check_date(cls, value: Any, info: ValidationInfo) -> dt.date:
        if blank(value):
            raise ValueError("wajib diisi")
        day = parse_date(str(value))
        if day > (info.context or {}).get("today", TODAY):
            raise ValueError("tanggal di masa depan")
        return day

    @field_validator("jenis_kelamin", mode="before")
    @classmethod
    def check_sex(cls, value: Any) -> str:
        if blank(value):
            raise ValueError("wajib diisi")
        key = "".join(str(value).split()).upper()
        if key not in SEX:
            raise ValueError("jenis kelamin")
        return SEX[key]

    @field_validator("pendidikan", mode="before")
    @classmethod
    def check_education(cls, value: Any) -> str:
        if blank(value):
            raise ValueError("wajib diisi")
        key = "".join(str(value).split()).upper()
        if key not in EDUCATION:
            raise ValueError("pendidikan")
        return EDUCATION[key]

    @field_validator("kode_wilayah", mode="before")
    @classmethod
    def check_region(cls, value: Any, info: ValidationInfo) -> str:
        if blank(value):
            raise ValueError("wajib diisi")
        dotted = wilayah.to_dotted(str(value))
        found = wilayah.lookup(dotted) if dotted else None
        # Outside the region is a warning (v2), not a rejection.
        if found is None or found.tingkat != "desa_kelurahan":
            raise ValueError("kode wilayah")
        return found.kode

    @field_validator("no_hp", mode="before")
    @classmethod
    def check_phone(cls, value: Any) -> str | None:
        if blank(value):
            return None
        text = re.sub(r"[\s\-.()]", "", re.sub(r"^(\+?62)\s*\(0\)", r"\1", str(value).strip()))
        match = re.fullmatch(r"(?:\+62|62|0)(8\d{8,13})", text)
        if not match:
            raise ValueError("nomor HP")
        return "+62" + match.group(1)

    @field_validator("email", mode="before")
    @classmethod
    def check_email(cls, value: Any) -> str | None:
        if blank(value):
            return None
        text = str(value).strip().lower()
        if len(text) > 254 or not re.fullmatch(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+", text):
            raise ValueError("email")
        return text

    @field_validator("kbji_diminati", mode="before")
    @classmethod
    def check_kbji(cls, value: Any) -> str | None:
        if blank(value):
            return None
        if not re.fullmatch(r"\d{4}(\.\d{2})?", str(value).strip()):
            raise ValueError("KBJI")
        return str(value).strip()

    @field_validator("status", mode="before")
    @classmethod
    def check_status(cls, value: Any) -> str:
        text = "TERDAFTAR" if blank(value) else re.sub(r"[\s\-]+", "_", str(value).strip().upper())
        if text not in STATUS:
            raise ValueError("status")
        return text

    @model_validator(mode="after")
    def check_rows(self) -> NaivePencariKerja:
        day = int(self.nik[6:8])
        born = self.tanggal_lahir
        # The NIK agreement and the region only warn (v2); the warnings are worked out all the same.
        self._warnings = [
            (day % 40, int(self.nik[8:10]), int(self.nik[10:12])) != (born.day, born.month, born.year % 100),
            ("P" if day > 40 else "L") != self.jenis_kelamin,
            not wilayah.is_within(self.kode_wilayah, "12.09"),
        ]
        registered = self.tanggal_daftar
        if registered < born:
            raise ValueError("tanggal daftar sebelum tanggal lahir")
        age = registered.year - born.year - ((registered.month, registered.day) < (born.month, born.day))
        if age < 15:
            raise ValueError("usia di bawah 15")
        return self


def validate_csv(path: Path, context: dict[str, Any]) -> tuple[int, int]:
    """(valid, rejected) rows of a pencari_kerja CSV, the tutorial way."""
    valid = rejected = 0
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            try:
                NaivePencariKerja.model_validate(row, context=context)
            except ValidationError:
                rejected += 1
            else:
                valid += 1
    return valid, rejected
