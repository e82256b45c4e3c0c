import pytest

from sikas_sync.domains import get_domain
from sikas_sync.errors import FileRejected
from sikas_sync.validation.headers import map_header, normalise_header

PENCARI_KERJA = get_domain("pencari_kerja")
REQUIRED = ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "pendidikan", "kode_wilayah", "tanggal_daftar"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NIK", "nik"),
        ("  Tanggal Lahir ", "tanggal_lahir"),
        ("tanggal.lahir", "tanggal_lahir"),
        ("Tanggal-Lahir", "tanggal_lahir"),
        ("L/P", "l_p"),
        ("\ufeffnik", "nik"),
        ("Kode   Wilayah", "kode_wilayah"),
    ],
)
def test_header_names_are_normalised(raw: str, expected: str) -> None:
    assert normalise_header(raw) == expected


def test_aliases_map_common_sikas_headers_to_fields() -> None:
    header = [
        "No KTP",
        "Nama Lengkap",
        "Tgl Lahir",
        "L/P",
        "Pendidikan Terakhir",
        "Kode Wilayah",
        "Tanggal Daftar",
    ]
    mapped = dict(map_header(header, PENCARI_KERJA).positions)
    assert mapped == {
        "nik": 0,
        "nama": 1,
        "tanggal_lahir": 2,
        "jenis_kelamin": 3,
        "pendidikan": 4,
        "kode_wilayah": 5,
        "tanggal_daftar": 6,
    }


def test_unknown_columns_are_listed_as_ignored_not_used() -> None:
    columns = map_header([*REQUIRED, "Catatan Petugas", ""], PENCARI_KERJA)
    assert columns.ignored == ("Catatan Petugas",)
    assert "catatan_petugas" not in dict(columns.positions)


def test_missing_required_columns_reject_the_file_naming_each_one() -> None:
    with pytest.raises(FileRejected) as caught:
        map_header(["nik", "nama", "jenis_kelamin"], PENCARI_KERJA)
    assert caught.value.code == "header_missing_columns"
    for column in ("tanggal_lahir", "pendidikan", "kode_wilayah", "tanggal_daftar"):
        assert column in caught.value.message


def test_two_columns_feeding_one_field_reject_the_file() -> None:
    with pytest.raises(FileRejected) as caught:
        map_header([*REQUIRED, "No KTP"], PENCARI_KERJA)
    assert caught.value.code == "header_duplicate_column"


def test_alias_only_applies_to_domains_that_have_the_field() -> None:
    wlkp = get_domain("wlkp")
    columns = map_header(
        ["nomor_wlkp", "nib", "tahun_lapor", "tk_wni_l", "tk_wni_p", "tk_wna_l", "tk_wna_p", "No KTP"], wlkp
    )
    assert columns.ignored == ("No KTP",)
