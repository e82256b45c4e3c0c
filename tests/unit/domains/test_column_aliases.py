"""Every header alias reaches its field, as an office would type it; none hides a field."""

from __future__ import annotations

import pytest

from sikas_sync.domains import DOMAINS, Domain, get_domain
from sikas_sync.domains.columns import SHARED_ALIASES, accepted_columns, aliases_of, normalise_header
from sikas_sync.validation.headers import map_header

EVERY_ALIAS = [
    pytest.param(domain, alias, field, id=f"{domain.slug}:{alias}")
    for domain in DOMAINS
    for alias, field in aliases_of(domain).items()
]


def _as_typed(alias: str) -> str:
    """`nib_perusahaan` as an office header: `NIB Perusahaan`."""
    return " ".join(part.capitalize() for part in alias.split("_"))


@pytest.mark.parametrize(("domain", "alias", "field"), EVERY_ALIAS)
def test_every_alias_maps_its_header_to_its_field(domain: Domain, alias: str, field: str) -> None:
    others = [name for name in domain.fields if name != field]
    mapped = dict(map_header([_as_typed(alias), *others], domain).positions)
    assert mapped[field] == 0
    assert alias not in domain.fields  # an alias never stands for another field's own name


@pytest.mark.parametrize(
    ("slug", "header", "field"),
    [
        ("lowongan", "NIB Perusahaan", "nib_pemberi_kerja"),
        ("lowongan", "Nama Jabatan", "jabatan"),
        ("lowongan", "Gaji Min", "upah_min"),
        ("lowongan", "Gaji Maks", "upah_max"),
        ("pelatihan", "Kehadiran (%)", "persen_kehadiran"),
        ("pencari_kerja", "No. KTP", "nik"),
        ("pencari_kerja", "Tgl. Lahir", "tanggal_lahir"),
        ("pemberi_kerja", "NIB Perusahaan", "nib"),
        ("wlkp", "WNI (L)", "tk_wni_l"),
    ],
)
def test_the_headers_offices_write_are_recognised(slug: str, header: str, field: str) -> None:
    domain = get_domain(slug)
    others = [name for name in domain.fields if name != field]
    assert dict(map_header([header, *others], domain).positions)[field] == 0


def test_shared_aliases_apply_only_where_their_field_exists() -> None:
    wlkp = get_domain("wlkp")
    assert "no_ktp" not in aliases_of(wlkp)  # wlkp has no NIK
    assert aliases_of(get_domain("pencari_kerja"))["no_ktp"] == "nik"
    assert set(SHARED_ALIASES.values()) - {f for d in DOMAINS for f in d.fields} == set()


def test_accepted_columns_list_every_field_in_order_with_its_aliases() -> None:
    domain = get_domain("lowongan")
    columns = accepted_columns(domain)
    assert [c.field for c in columns] == list(domain.fields)
    upah_max = next(c for c in columns if c.field == "upah_max")
    assert not upah_max.required
    assert {"gaji_maks", "gaji_max", "upah_maksimal"} <= set(upah_max.aliases)
    kode = next(c for c in columns if c.field == "kode_wilayah_kerja")
    assert (kode.required, kode.from_place_names) == (True, True)


@pytest.mark.parametrize(
    ("raw", "key"),
    [("Kehadiran (%)", "kehadiran"), ("No. KTP", "no_ktp"), ("WNI (L)", "wni_l"), ("\ufeffNIK ", "nik")],
)
def test_headers_are_normalised_to_letters_digits_and_underscores(raw: str, key: str) -> None:
    assert normalise_header(raw) == key
