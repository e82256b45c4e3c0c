"""On the embedded stack, an export longer than an invocation's budget: the ingest function pauses,
the file goes back to its queue, and the next invocations store the rest from the checkpoint, each
record written and queued once, the file reported once as processed."""

from __future__ import annotations

import dataclasses
import io
import time
from collections import Counter
from pathlib import Path

from exports import sample_export
from sikas_sync.embedded import EmbeddedStack

DOMAIN = "pencari_kerja"
ROWS = 1200


def test_a_file_longer_than_the_budget_is_stored_across_invocations_from_its_checkpoint(
    tmp_path: Path,
) -> None:
    export = sample_export(tmp_path, ROWS, seed=31)
    stack = EmbeddedStack(log=io.StringIO())
    # One second of storing per invocation, where AWS gives 840: the file needs several.
    stack.plan = dataclasses.replace(
        stack.plan, ingest=tuple(dataclasses.replace(plan, budget_s=1) for plan in stack.plan.ingest)
    )
    with stack:
        assert stack.resources is not None
        stack.upload(export.write(tmp_path / "besar.csv"), f"{DOMAIN}/besar.csv")
        # Until the ledger says done: a paused file is away, delayed, between two invocations.
        deadline = time.monotonic() + 300
        while not stack.file_summaries() and time.monotonic() < deadline:
            assert stack.run_ingest(deadline - time.monotonic()), "the ingest queue did not drain"

        assert stack.dispatcher is not None
        stats = stack.dispatcher.stats[f"ingest-{DOMAIN}"]
        assert (stats.failed_messages, stats.errors) == (0, 0)  # pausing is no failure
        assert stack.dead_lettered() == 0
        [summary] = stack.file_summaries().values()
        stored = len(export.valid_niks())
        assert (summary["status"], summary["created"], summary["updated"]) == ("processed", stored, 0)
        assert summary["pushed"] == stored
        ledger = stack.clients["dynamodb"].scan(TableName=stack.resources.files_table)["Items"]
        [entry] = [
            item
            for item in ledger
            if item["file_id"]["S"].endswith("besar.csv#" + item["file_id"]["S"].rpartition("#")[2])
        ]
        assert int(entry["attempt"]["N"]) >= 2  # it did take more than one invocation
        assert "checkpoint" in entry
        versions = Counter(
            int(item["version"]["N"])
            for page in stack.clients["dynamodb"]
            .get_paginator("scan")
            .paginate(TableName=stack.resources.records_table)
            for item in page["Items"]
        )
        assert versions == {1: stored}  # every record written once
        assert stack.dispatcher.queue_depth(stack.resources.push_queue.url) == stored  # queued once each
