"""A file half-processed when the function died is resumed without double counting or double versions.

The fakes crash on the N-th batch written or sent; the retry comes after the lease has expired (the
ledger says "resumed"), as the queue redelivers the message after its visibility timeout.
"""

from __future__ import annotations

from collections import Counter

import pytest
from ingest_support import DOMAIN, LEASE_S, World

from exports import Export, sample_export
from fakes import Crash
from sikas_sync.ingest import FileBusy, FileSummary
from sikas_sync.resources import resource_plan

KEY = "pencari_kerja/besar.csv"
ROWS = 250  # three lookup/write batches of the service (100 records each)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    return sample_export(tmp_path_factory.mktemp("resume"), ROWS, seed=21)


def _changed(export: Export, rows: list[int]) -> Export:
    edited = export.copy()
    for row in rows:
        edited.set(row, "status", "SUDAH_BEKERJA" if edited.cell(row, "status") != "SUDAH_BEKERJA" else "")
    return edited


def _clean_run(body: bytes, before: bytes | None = None) -> FileSummary:
    clean = World()
    if before is not None:
        clean.put_and_ingest("pencari_kerja/lama.csv", before)
    return clean.put_and_ingest(KEY, body)


def _crash_then_resume(world: World, body: bytes) -> FileSummary:
    ref = world.upload(KEY, body)
    with pytest.raises(Crash):
        world.ingest(ref)
    assert world.ledger.items[ref.file_id].status == "processing"
    # Redelivered while the lease still runs: another invocation might be at work, so wait.
    with pytest.raises(FileBusy):
        world.ingest(ref)
    world.records.crash_on_write = None
    world.push.crash_on_send = None
    world.clock.advance(LEASE_S + 1)
    summary = world.ingest(ref)
    assert "resumed" in {state for file_id, state in world.ledger.claims if file_id == ref.file_id}
    assert world.ledger.items[ref.file_id].status == "done"
    return summary


def _assert_every_record_once(world: World, export: Export, versions: dict[str, int]) -> None:
    items = world.records.by_key(DOMAIN)
    assert set(items) == {(nik,) for nik in export.niks()}
    assert {nik: item.version for (nik,), item in items.items()} == versions


@pytest.mark.parametrize(
    ("crash_on_write", "after_items"),
    [(1, 0), (2, 0), (2, 37), (3, 10)],
    ids=["before-any-write", "after-one-batch", "half-way-through-batch-2", "in-the-last-batch"],
)
def test_a_crash_while_writing_records_is_resumed_like_a_clean_run(
    world: World, export: Export, crash_on_write: int, after_items: int
) -> None:
    world.records.crash_on_write, world.records.crash_after_items = crash_on_write, after_items

    summary = _crash_then_resume(world, export.to_csv())

    assert world.counts(summary) == world.counts(_clean_run(export.to_csv()))
    assert (summary.created, summary.updated, summary.unchanged) == (ROWS, 0, 0)
    _assert_every_record_once(world, export, dict.fromkeys(export.niks(), 1))
    assert max(item.writes for item in world.records.items.values()) == 1  # no record put twice
    assert world.records.item_writes == ROWS
    pushed = Counter(m.record_id for m in world.push.messages)
    assert set(pushed) == {world.rid(nik) for nik in export.niks()}
    assert {m.version for m in world.push.messages} == {1}


@pytest.mark.parametrize("crash_on_send", [1, 2, 3])
def test_a_crash_while_queueing_pushes_requeues_the_records_of_that_file(
    world: World, export: Export, crash_on_send: int
) -> None:
    world.push.crash_on_send = crash_on_send

    summary = _crash_then_resume(world, export.to_csv())

    assert world.counts(summary) == world.counts(_clean_run(export.to_csv()))
    _assert_every_record_once(world, export, dict.fromkeys(export.niks(), 1))
    assert world.records.item_writes == ROWS
    pushed = {m.record_id for m in world.push.messages}
    assert pushed == {world.rid(nik) for nik in export.niks()}  # every record pushed at least once


def test_a_resumed_update_counts_and_versions_each_change_once(world: World, export: Export) -> None:
    world.put_and_ingest("pencari_kerja/lama.csv", export.to_csv())
    world.push.messages.clear()
    world.records.write_calls = 0
    changed_rows = [2, 50, 99, 101, 150, 160, 249]
    changed = _changed(export, changed_rows)
    # Rows 2, 50, 99 (the first batch) are written, then the invocation dies on rows 101-200.
    world.records.crash_on_write, world.records.crash_after_items = 2, 0

    summary = _crash_then_resume(world, changed.to_csv())

    clean = _clean_run(changed.to_csv(), before=export.to_csv())
    assert world.counts(summary) == world.counts(clean)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 7, ROWS - 7)
    changed_niks = set(export.niks(changed_rows))
    _assert_every_record_once(world, export, {nik: 2 if nik in changed_niks else 1 for nik in export.niks()})
    assert {m.record_id for m in world.push.messages} == {world.rid(nik) for nik in changed_niks}
    assert {m.version for m in world.push.messages} == {2}


def test_a_crash_after_everything_but_the_ledger_is_counted_once(world: World, export: Export) -> None:
    ref = world.upload(KEY, export.to_csv())
    complete = world.ledger.complete

    def dies(*args: object) -> None:
        raise Crash("died before the ledger was updated")

    world.ledger.complete = dies  # type: ignore[method-assign]
    with pytest.raises(Crash):
        world.ingest(ref)
    world.ledger.complete = complete  # type: ignore[method-assign]
    world.clock.advance(LEASE_S + 1)

    summary = world.ingest(ref)

    assert (summary.created, summary.updated, summary.unchanged) == (ROWS, 0, 0)
    assert world.records.item_writes == ROWS
    assert world.report(KEY)["created"] == ROWS


def test_a_lease_outlives_an_invocation_and_expires_before_the_message_dead_letters() -> None:
    """Lease = function timeout + a margin. A retry arrives after the queue's visibility timeout;
    if the lease is still held then, the retry is "busy" and fails again. The lease must expire before
    the last receive, or a crashed file can never be resumed and dead-letters instead."""
    from sikas_sync.ingest.wiring import lease_for

    plan = resource_plan()
    for ingest in plan.ingest:
        lease = lease_for(ingest.function.timeout_s)
        assert ingest.function.timeout_s < lease < ingest.queue.visibility_timeout_s


def test_the_embedded_stack_lease_expires_before_the_message_is_visible_again() -> None:
    from sikas_sync.embedded.stack import TIME_SCALE
    from sikas_sync.ingest.wiring import lease_for

    plan = resource_plan(time_scale=TIME_SCALE)
    for ingest in plan.ingest:
        lease = lease_for(ingest.function.timeout_s)
        assert ingest.function.timeout_s < lease < ingest.queue.visibility_timeout_s, (lease, ingest.queue)
