"""End-to-end fixtures: sample exports written once per session, shared by the e2e tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sikas_sync.domains import DOMAINS
from sikas_sync.sample import SampleResult, SampleSpec, write_sample

FORMATS = ("csv", "xlsx", "jsonl")


@pytest.fixture(scope="session")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SampleResult]:
    """One small export per domain, formats rotating, about 5% of rows broken on purpose."""
    folder = tmp_path_factory.mktemp("exports")
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    results = {}
    for index, domain in enumerate(DOMAINS):
        fmt = FORMATS[index % len(FORMATS)]
        spec = SampleSpec(
            domain=domain.slug, rows=60, seed=100 + index, invalid_ratio=0.05, format=fmt, today=today
        )
        results[domain.slug] = write_sample(spec, folder / f"{domain.slug}_e2e.{fmt}")
    return results


def paths(results: dict[str, SampleResult], *domains: str) -> list[Path]:
    return [results[d].path for d in (domains or results)]
