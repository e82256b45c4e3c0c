"""One ingest per domain at a time, from the domain's lease rather than reserved concurrency.

A second upload of a domain that arrives while the first is being stored waits (FileBusy, nothing
read or written), and once the lease is free it is stored on top of the first: every record gets
the next version exactly once.
"""

from __future__ import annotations

import pytest
from ingest_support import DOMAIN, LEASE_S, World

from exports import sample_export
from fakes import Crash
from sikas_sync.ingest import FileBusy
from sikas_sync.ingest.service import wait_delay_s
from sikas_sync.leases import ingest_lease_name

LEASE = ingest_lease_name(DOMAIN)


def test_an_upload_waits_while_another_upload_of_its_domain_holds_the_lease(tmp_path) -> None:
    world = World()
    export = sample_export(tmp_path, 20, seed=3)
    other = world.leases.acquire(LEASE, "other-invocation", LEASE_S, world.clock())
    ref = world.upload("pencari_kerja/kedua.csv", export.to_csv())

    with pytest.raises(FileBusy) as waiting:
        world.ingest(ref)

    assert waiting.value.until == other.until  # when to look again at the latest
    assert world.ledger.items == {}  # not even claimed: the retry starts it fresh
    assert world.records.item_writes == 0
    assert world.push.messages == []
    assert world.objects.keys("inbox", "reports/") == []
    assert world.leases.held[LEASE] == other  # the holder keeps its lease


def test_the_waiting_upload_is_stored_on_top_of_the_first_once_the_lease_is_free(tmp_path) -> None:
    world = World()
    first = sample_export(tmp_path, 30, seed=4)
    second = first.copy()
    for row in range(1, 31):
        second.set(row, "status", "SUDAH_BEKERJA" if second.cell(row, "status") != "SUDAH_BEKERJA" else "")
    waiting = world.upload("pencari_kerja/kedua.csv", second.to_csv())
    store_records = world.records.write
    tried_meanwhile: list[str] = []

    def write_while_the_second_arrives(writes):  # the second upload's event comes mid-write
        if not tried_meanwhile:
            with pytest.raises(FileBusy):
                world.ingest(waiting)
            tried_meanwhile.append(waiting.file_id)
        store_records(writes)

    world.records.write = write_while_the_second_arrives  # type: ignore[method-assign]
    first_summary = world.put_and_ingest("pencari_kerja/pertama.csv", first.to_csv())
    world.records.write = store_records  # type: ignore[method-assign]

    second_summary = world.ingest(waiting)  # the message comes back after its delay

    assert tried_meanwhile == [waiting.file_id]
    assert first_summary.created == first_summary.valid > 0
    assert second_summary.updated == second_summary.valid == first_summary.valid
    versions = {item.version for item in world.records.by_key(DOMAIN).values()}
    assert versions == {2}  # every record once per file: no lost and no doubled version
    assert world.leases.held == {}  # given back after each file
    assert world.leases.refused == [LEASE]


def test_the_lease_is_given_back_when_the_invocation_fails(tmp_path) -> None:
    world = World()
    world.records.crash_on_write = 1
    with pytest.raises(Crash):
        world.put_and_ingest("pencari_kerja/rusak.csv", sample_export(tmp_path, 10, seed=5).to_csv())
    assert world.leases.held == {}  # the next upload of the domain need not wait out the lease


def test_an_upload_outside_the_domains_takes_no_lease(tmp_path) -> None:
    world = World()
    world.leases.acquire(LEASE, "busy-anyway", LEASE_S, world.clock())
    summary = world.put_and_ingest("lain/berkas.csv", b"nik,nama\n")
    assert (summary.status, summary.reason_code) == ("rejected", "prefix_unknown")
    assert world.leases.acquired == [LEASE]  # only the one taken above


def test_a_waiting_file_looks_again_sooner_first_then_less_often() -> None:
    delays = [wait_delay_s(waits, base_s=30, cap_s=300) for waits in range(7)]
    assert delays == [30, 60, 120, 240, 300, 300, 300]
    assert wait_delay_s(3, base_s=600, cap_s=3600) == 900  # SQS delays a message 15 minutes at most
    assert wait_delay_s(10_000, base_s=1, cap_s=2) == 2
