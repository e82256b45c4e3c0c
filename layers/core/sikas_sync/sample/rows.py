"""One factory per domain: row `i` of a valid export as canonical values (dates, ints, codes).

Identifiers that are natural keys embed the row index, so they never collide; NIKs are unique by
construction (see people.py) and the aggregate keys of penduduk_bekerja are enumerated in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..domains.jkp import PP_6_2025_IN_FORCE, WAGE_CAP, max_benefit
from ..domains.kartu_ak1 import add_years
from ..domains.values import PENDIDIKAN
from . import catalog
from .cells import phone
from .context import SampleContext, TrainingBatch
from .places import Places
from .pools import email_local
from .spec import Row

Factory = Callable[[SampleContext, int], Row]
DAY = dt.timedelta(days=1)
KEBUTUHAN = (1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 8, 10, 10, 15, 20, 25, 50)
BATCH_SIZE = 16  # participants per training angkatan


def pencari_kerja(ctx: SampleContext, i: int) -> Row:
    rng = ctx.rng
    daftar = ctx.day_within(3 * 365)
    person = ctx.people.person(daftar)
    pendidikan = rng.choice(catalog.PENDIDIKAN_MIX)
    desa = rng.choice(ctx.places.desa)
    draw = rng.random()
    if (ctx.today - daftar).days > 730 and draw < 0.6:
        status: str | None = "KEDALUWARSA"  # an AK/1 registration lapses after two years
    elif draw < 0.15:
        status = "SUDAH_BEKERJA"
    elif draw < 0.17:
        status = "DIHAPUS"
    else:
        status = "TERDAFTAR" if draw < 0.7 else None
    return {
        "nik": person.nik,
        "nama": person.nama,
        "tempat_lahir": rng.choice(ctx.pools.places) if rng.random() < 0.9 else None,
        "tanggal_lahir": person.birth,
        "jenis_kelamin": person.sex,
        "pendidikan": pendidikan,
        "jurusan": rng.choice(catalog.JURUSAN) if pendidikan in catalog.JURUSAN_LEVELS else None,
        "kode_wilayah": desa.kode,
        "alamat": ctx.alamat(desa.kode, desa.nama) if rng.random() < 0.85 else None,
        "no_hp": phone(rng) if rng.random() < 0.9 else None,
        "email": ctx.email(person.nama) if rng.random() < 0.45 else None,
        "kbji_diminati": rng.choice(catalog.JOBS)[0] if rng.random() < 0.6 else None,
        "tanggal_daftar": daftar,
        "status": status,
    }


def kartu_ak1(ctx: SampleContext, i: int) -> Row:
    rng = ctx.rng
    draw = rng.random()
    status = (
        "TERBIT" if draw < 0.62 else "DITOLAK" if draw < 0.77 else "PROSES" if draw < 0.9 else "PENGAJUAN"
    )
    # Applications still waiting are recent; decided ones may be up to two years old.
    pengajuan = ctx.day_within(2 * 365 if status in ("TERBIT", "DITOLAK") else 30)
    terbit = min(pengajuan + rng.randrange(8) * DAY, ctx.today) if status == "TERBIT" else None
    return {
        "nomor_pendaftaran": f"AK1/{ctx.region_compact}/{pengajuan.year}/{i + 1:07d}",
        "nik": ctx.people.nik_only(pengajuan, 17, 50),
        "status": status,
        "tanggal_pengajuan": pengajuan,
        "tanggal_terbit": terbit,
        "berlaku_sampai": add_years(terbit, 2) if terbit and rng.random() < 0.6 else None,
        "alasan_tolak": rng.choice(catalog.ALASAN_TOLAK) if status == "DITOLAK" else None,
    }


def _wage(ctx: SampleContext, low: int = 2_600_000, spread: int = 6_000_000) -> int:
    # Skewed towards the Asahan minimum wage; whole thousands as payrolls write them.
    return (low + int(spread * ctx.rng.random() ** 2)) // 1000 * 1000


def lowongan(ctx: SampleContext, i: int) -> Row:
    rng = ctx.rng
    kbji, jabatan = rng.choice(catalog.JOBS)
    kebutuhan = rng.choice(KEBUTUHAN)
    jumlah_l = jumlah_p = None
    if rng.random() < 0.5:
        jumlah_l = rng.randint(0, kebutuhan)
        jumlah_p = rng.randint(0, kebutuhan - jumlah_l)
    upah_min = upah_max = None
    if rng.random() < 0.6:
        upah_min = _wage(ctx) // 50_000 * 50_000
        upah_max = upah_min + rng.randrange(0, 3_000_001, 250_000)
    mulai = ctx.day_within(2 * 365)
    berakhir = mulai + rng.choice((14, 30, 30, 30, 45, 60, 90)) * DAY
    draw = rng.random()
    places = ctx.places
    if draw < 0.6:
        wilayah = rng.choice(places.desa).kode
    elif draw < 0.8:
        wilayah = rng.choice(places.kecamatan)
    elif draw < 0.88:
        wilayah = places.region
    else:
        wilayah = rng.choice(places.elsewhere)
    if berakhir >= ctx.today:
        status: str | None = "AKTIF" if rng.random() < 0.7 else None
    else:
        status = rng.choice(("KEDALUWARSA", "TERISI", "TERISI", "BATAL"))
    return {
        "id_lowongan": f"LWG-{mulai:%Y%m}-{i + 1:06d}",
        "nib_pemberi_kerja": ctx.employer_nib(),
        "jabatan": jabatan,
        "kbji": kbji if rng.random() < 0.7 else f"{kbji}.0{rng.randint(1, 5)}",
        "jumlah_kebutuhan": kebutuhan,
        "jumlah_l": jumlah_l,
        "jumlah_p": jumlah_p,
        "pendidikan_minimal": rng.choice(catalog.PENDIDIKAN_MINIMAL_MIX),
        "upah_min": upah_min,
        "upah_max": upah_max,
        "kode_wilayah_kerja": wilayah,
        "tanggal_mulai": mulai,
        "tanggal_berakhir": berakhir,
        "status": status,
    }


def pemberi_kerja(ctx: SampleContext, i: int) -> Row:
    rng = ctx.rng
    nama = rng.choice(ctx.pools.companies)
    kbli = [rng.choice(catalog.KBLI) for _ in range(1 + int(rng.random() ** 3 * 3))]
    desa = rng.choice(ctx.places.desa)
    draw = rng.random()
    telepon = f"0623-{rng.randrange(10_000, 100_000)}" if draw < 0.5 else phone(rng) if draw < 0.8 else None
    return {
        "nib": ctx.nib(i),
        "npwp": ctx.npwp() if rng.random() < 0.7 else None,
        "nama_perusahaan": nama,
        "kbli": rng.choice((";", "; ", ",")).join(dict.fromkeys(kbli)),
        "skala_usaha": rng.choice(("MIKRO", "KECIL", "KECIL", "MENENGAH", "BESAR", None)),
        "kode_wilayah": desa.kode if rng.random() < 0.8 else desa.kode[:8],
        "alamat": ctx.alamat(desa.kode, desa.nama) if rng.random() < 0.9 else None,
        "telepon": telepon,
        "email": f"info@{email_local(nama.split(' ', 1)[-1])[:20]}.co.id" if rng.random() < 0.4 else None,
    }


def penempatan(ctx: SampleContext, i: int) -> Row:
    rng = ctx.rng
    kbji, jabatan = rng.choice(catalog.JOBS)
    diterima = ctx.day_within(2 * 365)
    draw = rng.random()
    jenis = "LOKAL" if draw < 0.75 else "ANTAR_DAERAH" if draw < 0.93 else "LUAR_NEGERI"
    posted = diterima - rng.randint(10, 90) * DAY
    return {
        "id_penempatan": f"PNP-{diterima:%Y%m}-{i + 1:06d}",
        "nik": ctx.people.nik_only(diterima, 18, 45),
        "nib_pemberi_kerja": ctx.employer_nib(),
        "jabatan": jabatan,
        "kbji": kbji if rng.random() < 0.7 else None,
        "tanggal_diterima": diterima,
        "jenis_penempatan": jenis,
        "id_lowongan": f"LWG-{posted:%Y%m}-{rng.randrange(1, 5000):06d}" if rng.random() < 0.5 else None,
    }


def wlkp(ctx: SampleContext, i: int) -> Row:
    rng = ctx.rng
    tahun = rng.randint(max(1981, ctx.today.year - 5), ctx.today.year)
    size = 3 + int(600 * rng.random() ** 4)  # most reporting companies are small
    wni_l = round(size * rng.uniform(0.45, 0.85))
    wni_p = size - wni_l
    wna_l = rng.randint(1, 3) if size > 200 and rng.random() < 0.3 else 0
    wna_p = 1 if wna_l and rng.random() < 0.3 else 0
    total = wni_l + wni_p + wna_l + wna_p
    return {
        "nomor_wlkp": f"WLKP/{ctx.region_compact}/{tahun}/{i + 1:06d}",
        "nib": ctx.employer_nib(),
        "tahun_lapor": tahun,
        "tk_wni_l": wni_l,
        "tk_wni_p": wni_p,
        "tk_wna_l": wna_l,
        "tk_wna_p": wna_p,
        "tk_total": total if rng.random() < 0.7 else None,
        "peserta_bpjs_tk": int(total * rng.uniform(0.5, 1.0)) if rng.random() < 0.8 else None,
    }


# penduduk_bekerja: Sakernas-style figures, one row per (period, region, indicator, category).
INDIKATOR = (
    ("PENDUDUK_USIA_KERJA", 1.0),
    ("ANGKATAN_KERJA", 0.68),
    ("BEKERJA", 0.645),
    ("PENGANGGURAN", 0.035),
)
_DIMENSIONS: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (
    ("TOTAL", (("TOTAL", 1),)),
    ("JENIS_KELAMIN", (("L", 51), ("P", 49))),
    ("PENDIDIKAN", tuple(zip(PENDIDIKAN, (3, 22, 20, 24, 14, 1, 1, 4, 1, 9, 0.8, 0.2), strict=True))),
    ("LAPANGAN_USAHA", tuple(zip("ABCDEFGHIJKLMNOPQRSTU", (
        42, 0.5, 9, 0.2, 0.3, 5, 18, 3, 4, 0.5, 0.8, 0.2, 0.3, 0.6, 3, 4, 1.5, 0.5, 5, 0.5, 0.1,
    ), strict=True))),
    ("STATUS_PEKERJAAN", (
        ("BERUSAHA_SENDIRI", 18), ("BERUSAHA_DIBANTU_BURUH_TIDAK_TETAP", 14),
        ("BERUSAHA_DIBANTU_BURUH_TETAP", 3), ("BURUH_KARYAWAN", 35), ("PEKERJA_BEBAS_PERTANIAN", 10),
        ("PEKERJA_BEBAS_NONPERTANIAN", 5), ("PEKERJA_KELUARGA", 15))),
    ("KELOMPOK_UMUR", tuple((band, 10.0) for band in (
        "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60+"))),
)  # fmt: skip
CATEGORIES: tuple[tuple[str, str, float], ...] = tuple(
    (dimensi, kategori, weight / sum(w for _, w in members))
    for dimensi, members in _DIMENSIONS
    for kategori, weight in members
)
PEOPLE_PER_DESA = 2700  # working-age residents per desa, roughly Asahan's average


@dataclass(frozen=True, slots=True)
class AggregateSpace:
    periods: tuple[tuple[int, str], ...]  # newest first
    regions: tuple[tuple[str, int], ...]  # (code, working-age population)

    @property
    def size(self) -> int:
        return len(self.periods) * len(self.regions) * len(INDIKATOR) * len(CATEGORIES)


@lru_cache(maxsize=8)
def aggregate_space(places: Places, today: dt.date) -> AggregateSpace:
    # A Sakernas round is published after its survey month: February and August.
    periods = tuple(
        (year, periode)
        for year in range(today.year, 1999, -1)
        for periode, month in (("AGUSTUS", 8), ("FEBRUARI", 2))
        if dt.date(year, month, 28) < today
    )
    desa = [d.kode for d in places.desa]
    regions = tuple(
        (code, PEOPLE_PER_DESA * sum(d.startswith(code + ".") for d in desa)) for code in places.aggregates
    )
    return AggregateSpace(periods, regions)


def penduduk_bekerja(ctx: SampleContext, i: int) -> Row:
    space = aggregate_space(ctx.places, ctx.today)
    rest, category = divmod(i, len(CATEGORIES))
    rest, indicator = divmod(rest, len(INDIKATOR))
    period, region = divmod(rest, len(space.regions))
    tahun, periode = space.periods[period]
    kode, population = space.regions[region]
    indikator, ratio = INDIKATOR[indicator]
    dimensi, kategori, share = CATEGORIES[category]
    growth = 1 + 0.012 * (tahun - 2020)
    noise = 1.0 if dimensi == "TOTAL" else ctx.rng.uniform(0.85, 1.15)
    return {
        "tahun": tahun,
        "periode": periode,
        "kode_wilayah": kode,
        "indikator": indikator,
        "dimensi": dimensi,
        "kategori": kategori,
        "nilai": int(population * ratio * share * growth * noise),
    }


def capacity(ctx: SampleContext) -> int | None:
    """How many rows a domain can hold without repeating a natural key (None: unbounded)."""
    return aggregate_space(ctx.places, ctx.today).size if ctx.spec.domain == "penduduk_bekerja" else None


def _new_batch(ctx: SampleContext, number: int) -> TrainingBatch:
    rng = ctx.rng
    kode, nama, days = rng.choice(catalog.PROGRAMS)
    mulai = ctx.day_within(2 * 365)
    return TrainingBatch(
        kode_program=kode,
        angkatan=f"{mulai.year}-{number + 1:03d}",
        nama_program=nama,
        lembaga=rng.choice(catalog.LEMBAGA),
        mulai=mulai,
        selesai=mulai + days * DAY,
    )


def pelatihan(ctx: SampleContext, i: int) -> Row:
    rng = ctx.rng
    if ctx.batch is None or i % BATCH_SIZE == 0:
        ctx.batch = _new_batch(ctx, i // BATCH_SIZE)
    batch = ctx.batch
    if batch.selesai > ctx.today:
        status, hadir = "BERLANGSUNG", None
    elif rng.random() < 0.88:
        status, hadir = "LULUS", round(rng.uniform(80, 100), 1)
    else:
        status, hadir = "TIDAK_LULUS", round(rng.uniform(40, 79), 1)
    sertifikat = None
    if status == "LULUS" and rng.random() < 0.8:
        sertifikat = f"{batch.kode_program}/{batch.angkatan}/{i % BATCH_SIZE + 1:03d}"
    return {
        "kode_program": batch.kode_program,
        "angkatan": batch.angkatan,
        "nama_program": batch.nama_program,
        "lembaga": batch.lembaga,
        "nik": ctx.people.nik_only(batch.mulai, 17, 40),
        "tanggal_mulai": batch.mulai,
        "tanggal_selesai": batch.selesai,
        "status_kelulusan": status,
        "persen_kehadiran": hadir if rng.random() < 0.85 else None,
        "nomor_sertifikat": sertifikat,
    }


def jkp_benefit(tanggal_phk: dt.date, upah: int, bulan_ke: int) -> int:
    """The monthly benefit: PP 6/2025 (60%) from 7 February 2025, before it PP 37/2021 (45%, then 25%)."""
    if tanggal_phk >= PP_6_2025_IN_FORCE:
        return max_benefit(upah)
    return min(upah, WAGE_CAP) * (45 if bulan_ke <= 3 else 25) // 100


def jkp(ctx: SampleContext, i: int) -> Row:
    rng = ctx.rng
    phk = ctx.day_within(2 * 365, ctx.today - DAY)
    pengajuan = min(phk + rng.randint(3, 120) * DAY, ctx.today)
    upah = _wage(ctx, spread=7_000_000)
    bulan = rng.randint(1, min(6, 1 + (ctx.today - pengajuan).days // 30))
    status = (
        "DIBAYAR" if bulan > 1 else rng.choice(("DIAJUKAN", "DISETUJUI", "DIBAYAR", "DIBAYAR", "DITOLAK"))
    )
    return {
        "kode_klaim": f"JKP-{pengajuan:%Y%m}-{i + 1:07d}",
        "nik": ctx.people.nik_only(phk, 20, 55),
        "tanggal_phk": phk,
        "tanggal_pengajuan": pengajuan,
        "upah_terakhir": upah,
        "manfaat_bulan_ke": bulan,
        "nilai_manfaat": jkp_benefit(phk, upah, bulan),
        "status": status,
    }


FACTORIES: dict[str, Factory] = {
    "pencari_kerja": pencari_kerja,
    "kartu_ak1": kartu_ak1,
    "lowongan": lowongan,
    "pemberi_kerja": pemberi_kerja,
    "penempatan": penempatan,
    "wlkp": wlkp,
    "penduduk_bekerja": penduduk_bekerja,
    "pelatihan": pelatihan,
    "jkp": jkp,
}
