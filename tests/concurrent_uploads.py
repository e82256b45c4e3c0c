"""Two uploads of one domain at the same time on an embedded stack, and what must hold afterwards.

Used by the integration test (moto open) and by the IAM-enforced run of tests/infra: the domain's
ingest event source runs its MaximumConcurrency (2) invocations at once, each in a process of its
own. One upload takes the domain's lease; the other finds it taken and goes back to the queue
delayed (no receive burned, nothing in the DLQ) and is stored when the lease is free: every record
gets version 1 from one file and version 2 from the other, each version pushed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from exports import sample_export
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.telemetry import FILES_WAITING

DOMAIN = "pencari_kerja"
ROWS = 3000  # long enough to store that the other upload surely arrives meanwhile


def two_uploads_at_once(stack: EmbeddedStack, tmp_path: Path) -> None:
    first = sample_export(tmp_path, ROWS, seed=81)
    second = first.copy()
    for row in range(1, ROWS + 1):
        second.set(row, "status", "SUDAH_BEKERJA" if second.cell(row, "status") != "SUDAH_BEKERJA" else "")
    stack.upload(first.write(tmp_path / "pertama.csv"), f"{DOMAIN}/pertama.csv")
    stack.upload(second.write(tmp_path / "kedua.csv"), f"{DOMAIN}/kedua.csv")

    assert stack.run_ingest_concurrently(DOMAIN, timeout_s=240), "the ingest queue did not drain"

    assert stack.dispatcher is not None
    assert stack.resources is not None
    assert stack.dispatcher.metrics.get(FILES_WAITING, 0) >= 1  # they did meet: one waited
    stats = stack.dispatcher.stats[f"ingest-{DOMAIN}"]
    assert (stats.failed_messages, stats.errors) == (0, 0)  # waiting is no failure
    assert stack.dead_lettered() == 0

    versions: Counter[int] = Counter()
    for page in (
        stack.clients["dynamodb"].get_paginator("scan").paginate(TableName=stack.resources.records_table)
    ):
        versions.update(int(item["version"]["N"]) for item in page["Items"])
    stored = len(first.valid_niks())
    assert versions == {2: stored}  # no version lost, none doubled
    summaries = stack.file_summaries()
    assert sorted((s["created"], s["updated"]) for s in summaries.values()) == [(0, stored), (stored, 0)]
    pushed = stack.dispatcher.queue_depth(stack.resources.push_queue.url)
    assert pushed == 2 * stored  # one push message per version written
