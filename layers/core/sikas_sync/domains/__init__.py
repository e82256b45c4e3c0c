"""Domain rules: the nine SIKAS export domains, their models and the shared value rules."""

from .base import Domain, DomainRecord
from .registry import BY_SLUG, DOMAINS, UnknownDomain, domain_for_name, get_domain

__all__ = ["BY_SLUG", "DOMAINS", "Domain", "DomainRecord", "UnknownDomain", "domain_for_name", "get_domain"]
