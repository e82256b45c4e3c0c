"""A regency office's own exports, end to end: semicolons, Windows-1252, Indonesian headers and the
domains.md v2 spellings go through the real pipeline and reach the ministry normalised."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from sikas_sync.cli.main import main
from sikas_sync.cli.run import Upload, all_terminal, run_pipeline
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.reference import wilayah

CREDENTIALS = ("local-client", "local-secret")
DOMAINS = ("pencari_kerja", "lowongan", "jkp", "penempatan")

# Every date is fixed and in the past, and each rule relative to another date of the row holds
# (age >= 15 on tanggal_daftar, jkp claims within 6 months of PHK), so the files stay valid.
PENCARI_KERJA_HEADER = (
    "NIK;Nama Lengkap;Tempat Lahir;Tgl Lahir;L/P;Pendidikan Terakhir;Jurusan;Kode Desa;Alamat;"
    "No HP;Email;Tgl Daftar;Status"
)
TANJUNGBALAI_DESA = "12.74.01.1001"  # Tanjungbalai Kota I, Kota Tanjungbalai
MEDAN_DESA = "12.71.01.1001"  # Pasar Baru, Kota Medan
PENCARI_KERJA_ROWS = [
    # 1: man, KK education category, Excel date-time, compact desa, "+62 (0)" phone, placeholders
    "1209191708900001;Sitorus Pané;Kisaran;17/08/1990 0:00;Lk;SLTA/SEDERAJAT;-;1209191001;tidak ada;"
    "+62 (0) 812-3456-7890;-;20 Maret 2025;-",
    # 2: woman (day + 40), cp1252 apostrophe, Pebruari, D3 category, dotted phone, mixed-case email
    "1209195702920003;Nur\u2019aini;Tanjung Balai;17 Pebruari 1992;Pr;AKADEMI/DIPLOMA III/S. MUDA;"
    "Akuntansi;12.09.08.2002;Jl. Imam Bonjol No. 5;0813.9876.5432;Nur.Aini@Example.co.id;2025-04-01;"
    "TERDAFTAR",
    # 3: Kalimantan Utara NIK (province 65), Nopember, DIPLOMA IV/STRATA I
    "6501011111880004;Budi Santoso;Tarakan;11 Nopember 1988;L;DIPLOMA IV/STRATA I;Teknik Sipil;"
    "12.09.19.1001;- tidak ada -;628117654321;N/A;15.05.2025;",
    # 4: Papua NIK (province 91), DD.MM.YYYY, DIPLOMA I/II
    "9171024506950005;Maria Wenda;Jayapura;05.06.1995;Perempuan;DIPLOMA I/II;Kebidanan;"
    "12.09.19.1001;;;;10/06/2025;",
    # 5: NIK with Asahan's retired kecamatan digits 12.09.01, MTs
    "1209011212850006;Ahmad Siregar;Lima Puluh;12/12/1985;Pria;MTs;;12.09.19.1001;;08121112222;;2025-06-02;",
    # 6: Paket C, a desa in Kota Tanjungbalai: accepted with a warning
    f"1209192303000007;Rudi Hartono;Kisaran;2000-03-23;L;Paket C;;{TANJUNGBALAI_DESA};;;;2025-06-03;",
    # 7: a desa in Kota Medan: accepted with a warning
    f"1209196506980008;Siti Aminah;Medan;25/06/1998;P;SLTP/SEDERAJAT;;{MEDAN_DESA};;;;2025-06-04;",
    # 8: birth date disagrees with the NIK (01-01-91): a warning
    "1209190101910009;Joko Purnomo;Kisaran;02/01/1991;L;SMK;;12.09.19.1001;;;;2025-06-05;",
    # 9: sex disagrees with the NIK (a man's day 15): a warning
    "1209191503930010;Dewi Lestari;Kisaran;15/03/1993;P;Sarjana;;12.09.19.1001;;;;2025-06-06;",
    # 10: NIK in scientific notation: rejected
    "1.20919E+15;Hendra Gunawan;Kisaran;01/02/1990;L;SMA;;12.09.19.1001;;;;2025-06-07;",
    # 11: NIK day 81: rejected
    "1209198108900011;Yusuf Nasution;Kisaran;01/08/1990;L;SMA;;12.09.19.1001;;;;2025-06-08;",
    # 12: "SEDERAJAT" alone is no education level: rejected
    "1209191004890012;Rina Marpaung;Kisaran;10/04/1989;L;SEDERAJAT;;12.09.19.1001;;;;2025-06-09;",
]
EMPTY_ROW = ";" * PENCARI_KERJA_HEADER.count(";")

NIB = "9120001234567"
LOWONGAN = [
    "ID Lowongan;NIB;Jabatan;KBJI;Jumlah Kebutuhan;Jumlah L;Jumlah P;Pendidikan Minimal;Upah Min;"
    "Upah Max;Lokasi Kerja;Tgl Mulai;Tgl Berakhir;Status",
    f"LWG-2025-001;{NIB};Pramuniaga;5223;5;2;3;SLTA/SEDERAJAT;Rp 3.500.000,-;Rp 4.000.000,-;"
    "12.09.19;01/03/2025;30 Juni 2025;AKTIF",
    f"LWG-2025-002;{NIB};Operator Produksi;8189;10;;;MTs;IDR 3.000.000;3100000.00;1209;"
    "2025-04-01;31.07.2025;-",
    f"LWG-2025-003;{NIB};Staf Administrasi;4110;1;-;-;DIPLOMA IV/STRATA I;Rp3.500.000,00;-;"
    "12.09.19.1001;10 Mei 2025;10 Agt 2025;",
]
JKP = [
    "Kode Klaim;NIK;Tgl PHK;Tgl Pengajuan;Upah Terakhir;Manfaat Bulan Ke;Nilai Manfaat;Status",
    "JKP-2025-001;1209191708900001;03/03/2025;20 Maret 2025;Rp 4.500.000,-;1;Rp 2.700.000,-;DIAJUKAN",
    "JKP-2025-002;1209195702920003;2025-04-01;15.05.2025;IDR 6.000.000;2;3000000.00;DIBAYAR",
]
PENEMPATAN = [
    "ID Penempatan;NIK;NIB;Jabatan;KBJI;Tgl Diterima;Jenis Penempatan;ID Lowongan",
    f"PNP-001;1209191708900001;{NIB};Pramuniaga;5223;15/07/2025;AKL;LWG-2025-001",
    f"PNP-002;1209195702920003;{NIB};Operator Produksi;8189;01.08.2025;AKAD;-",
    f"PNP-003;6501011111880004;{NIB};Perawat;3221;2 Sept 2025;akan;",
]


def office_csv(lines: list[str]) -> bytes:
    """How Excel in an Indonesian locale saves "CSV": semicolons, CRLF, Windows-1252."""
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("office")
    contents = {
        "pencari_kerja": [PENCARI_KERJA_HEADER, *PENCARI_KERJA_ROWS, EMPTY_ROW, EMPTY_ROW, EMPTY_ROW],
        "lowongan": LOWONGAN,
        "jkp": JKP,
        "penempatan": PENEMPATAN,
    }
    written = {}
    for domain, lines in contents.items():
        path = folder / f"{domain}_asahan_2025.csv"
        path.write_bytes(office_csv(lines))
        written[domain] = path
    data = written["pencari_kerja"].read_bytes()
    assert "Pané".encode("cp1252") in data
    assert b"Nur\x92aini" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    return written


@pytest.fixture(scope="module")
def pipeline(files: dict[str, Path]) -> tuple[dict[str, Any], dict[str, dict[str, dict[str, Any]]]]:
    """One run over the four files; what the ministry holds, per domain, by natural key."""
    seen: dict[str, dict[str, dict[str, Any]]] = {}
    keys = {
        "pencari_kerja": "nik",
        "lowongan": "id_lowongan",
        "jkp": "kode_klaim",
        "penempatan": "id_penempatan",
    }

    def inspect(stack: EmbeddedStack) -> None:
        assert stack.local_ministry is not None
        for domain in DOMAINS:
            stored = stack.local_ministry.records(domain)
            by_key = {record["data"][keys[domain]]: record["data"] for record in stored.values()}
            assert len(by_key) == len(stored)
            seen[domain] = by_key

    summary = run_pipeline(
        [Upload(files[domain], domain) for domain in DOMAINS],
        region_code="12.09",
        ministry_url=None,
        credentials=CREDENTIALS,
        timeout_s=240,
        log=io.StringIO(),
        stack_hook=inspect,
    )
    return summary, seen


def by_domain(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["domain"]: entry for entry in summary["files"]}


EXPECTED_ERRORS = [
    (10, "nik", "nik_scientific_notation"),
    (11, "nik", "nik_invalid"),
    (12, "pendidikan", "pendidikan_invalid"),
]
EXPECTED_WARNINGS = [
    (6, "kode_wilayah", "kode_wilayah_outside_region"),
    (7, "kode_wilayah", "kode_wilayah_outside_region"),
    (8, "tanggal_lahir", "nik_birth_date_mismatch"),
    (9, "jenis_kelamin", "nik_sex_mismatch"),
]
WARNED_NIKS = ("1209192303000007", "1209196506980008", "1209190101910009", "1209191503930010")


def test_the_reference_codes_used_are_real() -> None:
    for code in ("12.09.19.1001", "12.09.08.2002", TANJUNGBALAI_DESA, MEDAN_DESA):
        found = wilayah.lookup(code)
        assert found is not None, code
        assert found.tingkat == "desa_kelurahan", code
    assert wilayah.lookup("12.09.19") is not None
    assert wilayah.lookup("12.09") is not None


def test_the_job_seeker_file_is_counted_rejected_and_warned_row_by_row(pipeline: Any) -> None:
    summary, _ = pipeline
    entry = by_domain(summary)["pencari_kerja"]
    assert entry["status"] == "processed"
    assert entry["reason"] is None
    # The three Excel-made empty rows are not data rows.
    assert (entry["rows"], entry["valid"], entry["rejected"]) == (12, 9, 3)
    assert (entry["created"], entry["updated"], entry["unchanged"]) == (9, 0, 0)
    assert [(e["row"], e["column"], e["code"]) for e in entry["errors"]] == EXPECTED_ERRORS
    scientific = entry["errors"][0]["message"]
    assert "Teks" in scientific  # tells the operator to format the column as text
    assert [(w["row"], w["column"], w["code"]) for w in entry["row_warnings"]] == EXPECTED_WARNINGS
    assert all(w["message"] for w in entry["row_warnings"])
    assert entry["warnings"] == len(EXPECTED_WARNINGS)
    # Reports mask NIKs: no whole NIK of the file appears in the summary entry.
    text = json.dumps(entry)
    assert not any(line.split(";")[0] in text for line in PENCARI_KERJA_ROWS)


def test_every_valid_record_reaches_the_ministry_warned_rows_too(pipeline: Any) -> None:
    summary, seen = pipeline
    files = by_domain(summary)
    valid = sum(entry["valid"] for entry in summary["files"])
    delivery = summary["delivery"]
    assert delivery["queued"] == valid
    assert delivery["delivered"] == valid
    assert delivery["pending"] == delivery["dead_lettered"] == delivery["rejected_by_ministry"] == 0
    assert all_terminal(summary)
    for domain in DOMAINS:
        assert len(seen[domain]) == files[domain]["valid"], domain
    expected_niks = {line.split(";")[0] for line in PENCARI_KERJA_ROWS[:9]}
    assert set(seen["pencari_kerja"]) == expected_niks
    assert set(WARNED_NIKS) <= set(seen["pencari_kerja"])


def test_the_ministry_receives_normalised_job_seekers(pipeline: Any) -> None:
    _, seen = pipeline
    received = seen["pencari_kerja"]

    pane = received["1209191708900001"]
    assert pane["nama"] == "Sitorus Pané"
    assert pane["tempat_lahir"] == "Kisaran"
    assert pane["tanggal_lahir"] == "1990-08-17"
    assert pane["jenis_kelamin"] == "L"
    assert pane["pendidikan"] == "SMA"
    assert pane["kode_wilayah"] == "12.09.19.1001"
    assert pane["no_hp"] == "+6281234567890"
    assert pane["tanggal_daftar"] == "2025-03-20"
    assert pane["status"] == "TERDAFTAR"
    for placeholder_column in ("jurusan", "alamat", "email"):  # `-`, `tidak ada`: absent, never "-"
        assert placeholder_column not in pane, placeholder_column

    nur = received["1209195702920003"]
    assert nur["nama"] == "Nur\u2019aini"
    assert nur["tanggal_lahir"] == "1992-02-17"
    assert nur["jenis_kelamin"] == "P"
    assert nur["pendidikan"] == "D3"
    assert nur["jurusan"] == "Akuntansi"
    assert nur["kode_wilayah"] == "12.09.08.2002"
    assert nur["alamat"] == "Jl. Imam Bonjol No. 5"
    assert nur["no_hp"] == "+6281398765432"
    assert nur["email"] == "nur.aini@example.co.id"
    assert nur["tanggal_daftar"] == "2025-04-01"

    kaltara = received["6501011111880004"]
    assert (kaltara["tanggal_lahir"], kaltara["pendidikan"], kaltara["tanggal_daftar"]) == (
        "1988-11-11",
        "D4",
        "2025-05-15",
    )
    assert kaltara["no_hp"] == "+628117654321"
    for placeholder_column in ("alamat", "email"):  # `- tidak ada -`, `N/A`
        assert placeholder_column not in kaltara, placeholder_column

    papua = received["9171024506950005"]
    assert (papua["tanggal_lahir"], papua["jenis_kelamin"], papua["pendidikan"]) == ("1995-06-05", "P", "D1")
    assert papua["tanggal_daftar"] == "2025-06-10"

    retired = received["1209011212850006"]  # kecamatan 12.09.01, in Batu Bara since 2007
    assert (retired["tanggal_lahir"], retired["jenis_kelamin"], retired["pendidikan"]) == (
        "1985-12-12",
        "L",
        "SMP",
    )

    assert received["1209192303000007"]["kode_wilayah"] == TANJUNGBALAI_DESA
    assert received["1209192303000007"]["pendidikan"] == "SMA"  # Paket C
    assert received["1209196506980008"]["kode_wilayah"] == MEDAN_DESA
    assert received["1209196506980008"]["pendidikan"] == "SMP"
    # The row's own values are delivered where they disagree with the NIK.
    assert received["1209190101910009"]["tanggal_lahir"] == "1991-01-02"
    assert received["1209191503930010"]["jenis_kelamin"] == "P"
    assert received["1209191503930010"]["pendidikan"] == "S1"

    for record in received.values():
        assert "-" not in {str(value).strip() for value in record.values()}


def test_the_ministry_receives_whole_rupiah_and_placement_codes(pipeline: Any) -> None:
    summary, seen = pipeline
    files = by_domain(summary)
    for domain, rows in (("lowongan", 3), ("jkp", 2), ("penempatan", 3)):
        entry = files[domain]
        assert entry["status"] == "processed", entry
        assert (entry["rows"], entry["valid"], entry["rejected"], entry["warnings"]) == (rows, rows, 0, 0), (
            entry
        )
        assert entry["errors"] == []
        assert entry["row_warnings"] == []

    lowongan = seen["lowongan"]
    first, second, third = (lowongan[f"LWG-2025-00{n}"] for n in (1, 2, 3))
    assert (first["upah_min"], first["upah_max"]) == (3_500_000, 4_000_000)
    assert (second["upah_min"], second["upah_max"]) == (3_000_000, 3_100_000)
    assert third["upah_min"] == 3_500_000
    assert "upah_max" not in third
    for record in (first, second, third):
        assert record["nib_pemberi_kerja"] == NIB
        for column in ("upah_min", "upah_max"):
            assert record.get(column) is None or type(record[column]) is int
    assert (first["kbji"], first["pendidikan_minimal"], first["kode_wilayah_kerja"]) == (
        "5223",
        "SMA",
        "12.09.19",
    )
    assert (first["jumlah_kebutuhan"], first["jumlah_l"], first["jumlah_p"]) == (5, 2, 3)
    assert (first["tanggal_mulai"], first["tanggal_berakhir"]) == ("2025-03-01", "2025-06-30")
    assert (second["pendidikan_minimal"], second["kode_wilayah_kerja"], second["status"]) == (
        "SMP",
        "12.09",
        "AKTIF",
    )
    assert second["tanggal_berakhir"] == "2025-07-31"
    assert (third["pendidikan_minimal"], third["tanggal_berakhir"]) == ("D4", "2025-08-10")
    assert "jumlah_l" not in third
    assert "jumlah_p" not in third

    jkp = seen["jkp"]
    assert (jkp["JKP-2025-001"]["upah_terakhir"], jkp["JKP-2025-001"]["nilai_manfaat"]) == (
        4_500_000,
        2_700_000,
    )
    assert (jkp["JKP-2025-002"]["upah_terakhir"], jkp["JKP-2025-002"]["nilai_manfaat"]) == (
        6_000_000,
        3_000_000,
    )
    assert all(type(r[c]) is int for r in jkp.values() for c in ("upah_terakhir", "nilai_manfaat"))
    assert (jkp["JKP-2025-001"]["tanggal_phk"], jkp["JKP-2025-001"]["tanggal_pengajuan"]) == (
        "2025-03-03",
        "2025-03-20",
    )

    placed = seen["penempatan"]
    assert {key: record["jenis_penempatan"] for key, record in placed.items()} == {
        "PNP-001": "LOKAL",
        "PNP-002": "ANTAR_DAERAH",
        "PNP-003": "LUAR_NEGERI",
    }
    assert placed["PNP-001"]["id_lowongan"] == "LWG-2025-001"
    assert "id_lowongan" not in placed["PNP-002"]
    assert (placed["PNP-002"]["tanggal_diterima"], placed["PNP-003"]["tanggal_diterima"]) == (
        "2025-08-01",
        "2025-09-02",
    )
    assert placed["PNP-003"]["nik"] == "6501011111880004"


def test_validate_on_the_same_file_gives_the_same_counts_errors_and_warnings(
    files: dict[str, Path], pipeline: Any
) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["validate", str(files["pencari_kerja"]), "--domain", "pencari_kerja", "--json"])
    assert code == 1  # some rows are rejected
    result = json.loads(out.getvalue())
    run_entry = by_domain(pipeline[0])["pencari_kerja"]
    assert result["status"] == "processed"
    assert (result["rows"], result["valid"], result["rejected"], result["warnings"]) == (12, 9, 3, 4)
    assert [(e["row"], e["column"], e["code"]) for e in result["errors"]] == EXPECTED_ERRORS
    assert [(w["row"], w["column"], w["code"]) for w in result["row_warnings"]] == EXPECTED_WARNINGS
    for name in ("rows", "valid", "rejected", "warnings", "errors", "row_warnings"):
        assert result[name] == run_entry[name], name
