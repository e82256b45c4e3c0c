"""Known ways to break a valid row so that the validator reports exactly one error.

Each entry names the column and code the validator reports and a mutation of the canonical row.
A field error stops pydantic before the cross-field rules run, and cross-field mutations keep every
field valid, so one mutation gives one error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..domains.jkp import PP_6_2025_IN_FORCE, add_months, max_benefit
from ..domains.kartu_ak1 import add_years
from .cells import thousands
from .context import SampleContext
from .rows import jkp_benefit
from .spec import Cell, Row

Mutation = Callable[[SampleContext, Row], None]
Value = Cell | Callable[[SampleContext, Row], Cell]

FORMULA = '=HYPERLINK("http://x","klik")'
IMPOSSIBLE_DATE = "31/02/2025"
DAY = dt.timedelta(days=1)


def _always(ctx: SampleContext) -> bool:
    return True


@dataclass(frozen=True)
class Break:
    column: str
    code: str
    mutate: Mutation
    applies: Callable[[SampleContext], bool] = _always  # False when `today` makes it impossible


def put(column: str, code: str, value: Value) -> Break:
    """Break one cell by writing `value` (or what `value(ctx, row)` returns) into it."""

    def mutate(ctx: SampleContext, row: Row) -> None:
        row[column] = value(ctx, row) if callable(value) else value

    return Break(column, code, mutate)


def _date(row: Row, column: str) -> dt.date:
    value = row[column]
    assert isinstance(value, dt.date)  # canonical rows hold dates, styling comes later
    return value


def _int(row: Row, column: str) -> int:
    value = row[column]
    assert isinstance(value, int)
    return value


def _shorter(column: str) -> Callable[[SampleContext, Row], Cell]:
    return lambda ctx, row: str(row[column])[:-1]  # 15-digit NIK, 12-digit NIB


def _future(ctx: SampleContext, row: Row) -> Cell:
    return ctx.today + ctx.rng.randint(1, 60) * DAY


def _days_before(column: str, most: int) -> Callable[[SampleContext, Row], Cell]:
    return lambda ctx, row: _date(row, column) - ctx.rng.randint(1, most) * DAY


# --------------------------------------------------------------------------------------------
# pencari_kerja


def _birth_year_off(ctx: SampleContext, row: Row) -> None:
    row["tanggal_lahir"] = add_years(_date(row, "tanggal_lahir"), -1)  # older: the age rule still holds


def _flip_sex(ctx: SampleContext, row: Row) -> None:
    row["jenis_kelamin"] = "P" if row["jenis_kelamin"] == "L" else "L"


def _too_young(ctx: SampleContext, row: Row) -> None:
    # Fourteen on the registration day, with a NIK that agrees, so only the age rule fails.
    birth = add_years(_date(row, "tanggal_daftar"), -14) - ctx.rng.randrange(200) * DAY
    row["nik"], row["tanggal_lahir"] = ctx.people.nik(birth, str(row["jenis_kelamin"]))


PENCARI_KERJA = (
    put("nik", "nik_invalid", _shorter("nik")),
    Break("tanggal_lahir", "nik_birth_date_mismatch", _birth_year_off),
    Break("jenis_kelamin", "nik_sex_mismatch", _flip_sex),
    Break("tanggal_lahir", "age_below_minimum", _too_young),
    put("tanggal_daftar", "date_invalid", IMPOSSIBLE_DATE),
    put("tanggal_daftar", "date_in_future", _future),
    put("tanggal_daftar", "date_before_other", _days_before("tanggal_lahir", 365)),
    put("jenis_kelamin", "jenis_kelamin_invalid", "X"),
    put("pendidikan", "pendidikan_invalid", "SMA/SMK"),
    put("kode_wilayah", "kode_wilayah_outside_region", lambda ctx, row: ctx.places.outside("desa_kelurahan")),
    put("kode_wilayah", "kode_wilayah_unknown", lambda ctx, row: ctx.places.unknown()),
    put("nama", "text_formula", FORMULA),
    put("nama", "value_required", None),
    put("no_hp", "no_hp_invalid", "0812-345"),
    put("email", "email_invalid", "budi@gmail"),
)

# --------------------------------------------------------------------------------------------
# kartu_ak1


def _card(status: str, terbit: Callable[[SampleContext, Row], dt.date | None]) -> Mutation:
    def mutate(ctx: SampleContext, row: Row) -> None:
        row.update(status=status, tanggal_terbit=terbit(ctx, row), berlaku_sampai=None, alasan_tolak=None)

    return mutate


KARTU_AK1 = (
    put("nik", "nik_invalid", _shorter("nik")),
    put("status", "enum_invalid", "SELESAI"),
    put("tanggal_pengajuan", "date_invalid", IMPOSSIBLE_DATE),
    put("tanggal_pengajuan", "date_in_future", _future),
    Break("tanggal_terbit", "value_required", _card("TERBIT", lambda ctx, row: None)),
    Break("alasan_tolak", "value_required", _card("DITOLAK", lambda ctx, row: None)),
    Break(
        "tanggal_terbit",
        "date_before_other",
        _card("TERBIT", lambda ctx, row: _date(row, "tanggal_pengajuan") - ctx.rng.randint(1, 30) * DAY),
    ),
    put("nomor_pendaftaran", "value_required", None),
)

# --------------------------------------------------------------------------------------------
# lowongan


def _too_many(ctx: SampleContext, row: Row) -> None:
    row["jumlah_l"] = _int(row, "jumlah_kebutuhan")
    row["jumlah_p"] = ctx.rng.randint(1, 3)


def _wage_inverted(ctx: SampleContext, row: Row) -> None:
    top = row["upah_max"] if isinstance(row["upah_max"], int) else 3_000_000
    row["upah_max"], row["upah_min"] = top, top + 500_000


LOWONGAN = (
    put("nib_pemberi_kerja", "nib_invalid", _shorter("nib_pemberi_kerja")),
    put("jumlah_kebutuhan", "integer_invalid", "lima"),
    put("jumlah_kebutuhan", "integer_out_of_range", 0),
    Break("jumlah_l", "sum_exceeds_total", _too_many),
    put("pendidikan_minimal", "pendidikan_invalid", "SMA/SMK"),
    put("upah_min", "rupiah_invalid", "3,5 juta"),
    Break("upah_min", "range_inverted", _wage_inverted),
    put("tanggal_mulai", "date_invalid", IMPOSSIBLE_DATE),
    put("tanggal_berakhir", "date_before_other", _days_before("tanggal_mulai", 30)),
    put("kode_wilayah_kerja", "kode_wilayah_unknown", lambda ctx, row: ctx.places.unknown()),
    put("kbji", "kbji_invalid", "52"),
    put("jabatan", "text_formula", FORMULA),
)

# --------------------------------------------------------------------------------------------
# pemberi_kerja

PEMBERI_KERJA = (
    put("nib", "nib_invalid", _shorter("nib")),
    put("npwp", "npwp_invalid", lambda ctx, row: ctx.npwp(valid=False)),
    put("nama_perusahaan", "text_formula", FORMULA),
    put("kbli", "kbli_invalid", "4711"),
    put("kbli", "value_required", None),
    put("skala_usaha", "enum_invalid", "SEDANG"),
    put("kode_wilayah", "kode_wilayah_outside_region", lambda ctx, row: ctx.places.outside("desa_kelurahan")),
    put("kode_wilayah", "kode_wilayah_level", lambda ctx, row: ctx.places.region[:2]),  # the province
    put("telepon", "telepon_invalid", "0623"),
    put("email", "email_invalid", "info@perusahaan"),
)

# --------------------------------------------------------------------------------------------
# penempatan

PENEMPATAN = (
    put("nik", "nik_invalid", _shorter("nik")),
    put("nib_pemberi_kerja", "nib_invalid", _shorter("nib_pemberi_kerja")),
    put("jabatan", "value_required", None),
    put("jabatan", "text_formula", FORMULA),
    put("kbji", "kbji_invalid", "52"),
    put("tanggal_diterima", "date_invalid", IMPOSSIBLE_DATE),
    put("tanggal_diterima", "date_in_future", _future),
    put("jenis_penempatan", "enum_invalid", "LUAR NEGRI"),
)

# --------------------------------------------------------------------------------------------
# wlkp


def _workers(row: Row) -> int:
    return sum(_int(row, c) for c in ("tk_wni_l", "tk_wni_p", "tk_wna_l", "tk_wna_p"))


WLKP = (
    put("nomor_wlkp", "value_required", None),
    put("nib", "nib_invalid", _shorter("nib")),
    put("tahun_lapor", "integer_out_of_range", lambda ctx, row: ctx.today.year + 1),
    put("tk_wni_l", "integer_invalid", "12 orang"),
    put("tk_wna_p", "integer_out_of_range", -1),
    put("tk_total", "total_mismatch", lambda ctx, row: _workers(row) + ctx.rng.randint(1, 5)),
    put("peserta_bpjs_tk", "sum_exceeds_total", lambda ctx, row: _workers(row) + ctx.rng.randint(1, 20)),
)

# --------------------------------------------------------------------------------------------
# penduduk_bekerja

PENDUDUK_BEKERJA = (
    put("tahun", "integer_out_of_range", 1999),
    put("periode", "enum_invalid", "MARET"),
    put("kode_wilayah", "kode_wilayah_outside_region", lambda ctx, row: ctx.places.outside("kabupaten_kota")),
    put("kode_wilayah", "kode_wilayah_level", lambda ctx, row: ctx.places.desa[0].kode),
    put("indikator", "enum_invalid", "TPAK"),
    put("kategori", "kategori_invalid", lambda ctx, row: "L" if row["dimensi"] == "TOTAL" else "TOTAL"),
    put("nilai", "integer_out_of_range", -5),
    put("nilai", "integer_invalid", "1.234,5"),
)

# --------------------------------------------------------------------------------------------
# pelatihan

PELATIHAN = (
    put("nik", "nik_invalid", _shorter("nik")),
    put("nama_program", "text_formula", FORMULA),
    put("lembaga", "value_required", None),
    put("tanggal_mulai", "date_invalid", IMPOSSIBLE_DATE),
    put("tanggal_selesai", "date_before_other", _days_before("tanggal_mulai", 10)),
    put("status_kelulusan", "enum_invalid", "LULUS BERSYARAT"),
    put("persen_kehadiran", "number_out_of_range", 105.0),
    put("persen_kehadiran", "number_invalid", "sembilan puluh"),
)

# --------------------------------------------------------------------------------------------
# jkp


def _benefit_too_high(ctx: SampleContext, row: Row) -> None:
    phk = _date(row, "tanggal_phk")
    if phk < PP_6_2025_IN_FORCE:  # move the dismissal under PP 6/2025, where the cap applies
        span = (ctx.today - PP_6_2025_IN_FORCE).days - 1
        phk = PP_6_2025_IN_FORCE + ctx.rng.randint(0, min(span, 180)) * DAY
        row["tanggal_phk"] = phk
        row["tanggal_pengajuan"] = min(phk + ctx.rng.randint(1, 60) * DAY, ctx.today)
    row["nilai_manfaat"] = max_benefit(_int(row, "upah_terakhir")) + ctx.rng.randint(1, 300) * 1000


def _claim_too_late(ctx: SampleContext, row: Row) -> None:
    phk = add_months(ctx.today, -7) - ctx.rng.randint(0, 120) * DAY
    row["tanggal_phk"] = phk
    row["tanggal_pengajuan"] = add_months(phk, 6) + ctx.rng.randint(1, 20) * DAY
    row["nilai_manfaat"] = jkp_benefit(phk, _int(row, "upah_terakhir"), _int(row, "manfaat_bulan_ke"))


JKP = (
    put("nik", "nik_invalid", _shorter("nik")),
    put("tanggal_phk", "date_in_future", _future),
    put("tanggal_pengajuan", "date_before_other", _days_before("tanggal_phk", 20)),
    Break("tanggal_pengajuan", "jkp_claim_too_late", _claim_too_late),
    Break(
        "nilai_manfaat",
        "jkp_benefit_too_high",
        _benefit_too_high,
        applies=lambda ctx: ctx.today > PP_6_2025_IN_FORCE + DAY,
    ),
    put("upah_terakhir", "rupiah_invalid", lambda ctx, row: f"Rp {thousands(_int(row, 'upah_terakhir'))},50"),
    put("manfaat_bulan_ke", "integer_out_of_range", 7),
    put("status", "enum_invalid", "DIPROSES"),
)

BREAKS: dict[str, tuple[Break, ...]] = {
    "pencari_kerja": PENCARI_KERJA,
    "kartu_ak1": KARTU_AK1,
    "lowongan": LOWONGAN,
    "pemberi_kerja": PEMBERI_KERJA,
    "penempatan": PENEMPATAN,
    "wlkp": WLKP,
    "penduduk_bekerja": PENDUDUK_BEKERJA,
    "pelatihan": PELATIHAN,
    "jkp": JKP,
}
