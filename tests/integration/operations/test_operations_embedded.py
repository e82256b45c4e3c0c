"""Sweep, pending and redrive on the embedded stack: the safety nets an admin relies on."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sikas_sync.embedded import EmbeddedStack
from sikas_sync.operations.pending import pending_report
from sikas_sync.operations.redrive import redrive
from sikas_sync.sample import SampleSpec, write_sample

ROWS = 40


@pytest.fixture
def stack() -> Iterator[EmbeddedStack]:
    with EmbeddedStack(log=io.StringIO()) as running:
        yield running


@pytest.fixture
def export(tmp_path: Path) -> Path:
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    return write_sample(
        SampleSpec(domain="pelatihan", rows=ROWS, seed=9, today=today), tmp_path / "pelatihan.csv"
    ).path


def ingest_without_delivery(stack: EmbeddedStack, export: Path) -> None:
    stack.upload(export, "pelatihan/pelatihan.csv")
    assert stack.run_ingest(60)


def purge_push_queue(stack: EmbeddedStack) -> None:
    """What a lost message looks like: the records are stored, no push message exists any more."""
    assert stack.resources is not None
    stack.clients["sqs"].purge_queue(QueueUrl=stack.resources.push_queue.url)


def test_pending_counts_undelivered_records_by_domain(stack: EmbeddedStack, export: Path) -> None:
    ingest_without_delivery(stack, export)
    target = stack.target()
    report = pending_report(target.client("dynamodb"), target.records_table, target.deliveries_table)
    assert report.undelivered == ROWS
    assert report.by_domain["pelatihan"]["pending"] == ROWS
    assert report.by_domain["pelatihan"]["under_1h"] == ROWS
    assert report.delivered == 0


def test_sweep_requeues_records_whose_messages_were_lost_and_they_get_delivered(
    stack: EmbeddedStack, export: Path
) -> None:
    ingest_without_delivery(stack, export)
    purge_push_queue(stack)
    assert stack.run_delivery(10)
    assert stack.delivery_states() == {"pending": ROWS}

    time.sleep(stack.plan.delivery.sweep_stale_after_s)  # older than "expected by now"
    assert stack.invoke_scheduled("sweep")["requeued"] == ROWS
    assert stack.run_delivery(30)
    assert stack.delivery_states() == {"delivered": ROWS}
    assert stack.invoke_scheduled("sweep")["requeued"] == 0  # nothing left to do


def test_sweep_leaves_records_alone_while_their_messages_are_still_queued(
    stack: EmbeddedStack, export: Path
) -> None:
    ingest_without_delivery(stack, export)  # push messages are waiting in the queue
    time.sleep(stack.plan.delivery.sweep_stale_after_s)
    result = stack.invoke_scheduled("sweep")
    assert result["requeued"] == 0
    assert result["in_flight"] == ROWS


def test_redrive_moves_dead_lettered_push_messages_back_and_they_are_delivered(
    stack: EmbeddedStack, export: Path
) -> None:
    ingest_without_delivery(stack, export)
    target = stack.target()
    sqs = stack.clients["sqs"]
    # Move every push message to the DLQ, as maxReceiveCount would after a long outage.
    assert redrive(sqs, type(target.push)(url=target.push.dlq_url, dlq_url=target.push.url)) == ROWS
    assert stack.dead_lettered() == ROWS
    assert redrive(sqs, target.push) == ROWS
    assert stack.dead_lettered() == 0
    assert stack.run_delivery(30)
    assert stack.delivery_states() == {"delivered": ROWS}


def test_pending_and_redrive_commands_against_a_running_local_stack(tmp_path: Path, export: Path) -> None:
    state = tmp_path / "state.json"
    server = subprocess.Popen(
        [sys.executable, "-m", "sikas_sync.cli.main", "local-stack", "--state", str(state)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not state.exists():
            assert time.monotonic() < deadline, "local-stack did not start"
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            time.sleep(0.2)
        target = json.loads(state.read_text())
        import boto3

        s3 = boto3.client(
            "s3",
            endpoint_url=target["endpoint_url"],
            region_name=target["aws_region"],
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        s3.upload_file(str(export), target["bucket"], "pelatihan/pelatihan.csv")
        report: dict[str, object] = {}
        while time.monotonic() < deadline:
            done = subprocess.run(
                [sys.executable, "-m", "sikas_sync.cli.main", "pending", "--embedded", str(state), "--json"],
                capture_output=True,
                text=True,
                check=True,
            )
            report = json.loads(done.stdout)
            if report["delivered"] == ROWS:
                break
            time.sleep(0.5)
        assert report["delivered"] == ROWS
        assert report["undelivered"] == 0
        moved = subprocess.run(
            [
                sys.executable,
                "-m",
                "sikas_sync.cli.main",
                "redrive",
                "--embedded",
                str(state),
                "--queue",
                "all",
                "--json",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert set(json.loads(moved.stdout)["moved"].values()) == {0}
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not state.exists()  # removed on the way out


def test_admin_commands_without_a_stack_say_what_to_do(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sikas_sync.cli.main", "pending", "--embedded", str(tmp_path / "none.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "local-stack" in done.stderr
    assert "Traceback" not in done.stderr


def test_pending_tells_records_the_ministry_blocked_from_the_index_alone(export: Path) -> None:
    from sikas_sync.ministry.local import Faults

    # Every push answered 403: a permanent refusal of the request, the records blocked, not retried.
    with EmbeddedStack(
        log=io.StringIO(), ministry_faults=Faults(failure_rate=1.0, failure_statuses=(403,))
    ) as stack:
        ingest_without_delivery(stack, export)
        assert stack.run_delivery(30)
        assert stack.delivery_states() == {"blocked": ROWS}
        target = stack.target()
        with stack.dynamodb_traffic() as traffic:
            report = pending_report(target.client("dynamodb"), target.records_table, target.deliveries_table)

    assert (report.undelivered, report.pending) == (ROWS, 0)
    assert report.by_domain["pelatihan"]["blocked"] == ROWS
    assert set(traffic.operations) <= {
        "Query",
        "GetItem",
        "BatchGetItem",
    }  # the index; no state read per record
    assert traffic.items_read < 2 * ROWS
