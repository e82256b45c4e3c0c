"""Known ways to break a valid row so that the validator reports exactly one error, and known
ways to change one so that it stays valid with exactly one warning (domains.md v2).

Each entry names the column and code the validator reports and a mutation of the canonical row.
A field error stops pydantic before the cross-field rules run, and cross-field mutations keep every
field valid, so one mutation gives one error (or one warning).
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


def _nik_scientific(ctx: SampleContext, row: Row) -> Cell:
    # What Excel shows, and saves to CSV, for a NIK typed into a number cell: 1,20901E+15.
    shown = f"{int(str(row['nik'])):.5E}"
    return shown.replace(".", ",") if ctx.rng.random() < 0.5 else shown


def _nik_structure(ctx: SampleContext, row: Row) -> Cell:
    """16 digits that are no NIK: a province Kemendagri never coded, day 81, or serial 0000."""
    nik = str(row["nik"])
    kind = ctx.rng.randrange(3)
    if kind == 0:
        return "20" + nik[2:]  # 20 is between Kepulauan Riau (21) and Sumatra's 19: no province
    if kind == 1:
        return nik[:6] + "81" + nik[8:]  # beyond 31 + 40
    return nik[:12] + "0000"


def nik_breaks() -> tuple[Break, ...]:
    """The ways a NIK cell goes wrong, shared by every domain with a NIK."""
    return (
        put("nik", "nik_invalid", _shorter("nik")),
        put("nik", "nik_scientific_notation", _nik_scientific),
        put("nik", "nik_invalid", _nik_structure),
    )


def _days_before(column: str, most: int) -> Callable[[SampleContext, Row], Cell]:
    return lambda ctx, row: _date(row, column) - ctx.rng.randint(1, most) * DAY


# --------------------------------------------------------------------------------------------
# pencari_kerja


def _too_young(ctx: SampleContext, row: Row) -> None:
    # Fourteen on the registration day, with a NIK that agrees, so only the age rule fails.
    birth = add_years(_date(row, "tanggal_daftar"), -14) - ctx.rng.randrange(200) * DAY
    row["nik"], row["tanggal_lahir"] = ctx.people.nik(birth, str(row["jenis_kelamin"]))


PENCARI_KERJA = (
    *nik_breaks(),
    Break("tanggal_lahir", "age_below_minimum", _too_young),
    put("tanggal_daftar", "date_invalid", IMPOSSIBLE_DATE),
    put("tanggal_daftar", "date_in_future", _future),
    put("tanggal_daftar", "date_before_other", _days_before("tanggal_lahir", 365)),
    put("jenis_kelamin", "jenis_kelamin_invalid", "X"),
    put("pendidikan", "pendidikan_invalid", "SEDERAJAT"),  # "equivalent" to what? no level alone
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


def _valid_too_long(ctx: SampleContext, row: Row) -> None:
    # Issued, with a validity beyond the two years of Permenaker 39/2016.
    issued = min(_date(row, "tanggal_pengajuan") + ctx.rng.randrange(8) * DAY, ctx.today)
    row.update(status="TERBIT", tanggal_terbit=issued, alasan_tolak=None)
    row["berlaku_sampai"] = add_years(issued, 2) + ctx.rng.randint(1, 365) * DAY


KARTU_AK1 = (
    *nik_breaks(),
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
    Break("berlaku_sampai", "ak1_validity_too_long", _valid_too_long),
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
    put("pendidikan_minimal", "pendidikan_invalid", "Kursus Menjahit"),
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
    *nik_breaks(),
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
    *nik_breaks(),
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
    *nik_breaks(),
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

# --------------------------------------------------------------------------------------------
# Warnings: the row is stored, and the operator is told what to check.


def _birth_date_corrected(ctx: SampleContext, row: Row) -> None:
    # Dukcapil corrected the birth date; the NIK keeps the old one. A year earlier keeps the age rule.
    row["tanggal_lahir"] = add_years(_date(row, "tanggal_lahir"), -1)


def _sex_disagrees(ctx: SampleContext, row: Row) -> None:
    row["jenis_kelamin"] = "P" if row["jenis_kelamin"] == "L" else "L"


def _lives_away(ctx: SampleContext, row: Row) -> None:
    # Registered here, living in Kota Tanjungbalai (an enclave inside Asahan) or Medan.
    row["kode_wilayah"] = ctx.rng.choice(ctx.places.away_desa)
    row["alamat"] = None


WARNS: dict[str, tuple[Break, ...]] = {
    "pencari_kerja": (
        Break("tanggal_lahir", "nik_birth_date_mismatch", _birth_date_corrected),
        Break("jenis_kelamin", "nik_sex_mismatch", _sex_disagrees),
        Break("kode_wilayah", "kode_wilayah_outside_region", _lives_away),
    ),
}

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
