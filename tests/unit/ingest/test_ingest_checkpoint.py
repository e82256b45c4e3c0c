"""A file too large for one invocation: the invocation stores what its time budget allows, checkpoints
the last stored row and its counts in the ledger, and the next invocation goes on from there: no
row is looked up, written or queued twice, the counts and the results file come out whole."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from ingest_support import BUCKET, DOMAIN, World

from exports import Export, sample_export
from sikas_sync.ingest import FileSummary
from sikas_sync.ingest.service import FilePaused
from sikas_sync.outbox.results import results_key

KEY = "pencari_kerja/besar.csv"
ROWS = 450  # five batches of the service's 100 records


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    return sample_export(tmp_path_factory.mktemp("checkpoint"), ROWS, seed=23)


def _budget_of(world: World, batches: int) -> None:
    """An invocation whose budget runs out once it has stored `batches` batches (it is asked before
    every batch but the first: each invocation stores one at least)."""
    asked = {"n": 0}

    def remaining() -> float:
        asked["n"] += 1
        return 1.0 if asked["n"] < batches else 0.0

    world.deps.remaining_s = remaining


def _results(world: World) -> list[dict[str, str]]:
    body = world.objects.body(BUCKET, results_key(KEY)).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body), delimiter=";"))


def test_a_paused_file_goes_on_from_its_checkpoint(world: World, export: Export) -> None:
    ref = world.upload(KEY, export.to_csv())

    _budget_of(world, 2)
    with pytest.raises(FilePaused) as paused:
        world.ingest(ref)
    assert paused.value.row == 200  # two batches stored
    entry = world.ledger.items[ref.file_id]
    assert (entry.status, entry.checkpoint) == (
        "processing",
        {"row": 200, "created": 200, "updated": 0, "unchanged": 0, "pushed": 200},
    )
    assert entry.lease_until == world.clock()  # the next invocation may start at once
    assert len(world.push.messages) == 200

    _budget_of(world, 2)
    with pytest.raises(FilePaused) as again:
        world.ingest(ref)  # a second invocation: two more batches, from row 201
    assert again.value.row == 400

    world.deps.remaining_s = None
    summary: FileSummary = world.ingest(ref)

    stored = len(export.valid_niks())
    assert (summary.status, summary.created, summary.updated, summary.pushed) == (
        "processed",
        stored,
        0,
        stored,
    )
    assert world.records.item_writes == stored  # every record written once, none again
    assert Counter(m.record_id for m in world.push.messages).most_common(1)[0][1] == 1  # queued once each
    assert {item.version for item in world.records.by_key(DOMAIN).values()} == {1}
    assert world.ledger.items[ref.file_id].status == "done"
    rows = _results(world)
    assert [int(r["row"]) for r in rows] == list(range(1, ROWS + 1))  # every row, in order
    assert {r["status"] for r in rows} <= {"stored", "rejected", "warning"}
    assert sum(r["status"] == "stored" for r in rows) == stored


def test_an_invocation_out_of_budget_from_the_start_still_stores_a_batch(
    world: World, export: Export
) -> None:
    ref = world.upload(KEY, export.to_csv())
    world.deps.remaining_s = lambda: 0.0  # the validation pass took it all
    with pytest.raises(FilePaused) as paused:
        world.ingest(ref)
    assert paused.value.row == 100  # progress all the same: no invocation ends where it began


def test_an_invocation_with_budget_left_never_pauses(world: World, export: Export) -> None:
    world.deps.remaining_s = lambda: 600.0
    summary = world.put_and_ingest(KEY, export.to_csv())
    assert summary.created == len(export.valid_niks())
