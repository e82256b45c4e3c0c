"""The one list of domains. CDK, the embedded stack and the CLI all loop over `DOMAINS`."""

from __future__ import annotations

from . import (
    jkp,
    kartu_ak1,
    lowongan,
    pelatihan,
    pemberi_kerja,
    pencari_kerja,
    penduduk_bekerja,
    penempatan,
    wlkp,
)
from .base import Domain

DOMAINS: tuple[Domain, ...] = (
    pencari_kerja.DOMAIN,
    kartu_ak1.DOMAIN,
    lowongan.DOMAIN,
    pemberi_kerja.DOMAIN,
    penempatan.DOMAIN,
    wlkp.DOMAIN,
    penduduk_bekerja.DOMAIN,
    pelatihan.DOMAIN,
    jkp.DOMAIN,
)
BY_SLUG: dict[str, Domain] = {domain.slug: domain for domain in DOMAINS}


class UnknownDomain(KeyError):
    pass


def get_domain(slug: str) -> Domain:
    try:
        return BY_SLUG[slug]
    except KeyError:
        raise UnknownDomain(slug) from None


def domain_for_name(name: str) -> Domain | None:
    """The longest domain slug a file name starts with (`pencari_kerja_2025-03.csv`)."""
    matches = [d for d in DOMAINS if name.startswith(d.slug)]
    return max(matches, key=lambda d: len(d.slug)) if matches else None
