"""Masking of personal data for everything that leaves the encrypted stores (logs, reports, messages)."""

from __future__ import annotations

import re

_NIK_SHAPED = re.compile(r"(?<!\d)(\d{4})\d{12}(?!\d)")
PERSONAL_KEYS = re.compile(r"nik|nama|no_hp|phone|alamat|email|tanggal_lahir|npwp|telepon", re.IGNORECASE)


def mask_nik(value: str) -> str:
    """`1209************`: the region prefix stays readable, the person does not."""
    digits = re.sub(r"\D", "", value)
    return digits[:4] + "*" * max(len(digits) - 4, 0)


def mask_nik_shaped(text: str) -> str:
    """Any 16-digit run in free text, wherever it came from, masked like a NIK."""
    return _NIK_SHAPED.sub(lambda m: m.group(1) + "*" * 12, text)


def is_personal_key(key: object) -> bool:
    return isinstance(key, str) and PERSONAL_KEYS.search(key) is not None
