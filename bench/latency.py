"""(6) Ingest at AWS's latency: the same export stored on the embedded stack with no delay and with
10 ms per DynamoDB and SQS call (the emulator's `latency_s`), each against the same calls made one
after another; and what that rate makes of a 1,000,000-row export in one 15-minute invocation."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.common import Figure, sample_file

SECTION = "6 ingest at AWS latency"
LATENCIES_S = (0.0, 0.010)
MILLION = 1_000_000
INVOCATION_S = 900
SPARE = 0.30  # the margin: at most 70% of the invocation


def run(quick: bool = False) -> list[Figure]:
    rows = 2_000 if quick else 20_000
    path = sample_file("pencari_kerja", rows)
    figures: list[Figure] = []
    for latency in LATENCIES_S:
        rate, bare_rate, calls = _ingest_rate(path, latency)
        label = f"{latency * 1000:.0f} ms per call"
        figures.append(
            Figure(
                SECTION,
                f"ingest {rows:,} rows, {label}",
                rate,
                "rows/s",
                reference=bare_rate,
                reference_name="the same calls one after another",
                ratio=rate / bare_rate,
                note=f"{sum(calls.values()):,} DynamoDB/SQS calls",
                details={"calls": calls},
            )
        )
        if latency:
            projected = MILLION / rate
            figures.append(
                Figure(
                    SECTION,
                    f"1,000,000 rows at {label}: projected storing time",
                    projected,
                    "s",
                    reference=INVOCATION_S,
                    reference_name="one invocation",
                    ratio=projected / INVOCATION_S,
                    target=f"<= {1 - SPARE:.0%} of it",
                    met=projected <= (1 - SPARE) * INVOCATION_S,
                    note="if not: past its budget an invocation checkpoints and the next goes on from there"
                    " (tests/integration/ingest/test_ingest_stack_checkpoint.py)",
                )
            )
    return figures


def _ingest_rate(path: Path, latency_s: float) -> tuple[float, float, dict[str, int]]:
    from sikas_sync.embedded.stack import EmbeddedStack

    with Path("/dev/null").open("w") as quiet, EmbeddedStack(log=quiet, latency_s=latency_s) as stack:
        stack.upload(path, f"pencari_kerja/{path.name}")
        with stack.dynamodb_traffic() as traffic:
            started = time.perf_counter()
            assert stack.run_ingest(3600), "ingest did not finish"
            seconds = time.perf_counter() - started
        rows = sum(s["rows"] for s in stack.file_summaries().values())
        calls = dict(traffic.calls)
        bare_s = _same_calls_in_a_row(stack, sum(calls.values()))
    # The bare figure: each of those calls made in turn (a one-item GetItem), nothing overlapped.
    return rows / seconds, rows / bare_s, calls


def _same_calls_in_a_row(stack: Any, count: int) -> float:
    assert stack.resources is not None
    dynamodb, table = stack.clients["dynamodb"], stack.resources.records_table
    started = time.perf_counter()
    for _ in range(count):
        dynamodb.get_item(TableName=table, Key={"pk": {"S": "bench#none"}})
    return time.perf_counter() - started
