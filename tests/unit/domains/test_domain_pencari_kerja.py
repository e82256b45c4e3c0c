"""pencari_kerja (domains.md, "### pencari_kerja"): a registered job seeker."""

from __future__ import annotations

import datetime as dt

import pytest

from sikas_sync.domains.pencari_kerja import PencariKerja

NIK_MAN = "1209011708900001"  # born 17-08-1990, man
NIK_WOMAN = "1209015708900001"  # born 17-08-1990, woman (day + 40)


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "nik": NIK_MAN,
        "nama": "  Budi   Santoso ",
        "tempat_lahir": "Kisaran",
        "tanggal_lahir": "17/08/1990",
        "jenis_kelamin": "Laki-laki",
        "pendidikan": "SLTA",
        "jurusan": "IPA",
        "kode_wilayah": "1209082002",
        "alamat": "Jl. Imam Bonjol No. 5",
        "no_hp": "0812-3456-7890",
        "email": "Budi.Santoso@Example.CO.ID",
        "kbji_diminati": "8160.01",
        "tanggal_daftar": "20 Maret 2025",
    }
    base.update(changes)
    return base


def test_valid_row_gives_the_stored_form(validate) -> None:
    record = validate(PencariKerja, row())
    assert record.nik == NIK_MAN
    assert record.nama == "Budi Santoso"
    assert record.tempat_lahir == "Kisaran"
    assert record.tanggal_lahir == dt.date(1990, 8, 17)
    assert record.jenis_kelamin == "L"
    assert record.pendidikan == "SMA"
    assert record.kode_wilayah == "12.09.08.2002"
    assert record.no_hp == "+6281234567890"
    assert record.email == "budi.santoso@example.co.id"
    assert record.kbji_diminati == "8160.01"
    assert record.tanggal_daftar == dt.date(2025, 3, 20)
    assert record.status == "TERDAFTAR"


def test_status_defaults_to_terdaftar_when_the_column_is_absent(validate) -> None:
    assert "status" not in row()
    assert validate(PencariKerja, row()).status == "TERDAFTAR"


@pytest.mark.parametrize("blank", ["", "  ", None])
def test_status_defaults_to_terdaftar_when_the_cell_is_blank(validate, blank: object) -> None:
    assert validate(PencariKerja, row(status=blank)).status == "TERDAFTAR"


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("nik", "120901170890000", "nik_invalid"),
        ("nik", "12090117089000012", "nik_invalid"),
        ("nik", "1209011713900001", "nik_invalid"),  # month 13
        ("nik", "9909011708900001", "nik_invalid"),  # 99 is no province
        ("nik", "1209018108900001", "nik_invalid"),  # day 81: beyond 31 + 40
        ("nik", "1209011708900000", "nik_invalid"),  # serial 0000
        ("nik", "1.20919E+15", "nik_scientific_notation"),
        ("nik", "", "value_required"),
        ("nama", "=Budi", "text_formula"),
        ("nama", "B" * 101, "text_too_long"),
        ("nama", "Budi\x00", "text_control_char"),
        ("tempat_lahir", "+Kisaran", "text_formula"),
        ("tanggal_lahir", "31/02/1990", "date_invalid"),
        ("tanggal_lahir", "", "value_required"),
        ("jenis_kelamin", "X", "jenis_kelamin_invalid"),
        ("pendidikan", "SMK Plus", "pendidikan_invalid"),
        ("pendidikan", "SEDERAJAT", "pendidikan_invalid"),
        ("pendidikan", "-", "value_required"),
        ("kode_wilayah", "12.09.08", "kode_wilayah_level"),
        ("kode_wilayah", "12.09.99.9999", "kode_wilayah_unknown"),
        ("kode_wilayah", "12-09", "kode_wilayah_invalid"),
        ("no_hp", "0212345678", "no_hp_invalid"),
        ("email", "budi@", "email_invalid"),
        ("kbji_diminati", "816", "kbji_invalid"),
        ("tanggal_daftar", "2026-11-29", "date_in_future"),
        ("status", "AKTIF", "enum_invalid"),
    ],
)
def test_each_field_rule_reports_its_column_and_code(errors, column: str, value: object, code: str) -> None:
    assert (column, code) in errors(PencariKerja, row(**{column: value}))


@pytest.mark.parametrize(
    "column",
    ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "pendidikan", "kode_wilayah", "tanggal_daftar"],
)
def test_missing_required_column_value(errors, column: str) -> None:
    raw = row()
    del raw[column]
    assert (column, "value_required") in errors(PencariKerja, raw)


@pytest.mark.parametrize("column", ["tempat_lahir", "jurusan", "alamat", "no_hp", "email", "kbji_diminati"])
def test_blank_optional_columns_become_none(validate, column: str) -> None:
    assert getattr(validate(PencariKerja, row(**{column: " "})), column) is None


def test_region_follows_the_context(validate, warnings) -> None:
    medan = {"today": dt.date(2026, 11, 28), "region_code": "12.71"}
    assert validate(PencariKerja, row(kode_wilayah="12.71.01.1001"), medan).kode_wilayah == "12.71.01.1001"
    assert warnings(PencariKerja, row(kode_wilayah="12.71.01.1001"), medan) == set()
    assert warnings(PencariKerja, row(), medan) == {("kode_wilayah", "kode_wilayah_outside_region")}


@pytest.mark.parametrize(
    "desa",
    [
        "12.72.01.1001",  # Kota Tanjungbalai, the enclave inside Asahan
        "1271011001",  # Medan
        "31.71.01.1001",  # Jakarta
    ],
)
def test_a_desa_outside_the_region_is_stored_with_a_warning(validate, warnings, desa: str) -> None:
    assert validate(PencariKerja, row(kode_wilayah=desa)).kode_wilayah.replace(".", "") == desa.replace(
        ".", ""
    )
    assert warnings(PencariKerja, row(kode_wilayah=desa)) == {("kode_wilayah", "kode_wilayah_outside_region")}


def test_a_desa_inside_the_region_warns_nothing(warnings) -> None:
    assert warnings(PencariKerja, row()) == set()


def test_nik_region_prefix_need_not_be_inside_the_region(validate) -> None:
    # People move: a Jakarta NIK living in Asahan is fine.
    record = validate(PencariKerja, row(nik="3171011708900001"))
    assert record.nik == "3171011708900001"


# ------------------------------------------------------------------------------ NIK agreement


# domains.md v2: a NIK that disagrees with the row's birth date or sex is a warning, not an error.


def test_woman_nik_day_plus_40(validate, warnings) -> None:
    assert validate(PencariKerja, row(nik=NIK_WOMAN, jenis_kelamin="P")).jenis_kelamin == "P"
    assert warnings(PencariKerja, row(nik=NIK_WOMAN, jenis_kelamin="Pr")) == set()
    assert warnings(PencariKerja, row(nik=NIK_WOMAN, jenis_kelamin="L")) == {
        ("jenis_kelamin", "nik_sex_mismatch")
    }


def test_man_nik_with_woman_sex_is_stored_with_a_warning(validate, warnings) -> None:
    assert validate(PencariKerja, row(jenis_kelamin="Perempuan")).jenis_kelamin == "P"
    assert warnings(PencariKerja, row(jenis_kelamin="Perempuan")) == {("jenis_kelamin", "nik_sex_mismatch")}


@pytest.mark.parametrize("birth", ["18/08/1990", "17/09/1990", "17/08/1991", "17/08/1980"])
def test_a_birth_date_unlike_the_nik_is_stored_with_a_warning(validate, warnings, birth: str) -> None:
    # Dukcapil corrects a birth date without a new NIK: the row is right, the NIK keeps the old date.
    assert validate(PencariKerja, row(tanggal_lahir=birth)).tanggal_lahir.isoformat()[:4] in (
        "1990",
        "1991",
        "1980",
    )
    assert warnings(PencariKerja, row(tanggal_lahir=birth)) == {("tanggal_lahir", "nik_birth_date_mismatch")}


def test_the_same_date_in_another_century_agrees(warnings) -> None:
    # The NIK holds two digits of the year: 17-08-90 is the same for 1890 and 1990.
    assert warnings(PencariKerja, row(tanggal_lahir="17/08/1990")) == set()


def test_sex_and_birth_mismatch_both_warned(warnings) -> None:
    found = warnings(PencariKerja, row(nik=NIK_WOMAN, jenis_kelamin="L", tanggal_lahir="18/08/1990"))
    assert found == {("jenis_kelamin", "nik_sex_mismatch"), ("tanggal_lahir", "nik_birth_date_mismatch")}


def test_a_mismatch_is_no_error_beside_a_real_one(errors) -> None:
    found = errors(PencariKerja, row(jenis_kelamin="P", tanggal_lahir="18/08/1990", email="budi@"))
    assert found == {("email", "email_invalid")}


def test_nik_of_a_2000s_birth(validate) -> None:
    record = validate(
        PencariKerja,
        row(nik="1209012902080001", tanggal_lahir="29 Februari 2008", tanggal_daftar="2026-11-28"),
    )
    assert record.tanggal_lahir == dt.date(2008, 2, 29)


# --------------------------------------------------------------------------------- age and dates

NIK_2010 = "1209012811100001"  # born 28-11-2010, man


def test_age_exactly_15_on_tanggal_daftar_is_accepted(validate) -> None:
    record = validate(
        PencariKerja, row(nik=NIK_2010, tanggal_lahir="2010-11-28", tanggal_daftar="2025-11-28")
    )
    assert record.tanggal_daftar == dt.date(2025, 11, 28)


def test_age_one_day_short_of_15_is_rejected(errors) -> None:
    found = errors(PencariKerja, row(nik=NIK_2010, tanggal_lahir="2010-11-28", tanggal_daftar="2025-11-27"))
    codes = {code for _, code in found}
    assert codes == {"age_below_minimum"}
    assert found <= {("tanggal_lahir", "age_below_minimum"), ("tanggal_daftar", "age_below_minimum")}


def test_tanggal_daftar_today_is_accepted(validate) -> None:
    assert validate(PencariKerja, row(tanggal_daftar="28/11/2026")).tanggal_daftar == dt.date(2026, 11, 28)


def test_tanggal_daftar_not_in_future_uses_context_today(validate) -> None:
    later = {"today": dt.date(2026, 12, 31), "region_code": "12.09"}
    assert validate(PencariKerja, row(tanggal_daftar="2026-12-31"), later).tanggal_daftar == dt.date(
        2026, 12, 31
    )


def test_tanggal_daftar_before_tanggal_lahir_is_rejected(errors) -> None:
    found = errors(PencariKerja, row(tanggal_daftar="16/08/1990"))
    assert ("tanggal_daftar", "date_before_other") in found


def test_several_independent_field_errors_are_all_reported(issues) -> None:
    found = issues(
        PencariKerja,
        row(
            nama="=cmd",
            pendidikan="Universitas",
            kode_wilayah="12.09.99.9999",
            no_hp="12345",
            email="budi@",
            tanggal_daftar="2027-01-01",
        ),
    )
    assert {(i.column, i.code) for i in found} == {
        ("nama", "text_formula"),
        ("pendidikan", "pendidikan_invalid"),
        ("kode_wilayah", "kode_wilayah_unknown"),
        ("no_hp", "no_hp_invalid"),
        ("email", "email_invalid"),
        ("tanggal_daftar", "date_in_future"),
    }


def test_field_error_and_cross_field_error_reported_together(errors) -> None:
    found = errors(PencariKerja, row(email="budi@", tanggal_daftar="16/08/1990"))
    assert found == {("email", "email_invalid"), ("tanggal_daftar", "date_before_other")}


def test_messages_never_hold_the_nik(issues) -> None:
    found = issues(PencariKerja, row(nik="1209011708900002", jenis_kelamin="P", tanggal_lahir="31/02/1990"))
    for issue in found:
        assert "1209011708900002" not in issue.message
        assert "120901170890" not in issue.message


# ------------------------------------------------------------------------- office spellings (v2)


def test_a_row_as_an_office_types_it(validate, warnings) -> None:
    raw = row(
        nik="1209 0157 0890 0001",  # a woman's NIK, typed in groups
        nama="SITI AMINAH",
        tanggal_lahir="17 Agt 1990",
        jenis_kelamin="Pr",
        pendidikan="AKADEMI/DIPLOMA III/S. MUDA",
        jurusan="-",
        alamat="- tidak ada -",
        no_hp="+62 (0) 812-3456-7890",
        email="tidak ada",
        kbji_diminati="N/A",
        tanggal_daftar="03/01/2025 0:00",
        status="-",
    )
    record = validate(PencariKerja, raw)
    assert (record.nik, record.tanggal_lahir, record.jenis_kelamin) == (NIK_WOMAN, dt.date(1990, 8, 17), "P")
    assert (record.pendidikan, record.no_hp, record.tanggal_daftar) == (
        "D3",
        "+6281234567890",
        dt.date(2025, 1, 3),
    )
    assert (record.jurusan, record.alamat, record.email, record.kbji_diminati) == (None, None, None, None)
    assert record.status == "TERDAFTAR"  # a placeholder takes the default, as a blank cell does
    assert warnings(PencariKerja, raw) == set()


@pytest.mark.parametrize(
    "nik",
    [
        "6501011708900001",  # Kalimantan Utara (2012): unknown to python-stdnum
        "9601015708900001",  # Papua Barat Daya (2022)
        "9301011708900001",  # Papua Selatan (2022)
        "1209071708900001",  # Asahan's kecamatan 12.09.07, moved to Batu Bara in 2007
        "1272011708900001",  # Kota Tanjungbalai
    ],
)
def test_a_nik_valid_by_its_structure_is_accepted_wherever_it_was_issued(validate, nik: str) -> None:
    sex = "P" if int(nik[6:8]) > 40 else "L"
    assert validate(PencariKerja, row(nik=nik, jenis_kelamin=sex)).nik == nik


def test_a_nik_from_a_number_cell_ending_in_0_is_stored_with_a_warning(validate, warnings) -> None:
    # Excel keeps 15 significant digits: a NIK typed into a number cell loses its 16th to a 0.
    cell = 1209011708900010
    assert validate(PencariKerja, row(nik=cell)).nik == "1209011708900010"
    assert warnings(PencariKerja, row(nik=cell)) == {("nik", "nik_number_cell")}
    assert warnings(PencariKerja, row(nik=float(cell))) == {("nik", "nik_number_cell")}
    assert warnings(PencariKerja, row(nik="1209011708900010")) == set()  # text keeps every digit
    assert warnings(PencariKerja, row(nik=1209011708900011)) == set()  # not Excel's rounding


def test_a_row_of_placeholders_misses_every_required_column(errors) -> None:
    found = errors(PencariKerja, dict.fromkeys(row(), "-"))
    required = ("nik", "nama", "tanggal_lahir", "jenis_kelamin", "pendidikan", "kode_wilayah")
    assert found == {(column, "value_required") for column in (*required, "tanggal_daftar")}
