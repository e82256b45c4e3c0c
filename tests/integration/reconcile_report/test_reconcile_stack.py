"""The daily reconcile through its real handler on the embedded stack and a local ministry on loopback.

Records reach the ministry through the real ingest and push; the ministry then gets records of its
own (registered in SIAPkerja), a change, and a record SIKAS sent that is gone here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from schedule_support import deliveries, document, embedded_stack, keys, push_queue_depth, records, settled

from exports import WHOLE_NIK, sample_export
from sikas_sync.domains import DOMAINS
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.ministry.local import NIK_UNKNOWN, LocalMinistry
from sikas_sync.reconcile.service import SINCE_OVERLAP

D = "pencari_kerja"
UTC = dt.UTC
LONG_AGO = dt.datetime.now(UTC) - dt.timedelta(days=10)
NIK_A, NIK_B, NIK_C = "1209015506900001", "1209016707910002", "1209011208920003"

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _seeker(nik: str, nama: str) -> dict[str, Any]:
    return {
        "nik": nik,
        "nama": nama,
        "tanggal_lahir": "1990-06-15",
        "jenis_kelamin": "P",
        "pendidikan": "SMA",
        "kode_wilayah": "12.09.01.2001",
        "tanggal_daftar": "2026-01-05",
        "status": "TERDAFTAR",
    }


class World:
    """Six job seekers ingested and pushed (the sixth refused by the ministry), then the ministry's own."""

    def __init__(self, stack: EmbeddedStack, tmp_path: Path) -> None:
        assert stack.local_ministry is not None
        self.stack = stack
        self.ministry: LocalMinistry = stack.local_ministry
        export = sample_export(tmp_path, 6, seed=211)
        niks = export.niks()
        refused = niks[5]
        self.ministry.faults.refuse_when = lambda domain, r: (
            [NIK_UNKNOWN] if r["data"]["nik"] == refused else None
        )
        stack.upload(export.write(tmp_path / "pencari_kerja.csv"), f"{D}/pencari_kerja.csv")
        assert stack.run_ingest(timeout_s=30)
        assert stack.run_delivery(timeout_s=30)
        self.local = {json.loads(item["natural_key"])[0]: item for item in records(stack, D).values()}
        self.refused_id = self.local[refused]["record_id"]
        self.changed_id = self.local[niks[1]]["record_id"]
        self.twin_id = self.local[niks[2]]["record_id"]
        changed = {**json.loads(self.local[niks[1]]["data"]), "nama": "Nama Diubah Di SIAPkerja"}
        self.ministry.seed_records(D, [{"record_id": self.changed_id, "data": changed, "version": 2}])
        self.ministry.seed_records(
            D,
            [
                {"record_id": "SIAP-1", "data": _seeker(NIK_A, "Rina Sitompul"), "updated_at": LONG_AGO},
                {"record_id": "SIAP-2", "data": _seeker(NIK_B, "Dewi Lestari"), "updated_at": LONG_AGO},
                # the third job seeker, registered in SIAPkerja as well, under the ministry's own id
                {
                    "record_id": "SIAP-3",
                    "data": json.loads(self.local[niks[2]]["data"]),
                    "updated_at": LONG_AGO,
                },
            ],
            source="SIAPKERJA",
        )
        self.lost_id = "0" * 32  # sent by SIKAS once, gone here since
        self.ministry.seed_records(
            D,
            [{"record_id": self.lost_id, "data": _seeker(NIK_C, "Hilang"), "updated_at": LONG_AGO}],
            source="SIKAS",
        )

    def reconcile(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Invoke the function as EventBridge Scheduler does; its summary and this domain's report."""
        before = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date().isoformat()
        summary = self.stack.invoke_scheduled("reconcile")
        after = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date().isoformat()
        key = summary["domains"][D]["report"]
        assert key in {f"reconciliation/{day}/{D}.json" for day in (before, after)}
        return summary, document(self.stack, key)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with embedded_stack() as stack:
        yield World(stack, tmp_path)


def test_reconcile_finds_exactly_the_seeded_differences(world: World) -> None:
    summary, report = world.reconcile()

    assert summary["failed"] == {}
    assert set(summary["domains"]) == {d.slug for d in DOMAINS}
    assert report["mode"] == "full"
    assert report["updated_since"] is None
    assert report["only_at_ministry"] == sorted(["SIAP-1", "SIAP-2", "SIAP-3", world.lost_id])
    assert report["only_here"] == [world.refused_id]
    assert report["hash_differs"] == [world.changed_id]
    assert report["imported"] == ["SIAP-1", "SIAP-2"]
    assert report["natural_key_conflicts"] == [{"ministry_id": "SIAP-3", "local_id": world.twin_id}]
    assert report["counts"]["in_sync"] == 4
    raw = json.dumps(report).encode()
    assert not WHOLE_NIK.search(raw)
    assert b"Rina" not in raw
    day = report["date"]
    assert [
        k for k in keys(world.stack, "reconciliation/") if not k.startswith("reconciliation/_state/")
    ] == [f"reconciliation/{day}/{d}.json" for d in sorted(d.slug for d in DOMAINS)]


def test_ministry_only_records_are_stored_with_their_source_and_never_pushed(world: World) -> None:
    world.ministry.reset_stats()

    world.reconcile()

    at_ministry = world.ministry.records(D)
    stored = records(world.stack, D)
    states = deliveries(world.stack)
    for rid, nik, nama in (("SIAP-1", NIK_A, "Rina Sitompul"), ("SIAP-2", NIK_B, "Dewi Lestari")):
        item = stored[rid]
        assert json.loads(item["data"]) == _seeker(nik, nama)
        assert (item["version"], item["content_hash"]) == ("1", at_ministry[rid]["content_hash"])
        assert (item["source"], item["last_file"]) == ("SIAPKERJA", "ministry:SIAPKERJA")
        assert json.loads(item["natural_key"]) == [nik]
        state = states[f"{D}#{rid}"]
        assert (state["status"], state["delivered_version"]) == ("delivered", "1")
        assert state["ministry_ref"] == at_ministry[rid]["ministry_ref"]
    # nothing written for what came from SIKAS or is known here under our id
    assert not {"SIAP-3", world.lost_id} & set(stored)
    # the local record that differs keeps its own content
    assert "Nama Diubah" not in stored[world.changed_id]["data"]
    # 5 delivered by the push + 2 imported; the refused one stays refused: nothing left to send
    assert world.stack.delivery_states() == {"delivered": 7, "rejected_by_ministry": 1}
    assert push_queue_depth(world.stack) == 0
    assert world.stack.run_delivery(timeout_s=10)
    api = [s for s in world.ministry.stats.log if s.route == "/v1/records/{domain}"]
    assert len([s for s in api if s.method == "GET"]) == len(DOMAINS)  # one page per domain
    assert not [s for s in api if s.method == "POST"]


def test_second_reconcile_is_incremental_and_idempotent(world: World) -> None:
    world.reconcile()
    watermark = max(r["updated_at"] for r in world.ministry.records(D).values())
    world.ministry.seed_records(
        D, [{"record_id": "SIAP-4", "data": _seeker(NIK_C, "Yusuf")}], source="KARIRHUB"
    )
    stored, states = records(world.stack, D), deliveries(world.stack)
    counted = settled(world.stack, D)

    _, report = world.reconcile()

    since = watermark - SINCE_OVERLAP
    assert (report["mode"], report["updated_since"]) == ("incremental", _iso(since))
    at_ministry = world.ministry.records(D).values()
    assert report["counts"]["pulled"] == sum(r["updated_at"] >= since for r in at_ministry)
    assert report["counts"]["pulled"] < len(at_ministry)  # the old SIAPkerja records are not pulled again
    assert report["counts"]["at_ministry"] == len(at_ministry)
    assert report["imported"] == ["SIAP-4"]
    assert report["only_at_ministry"] == sorted(["SIAP-3", "SIAP-4", world.lost_id])
    assert report["only_here"] == [world.refused_id]
    assert report["hash_differs"] == [world.changed_id]
    after = records(world.stack, D)
    assert {rid: after[rid] for rid in stored} == stored  # nothing rewritten
    assert set(after) - set(stored) == {"SIAP-4"}
    assert after["SIAP-4"]["source"] == "KARIRHUB"
    assert {pk: item for pk, item in deliveries(world.stack).items() if pk in states} == states
    assert settled(world.stack, D) == {**counted, "delivered": counted["delivered"] + 1}  # SIAP-4

    stored, states = records(world.stack, D), deliveries(world.stack)
    _, third = world.reconcile()

    assert records(world.stack, D) == stored
    assert deliveries(world.stack) == states
    assert third["mode"] == "incremental"
    assert third["imported"] == []
    assert third["only_at_ministry"] == sorted(["SIAP-3", world.lost_id])
    assert third["only_here"] == [world.refused_id]
    assert third["hash_differs"] == [world.changed_id]
    assert push_queue_depth(world.stack) == 0


def test_reconcile_of_named_domains_with_a_full_pull(world: World) -> None:
    world.reconcile()

    summary = world.stack.invoke_scheduled("reconcile", {"domains": [D], "full": True})

    assert list(summary["domains"]) == [D]
    assert summary["domains"][D]["mode"] == "full"
    assert summary["domains"][D]["pulled"] == len(world.ministry.records(D))
    assert re.fullmatch(
        r"reconciliation/\d{4}-\d{2}-\d{2}/pencari_kerja\.json", summary["domains"][D]["report"]
    )
