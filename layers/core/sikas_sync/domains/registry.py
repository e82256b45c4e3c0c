"""The one list of domains. CDK, the embedded stack and the CLI all loop over `DOMAINS`."""

from __future__ import annotations

import importlib

from .base import Domain
from .slugs import PERSON_SLUGS, SLUGS, slug_for_name

# Each domain's module is named by its slug and declares `DOMAIN`.
DOMAINS: tuple[Domain, ...] = tuple(importlib.import_module(f"{__package__}.{slug}").DOMAIN for slug in SLUGS)
BY_SLUG: dict[str, Domain] = {domain.slug: domain for domain in DOMAINS}

if tuple(BY_SLUG) != SLUGS or tuple(d.slug for d in DOMAINS if "nik" in d.fields) != PERSON_SLUGS:
    raise ImportError("domains/slugs.py does not match the domain modules (their slugs or NIK fields)")


class UnknownDomain(KeyError):
    pass


def get_domain(slug: str) -> Domain:
    try:
        return BY_SLUG[slug]
    except KeyError:
        raise UnknownDomain(slug) from None


def domain_for_name(name: str) -> Domain | None:
    """The longest domain slug a file name starts with (`pencari_kerja_2025-03.csv`)."""
    slug = slug_for_name(name)
    return BY_SLUG[slug] if slug else None
