"""The vocabularies of the shared value rules (domains.md v2): every accepted spelling and its code.

Each vocabulary is a table, written as regency offices type the values. Adding a spelling is one
line here and one row in tests/unit/domains/test_domain_vocabulary.py. Lookups compare whole
spellings after `spelling_key` (any case, whitespace ignored); punctuation is part of a spelling and
is never squeezed out, so `SEDERAJAT` alone is no level and `DIPLOMA I/II` is not `DIPLOMA III`.
"""

from __future__ import annotations

from collections.abc import Mapping


def spelling_key(text: str) -> str:
    """How a cell is compared with a table's spellings: upper case, every whitespace run removed."""
    return "".join(text.split()).upper()


def keyed(table: Mapping[str, str]) -> dict[str, str]:
    """A spelling table by `spelling_key`; two spellings that compare equal must agree."""
    found: dict[str, str] = {}
    for spelling, code in table.items():
        key = spelling_key(spelling)
        if found.setdefault(key, code) != code:
            raise ValueError(f"spellings {spelling!r} and another read alike but mean different codes")
    return found


# --------------------------------------------------------------------------------------------
# Education (pendidikan): the project's codes, then what offices write for each.

PENDIDIKAN_CODES = ("TIDAK_SEKOLAH", "SD", "SMP", "SMA", "SMK", "D1", "D2", "D3", "D4", "S1", "S2", "S3")

PENDIDIKAN: dict[str, str] = {
    **{code: code for code in PENDIDIKAN_CODES},
    "TIDAK SEKOLAH": "TIDAK_SEKOLAH",
    # Dukcapil's Kartu Keluarga list (the education of a family card, as offices copy it): a category
    # that spans two levels maps to the lower one.
    "TIDAK/BELUM SEKOLAH": "TIDAK_SEKOLAH",
    "BELUM TAMAT SD/SEDERAJAT": "TIDAK_SEKOLAH",
    "TAMAT SD/SEDERAJAT": "SD",
    "SLTP/SEDERAJAT": "SMP",
    "SLTA/SEDERAJAT": "SMA",
    "DIPLOMA I/II": "D1",
    "AKADEMI/DIPLOMA III/S. MUDA": "D3",
    "DIPLOMA IV/STRATA I": "D4",
    "STRATA II": "S2",
    "STRATA III": "S3",
    # UU 20/2003: madrasah beside the schools (Pasal 17-18) and the equivalency Paket A/B/C (Pasal 26).
    "MI": "SD",
    "MTs": "SMP",
    "MA": "SMA",
    "MAK": "SMK",
    "Paket A": "SD",
    "Paket B": "SMP",
    "Paket C": "SMA",
    "SD/MI": "SD",
    "SMP/MTs": "SMP",
    "SMA/MA": "SMA",
    "SMK/MAK": "SMK",
    # Older school names and everyday forms on SIKAS registration sheets.
    "Belum Sekolah": "TIDAK_SEKOLAH",
    "Tidak Tamat SD": "TIDAK_SEKOLAH",
    "Belum Tamat SD": "TIDAK_SEKOLAH",
    "Tamat SD": "SD",
    "SLTP": "SMP",
    "Tamat SMP": "SMP",
    "Tamat SLTP": "SMP",
    "SLTA": "SMA",
    "SMU": "SMA",
    "Tamat SMA": "SMA",
    "Tamat SLTA": "SMA",
    "SMA/SMK": "SMA",
    "STM": "SMK",
    "SMEA": "SMK",
    "Tamat SMK": "SMK",
    "D-I": "D1", "DI": "D1", "D-1": "D1", "Diploma I": "D1", "Diploma 1": "D1",
    "D-II": "D2", "DII": "D2", "D-2": "D2", "Diploma II": "D2", "Diploma 2": "D2",
    "D-III": "D3", "DIII": "D3", "D-3": "D3", "Diploma III": "D3", "Diploma 3": "D3",
    "D-IV": "D4", "DIV": "D4", "D-4": "D4", "Diploma IV": "D4", "Diploma 4": "D4",
    "S-1": "S1", "Sarjana": "S1", "Strata I": "S1", "Strata 1": "S1",
    "S-2": "S2", "Magister": "S2", "Strata 2": "S2",
    "S-3": "S3", "Doktor": "S3", "Doktoral": "S3", "Strata 3": "S3",
}  # fmt: skip

# --------------------------------------------------------------------------------------------
# Sex (jenis_kelamin): the KTP's words (Dukcapil), their everyday synonyms and abbreviations.

JENIS_KELAMIN: dict[str, str] = {
    "L": "L", "Lk": "L", "Laki-laki": "L", "Laki laki": "L", "Laki": "L", "Pria": "L",
    "P": "P", "Pr": "P", "Perempuan": "P", "Wanita": "P",
}  # fmt: skip

# --------------------------------------------------------------------------------------------
# Placement (jenis_penempatan): Permenaker 39/2016 on the placement of workers names the three
# kinds AKL (antarkerja lokal), AKAD (antarkerja antardaerah) and AKAN (antarkerja antarnegara).
# Read after the enum rule (upper case, spaces and dashes as `_`), like the codes themselves.

JENIS_PENEMPATAN_CODES = ("LOKAL", "ANTAR_DAERAH", "LUAR_NEGERI")

JENIS_PENEMPATAN: dict[str, str] = {
    "AKL": "LOKAL",
    "AKAD": "ANTAR_DAERAH",
    "AKAN": "LUAR_NEGERI",
    "Antar Kerja Lokal": "LOKAL",
    "Antarkerja Lokal": "LOKAL",
    "Antar Kerja Antar Daerah": "ANTAR_DAERAH",
    "Antarkerja Antardaerah": "ANTAR_DAERAH",
    "Antar Kerja Antar Negara": "LUAR_NEGERI",
    "Antarkerja Antarnegara": "LUAR_NEGERI",
}

# --------------------------------------------------------------------------------------------
# Month names in dates (`20 Maret 2025`): KBBI's names and their usual abbreviations, the older
# official spellings still found in civil records (Pebruari, Nopember), and the English
# abbreviations of an English-locale Excel. Any case; a trailing dot is allowed (`Agt.`).

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "peb": 2,
    "maret": 3, "mar": 3, "mrt": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12,
}  # fmt: skip

# --------------------------------------------------------------------------------------------
# Placeholders for "none" (domains.md v2, "empty"): what offices type into a cell they have nothing
# for. Such a cell is empty in every column. Compared by `placeholder_key`: any case, surrounding
# and repeated spaces ignored, so each spacing of a placeholder is one line here. The en dash is
# what Excel's AutoCorrect makes of ` - `.

PLACEHOLDERS: tuple[str, ...] = (
    "-", "--", "---", "—", "–",
    "- tidak ada -", "-tidak ada-", "tidak ada",
    "N/A", "N / A", "NULL",
)  # fmt: skip


def placeholder_key(text: str) -> str:
    """How a cell is compared with the placeholders: lower case, whitespace runs as one space."""
    return " ".join(text.split()).lower()


PLACEHOLDER_KEYS = frozenset(map(placeholder_key, PLACEHOLDERS))
PLACEHOLDER_MAX_KEY = max(map(len, PLACEHOLDER_KEYS))

# --------------------------------------------------------------------------------------------
# NIK province codes: the first two digits of a NIK are a Kemendagri province code (Kepmendagri
# 300.2.2-2138/2025), Kalimantan Utara (65) and the Papua provinces of 2022 (93-96) included.

NIK_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
     "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82",
     "91", "92", "93", "94", "95", "96"}
)  # fmt: skip
