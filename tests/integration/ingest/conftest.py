"""Fixtures of the ingest integration tests: a fresh embedded stack (moto server) per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from stack_support import embedded_stack

from sikas_sync.embedded import EmbeddedStack


@pytest.fixture
def stack() -> Iterator[EmbeddedStack]:
    with embedded_stack() as started:
        yield started
