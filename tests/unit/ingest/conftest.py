"""Fixtures of the ingest unit tests: a fresh world of in-memory fakes per test."""

from __future__ import annotations

import pytest
from ingest_support import World


@pytest.fixture
def world() -> World:
    return World()
