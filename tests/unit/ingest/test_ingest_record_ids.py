"""Record ids are keyed HMACs of domain and natural key: stable, pseudonymous, key-dependent."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from sikas_sync.ingest.record_ids import record_id

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
NIK = "1209014501900003"
niks = st.from_regex(r"\A[1-9]\d{15}\Z")


def test_same_key_and_natural_key_give_the_same_id() -> None:
    assert record_id(KEY, "pencari_kerja", (NIK,)) == record_id(bytes(KEY), "pencari_kerja", (NIK,))


def test_another_hmac_key_gives_another_id() -> None:
    assert record_id(KEY, "pencari_kerja", (NIK,)) != record_id(OTHER_KEY, "pencari_kerja", (NIK,))


def test_the_domain_is_part_of_the_id() -> None:
    assert record_id(KEY, "pencari_kerja", (NIK,)) != record_id(KEY, "kartu_ak1", (NIK,))


def test_composite_keys_do_not_collide_by_concatenation() -> None:
    assert record_id(KEY, "penempatan", ("12", "34")) != record_id(KEY, "penempatan", ("1", "234"))
    assert record_id(KEY, "penempatan", ("a", "b")) != record_id(KEY, "penempatan", ("b", "a"))


def test_the_id_is_32_lowercase_hex_characters() -> None:
    assert re.fullmatch(r"[0-9a-f]{32}", record_id(KEY, "pencari_kerja", (NIK,)))


@given(nik=niks)
def test_the_id_never_contains_the_nik_or_a_part_of_it(nik: str) -> None:
    rid = record_id(KEY, "pencari_kerja", (nik,))
    assert nik not in rid
    assert nik[:8] not in rid  # not even the region and birth date part
    assert rid == record_id(KEY, "pencari_kerja", (nik,))


@given(a=niks, b=niks)
def test_different_niks_get_different_ids(a: str, b: str) -> None:
    if a != b:
        assert record_id(KEY, "pencari_kerja", (a,)) != record_id(KEY, "pencari_kerja", (b,))
