"""Bounded fuzzing of the export readers and the validation run (issue 5, "Bad input and abuse").

Arbitrary bytes, and valid CSV/XLSX/JSONL exports (and their gzip) mutated byte by byte or spliced
with hostile fragments (entity declarations, formula prefixes, zip and gzip magic, NUL, stray
quotes), go through `parsing.open_table` and `validation.validate_file`. The documented outcomes are
the only ones allowed: open_table yields rows (each readable or carrying its own error) or raises
FileRejected; validate_file returns a FileResult, processed or rejected with a reason code. Any
other exception fails the test; so does an example slower than its deadline (a hang is caught by
pytest-timeout). The example counts are fixed: the run is bounded, not open-ended.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import tracemalloc
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sikas_sync.domains import get_domain
from sikas_sync.domains.values import WIB
from sikas_sync.errors import FileRejected
from sikas_sync.parsing import ReadLimits, open_table
from sikas_sync.sample import SampleSpec, write_sample
from sikas_sync.validation import validate_file

pytestmark = pytest.mark.timeout(240)

DOMAIN = get_domain("pencari_kerja")
# Small limits make the size guards reachable with small inputs; the code paths are the real ones.
LIMITS = ReadLimits(max_file_bytes=256 * 1024, max_record_bytes=8 * 1024, max_columns=64)
FUZZ = settings(
    max_examples=400,
    deadline=dt.timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,  # no example database in the repository; every run draws anew
)
HOSTILE = [
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
    b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
    b'=HYPERLINK("http://x")',
    b"=cmd|' /C calc'!A0",
    b"+1+1",
    b"@SUM(1)",
    b"PK\x03\x04",
    b"\x1f\x8b\x08",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b'"',
    b"\r",
    b"\n\n\n",
    b";" * 70,
    b"9" * 40,
]


def _sample(fmt: str, tmp: Path) -> bytes:
    today = dt.datetime.now(WIB).date()
    spec = SampleSpec(domain=DOMAIN.slug, rows=6, seed=7, invalid_ratio=0.3, format=fmt, today=today)
    return write_sample(spec, tmp / f"seed.{fmt}").path.read_bytes()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, bytes]]:
    tmp = tmp_path_factory.mktemp("seeds")
    found = [(f"pencari_kerja.{fmt}", _sample(fmt, tmp)) for fmt in ("csv", "xlsx", "jsonl")]
    return found + [(name + ".gz", gzip.compress(data, mtime=0)) for name, data in found]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            data.extend(draw(st.binary(min_size=1, max_size=64)))
            continue
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "delete", "insert", "hostile", "duplicate", "truncate"]))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "hostile":
            data[at:at] = draw(st.sampled_from(HOSTILE))
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 256))]
        else:
            del data[at:]
    return bytes(data)


def _read_everything(data: bytes, name: str) -> None:
    """open_table's contract: rows (readable or each with its error), or FileRejected."""
    rejected: FileRejected | None = None
    try:
        with open_table(io.BytesIO(data), name=name, limits=LIMITS) as table:
            assert isinstance(table.header, list)
            for row in table.rows:
                assert (row.values is None) == (row.error is not None)
    except FileRejected as problem:
        rejected = problem
    if rejected is not None:
        assert rejected.code
        assert rejected.message


def _validate(data: bytes, name: str) -> None:
    result = validate_file(io.BytesIO(data), DOMAIN, name=name, limits=LIMITS)
    assert result.status in ("processed", "rejected")
    if result.status == "rejected":
        assert result.reason_code
        assert result.reason
    else:
        assert result.rows == result.valid + result.rejected


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(["x.csv", "x.xlsx", "x.jsonl", "x.csv.gz", "x"]))
def test_arbitrary_bytes_end_in_a_documented_outcome(data: bytes, name: str) -> None:
    _read_everything(data, name)
    _validate(data, name)


@FUZZ
@given(data=st.data())
def test_mutated_exports_end_in_a_documented_outcome(
    seeds: list[tuple[str, bytes]], data: st.DataObject
) -> None:
    name, seed = data.draw(st.sampled_from(seeds))
    body = data.draw(mutated(seed))
    if data.draw(st.booleans()):
        body = gzip.compress(body, mtime=0)  # a mutated export, then gzipped: the inner reader sees it
    _read_everything(body, name)
    _validate(body, name)


def test_a_decompression_bomb_is_refused_in_bounded_memory() -> None:
    """50 MB of zeros in a gzip of about 50 kB: refused as too large, never held in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    bomb = (
        compressor.compress(b"nik,nama\n")
        + b"".join(compressor.compress(bytes(1 << 20)) for _ in range(50))
        + compressor.flush()
    )
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        result = validate_file(io.BytesIO(bomb), DOMAIN, name="bomb.csv.gz", limits=LIMITS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == "rejected"
    assert peak < 16 * 1024 * 1024, f"peak {peak} bytes"
