"""Help, `--version` and usage errors answer before anything heavy loads: in a fresh interpreter,
`main()` leaves pydantic, boto3 and the domain models unimported (what made `--help` take 0.45 s)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("pydantic", "boto3", "botocore", "sikas_sync.domains.base", "sikas_sync.validation", "faker")
PROBE = """
import contextlib, io, json, sys
from sikas_sync.cli.main import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["validate", "--help"],
        ["erase", "--help"],
        ["validate"],
        ["validate", "x.csv", "--domain", "nope", "--json"],
        ["run", "--timeout", "0", "x.csv"],
        ["nope"],
    ],
)
def test_nothing_heavy_is_imported(argv: list[str]) -> None:
    env = {**os.environ, "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True, env=env
    )
    report = json.loads(done.stdout)
    assert report["code"] in (0, 2)
    loaded = [name for name in report["modules"] if name.startswith(HEAVY)]
    assert loaded == []
    assert "sikas_sync.domains.slugs" in report["modules"]  # the probe did reach the parser


def test_the_probe_sees_a_heavy_import() -> None:
    """A command that runs does load them: the check above can fail."""
    env = {**os.environ, "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "columns", "--domain", "jkp"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    report = json.loads(done.stdout)
    assert report["code"] == 0
    assert "pydantic" in report["modules"]
