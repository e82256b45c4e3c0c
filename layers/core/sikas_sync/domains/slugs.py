"""The nine domain slugs, in registry order, without their models.

Each slug is the name of the domain's module here, its S3 prefix and its ministry path segment.
`registry.DOMAINS` is built from this tuple; code that needs only the names (the command line's
parser, which must start fast) reads them here and imports no domain model, nor pydantic.
"""

from __future__ import annotations

SLUGS: tuple[str, ...] = (
    "pencari_kerja",
    "kartu_ak1",
    "lowongan",
    "pemberi_kerja",
    "penempatan",
    "wlkp",
    "penduduk_bekerja",
    "pelatihan",
    "jkp",
)

# The domains whose records are persons' (they have a `nik` field): what `erase` accepts.
# `registry` checks this against the models when it loads them.
PERSON_SLUGS: tuple[str, ...] = ("pencari_kerja", "kartu_ak1", "penempatan", "pelatihan", "jkp")


def slug_for_name(name: str) -> str | None:
    """The longest slug a file name starts with (`pencari_kerja_2025-03.csv`), or None."""
    matches = [slug for slug in SLUGS if name.startswith(slug)]
    return max(matches, key=len) if matches else None
