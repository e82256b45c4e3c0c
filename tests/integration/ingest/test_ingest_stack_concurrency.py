"""Two uploads of one domain at the same time, on the embedded stack as AWS runs them.

The domain's ingest event source runs its MaximumConcurrency (2) invocations at once, each in a
process of its own. One upload takes the domain's lease; the other finds it taken and goes back to
the queue delayed (no receive burned, nothing in the DLQ) and is stored when the lease is free:
every record gets version 1 from one file and version 2 from the other, each version pushed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from stack_support import DOMAIN, ledger, records

from exports import sample_export
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.telemetry import FILES_WAITING

# Invocations that only see S3 test events publish no metric; Powertools warns about that.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")
ROWS = 3000  # long enough to store that the other upload surely arrives meanwhile


def test_two_uploads_of_one_domain_at_once_are_stored_one_after_the_other(
    stack: EmbeddedStack, tmp_path: Path
) -> None:
    first = sample_export(tmp_path, ROWS, seed=81)
    second = first.copy()
    for row in range(1, ROWS + 1):
        second.set(row, "status", "SUDAH_BEKERJA" if second.cell(row, "status") != "SUDAH_BEKERJA" else "")
    stack.upload(first.write(tmp_path / "pertama.csv"), f"{DOMAIN}/pertama.csv")
    stack.upload(second.write(tmp_path / "kedua.csv"), f"{DOMAIN}/kedua.csv")

    assert stack.run_ingest_concurrently(DOMAIN, timeout_s=240), "the ingest queue did not drain"

    assert stack.dispatcher is not None
    assert stack.dispatcher.metrics.get(FILES_WAITING, 0) >= 1  # they did meet: one waited
    stats = stack.dispatcher.stats[f"ingest-{DOMAIN}"]
    assert (stats.failed_messages, stats.errors) == (0, 0)  # waiting is no failure
    assert stack.dead_lettered() == 0

    stored = records(stack)
    assert len(stored) == len(first.valid_niks())
    assert Counter(int(item["version"]) for item in stored.values()) == {2: len(stored)}
    files = {entry["object_key"]: entry for entry in ledger(stack)}
    assert {entry["status"] for entry in files.values()} == {"done"}
    counts = sorted((summary["created"], summary["updated"]) for summary in stack.file_summaries().values())
    assert counts == [(0, len(stored)), (len(stored), 0)]  # one created them all, the other updated
    assert stack.resources is not None  # one push message per record version written
    assert stack.dispatcher.queue_depth(stack.resources.push_queue.url) == 2 * len(stored)
