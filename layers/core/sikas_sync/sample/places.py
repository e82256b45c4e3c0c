"""Real Kemendagri codes around the configured region, looked up once per region code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..domains.vocabulary import NIK_PROVINCES
from ..reference import wilayah

# Provinces people commonly move to Asahan from: Aceh, West Sumatra, Riau, Jakarta, Java.
MIGRATION_PROVINCES = ("11", "13", "14", "31", "32", "33", "35")
FAR_PREFIXES_PER_PROVINCE = 3  # a few kecamatan of every other province, Papua's and Kaltara's too
# Kota Tanjungbalai (an enclave inside Asahan) and Kota Medan: where Asahan's job seekers also live.
AWAY_CITIES = ("12.74", "12.71")
# Kecamatan that left a region but live on in the NIKs issued before (a NIK is never reissued):
# Asahan's 12.09.01-07 became Kabupaten Batu Bara in 2007 and are no longer in Kemendagri's table.
RETIRED_NIK_PREFIXES: dict[str, tuple[str, ...]] = {
    "12.09": ("120901", "120902", "120903", "120904", "120905", "120906", "120907"),
}


@dataclass(frozen=True, slots=True, eq=False)  # identity hash: one instance per region (places_for)
class Places:
    region: str
    region_level: wilayah.Level
    desa: tuple[wilayah.Wilayah, ...]  # desa/kelurahan within the region
    kecamatan: tuple[str, ...]  # kecamatan codes within the region
    aggregates: tuple[str, ...]  # kabupaten/kota and kecamatan codes within the region
    elsewhere: tuple[str, ...]  # work places outside the region (Medan and the like)
    away_desa: tuple[str, ...]  # desa outside the region where its people also live (Tanjungbalai, Medan)
    nik_home: tuple[str, ...]  # 6-digit NIK prefixes of kecamatan within the region
    nik_retired: tuple[str, ...]  # prefixes of kecamatan the region had when older NIKs were issued
    nik_province: tuple[str, ...]  # the rest of the region's province
    nik_migrant: tuple[str, ...]  # the provinces people move from most
    nik_far: tuple[str, ...]  # every other Kemendagri province

    def outside(self, level: wilayah.Level) -> str:
        """A real code of `level` that is not within the region (another kabupaten's)."""
        return _outside(self.region, level)

    def unknown(self) -> str:
        """A well-formed desa code inside the region that Kemendagri never issued."""
        kecamatan = self.kecamatan[0]
        for number in range(9999, 1000, -1):
            code = f"{kecamatan}.{number}"
            if wilayah.lookup(code) is None:
                return code
        raise LookupError("no free desa number")  # pragma: no cover - 9,000 desa in one kecamatan


def _within(region: str, level: wilayah.Level) -> list[wilayah.Wilayah]:
    found = wilayah.lookup(region)
    if found is not None and found.tingkat == level:
        return [found]
    return sorted(wilayah.children(region, level), key=lambda w: w.kode)


def _nik_prefixes(codes: list[wilayah.Wilayah]) -> tuple[str, ...]:
    # Every kecamatan code is a NIK prefix: the NIK rule checks the province, not a place list.
    return tuple(w.kode.replace(".", "") for w in codes)


def _retired(region: str) -> tuple[str, ...]:
    compact = region.replace(".", "")
    return tuple(p for prefixes in RETIRED_NIK_PREFIXES.values() for p in prefixes if p.startswith(compact))


@lru_cache(maxsize=8)
def _outside(region: str, level: wilayah.Level) -> str:
    province = region[:2]
    for parent in (province, *MIGRATION_PROVINCES, "12"):
        for place in sorted(wilayah.children(parent, level), key=lambda w: w.kode):
            if not wilayah.is_within(place.kode, region):
                return place.kode
    raise LookupError(f"no {level} outside {region}")


@lru_cache(maxsize=8)
def places_for(region: str) -> Places:
    found = wilayah.lookup(region)
    if found is None or found.tingkat == "desa_kelurahan":
        raise ValueError(f"region_code {region!r} must be a Kemendagri provinsi, kabupaten/kota or kecamatan")
    desa = _within(region, "desa_kelurahan")
    kecamatan = _within(region, "kecamatan")
    kabupaten = [w for w in _within(region, "kabupaten_kota") if found.tingkat != "kecamatan"]
    province = region[:2]
    home = _nik_prefixes(kecamatan)
    rest = [w for w in wilayah.children(province, "kecamatan") if not wilayah.is_within(w.kode, region)]
    migrant = [w for p in MIGRATION_PROVINCES if p != province for w in wilayah.children(p, "kecamatan")]
    far = [
        w
        for p in sorted(NIK_PROVINCES - {province, *MIGRATION_PROVINCES})
        for w in sorted(wilayah.children(p, "kecamatan"), key=lambda w: w.kode)[:FAR_PREFIXES_PER_PROVINCE]
    ]
    city = [w.kode for w in wilayah.children("12.71", "kecamatan")]  # Kota Medan
    away = [
        w.kode
        for c in AWAY_CITIES
        for w in sorted(wilayah.children(c, "desa_kelurahan"), key=lambda w: w.kode)
    ]
    return Places(
        region=region,
        region_level=found.tingkat,
        desa=tuple(desa),
        kecamatan=tuple(w.kode for w in kecamatan),
        aggregates=tuple(w.kode for w in kabupaten + kecamatan),
        elsewhere=tuple(c for c in city if not wilayah.is_within(c, region))
        or (_outside(region, "kecamatan"),),
        away_desa=tuple(c for c in away if not wilayah.is_within(c, region))
        or (_outside(region, "desa_kelurahan"),),
        nik_home=home or _nik_prefixes(rest[:50]),
        nik_retired=_retired(region),
        nik_province=_nik_prefixes(sorted(rest, key=lambda w: w.kode)) or home,
        nik_migrant=_nik_prefixes(sorted(migrant, key=lambda w: w.kode)),
        nik_far=_nik_prefixes(far),
    )
