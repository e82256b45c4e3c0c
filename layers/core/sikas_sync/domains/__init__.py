"""Domain rules: the nine SIKAS export domains, their models and the shared value rules.

The names below load on first use (PEP 562): `import sikas_sync.domains.slugs` (the command line's
parser) imports no model and no pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import Domain, DomainRecord
    from .registry import BY_SLUG, DOMAINS, UnknownDomain, domain_for_name, get_domain

_HOMES = {
    "Domain": "base",
    "DomainRecord": "base",
    "BY_SLUG": "registry",
    "DOMAINS": "registry",
    "UnknownDomain": "registry",
    "domain_for_name": "registry",
    "get_domain": "registry",
}

__all__ = ["BY_SLUG", "DOMAINS", "Domain", "DomainRecord", "UnknownDomain", "domain_for_name", "get_domain"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
