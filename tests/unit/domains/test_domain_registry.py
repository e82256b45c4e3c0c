"""The domain registry against the tables of domains.md: slugs, natural keys, required columns."""

from __future__ import annotations

import pytest

from sikas_sync.domains import BY_SLUG, DOMAINS, UnknownDomain, domain_for_name, get_domain

# slug -> natural key, from the first table of domains.md
NATURAL_KEYS = {
    "pencari_kerja": ("nik",),
    "kartu_ak1": ("nomor_pendaftaran",),
    "lowongan": ("id_lowongan",),
    "pemberi_kerja": ("nib",),
    "penempatan": ("id_penempatan",),
    "wlkp": ("nomor_wlkp",),
    "penduduk_bekerja": ("tahun", "periode", "kode_wilayah", "indikator", "dimensi", "kategori"),
    "pelatihan": ("kode_program", "angkatan", "nik"),
    "jkp": ("kode_klaim",),
}

# slug -> {column: required?}, from the per-domain tables ("req" yes / no / "when ...").
COLUMNS = {
    "pencari_kerja": {
        "nik": True,
        "nama": True,
        "tempat_lahir": False,
        "tanggal_lahir": True,
        "jenis_kelamin": True,
        "pendidikan": True,
        "jurusan": False,
        "kode_wilayah": True,
        "alamat": False,
        "no_hp": False,
        "email": False,
        "kbji_diminati": False,
        "tanggal_daftar": True,
        "status": False,
    },
    "kartu_ak1": {
        "nomor_pendaftaran": True,
        "nik": True,
        "status": True,
        "tanggal_pengajuan": True,
        "tanggal_terbit": False,  # "when TERBIT": a row rule, not a required column
        "berlaku_sampai": False,
        "alasan_tolak": False,  # "when DITOLAK"
    },
    "lowongan": {
        "id_lowongan": True,
        "nib_pemberi_kerja": True,
        "jabatan": True,
        "kbji": True,
        "jumlah_kebutuhan": True,
        "jumlah_l": False,
        "jumlah_p": False,
        "pendidikan_minimal": True,
        "upah_min": False,
        "upah_max": False,
        "kode_wilayah_kerja": True,
        "tanggal_mulai": True,
        "tanggal_berakhir": True,
        "status": False,
    },
    "pemberi_kerja": {
        "nib": True,
        "npwp": False,
        "nama_perusahaan": True,
        "kbli": True,
        "skala_usaha": False,
        "kode_wilayah": True,
        "alamat": False,
        "telepon": False,
        "email": False,
    },
    "penempatan": {
        "id_penempatan": True,
        "nik": True,
        "nib_pemberi_kerja": True,
        "jabatan": True,
        "kbji": False,
        "tanggal_diterima": True,
        "jenis_penempatan": True,
        "id_lowongan": False,
    },
    "wlkp": {
        "nomor_wlkp": True,
        "nib": True,
        "tahun_lapor": True,
        "tk_wni_l": True,
        "tk_wni_p": True,
        "tk_wna_l": True,
        "tk_wna_p": True,
        "tk_total": False,
        "peserta_bpjs_tk": False,
    },
    "penduduk_bekerja": {
        "tahun": True,
        "periode": True,
        "kode_wilayah": True,
        "indikator": True,
        "dimensi": True,
        "kategori": True,
        "nilai": True,
    },
    "pelatihan": {
        "kode_program": True,
        "angkatan": True,
        "nama_program": True,
        "lembaga": True,
        "nik": True,
        "tanggal_mulai": True,
        "tanggal_selesai": True,
        "status_kelulusan": True,
        "persen_kehadiran": False,
        "nomor_sertifikat": False,
    },
    "jkp": {
        "kode_klaim": True,
        "nik": True,
        "tanggal_phk": True,
        "tanggal_pengajuan": True,
        "upah_terakhir": True,
        "manfaat_bulan_ke": True,
        "nilai_manfaat": True,
        "status": True,
    },
}


def test_exactly_the_nine_domains_in_the_order_of_the_memorandum() -> None:
    assert [d.slug for d in DOMAINS] == list(NATURAL_KEYS)
    assert set(BY_SLUG) == set(NATURAL_KEYS)
    assert len({d.model for d in DOMAINS}) == 9


@pytest.mark.parametrize("slug", list(NATURAL_KEYS))
def test_natural_key(slug: str) -> None:
    assert get_domain(slug).natural_key == NATURAL_KEYS[slug]


@pytest.mark.parametrize("slug", list(COLUMNS))
def test_required_columns_are_the_req_yes_columns(slug: str) -> None:
    expected = {column for column, required in COLUMNS[slug].items() if required}
    assert set(get_domain(slug).required_columns) == expected


@pytest.mark.parametrize("slug", list(COLUMNS))
def test_every_listed_column_is_a_field(slug: str) -> None:
    assert set(COLUMNS[slug]) <= set(get_domain(slug).fields)


@pytest.mark.parametrize("slug", list(COLUMNS))
def test_natural_key_columns_are_required(slug: str) -> None:
    domain = get_domain(slug)
    assert set(domain.natural_key) <= set(domain.required_columns)


def test_unknown_slug() -> None:
    with pytest.raises(UnknownDomain):
        get_domain("pekerja_migran")
    with pytest.raises(KeyError):
        get_domain("")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("pencari_kerja_2025-03.csv", "pencari_kerja"),
        ("kartu_ak1.xlsx", "kartu_ak1"),
        ("penduduk_bekerja_2025_agustus.csv", "penduduk_bekerja"),
        ("penempatan-2025.jsonl.gz", "penempatan"),
        ("jkp.csv", "jkp"),
        ("wlkp.tsv", "wlkp"),
    ],
)
def test_domain_for_file_name(name: str, slug: str) -> None:
    found = domain_for_name(name)
    assert found is not None
    assert found.slug == slug


def test_domain_for_unknown_file_name() -> None:
    assert domain_for_name("laporan_bulanan.csv") is None


def test_key_of_a_valid_record() -> None:
    domain = get_domain("pelatihan")
    key = domain.key_of({"kode_program": "BLK-LAS-01", "angkatan": "2026-II", "nik": "1209015708900001"})
    assert key == ("BLK-LAS-01", "2026-II", "1209015708900001")
