"""Fixed vocabularies of a Kabupaten Asahan labour office: jobs, trades, programmes, spellings.

Tuples with repeated entries are weighted on purpose: `rng.choice` over them is the cheapest
weighted draw per row.
"""

from __future__ import annotations

from ..domains import vocabulary

# (KBJI 2014 code, job title as SIKAS operators write it)
JOBS: tuple[tuple[str, str], ...] = (
    ("9211", "Buruh Perkebunan Kelapa Sawit"),
    ("9211", "Pemanen Sawit"),
    ("6121", "Peternak"),
    ("6221", "Nelayan"),
    ("8160", "Operator Mesin Pengolahan CPO"),
    ("7233", "Mekanik Alat Berat"),
    ("7231", "Mekanik Sepeda Motor"),
    ("7212", "Tukang Las"),
    ("7411", "Teknisi Listrik"),
    ("7115", "Tukang Kayu"),
    ("8322", "Sopir"),
    ("8332", "Sopir Truk"),
    ("5223", "Pramuniaga"),
    ("5230", "Kasir"),
    ("5120", "Juru Masak"),
    ("5131", "Pramusaji"),
    ("5414", "Satpam"),
    ("4110", "Staf Administrasi"),
    ("4311", "Staf Pembukuan"),
    ("4321", "Staf Gudang"),
    ("3322", "Sales Lapangan"),
    ("2411", "Akuntan"),
    ("2221", "Perawat"),
    ("2341", "Guru SD"),
    ("2512", "Programmer"),
    ("9112", "Petugas Kebersihan"),
    ("9329", "Buruh Pabrik"),
    ("7531", "Penjahit"),
)

# KBLI 2020 codes common in Asahan: oil palm, rubber, fishing, trade, transport, services.
KBLI = (
    "01262", "01262", "01262", "01291", "01113", "03111", "10431", "10431", "10211",
    "16101", "41011", "42101", "45201", "46201", "46100", "47111", "47111", "47711",
    "49431", "52101", "55110", "56101", "64121", "85101", "86103", "96011",
)  # fmt: skip

COMPANY_FORMS = ("PT", "PT", "PT", "CV", "CV", "UD", "Koperasi")
COMPANY_WORDS = (
    "Jaya", "Makmur", "Sejahtera", "Abadi", "Sawit Lestari", "Agro Mandiri", "Karya Utama",
    "Sentosa", "Bersama", "Nusantara", "Asahan Indah", "Kisaran Raya", "Sumber Rejeki", "Perkasa",
)  # fmt: skip

BATAK_MARGA = (
    "Siregar", "Nasution", "Sitorus", "Simanjuntak", "Lubis", "Harahap", "Pane", "Manurung",
    "Sinaga", "Situmorang", "Hutagalung", "Tambunan", "Panjaitan", "Damanik", "Purba", "Saragih",
    "Sirait", "Pasaribu", "Tanjung", "Hasibuan",
)  # fmt: skip

# Birth places of Asahan residents: mostly the kabupaten and its neighbours.
LOCAL_PLACES = (
    "Kisaran", "Kisaran", "Kisaran", "Tanjung Balai", "Tanjung Balai", "Air Joman", "Air Batu",
    "Simpang Empat", "Bandar Pulau", "Pulau Rakyat", "Meranti", "Buntu Pane", "Medan",
    "Pematangsiantar", "Rantau Prapat", "Tebing Tinggi", "Lima Puluh", "Indrapura",
)  # fmt: skip

JURUSAN = (
    "Teknik Kendaraan Ringan", "Teknik Sepeda Motor", "Teknik Komputer dan Jaringan", "Akuntansi",
    "Administrasi Perkantoran", "Tata Busana", "Tata Boga", "Agribisnis Tanaman Perkebunan",
    "Teknik Instalasi Tenaga Listrik", "Teknik Pengelasan", "Manajemen", "Agroteknologi",
    "Teknik Informatika", "Keperawatan", "Pendidikan Guru SD", "Ilmu Hukum", "Ekonomi Pembangunan",
)  # fmt: skip
JURUSAN_LEVELS = frozenset({"SMK", "D1", "D2", "D3", "D4", "S1", "S2", "S3"})

# Education of registered job seekers, weighted roughly like an Asahan register.
PENDIDIKAN_MIX = (
    ("SMA",) * 30 + ("SMK",) * 20 + ("SMP",) * 14 + ("SD",) * 7 + ("S1",) * 15 + ("D3",) * 6
    + ("D1", "D2", "D4", "S2", "TIDAK_SEKOLAH")
)  # fmt: skip
PENDIDIKAN_MINIMAL_MIX = ("SMP",) * 3 + ("SMA",) * 8 + ("SMK",) * 5 + ("D3",) * 2 + ("S1",) * 3 + ("SD",)


def _spellings(table: dict[str, str], codes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Every spelling the validator accepts for each code, from its vocabulary table."""
    return {code: tuple(s for s, found in table.items() if found == code and s != code) for code in codes}


# Ways the same value is written in real exports: every spelling of the vocabulary tables (the
# Kartu Keluarga categories, madrasah, Paket A/B/C, Lk/Pr, AKL/AKAD/AKAN ...), so a sample
# exercises all of them.
PENDIDIKAN_SPELLINGS = _spellings(vocabulary.PENDIDIKAN, vocabulary.PENDIDIKAN_CODES)
SEX_SPELLINGS = _spellings(vocabulary.JENIS_KELAMIN, ("L", "P"))
PENEMPATAN_SPELLINGS = _spellings(vocabulary.JENIS_PENEMPATAN, vocabulary.JENIS_PENEMPATAN_CODES)
# What offices type for "none" in an optional cell, weighted towards the dash.
PLACEHOLDERS = ("-", "-", "-", "-", "--", "- tidak ada -", "N/A", "\u2013")

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
# The older official spellings still typed from civil records, and common abbreviations.
MONTHS_OTHER = {2: ("Pebruari", "Feb"), 8: ("Agt", "Agus"), 11: ("Nopember", "Nop"), 12: ("Des",)}

MOBILE_PREFIXES = (
    "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0857", "0858",
    "0877", "0878", "0831", "0838", "0895", "0896", "0897",
)  # fmt: skip
EMAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.com", "yahoo.co.id")

ALASAN_TOLAK = (
    "Dokumen tidak lengkap",
    "Foto tidak sesuai ketentuan",
    "Ijazah tidak terbaca",
    "NIK tidak sesuai data Dukcapil",
    "Pemohon tidak datang verifikasi",
)

# (code, name, days) of training programmes at the BLK and partner institutes.
PROGRAMS: tuple[tuple[str, str, int], ...] = (
    ("PBK-MNJ", "Menjahit Pakaian", 30),
    ("PBK-LAS", "Pengelasan SMAW", 30),
    ("PBK-TSM", "Teknisi Sepeda Motor", 25),
    ("PBK-KOM", "Operator Komputer", 20),
    ("PBK-TBG", "Tata Boga", 20),
    ("PBK-TRS", "Tata Rias Pengantin", 20),
    ("PBK-BRS", "Barista", 14),
    ("PBK-SWT", "Pengolahan Hasil Kelapa Sawit", 14),
    ("PBK-LST", "Instalasi Listrik Rumah", 25),
    ("PBK-DGM", "Digital Marketing UMKM", 10),
    ("PRD-5S", "Peningkatan Produktivitas 5S", 5),
)
LEMBAGA = (
    "UPTD BLK Kabupaten Asahan",
    "UPTD BLK Kabupaten Asahan",
    "BBPVP Medan",
    "LPK Mandiri Kisaran",
    "LPK Karya Bersama",
)
