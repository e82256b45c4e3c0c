"""What the admin questions and the sweep cost: no Scan, and reads that follow what they return.

`pending`, `status` (recent files, one file's records) and the sweep answer from the tables' keys and
indexes (the undelivered index, the ledger by day and by key, the records by upload): on AWS a Scan
of a million records every 15 minutes is money and minutes. The outbox, reconcile and the SMData
report read the domains they work on through the by_domain index; erase finds a person's records
through the by_person index. The emulator counts DynamoDB's
operations and items read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

from erase_embedded import invoke_erase
from sikas_sync.domains import DOMAINS
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.operations.pending import pending_report
from sikas_sync.operations.status import stack_status
from sikas_sync.resources import PENDING_SHARDS
from sikas_sync.sample import SampleSpec, write_sample

WAITING = 30  # records ingested, not delivered


def _export(tmp_path: Path, domain: str, rows: int, seed: int) -> Path:
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    spec = SampleSpec(domain=domain, rows=rows, seed=seed, today=today)
    return write_sample(spec, tmp_path / f"{domain}_{seed}.csv").path


def _delivered(stack: EmbeddedStack, tmp_path: Path, rows: int, seed: int) -> None:
    path = _export(tmp_path, "lowongan", rows, seed)
    stack.upload(path, f"lowongan/{path.name}")
    assert stack.run_ingest(120)
    assert stack.run_delivery(120)


def _admin_questions(stack: EmbeddedStack, nik: str) -> dict[str, tuple[set[str], int, Any]]:
    """Each question: the DynamoDB operations it made, the items they read, and its answer."""
    target = stack.target()
    answers: dict[str, tuple[set[str], int, Any]] = {}
    questions = {
        "pending": lambda: pending_report(
            target.client("dynamodb"), target.records_table, target.deliveries_table
        ),
        "status": lambda: stack_status(target, days=7).files,
        "status_file": lambda: stack_status(target, file_key="pelatihan/waiting.csv").file_records,
        "sweep": lambda: stack.invoke_scheduled("sweep")["requeued"],
        # Runs that read whole domains (the outbox writes every record): no Scan all the same.
        "outbox": lambda: stack.invoke_scheduled("outbox"),
        "reconcile": lambda: stack.invoke_scheduled("reconcile"),
        "report": lambda: stack.invoke_scheduled("report"),
        # Last, as it deletes: one person's training records, found through the by_person index.
        "erase": lambda: invoke_erase(stack, {"domain": "pelatihan", "nik": nik, "requested_by": "dpo"}),
    }
    for name, ask in questions.items():
        with stack.dynamodb_traffic() as traffic:
            answer = ask()
        answers[name] = (set(traffic.operations), traffic.items_read, answer)
    return answers


def _measured(tmp_path: Path, delivered: int) -> dict[str, tuple[set[str], int, Any]]:
    """A fresh stack holding `delivered` delivered records and WAITING stored ones, asked each question."""
    with EmbeddedStack(log=io.StringIO()) as stack:
        _delivered(stack, tmp_path, delivered, seed=delivered)
        waiting = _export(tmp_path, "pelatihan", WAITING, seed=2)
        stack.upload(waiting, "pelatihan/waiting.csv")
        assert stack.run_ingest(120)  # stored; its push messages wait in the queue
        with waiting.open(encoding="utf-8-sig", newline="") as file:
            nik = next(csv.DictReader(file, delimiter=_delimiter(waiting)))["nik"]
        return _admin_questions(stack, nik)


def _delimiter(path: Path) -> str:
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    return ";" if header.count(";") > header.count(",") else ","


def test_admin_reads_do_not_scan_and_do_not_grow_with_the_tables(tmp_path: Path) -> None:
    small = _measured(tmp_path, 50)
    large = _measured(tmp_path, 500)  # ten times the delivered records

    for name, (operations, _, _) in (small | large).items():
        assert "Scan" not in operations, name
    report = large["pending"][2]
    assert (report.undelivered, report.by_domain["pelatihan"]["pending"]) == (WAITING, WAITING)
    assert report.delivered == 500  # every version the ministry accepted, from the counter items
    assert small["pending"][2].delivered == 50
    assert large["status_file"][2]["pending"] == WAITING
    assert large["sweep"][2] == small["sweep"][2] == 0  # messages in flight: nothing re-queued
    # What waits is the same, so are the items read, whatever else the tables hold.
    assert large["erase"][1] == small["erase"][1]
    # The counts read what waits once, and the oldest record of each index partition it falls in;
    # ids (so partitions) differ from stack to stack, hence a bound rather than equality.
    bound = WAITING + PENDING_SHARDS + len(DOMAINS) + 4  # the counters, the breaker, the two uploads
    for name, extra in (("pending", 0), ("status", 0), ("sweep", 0), ("status_file", WAITING)):
        for measured in (small, large):
            assert WAITING + extra <= measured[name][1] <= bound + extra, name  # + the upload's records
    assert len(large["erase"][2]["records"]) == 1  # the person's one training record
