"""Pseudonymous record ids: a keyed HMAC of domain and natural key, never the NIK itself.

A plain hash of a NIK can be reversed by trying every NIK of a known structure; without the key
(kept in Secrets Manager) the id tells nothing about the person.
"""

from __future__ import annotations

import hashlib
import hmac

KEY_SEPARATOR = "\x1f"  # cannot occur in a normalised value


def record_id(key: bytes, domain: str, natural_key: tuple[str, ...]) -> str:
    message = KEY_SEPARATOR.join((domain, *natural_key)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def person_key(key: bytes, domain: str, nik: str) -> str:
    """A person's records of one domain, keyed without the NIK: `<domain>#` + a keyed HMAC of it."""
    digest = hmac.new(key, KEY_SEPARATOR.join(("person", nik)).encode(), hashlib.sha256).hexdigest()
    return f"{domain}#{digest[:32]}"
