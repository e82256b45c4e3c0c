import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sikas_sync.domains import get_domain
from sikas_sync.validation.canonical import canonical_json, content_hash, record_data

json_scalars = st.one_of(st.text(max_size=30), st.integers(-(10**12), 10**12), st.booleans())
record_dicts = st.dictionaries(st.text(min_size=1, max_size=12), json_scalars, max_size=12)


@given(record_dicts)
def test_hash_does_not_depend_on_key_order(data: dict[str, object]) -> None:
    reversed_data = dict(reversed(list(data.items())))
    assert content_hash(data) == content_hash(reversed_data)


@given(record_dicts, st.text(min_size=1, max_size=12), json_scalars)
def test_any_change_of_a_value_changes_the_hash(data: dict[str, object], key: str, value: object) -> None:
    changed = {**data, key: value}
    if changed != data:
        assert content_hash(changed) != content_hash(data)


def test_canonical_form_is_compact_sorted_utf8() -> None:
    assert canonical_json({"nama": "Dewi Sartika", "alamat": "Jl. Ahmad Yani", "x": 1}) == (
        b'{"alamat":"Jl. Ahmad Yani","nama":"Dewi Sartika","x":1}'
    )
    assert canonical_json({"kota": "Tanjungbalai Ü"}) == '{"kota":"Tanjungbalai Ü"}'.encode()


def test_known_record_has_a_fixed_hash_on_every_machine() -> None:
    model = get_domain("lowongan").model.model_validate(
        {
            "id_lowongan": "LWG-0001",
            "nib_pemberi_kerja": "9120001234567",
            "jabatan": "Operator  Produksi ",
            "kbji": "8160",
            "jumlah_kebutuhan": "1.200",
            "pendidikan_minimal": "slta",
            "upah_min": "Rp 3.500.000",
            "kode_wilayah_kerja": "1209",
            "tanggal_mulai": "1 Maret 2025",
            "tanggal_berakhir": "31/05/2025",
        },
        context={"today": dt.date(2026, 11, 28), "region_code": "12.09"},
    )
    data = record_data(model)
    assert data == {
        "id_lowongan": "LWG-0001",
        "nib_pemberi_kerja": "9120001234567",
        "jabatan": "Operator Produksi",
        "kbji": "8160",
        "jumlah_kebutuhan": 1200,
        "pendidikan_minimal": "SMA",
        "upah_min": 3500000,
        "kode_wilayah_kerja": "12.09",
        "tanggal_mulai": "2025-03-01",
        "tanggal_berakhir": "2025-05-31",
        "status": "AKTIF",
    }
    # sha256 of the canonical JSON written out by hand: sorted keys, no spaces, UTF-8.
    assert content_hash(data) == "225832e41c5b2ddf90e80624f55b663da873ea180611e99e4b603f4e26c13d0c"


def test_absent_optional_values_do_not_change_the_hash() -> None:
    assert content_hash({"a": 1}) == content_hash(record_data_from({"a": 1, "b": None}))


def record_data_from(values: dict[str, object]) -> dict[str, object]:
    class Plain:
        pass

    holder = Plain()
    holder.__dict__.update(values)
    return record_data(holder)  # type: ignore[arg-type]
