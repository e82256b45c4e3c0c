"""The shared value rules of domains.md ("Shared value rules" table), one normaliser at a time.

Each rejection checks the stable error code and that the message does not repeat the input
(cells may hold personal data).
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic_core import PydanticCustomError

from sikas_sync.domains import values as v

TODAY = dt.date(2026, 11, 28)
ENGLISH = re.compile(r"\b(Input|should|must|Field|required|invalid|valid string|greater|less)\b")


def rejects(normalise: Any, raw: object, code: str, info: object = None) -> str:
    with pytest.raises(PydanticCustomError) as caught:
        normalise(raw, info)
    error = caught.value
    assert error.type == code
    message = error.message()
    assert message.strip()
    assert not ENGLISH.search(message), "messages are in Bahasa Indonesia"
    shown = str(raw).strip()
    if len(shown) >= 3:
        assert shown not in message, "the rejected value must not be echoed in the message"
    return message


def ctx(region: str = "12.09", today: dt.date = TODAY) -> SimpleNamespace:
    return SimpleNamespace(context={"today": today, "region_code": region})


# ------------------------------------------------------------------------------------------ dates

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


@pytest.mark.parametrize(
    "raw",
    [
        "2025-03-20",
        "20/03/2025",
        "20-03-2025",
        "20/3/2025",
        " 2025-03-20 ",
        "20 Maret 2025",
        "20 Mar 2025",
        "20 maret 2025",
        "20 MARET 2025",
        "20 mar 2025",
        dt.date(2025, 3, 20),
        dt.datetime(2025, 3, 20, 0, 0),
        dt.datetime(2025, 3, 20, 14, 30, 5),
        45736,  # Excel serial number of 2025-03-20
        45736.0,
    ],
)
def test_date_accepts_every_listed_form(raw: object) -> None:
    assert v.date(raw) == dt.date(2025, 3, 20)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5/1/2025", dt.date(2025, 1, 5)),  # D/M/YYYY: day first
        ("05/01/2025", dt.date(2025, 1, 5)),
        ("1/12/1999", dt.date(1999, 12, 1)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        (45658, dt.date(2025, 1, 1)),
        (45292, dt.date(2024, 1, 1)),
        (7306, dt.date(1920, 1, 1)),  # the earliest serial read as a date
    ],
)
def test_date_reads_day_first_and_excel_serials(raw: object, expected: dt.date) -> None:
    assert v.date(raw) == expected


@pytest.mark.parametrize("raw", [2025, 61, 1, 7305, 0, -5, 2958466])
def test_numbers_that_cannot_be_an_excel_date_are_rejected(raw: int) -> None:
    # A year (2025) or a count typed into a date column must not become a date in 1905.
    with pytest.raises(PydanticCustomError) as caught:
        v.date(raw)
    assert caught.value.type == "date_invalid"


@pytest.mark.parametrize("month", range(1, 13))
def test_date_accepts_every_indonesian_month_name(month: int) -> None:
    expected = dt.date(2025, month, 7)
    for name in (MONTHS[month - 1], SHORT_MONTHS[month - 1]):
        assert v.date(f"7 {name} 2025") == expected
        assert v.date(f"07 {name.upper()} 2025") == expected
        assert v.date(f"7 {name.lower()} 2025") == expected


def test_date_accepts_agt_for_agustus() -> None:
    assert v.date("17 Agt 1945") == dt.date(1945, 8, 17)


@pytest.mark.parametrize(
    "raw",
    [
        "31/02/2025",
        "32/01/2025",
        "2025-13-01",
        "2025-02-30",
        "03/20/2025",  # month-first is not an accepted form: month 20
        "20 Maretz 2025",
        "30 Februari 2025",
        "kemarin",
        "20250320x",
        "1999",
        "-",
    ],
)
def test_date_rejects_impossible_or_unknown(raw: str) -> None:
    rejects(v.date, raw, "date_invalid")


def test_past_date_uses_the_context_today() -> None:
    assert v.past_date("2026-11-28", ctx()) == TODAY
    assert v.past_date("28/11/2026", ctx()) == TODAY
    rejects(v.past_date, "2026-11-29", "date_in_future", ctx())
    rejects(v.past_date, dt.date(2027, 1, 1), "date_in_future", ctx())
    # A later "today" accepts the same date.
    assert v.past_date("2026-11-29", ctx(today=dt.date(2026, 11, 29))) == dt.date(2026, 11, 29)


def test_plain_date_allows_the_future() -> None:
    assert v.date("2030-01-01") == dt.date(2030, 1, 1)


# --------------------------------------------------------------------------------------- integers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234", 1234),
        ("1.234", 1234),
        ("1.234.567", 1234567),
        (" 42 ", 42),
        ("0", 0),
        (1234, 1234),
        (1234.0, 1234),
        (0.0, 0),
    ],
)
def test_integer_accepts(raw: object, expected: int) -> None:
    result = v.integer(raw)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize("raw", ["12,5", "7.65", "1.2345", "12.5", "abc", "1.234,5", 12.5, "1e3"])
def test_integer_rejects(raw: object) -> None:
    rejects(v.integer, raw, "integer_invalid")


def test_integer_between_checks_bounds() -> None:
    between = v.integer_between(1, 6)
    assert between("1") == 1
    assert between("6") == 6
    rejects(between, "0", "integer_out_of_range")
    rejects(between, "7", "integer_out_of_range")


def test_integer_between_with_the_current_year_uses_context() -> None:
    between = v.integer_between(1981, v.current_year)
    assert between("2026", ctx()) == 2026
    rejects(between, "2027", "integer_out_of_range", ctx())
    assert between("2027", ctx(today=dt.date(2027, 1, 1))) == 2027


# ---------------------------------------------------------------------------------------- rupiah


@pytest.mark.parametrize(
    "raw",
    [
        "3500000",
        "3.500.000",
        "Rp 3.500.000",
        "Rp3.500.000",
        "Rp3.500.000,00",
        "Rp 3.500.000,00",
        "rp 3.500.000",
        "RP3.500.000",
        " Rp 3.500.000 ",
        3500000,
        3500000.0,
    ],
)
def test_rupiah_accepts_listed_forms(raw: object) -> None:
    result = v.rupiah(raw)
    assert result == 3_500_000
    assert type(result) is int


def test_rupiah_zero_and_small_values() -> None:
    assert v.rupiah("0") == 0
    assert v.rupiah("Rp 500") == 500
    assert v.rupiah("1.000") == 1000


@pytest.mark.parametrize(
    "raw",
    [
        "tiga juta",
        "Rp 3.500.000,50",  # not whole rupiah
        "3.50.000",
        "-100000",
        -100000,
        3500000.5,
        "Rp",
        "US$ 100",
    ],
)
def test_rupiah_rejects(raw: object) -> None:
    rejects(v.rupiah, raw, "rupiah_invalid")


# ---------------------------------------------------------------------------------- jenis_kelamin


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("L", "L"),
        ("l", "L"),
        ("P", "P"),
        ("p", "P"),
        ("Laki-laki", "L"),
        ("LAKI-LAKI", "L"),
        ("laki-laki", "L"),
        ("Laki laki", "L"),
        ("laki laki", "L"),
        ("Perempuan", "P"),
        ("PEREMPUAN", "P"),
        ("perempuan", "P"),
        ("Pria", "L"),
        ("PRIA", "L"),
        ("pria", "L"),
        ("Wanita", "P"),
        ("WANITA", "P"),
        ("wanita", "P"),
        (" Wanita ", "P"),
    ],
)
def test_jenis_kelamin_accepts(raw: str, expected: str) -> None:
    assert v.jenis_kelamin(raw) == expected


@pytest.mark.parametrize("raw", ["X", "Lainnya", "M", "F", "0"])
def test_jenis_kelamin_rejects(raw: str) -> None:
    rejects(v.jenis_kelamin, raw, "jenis_kelamin_invalid")


# ------------------------------------------------------------------------------------- pendidikan

PENDIDIKAN = ["TIDAK_SEKOLAH", "SD", "SMP", "SMA", "SMK", "D1", "D2", "D3", "D4", "S1", "S2", "S3"]


@pytest.mark.parametrize("code", PENDIDIKAN)
def test_pendidikan_accepts_every_code_in_any_case(code: str) -> None:
    assert v.pendidikan(code) == code
    assert v.pendidikan(code.lower()) == code
    assert v.pendidikan(code.title()) == code
    assert v.pendidikan(f" {code} ") == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SLTP", "SMP"),
        ("sltp", "SMP"),
        ("SLTA", "SMA"),
        ("Slta", "SMA"),
        ("Tamat SD", "SD"),
        ("TAMAT SD", "SD"),
        ("tamat sd", "SD"),
        ("Diploma III", "D3"),
        ("diploma iii", "D3"),
        ("D-III", "D3"),
        ("d-iii", "D3"),
        ("DIII", "D3"),
        ("Sarjana", "S1"),
        ("SARJANA", "S1"),
        ("S-1", "S1"),
        ("s-1", "S1"),
        ("tidak sekolah", "TIDAK_SEKOLAH"),
    ],
)
def test_pendidikan_accepts_aliases(raw: str, expected: str) -> None:
    assert v.pendidikan(raw) == expected


@pytest.mark.parametrize("raw", ["SMK2", "Universitas", "S4", "D5", "Kuliah"])
def test_pendidikan_rejects(raw: str) -> None:
    rejects(v.pendidikan, raw, "pendidikan_invalid")


# ------------------------------------------------------------------------------------------ no_hp


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "6281234567890",
        "+6281234567890",
        "0812 3456 7890",
        "0812-3456-7890",
        "+62 812-3456-7890",
        "62 812 3456 7890",
        " 081234567890 ",
        81234567890,  # numeric Excel cell: the leading 0 is gone
        "'+6281234567890",  # Excel's text marker, as the quarantine file writes it
        "'+62 (0)812-3456-7890",
    ],
)
def test_no_hp_accepts_and_stores_e164(raw: object) -> None:
    assert v.no_hp(raw) == "+6281234567890"


def test_a_phone_keeps_excels_text_marker_out_of_the_number() -> None:
    assert v.telepon("'+62 623 41234") == "6262341234"
    rejects(v.no_hp, "'0812'3456", "no_hp_invalid")  # only a leading marker before + is Excel's


def test_no_hp_numeric_excel_cell_of_the_brief() -> None:
    assert v.no_hp(8123456789) == "+628123456789"
    assert v.no_hp(8123456789.0) == "+628123456789"


def test_no_hp_numeric_excel_cell_starting_with_62() -> None:
    assert v.no_hp(628123456789) == "+628123456789"


def test_no_hp_length_bounds_in_local_form() -> None:
    # 10-15 digits: 0812345678 is 10 digits, 081234567890123 is 15.
    assert v.no_hp("0812345678") == "+62812345678"
    assert v.no_hp("081234567890123") == "+6281234567890123"
    rejects(v.no_hp, "081234567", "no_hp_invalid")  # 9 digits
    rejects(v.no_hp, "0812345678901234", "no_hp_invalid")  # 16 digits


@pytest.mark.parametrize(
    "raw",
    [
        "0623-41234",  # a landline, not 08…
        "+6221234567",
        "812345678x0",
        "telepon rumah",
        "+1 415 555 0100",
        "0812-ABCD-7890",
    ],
)
def test_no_hp_rejects(raw: str) -> None:
    rejects(v.no_hp, raw, "no_hp_invalid")


# ------------------------------------------------------------------------------------------ email


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Budi.Santoso@Example.CO.ID", "budi.santoso@example.co.id"),
        ("SITI@GMAIL.COM", "siti@gmail.com"),
        (" dinas@asahankab.go.id ", "dinas@asahankab.go.id"),
    ],
)
def test_email_is_lower_cased(raw: str, expected: str) -> None:
    assert v.email(raw) == expected


@pytest.mark.parametrize(
    "raw", ["budi.santoso", "budi@", "@example.com", "budi santoso@example.com", "budi@@example.com"]
)
def test_email_rejects(raw: str) -> None:
    rejects(v.email, raw, "email_invalid")


# ------------------------------------------------------------------------------------------- text


def test_text_trims_and_collapses_inner_whitespace() -> None:
    normalise = v.text()
    assert normalise("  Budi   Santoso  ") == "Budi Santoso"
    assert normalise("Jl.  Imam\u00a0 Bonjol") in {"Jl. Imam Bonjol", "Jl. Imam\u00a0Bonjol"}
    assert normalise("a" + " " * 300 + "b") == "a b"  # the length counts after collapsing


def test_text_length_limits() -> None:
    assert v.text()("x" * 200) == "x" * 200
    rejects(v.text(), "x" * 201, "text_too_long")
    assert v.text(40)("y" * 40) == "y" * 40
    rejects(v.text(40), "y" * 41, "text_too_long")
    assert v.text(100)("z" * 100) == "z" * 100
    rejects(v.text(100), "z" * 101, "text_too_long")


@pytest.mark.parametrize("raw", ["Budi\x00Santoso", "Budi\x07", "\x1bBudi", "Budi\x7fSantoso", "ab\x0ccd"])
def test_text_rejects_control_characters(raw: str) -> None:
    rejects(v.text(), raw, "text_control_char")


@pytest.mark.parametrize(
    "raw",
    ["=SUM(A1:A3)", "+6281234", "-2+3", "@SUM(A1)", "  =HYPERLINK(1)", "=1+1", "-", "@"],
)
def test_text_rejects_formula_prefixes(raw: str) -> None:
    rejects(v.text(), raw, "text_formula")


def test_text_allows_formula_characters_inside() -> None:
    assert v.text()("PT A-Z = B @ Kisaran") == "PT A-Z = B @ Kisaran"


def test_text_accepts_excel_numbers_as_text() -> None:
    assert v.text(20)(2025) == "2025"
    assert v.text(20)(2025.0) == "2025"


# ------------------------------------------------------------------------------------------- enum


def test_enum_is_case_insensitive_and_reads_spaces_and_dashes_as_underscore() -> None:
    normalise = v.enum("TERDAFTAR", "SUDAH_BEKERJA", "KEDALUWARSA", "DIHAPUS")
    for raw in ["SUDAH_BEKERJA", "sudah_bekerja", "Sudah Bekerja", "sudah-bekerja", " SUDAH BEKERJA "]:
        assert normalise(raw) == "SUDAH_BEKERJA"
    assert normalise("terdaftar") == "TERDAFTAR"
    assert v.enum("LOKAL", "ANTAR_DAERAH", "LUAR_NEGERI")("Antar-Daerah") == "ANTAR_DAERAH"
    assert v.enum("LOKAL", "ANTAR_DAERAH", "LUAR_NEGERI")("luar negeri") == "LUAR_NEGERI"


@pytest.mark.parametrize("raw", ["PENSIUN", "sudahbekerja", "AKTIF", "TERDAFTAR X"])
def test_enum_rejects_unknown(raw: str) -> None:
    rejects(v.enum("TERDAFTAR", "SUDAH_BEKERJA", "KEDALUWARSA", "DIHAPUS"), raw, "enum_invalid")


# -------------------------------------------------------------------------------------------- NIK

NIK_MAN = "1209011708900001"  # Asahan, born 17-08-1990, man
NIK_WOMAN = "1209015708900001"  # same date, day + 40


@pytest.mark.parametrize(
    "raw",
    [
        NIK_MAN,
        " 1209011708900001 ",
        "1209 0117 0890 0001",
        "1209.0117.0890.0001",
        "12.09.01.170890.0001",
        "1209-0117-0890-0001",
        1209011708900001,
        1209011708900001.0,
    ],
)
def test_nik_accepts_separators_and_excel_numbers(raw: object) -> None:
    assert v.nik(raw) == NIK_MAN


def test_nik_accepts_women_and_other_provinces() -> None:
    assert v.nik(NIK_WOMAN) == NIK_WOMAN
    assert v.nik("3171011708450001") == "3171011708450001"  # stdnum's own example (Jakarta)
    assert v.nik("3171012902001234") == "3171012902001234"  # 29-02-2000


@pytest.mark.parametrize(
    "raw",
    [
        "120901170890001",  # 15 digits
        "12090117089000011",  # 17 digits
        "12090117089000AB",
        "1209013208900001",  # day 32
        "1209010008900001",  # day 00
        "1209011713900001",  # month 13
        "1209017208900001",  # day 72 - 40 = 32
        "9971011708450001",  # unknown province (stdnum's example)
        "NIK tidak ada",
        12345,
    ],
)
def test_nik_rejects(raw: object) -> None:
    rejects(v.nik, raw, "nik_invalid")


# -------------------------------------------------------------------------------------------- NIB


@pytest.mark.parametrize("raw", ["1234567890123", " 1234567890123 ", 1234567890123, 1234567890123.0])
def test_nib_accepts_13_digits(raw: object) -> None:
    assert v.nib(raw) == "1234567890123"


@pytest.mark.parametrize("raw", ["123456789012", "12345678901234", "12345678901AB", "NIB-BELUM-ADA"])
def test_nib_rejects(raw: str) -> None:
    rejects(v.nib, raw, "nib_invalid")


# ------------------------------------------------------------------------------------------- NPWP


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01.312.166.0-091.000", "0013121660091000"),  # stdnum doctest, old 15-digit form
        ("013121660091000", "0013121660091000"),
        ("016090524017000", "0016090524017000"),  # stdnum doctest
        ("0013121660091000", "0013121660091000"),  # 16-digit form stays
        ("0013 1216 6009 1000", "0013121660091000"),
        ("1209011708900001", "1209011708900001"),  # since 2024 a NIK is a 16-digit NPWP
    ],
)
def test_npwp_accepts_and_stores_16_digits(raw: str, expected: str) -> None:
    assert v.npwp(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "01.312.166.1-091.000",  # wrong check digit
        "013121661091000",
        "0013121661091000",
        "123456789",
        "01.312.166.0-091.00A",
        "12345678901234567",
    ],
)
def test_npwp_rejects(raw: str) -> None:
    rejects(v.npwp, raw, "npwp_invalid")


# ------------------------------------------------------------------------------------------- KBJI


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2512", "2512"), (" 2512 ", "2512"), ("2512.01", "2512.01"), (2512, "2512"), ("0110", "0110")],
)
def test_kbji_accepts(raw: object, expected: str) -> None:
    assert v.kbji(raw) == expected


@pytest.mark.parametrize("raw", ["251", "25123", "2512.1", "2512.012", "2512-01", "ABCD", "2512.AB"])
def test_kbji_rejects(raw: str) -> None:
    rejects(v.kbji, raw, "kbji_invalid")


# ------------------------------------------------------------------------------------------- KBLI


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("47111", ["47111"]),
        ("47111;01262", ["47111", "01262"]),
        ("47111,01262", ["47111", "01262"]),
        ("47111; 01262 ; 10431", ["47111", "01262", "10431"]),
        ("47111, 01262", ["47111", "01262"]),
        (47111, ["47111"]),
        (1262, ["01262"]),  # a numeric cell loses the leading zero
        (1262.0, ["01262"]),
    ],
)
def test_kbli_accepts_lists(raw: object, expected: list[str]) -> None:
    assert v.kbli_list(raw) == expected


@pytest.mark.parametrize("raw", ["4711", "471112", "47111;4711", "47111/01262", "ABCDE", 123456])
def test_kbli_rejects(raw: object) -> None:
    rejects(v.kbli_list, raw, "kbli_invalid")


# ----------------------------------------------------------------------------------- kode wilayah

DESA_ASAHAN = "12.09.08.2002"  # Meranti, Kecamatan Meranti, Kabupaten Asahan
KECAMATAN_ASAHAN = "12.09.08"
DESA_MEDAN = "12.71.01.1001"  # Pasar Baru, Medan Kota
DESA_ACEH = "11.01.01.2001"  # Keude Bakongan, Aceh Selatan


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (DESA_ASAHAN, DESA_ASAHAN),
        ("1209082002", DESA_ASAHAN),
        (" 12.09.08.2002 ", DESA_ASAHAN),
        (1209082002, DESA_ASAHAN),  # a numeric Excel cell
        ("12.09.19.1001", "12.09.19.1001"),  # the example of domains.md
        ("1209191001", "12.09.19.1001"),
    ],
)
def test_kode_wilayah_desa_within_region_accepts_dotted_and_compact(raw: object, expected: str) -> None:
    normalise = v.kode_wilayah("desa_kelurahan", within_region=True)
    assert normalise(raw, ctx()) == expected


def test_kode_wilayah_levels() -> None:
    kec_or_desa = v.kode_wilayah("kecamatan", "desa_kelurahan", within_region=True)
    assert kec_or_desa(KECAMATAN_ASAHAN, ctx()) == KECAMATAN_ASAHAN
    assert kec_or_desa("120908", ctx()) == KECAMATAN_ASAHAN
    assert kec_or_desa(DESA_ASAHAN, ctx()) == DESA_ASAHAN
    rejects(kec_or_desa, "12.09", "kode_wilayah_level", ctx())
    rejects(
        v.kode_wilayah("desa_kelurahan", within_region=True), KECAMATAN_ASAHAN, "kode_wilayah_level", ctx()
    )
    kab_or_kec = v.kode_wilayah("kabupaten_kota", "kecamatan", within_region=True)
    assert kab_or_kec("12.09", ctx()) == "12.09"
    assert kab_or_kec("1209", ctx()) == "12.09"
    rejects(kab_or_kec, DESA_ASAHAN, "kode_wilayah_level", ctx())


@pytest.mark.parametrize("raw", [DESA_MEDAN, "1271011001", DESA_ACEH])
def test_kode_wilayah_outside_region(raw: str) -> None:
    rejects(v.kode_wilayah("desa_kelurahan", within_region=True), raw, "kode_wilayah_outside_region", ctx())


def test_kode_wilayah_region_comes_from_context() -> None:
    normalise = v.kode_wilayah("desa_kelurahan", within_region=True)
    assert normalise(DESA_MEDAN, ctx(region="12.71")) == DESA_MEDAN
    rejects(normalise, DESA_ASAHAN, "kode_wilayah_outside_region", ctx(region="12.71"))


def test_kode_wilayah_default_region_is_asahan() -> None:
    normalise = v.kode_wilayah("desa_kelurahan", within_region=True)
    assert normalise(DESA_ASAHAN, SimpleNamespace(context={"today": TODAY})) == DESA_ASAHAN
    rejects(normalise, DESA_MEDAN, "kode_wilayah_outside_region", SimpleNamespace(context={"today": TODAY}))


def test_kode_wilayah_any_level_anywhere() -> None:
    anywhere = v.kode_wilayah()
    for code in [DESA_MEDAN, DESA_ACEH, "12", "11.01", "12.09", KECAMATAN_ASAHAN, DESA_ASAHAN]:
        assert anywhere(code, ctx()) == code
    assert anywhere("1101012001", ctx()) == DESA_ACEH


@pytest.mark.parametrize("raw", ["12.09.08.9999", "1209089999", "12.09.99", "99", "12.99"])
def test_kode_wilayah_unknown(raw: str) -> None:
    rejects(v.kode_wilayah(), raw, "kode_wilayah_unknown", ctx())


@pytest.mark.parametrize("raw", ["12.9.8", "12-09-08", "12090820", "Asahan", "12.09.08.20021", "1209.08"])
def test_kode_wilayah_malformed(raw: str) -> None:
    rejects(v.kode_wilayah(), raw, "kode_wilayah_invalid", ctx())


# ----------------------------------------------------------------------------- blank handling


def test_required_and_optional_wrappers_treat_blank_cells() -> None:
    # The wrappers are BeforeValidators; their function is reachable as `.func`.
    required = v.required(v.nik).func
    optional = v.optional(v.nik).func
    for blank in ["", "   ", None]:
        with pytest.raises(PydanticCustomError) as caught:
            required(blank, None)
        assert caught.value.type == "value_required"
        assert optional(blank, None) is None
