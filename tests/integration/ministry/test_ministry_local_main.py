"""`python -m sikas_sync.ministry.local`: serves until Ctrl-C, prints its URL, applies the flags."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import pytest

from sikas_sync.ministry import Credentials, MinistryClient, TransientError
from sikas_sync.validation.canonical import content_hash


def test_the_module_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sikas_sync.ministry.local",
            "--port",
            "0",
            "--throttle-rate",
            "1",
            "--retry-after",
            "9",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    client: MinistryClient | None = None
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert match, line
        client = MinistryClient(
            match.group(0), "12.09", lambda refresh: Credentials("local-client", "local-secret")
        )
        assert client.health()
        data = {"nomor": 1}
        with pytest.raises(TransientError) as raised:
            client.push(
                "lowongan",
                [{"record_id": "r1", "version": 1, "content_hash": content_hash(data), "data": data}],
            )
        assert (raised.value.status, raised.value.retry_after) == (429, 9.0)
    finally:
        # Closed whatever happened above: an open keep-alive connection holds the server's shutdown,
        # and a hang here would hide the assertion that failed.
        if client is not None:
            client.close()
        process.send_signal(signal.SIGINT)
        # A hang guard, not a speed goal: on a loaded 2-core CI machine the exit once took over 10 s.
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "429 POST /v1/records/lowongan" in errors  # one line per request on stderr
    assert "local-secret" not in line + errors


def test_bad_flags_are_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sikas_sync.ministry.local", "--failure-rate", "2"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "between 0 and 1" in result.stderr


def test_the_rate_limit_flags_reach_the_faults() -> None:
    from sikas_sync.ministry.local.__main__ import parser

    args = parser().parse_args(["--rate-limit", "2.5", "--rate-limit-burst", "1"])
    assert (args.rate_limit, args.rate_limit_burst) == (2.5, 1)
    assert parser().parse_args([]).rate_limit_burst is None


def test_ctrl_c_stops_it_even_when_its_parent_ignores_sigint() -> None:
    # A parent that ignores SIGINT (a test runner's worker, a script) passes that on to its children.
    process = subprocess.Popen(
        [sys.executable, "-m", "sikas_sync.ministry.local", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # noqa: PLW1509 - no threads in the child yet
    )
    assert process.stdout is not None
    assert "Local ministry API on http://127.0.0.1:" in process.stdout.readline()
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)  # a hang guard
    assert process.returncode == 0
