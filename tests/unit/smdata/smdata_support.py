"""A small known dataset for March 2025 and the rows each template must make of it (by hand)."""

from __future__ import annotations

from typing import Any


def _seeker(day: str | None, sex: str, education: str, status: str = "TERDAFTAR") -> dict[str, Any]:
    data: dict[str, Any] = {
        "nik": "1209014101900001",
        "nama": "Siti Aminah",
        "jenis_kelamin": sex,
        "pendidikan": education,
        "status": status,
    }
    if day is not None:
        data["tanggal_daftar"] = day
    return data


def _vacancy(start: str, end: str, kbji: str, needed: int, status: str = "AKTIF") -> dict[str, Any]:
    return {
        "id_lowongan": f"L-{start}-{kbji}-{needed}",
        "jabatan": "Operator",
        "kbji": kbji,
        "jumlah_kebutuhan": needed,
        "tanggal_mulai": start,
        "tanggal_berakhir": end,
        "status": status,
    }


def _placement(day: str, kind: str, kbji: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id_penempatan": f"P-{day}-{kind}-{kbji}",
        "nik": "1209014101900001",
        "tanggal_diterima": day,
        "jenis_penempatan": kind,
    }
    if kbji is not None:
        data["kbji"] = kbji
    return data


PERIOD = "2025-03"

DATASET: dict[str, list[dict[str, Any]]] = {
    "pencari_kerja": [
        _seeker("2025-03-01", "L", "SMA"),  # first day
        _seeker("2025-03-31", "L", "SMA"),  # last day
        _seeker("2025-03-15", "P", "S1"),
        _seeker("2025-03-20", "P", "SMK", status="SUDAH_BEKERJA"),  # registered in March all the same
        _seeker("2025-02-28", "P", "SMA"),  # before
        _seeker("2025-04-01", "P", "S1"),  # after
        _seeker("2025-03-10", "L", "SMA", status="DIHAPUS"),  # a deleted registration
        _seeker(None, "L", "SMA"),  # no date: unusable
    ],
    "lowongan": [
        _vacancy("2025-02-01", "2025-03-01", "2512", 3),  # ends on the first day
        _vacancy("2025-03-31", "2025-05-01", "2511.01", 2),  # starts on the last day
        _vacancy("2025-01-01", "2025-12-31", "7212", 5),  # spans the month
        _vacancy("2025-03-05", "2025-03-20", "9312", 1, status="TERISI"),
        _vacancy("2025-01-01", "2025-02-28", "7212", 4),  # over before
        _vacancy("2025-04-01", "2025-04-30", "7212", 4),  # starts after
        _vacancy("2025-03-05", "2025-03-20", "9312", 10, status="BATAL"),  # cancelled
    ],
    "penempatan": [
        _placement("2025-03-03", "LOKAL", "2512"),
        _placement("2025-03-31", "LOKAL", "2166"),
        _placement("2025-03-04", "LOKAL", None),
        _placement("2025-03-30", "LUAR_NEGERI", "9112"),
        _placement("2025-04-01", "LOKAL", "2512"),  # after
    ],
}

EXPECTED_ROWS: dict[str, list[dict[str, Any]]] = {
    "pencari_kerja_terdaftar": [
        {"jenis_kelamin": "L", "pendidikan": "SMA", "jumlah": 2},
        {"jenis_kelamin": "P", "pendidikan": "S1", "jumlah": 1},
        {"jenis_kelamin": "P", "pendidikan": "SMK", "jumlah": 1},
    ],
    "lowongan": [
        {"kbji_golongan_pokok": "2", "jumlah_lowongan": 2, "jumlah_kebutuhan": 5},
        {"kbji_golongan_pokok": "7", "jumlah_lowongan": 1, "jumlah_kebutuhan": 5},
        {"kbji_golongan_pokok": "9", "jumlah_lowongan": 1, "jumlah_kebutuhan": 1},
    ],
    "penempatan": [
        {"jenis_penempatan": "LOKAL", "kbji_golongan_pokok": "2", "jumlah": 2},
        {"jenis_penempatan": "LOKAL", "kbji_golongan_pokok": None, "jumlah": 1},
        {"jenis_penempatan": "LUAR_NEGERI", "kbji_golongan_pokok": "9", "jumlah": 1},
    ],
}

# Records read / counted / unusable per template.
EXPECTED_TALLY = {
    "pencari_kerja_terdaftar": (8, 4, 1),
    "lowongan": (7, 4, 0),
    "penempatan": (5, 4, 0),
}
