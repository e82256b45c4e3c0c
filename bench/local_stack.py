"""(7) `sikas-sync local-stack` under load: a 200,000-row job-seeker export uploaded to its endpoint,
as SIKAS would, and the admin commands asked while it is stored and delivered. Figures: upload to
every valid record delivered, and each admin command's slowest answer meanwhile (target < 5 s)."""

from __future__ import annotations

import json
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3

from bench.common import CLI, Figure, sample_file

SECTION = "7 local-stack under load"
ADMIN = (
    ("pending", ["pending", "--json"]),
    ("status", ["status", "--json"]),
    ("redrive", ["redrive", "--json"]),
)
ANSWER_TARGET_S = 5.0
POLL_S = 10.0


def run(quick: bool = False) -> list[Figure]:
    rows = 20_000 if quick else 200_000
    path = sample_file("pencari_kerja", rows)
    with tempfile.TemporaryDirectory(prefix="bench-local-") as folder:
        state = Path(folder) / "embedded.json"
        log = (Path(folder) / "local-stack.log").open("w")
        server = subprocess.Popen([CLI, "local-stack", "--state", str(state)], stderr=log, stdout=log)  # noqa: S603 - the project's own command
        try:
            target = _wait_for(state)
            slowest, delivered_s, tracebacks = _upload_and_ask(target, path, state, rows)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
            log.close()
        tracebacks += (Path(folder) / "local-stack.log").read_text().count("Traceback")
    figures = [
        Figure(
            SECTION,
            f"{rows:,}-row upload to every valid record delivered",
            delivered_s,
            "s",
            note=f"{tracebacks} tracebacks in the local-stack's output",
            met=tracebacks == 0,
            target="no traceback",
        )
    ]
    figures += [
        Figure(
            SECTION,
            f"`{name}` while it runs: slowest answer",
            seconds,
            "s",
            target=f"< {ANSWER_TARGET_S:.0f} s",
            met=seconds < ANSWER_TARGET_S,
        )
        for name, seconds in slowest.items()
    ]
    return figures


def _wait_for(state: Path) -> dict[str, Any]:
    for _ in range(600):
        if state.exists():
            return dict(json.loads(state.read_text()))
        time.sleep(0.2)
    raise RuntimeError("local-stack did not start")


def _upload_and_ask(
    target: dict[str, Any], path: Path, state: Path, rows: int
) -> tuple[dict[str, float], float, int]:
    s3 = boto3.client(
        "s3",
        endpoint_url=target["endpoint_url"],
        region_name=target["aws_region"],
        aws_access_key_id=target.get("access_key_id") or "embedded",
        aws_secret_access_key=target.get("secret_access_key") or "embedded",
    )
    started = time.perf_counter()
    s3.upload_file(str(path), target["bucket"], f"pencari_kerja/{path.name}")
    slowest = {name: 0.0 for name, _ in ADMIN}
    tracebacks = 0
    while time.perf_counter() - started < 3600:
        time.sleep(POLL_S)
        answers: dict[str, Any] = {}
        for name, command in ADMIN:
            asked = time.perf_counter()
            done = subprocess.run(  # noqa: S603 - the project's own command
                [CLI, *command, "--embedded", str(state)], check=False, capture_output=True, text=True
            )
            slowest[name] = max(slowest[name], time.perf_counter() - asked)
            tracebacks += done.stderr.count("Traceback")
            answers[name] = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}
        files = answers["status"].get("files", [])
        processed = [f for f in files if f.get("status") in ("processed", "rejected")]
        if processed and answers["pending"].get("undelivered") == 0:
            return slowest, time.perf_counter() - started, tracebacks
    raise RuntimeError("the upload was not delivered within an hour")
