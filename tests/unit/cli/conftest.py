"""The command line's tests run in a known locale: Bahasa Indonesia unless a test asks otherwise."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def locale(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """LANG=C.UTF-8 and no LC_ALL/LC_MESSAGES; a test sets its own with `locale.setenv`."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return monkeypatch
