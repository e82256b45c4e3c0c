"""The reconcile use case with fakes: what it finds, what it stores, what it pulls and when."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from pydantic import ValidationError
from reconcile_fakes import DOMAIN, START, World, our_id, person

from sikas_sync.domains import BY_SLUG, DOMAINS
from sikas_sync.reconcile.service import (
    FULL_PULL_EVERY,
    SINCE_OVERLAP,
    ReconcileFailed,
    ReconcileRequest,
    index_key,
    natural_key_of,
)
from sikas_sync.validation.canonical import content_hash

NIK = {name: f"1209{n:012d}" for n, name in enumerate(["a", "b", "c", "d", "e", "f"], start=1)}


@pytest.fixture
def world() -> World:
    """Here: a, b, c. At the ministry: a (same), b (changed there), d (SIAPkerja), e (SIKAS, gone here)."""
    world = World()
    for name in ("a", "b", "c"):
        world.local.seed(NIK[name])
    world.ministry.put(our_id(NIK["a"]), person(NIK["a"]), source="SIKAS")
    world.ministry.put(
        our_id(NIK["b"]), person(NIK["b"], nama="Siti Aminah Lubis"), source="SIKAS", version=2
    )
    world.ministry.put(
        "SIAP-d", person(NIK["d"], nama="Budi"), version=3, updated_at=START - timedelta(days=3)
    )
    world.ministry.put(our_id(NIK["e"]), person(NIK["e"]), source="SIKAS")
    return world


def test_full_run_reports_each_kind_of_difference_by_id(world: World) -> None:
    outcome = world.run()

    outcome.raise_for_failures()
    result = outcome.domains[DOMAIN]
    assert result.mode == "full"
    assert world.ministry.pulls == [(DOMAIN, None)]
    # 18:30 UTC is already the next day in WIB
    report = world.report(f"reconciliation/2025-06-02/{DOMAIN}.json")
    assert report["only_at_ministry"] == sorted(["SIAP-d", our_id(NIK["e"])])
    assert report["only_here"] == [our_id(NIK["c"])]
    assert report["hash_differs"] == [our_id(NIK["b"])]
    assert report["imported"] == ["SIAP-d"]  # e came from SIKAS: reported, not restored
    assert report["natural_key_conflicts"] == []
    assert report["counts"] == {
        "pulled": 4,
        "invalid": 0,
        "at_ministry": 4,
        "here": 4,
        "in_sync": 1,
        "only_at_ministry": 2,
        "only_here": 1,
        "hash_differs": 1,
        "imported": 1,
        "natural_key_conflicts": 0,
    }
    assert (report["domain"], report["region_code"], report["mode"]) == (DOMAIN, "12.09", "full")


def test_report_holds_ids_and_counts_only(world: World) -> None:
    world.run()

    text = json.dumps(world.report(f"reconciliation/2025-06-02/{DOMAIN}.json"))
    for value in [*NIK.values(), "Siti", "Budi", "2025-05-02"]:
        assert value not in text


def test_ministry_only_record_is_stored_as_the_ministry_holds_it_and_marked_delivered(world: World) -> None:
    world.run()

    (imported,) = world.local.created
    assert imported.record_id == "SIAP-d"  # the ministry's id, not one derived here
    assert (imported.version, imported.source) == (3, "SIAPKERJA")
    assert imported.content_hash == content_hash(person(NIK["d"], nama="Budi"))
    assert imported.data == person(NIK["d"], nama="Budi")
    assert imported.natural_key == (NIK["d"],)
    ((domain, state),) = world.deliveries.saved
    assert domain == DOMAIN
    assert (state.record_id, state.status, state.delivered_version) == ("SIAP-d", "delivered", 3)
    assert (state.ministry_ref, state.ministry_result) == ("REF-SIAP-d", "imported")


def test_local_records_are_never_overwritten(world: World) -> None:
    before = {key: dict(item) for key, item in world.local.items.items()}

    world.run()

    # b differs at the ministry: reported, the local version stays
    assert all(world.local.items[key] == item for key, item in before.items())


def test_record_stored_meanwhile_is_not_imported(world: World) -> None:
    world.local.stored_meanwhile.add("SIAP-d")

    result = world.run().domains[DOMAIN]

    assert result.imported == []
    assert world.deliveries.saved == []
    assert world.local.items[(DOMAIN, "SIAP-d")]["content_hash"] == "from-ingest"


def test_same_natural_key_under_our_id_is_reported_not_imported(world: World) -> None:
    # c registered in SIAPkerja too, under the ministry's own id
    world.ministry.put("SIAP-c", person(NIK["c"]), version=1)

    result = world.run().domains[DOMAIN]

    assert result.natural_key_conflicts == [{"ministry_id": "SIAP-c", "local_id": our_id(NIK["c"])}]
    assert "SIAP-c" in result.only_at_ministry
    assert "SIAP-c" not in result.imported
    assert [r.record_id for r in world.local.created] == ["SIAP-d"]


def test_natural_key_comes_from_the_data_when_every_key_field_is_there() -> None:
    training = BY_SLUG["pelatihan"]

    assert natural_key_of(training, {"kode_program": "P1", "angkatan": 2, "nik": NIK["a"]}) == (
        "P1",
        "2",
        NIK["a"],
    )
    assert natural_key_of(training, {"kode_program": "P1", "nik": NIK["a"]}) == ()
    assert natural_key_of(training, {"kode_program": "P1", "angkatan": " ", "nik": NIK["a"]}) == ()


def test_import_without_natural_key_is_stored_with_an_empty_one(world: World) -> None:
    world.ministry.put("SIAP-x", {"nama": "Tanpa NIK"}, updated_at=START - timedelta(days=1))

    world.run()

    created = {r.record_id: r for r in world.local.created}
    assert created["SIAP-x"].natural_key == ()


def test_second_run_pulls_only_what_changed_and_writes_nothing_again(world: World) -> None:
    world.run()
    created, saved = list(world.local.created), list(world.deliveries.saved)
    watermark = max(r["updated_at"] for r in world.ministry.records[DOMAIN].values())
    world.clock.advance(days=1)

    result = world.run().domains[DOMAIN]

    assert result.mode == "incremental"
    assert world.ministry.pulls[-1] == (DOMAIN, datetime.fromisoformat(watermark) - SINCE_OVERLAP)
    assert result.updated_since == world.ministry.pulls[-1][1]
    assert result.pulled == 1  # only d again, the latest change: updated_since is inclusive
    assert world.local.created == created
    assert world.deliveries.saved == saved
    # the whole domain is still compared: d is in sync now, the rest as before
    assert result.only_at_ministry == [our_id(NIK["e"])]
    assert result.only_here == [our_id(NIK["c"])]
    assert result.hash_differs == [our_id(NIK["b"])]
    assert result.counts()["in_sync"] == 2


def test_incremental_run_applies_the_ministrys_changes(world: World) -> None:
    world.run()
    world.clock.advance(days=1)
    # b corrected at the ministry to what we hold; f registered in SIAPkerja since
    world.ministry.put(
        our_id(NIK["b"]), person(NIK["b"]), source="SIKAS", version=3, updated_at=world.clock.now
    )
    world.ministry.put("SIAP-f", person(NIK["f"]), source="KARIRHUB", updated_at=world.clock.now)

    result = world.run().domains[DOMAIN]

    assert result.mode == "incremental"
    assert result.pulled == 3  # b and f, and d at the old watermark
    assert result.hash_differs == []
    assert result.imported == ["SIAP-f"]
    assert result.only_at_ministry == sorted([our_id(NIK["e"]), "SIAP-f"])
    assert world.local.created[-1].source == "KARIRHUB"


@pytest.mark.parametrize("reason", ["no index", "a week passed", "asked"])
def test_full_pull_when_it_cannot_or_should_not_be_incremental(world: World, reason: str) -> None:
    world.run()
    world.clock.advance(days=1)
    if reason == "no index":
        del world.objects.documents[index_key(DOMAIN)]
    elif reason == "a week passed":
        world.clock.advance(seconds=FULL_PULL_EVERY.total_seconds())

    result = world.run(full=reason == "asked").domains[DOMAIN]

    assert result.mode == "full"
    assert world.ministry.pulls[-1] == (DOMAIN, None)
    assert world.control.states[DOMAIN].last_full_at == world.clock.now


def test_full_pull_forgets_what_the_ministry_erased(world: World) -> None:
    world.run()
    del world.ministry.records[DOMAIN][our_id(NIK["a"])]  # an erasure request, invisible to updated_since
    world.clock.advance(days=1)
    assert our_id(NIK["a"]) not in world.run().domains[DOMAIN].only_here  # incremental: still in the index

    world.clock.advance(days=7)
    result = world.run().domains[DOMAIN]

    assert result.mode == "full"
    assert our_id(NIK["a"]) in result.only_here


def test_domain_with_nothing_at_the_ministry_pulls_everything_next_time() -> None:
    world = World()
    world.local.seed(NIK["a"])
    world.run()
    world.clock.advance(days=1)

    result = world.run().domains[DOMAIN]

    assert result.mode == "full"  # no watermark to start from
    assert result.only_here == [our_id(NIK["a"])]


def test_failing_domain_does_not_stop_the_others_and_keeps_its_state(world: World) -> None:
    world.ministry.failing.add("lowongan")

    outcome = world.run("lowongan", DOMAIN)

    assert outcome.failed == {"lowongan": "TransientError"}
    assert DOMAIN in outcome.domains
    assert "lowongan" not in world.control.states
    with pytest.raises(ReconcileFailed, match=r"1 domain\(s\): lowongan \(TransientError\)"):
        outcome.raise_for_failures()


def test_pulled_records_without_the_contracts_fields_are_counted_and_skipped(world: World) -> None:
    broken = world.ministry.put("SIAP-broken", person(NIK["f"]))
    broken["version"] = 0
    world.ministry.put("SIAP-nodata", person(NIK["f"]))["data"] = None

    result = world.run().domains[DOMAIN]

    assert result.invalid == 2
    assert "SIAP-broken" not in result.only_at_ministry + result.imported


def test_request_selects_domains_of_the_registry() -> None:
    assert [d.slug for d in ReconcileRequest().selected()] == [d.slug for d in DOMAINS]
    assert [d.slug for d in ReconcileRequest(domains=["jkp", "jkp", "wlkp"]).selected()] == ["jkp", "wlkp"]
    assert ReconcileRequest.model_validate({"unrelated": 1}).domains is None
    with pytest.raises(ValidationError, match="unknown domains: nope"):
        ReconcileRequest(domains=["nope"])
    with pytest.raises(ValidationError, match="must not be empty"):
        ReconcileRequest(domains=[])
