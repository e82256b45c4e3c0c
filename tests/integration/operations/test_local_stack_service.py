"""`sikas-sync local-stack` as a service, run as the operator runs it: it says how to upload to it, an
upload through its endpoint gets one line of counts, and SIGTERM in the middle of a big file's ingest
stops it (the file abandoned, the state file removed)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from sikas_sync.sample import SampleSpec, write_sample

BIG_ROWS = 50_000


class LocalStack:
    """A `sikas-sync local-stack` subprocess and the lines of its stderr, read as they come."""

    def __init__(self, state: Path, *extra: str) -> None:
        self.state = state
        env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
        env["LANG"] = "C.UTF-8"  # Bahasa Indonesia unless --lang en
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sikas_sync.cli.main", "local-stack", "--state", str(state), *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_for(self, found: Callable[[str], bool], timeout_s: float = 120) -> str:
        """The first line `found` accepts, once it is printed (a hang guard, not a performance goal)."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                for line in self.lines:
                    if found(line):
                        return line
                assert self.process.poll() is None or self._reader.is_alive(), "\n".join(self.lines)
                left = deadline - time.monotonic()
                assert left > 0, "\n".join(self.lines)
                self._changed.wait(min(left, 0.5))

    def started(self) -> dict[str, Any]:
        """The state file's document, once local-stack has printed how to reach it."""
        self.wait_for(lambda line: line.startswith("  sikas-sync status --embedded"))
        document: dict[str, Any] = json.loads(self.state.read_text(encoding="utf-8"))
        return document

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=15)  # a hang guard: the stop itself takes about a second
        self._reader.join(timeout=5)
        return code


@pytest.fixture
def local_stack(tmp_path: Path) -> Iterator[Callable[..., LocalStack]]:
    started: list[LocalStack] = []

    def start(*extra: str) -> LocalStack:
        running = LocalStack(tmp_path / "state" / "embedded.json", *extra)
        started.append(running)
        return running

    yield start
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait(timeout=15)


def _export(path: Path, rows: int, **spec: Any) -> Path:
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    return write_sample(SampleSpec(domain="pelatihan", rows=rows, seed=9, today=today, **spec), path).path


def _s3_as_printed(example: str) -> Any:
    """An S3 client with what the printed upload example sets: its keys, region and endpoint."""
    words = shlex.split(example)
    settings = dict(word.split("=", 1) for word in words if re.fullmatch(r"AWS_[A-Z_]+=.*", word))
    return boto3.client(
        "s3",
        endpoint_url=words[words.index("--endpoint-url") + 1],
        region_name=settings["AWS_DEFAULT_REGION"],
        aws_access_key_id=settings["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=settings["AWS_SECRET_ACCESS_KEY"],
    )


def test_it_says_how_to_upload_and_reports_each_file_with_its_counts(
    local_stack: Callable[..., LocalStack], tmp_path: Path
) -> None:
    stack = local_stack("--lang", "en")
    state = stack.started()
    endpoint, bucket = state["endpoint_url"], state["bucket"]
    assert f"  AWS endpoint:   {endpoint}" in stack.lines
    assert (
        "  credentials:    AWS_ACCESS_KEY_ID=embedded AWS_SECRET_ACCESS_KEY=embedded, region ap-southeast-3"
    ) in stack.lines
    assert f"  state file:     {stack.state}" in stack.lines
    example = stack.wait_for(lambda line: " s3 cp " in line)
    assert example == (
        "  AWS_ACCESS_KEY_ID=embedded AWS_SECRET_ACCESS_KEY=embedded AWS_DEFAULT_REGION=ap-southeast-3 "
        f"aws --endpoint-url {endpoint} s3 cp pencari_kerja_2025-03.csv s3://{bucket}/pencari_kerja/"
    )
    assert f"  sikas-sync status --embedded {stack.state}" in stack.lines
    assert state["owner"]["pid"] == stack.process.pid

    key = "pelatihan/pelatihan_2025-03.csv"
    export = _export(tmp_path / "pelatihan_2025-03.csv", 40, invalid_ratio=0.1)
    _s3_as_printed(example).upload_file(str(export), bucket, key)
    line = stack.wait_for(lambda line: line.startswith(f"{key}: "))

    command = ["report", "--file", key, "--embedded", str(stack.state), "--json"]
    report = subprocess.run(
        [sys.executable, "-m", "sikas_sync.cli.main", *command],
        capture_output=True,
        text=True,
        check=True,
    )
    counts = json.loads(report.stdout)
    assert counts["rejected"] > 0
    assert line == (
        f"{key}: processed, {counts['rows']} rows, {counts['valid']} valid, {counts['rejected']} rejected"
    )
    assert [found for found in stack.lines if found.startswith(f"{key}: ")] == [line]  # once

    assert stack.stop() == 0
    assert not stack.state.exists()
    assert "local-stack stopped" in stack.lines


def test_sigterm_during_a_big_ingest_stops_it_and_abandons_the_file(
    local_stack: Callable[..., LocalStack], tmp_path: Path
) -> None:
    stack = local_stack()
    state = stack.started()
    export = _export(tmp_path / "pelatihan_besar.csv", BIG_ROWS)
    key = "pelatihan/pelatihan_besar.csv"
    client_settings: dict[str, Any] = {
        "endpoint_url": state["endpoint_url"],
        "region_name": state["aws_region"],
        "aws_access_key_id": "embedded",
        "aws_secret_access_key": "embedded",
    }
    boto3.client("s3", **client_settings).upload_file(str(export), state["bucket"], key)
    files = boto3.client("dynamodb", **client_settings)
    deadline = time.monotonic() + 120
    while True:  # until its ingest invocation has claimed it
        items = files.scan(TableName=state["files_table"])["Items"]
        if any(i["object_key"]["S"] == key and i["status"]["S"] == "processing" for i in items):
            break
        assert time.monotonic() < deadline, "\n".join(stack.lines)
        time.sleep(0.2)

    assert stack.stop() == 0
    assert not stack.state.exists()
    assert "local-stack dihentikan" in stack.lines
    assert "1 berkas belum selesai diproses dan ditinggalkan" in stack.lines
    assert not [line for line in stack.lines if line.startswith(f"{key}: ")]  # never finished
    assert not [line for line in stack.lines if "Traceback" in line]
