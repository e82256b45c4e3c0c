"""The erasure use case with in-memory fakes: what is erased, in which order, what is audited."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from sikas_sync.ingest.record_ids import record_id
from sikas_sync.operations.erase import (
    AUDIT_PREFIX,
    ErasureDeps,
    ErasureRefused,
    ErasureRequest,
    MinistryEraseFailed,
    erase,
    request_from_event,
)

KEY = b"k" * 32
NIK = "1209015001900001"  # valid: Asahan (1209), a woman born 10 January 1990 (day 50 = 10 + 40)
OTHER_NIK = "1209014101900002"
CLOCK = datetime(2025, 3, 31, 18, 30, tzinfo=UTC)  # 01:30 WIB on 1 April: the audit key uses WIB


class Boom(RuntimeError):
    pass


@dataclass
class FakeRecords:
    """The records table by (domain, record_id) → data, and the deliveries table's keys."""

    items: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    deliveries: set[tuple[str, str]] = field(default_factory=set)
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    fail_search: bool = False

    def add(self, domain: str, rid: str, **data: Any) -> None:
        self.items[(domain, rid)] = data
        self.deliveries.add((domain, rid))

    def with_nik(self, domain: str, nik: str) -> list[str]:
        if self.fail_search:
            raise Boom("scan failed")
        return [rid for (d, rid), data in self.items.items() if d == domain and data.get("nik") == nik]

    def delete(self, domain: str, record_id: str) -> bool:
        self.calls.append(("here", domain, record_id))
        self.deliveries.discard((domain, record_id))
        return self.items.pop((domain, record_id), None) is not None


@dataclass
class FakeMinistry:
    held: set[tuple[str, str]] = field(default_factory=set)
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)  # record ids the ministry does not confirm

    def delete(self, domain: str, record_id: str) -> str | None:
        self.calls.append(("ministry", domain, record_id))
        if record_id in self.failing:
            raise MinistryEraseFailed(
                "erase: the ministry answered 503 (request r-x)", status=503, request_id="r-x"
            )
        self.held.discard((domain, record_id))
        return f"req-{len(self.calls)}"


@dataclass
class FakeAudit:
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)

    def put(self, key: str, document: dict[str, Any]) -> None:
        self.objects[key] = json.loads(json.dumps(document))  # as stored: JSON only


@dataclass
class World:
    records: FakeRecords = field(default_factory=FakeRecords)
    ministry: FakeMinistry = field(default_factory=FakeMinistry)
    audit: FakeAudit = field(default_factory=FakeAudit)

    def deps(self) -> ErasureDeps:
        return ErasureDeps(
            records=self.records,
            ministry=self.ministry,
            audit=self.audit,
            hmac_key=KEY,
            clock=lambda: CLOCK,
            new_id=lambda: "00000000-0000-4000-8000-000000000001",
        )

    def only_audit(self) -> dict[str, Any]:
        (document,) = self.audit.objects.values()
        return document


def _request(domain: str, nik: str = NIK, requested_by: str = "petugas@disnaker") -> ErasureRequest:
    return ErasureRequest(domain=domain, nik=nik, requested_by=requested_by)


def test_pencari_kerja_erases_the_nik_s_own_record_here_and_at_the_ministry() -> None:
    world = World()
    own = record_id(KEY, "pencari_kerja", (NIK,))
    other = record_id(KEY, "pencari_kerja", (OTHER_NIK,))
    world.records.add("pencari_kerja", own, nik=NIK)
    world.records.add("pencari_kerja", other, nik=OTHER_NIK)
    world.records.add("kartu_ak1", "card-1", nik=NIK)  # another domain: another request
    world.ministry.held |= {("pencari_kerja", own), ("pencari_kerja", other)}

    result = erase(_request("pencari_kerja"), world.deps())

    assert result.status == "complete"
    assert [r.record_id for r in result.records] == [own]
    assert set(world.records.items) == {("pencari_kerja", other), ("kartu_ak1", "card-1")}
    assert world.records.deliveries == {("pencari_kerja", other), ("kartu_ak1", "card-1")}
    assert world.ministry.held == {("pencari_kerja", other)}
    # The ministry confirms before anything is deleted here: a failed run can be repeated.
    assert world.ministry.calls[0][0] == "ministry"
    assert world.records.calls == [("here", "pencari_kerja", own)]


def test_the_ministry_is_asked_even_when_nothing_is_stored_here() -> None:
    world = World()
    own = record_id(KEY, "pencari_kerja", (NIK,))
    world.ministry.held.add(("pencari_kerja", own))
    result = erase(_request("pencari_kerja"), world.deps())
    assert [(r.record_id, r.ministry, r.here) for r in result.records] == [(own, "erased", "absent")]
    assert not world.ministry.held


def test_an_imported_record_under_the_ministry_s_id_is_found_by_its_data() -> None:
    world = World()
    world.records.add("pencari_kerja", "ministry-id-7", nik=NIK)  # reconciliation imported it
    result = erase(_request("pencari_kerja"), world.deps())
    assert {r.record_id for r in result.records} == {record_id(KEY, "pencari_kerja", (NIK,)), "ministry-id-7"}
    assert not world.records.items


@pytest.mark.parametrize("domain", ["kartu_ak1", "penempatan", "pelatihan", "jkp"])
def test_domains_with_a_nik_field_erase_every_record_holding_exactly_that_nik(domain: str) -> None:
    world = World()
    world.records.add(domain, "a", nik=NIK)
    world.records.add(domain, "b", nik=NIK)
    world.records.add(domain, "c", nik=OTHER_NIK)
    world.records.add("pencari_kerja", "p", nik=NIK)
    result = erase(_request(domain), world.deps())
    assert [r.record_id for r in result.records] == ["a", "b"]
    assert all(r.ministry == "erased" and r.here == "deleted" for r in result.records)
    assert set(world.records.items) == {(domain, "c"), ("pencari_kerja", "p")}
    assert [c[2] for c in world.ministry.calls] == ["a", "b"]


def test_the_audit_entry_names_everything_but_the_nik() -> None:
    world = World()
    world.records.add("jkp", "claim-1", nik=NIK)
    result = erase(_request("jkp", nik="1209 0150 0190 0001", requested_by="  Budi (DPO)  "), world.deps())
    # The date in the key is WIB's (01:30 on 1 April), the id a fresh uuid.
    assert result.audit_key == f"{AUDIT_PREFIX}2025-04-01/00000000-0000-4000-8000-000000000001.json"
    document = world.audit.objects[result.audit_key]
    assert document == {
        "erasure_id": "00000000-0000-4000-8000-000000000001",
        "status": "complete",
        "domain": "jkp",
        "subject": "1209************",
        "requested_by": "Budi (DPO)",
        "requested_at": "2025-03-31T18:30:00Z",
        "completed_at": "2025-03-31T18:30:00Z",
        "records": [
            {"record_id": "claim-1", "ministry": "erased", "ministry_request_id": "req-1", "here": "deleted"}
        ],
        "error": None,
        "audit_key": result.audit_key,
    }
    assert NIK not in json.dumps(document)


def test_a_ministry_failure_stops_keeps_the_rest_here_and_a_second_run_finishes() -> None:
    world = World()
    for rid in ("a", "b", "c"):
        world.records.add("kartu_ak1", rid, nik=NIK)
    world.ministry.failing.add("b")

    first = erase(_request("kartu_ak1"), world.deps())

    assert first.status == "incomplete"
    assert [(r.record_id, r.ministry, r.here) for r in first.records] == [
        ("a", "erased", "deleted"),
        ("b", "failed", "kept"),
        ("c", "not_attempted", "kept"),
    ]
    assert set(world.records.items) == {("kartu_ak1", "b"), ("kartu_ak1", "c")}
    audited = world.only_audit()
    assert audited["status"] == "incomplete"
    assert audited["error"] == {
        "record_id": "b",
        "step": "ministry",
        "status": 503,
        "request_id": "r-x",
        "message": "erase: the ministry answered 503 (request r-x)",
    }

    world.ministry.failing.clear()
    world.audit.objects.clear()
    second = erase(_request("kartu_ak1"), world.deps())
    assert second.status == "complete"
    assert [r.record_id for r in second.records] == ["b", "c"]
    assert not world.records.items


def test_a_failure_of_the_records_store_is_audited_and_raised() -> None:
    world = World()
    world.records.fail_search = True
    with pytest.raises(Boom):
        erase(_request("penempatan"), world.deps())
    audited = world.only_audit()
    assert audited["status"] == "incomplete"
    assert audited["error"] == {"step": "here", "message": "Boom"}
    assert not world.ministry.calls


@pytest.mark.parametrize(
    ("request_", "says"),
    [
        (_request("lowongan"), "no records of persons"),
        (_request("nope"), "unknown domain"),
        (_request("pencari_kerja", nik="12090150019000"), "NIK"),
        (_request("pencari_kerja", nik="9999015001900001"), "NIK"),
        (_request("pencari_kerja", requested_by=" "), "requested_by"),
        (_request("pencari_kerja", requested_by="a\nb"), "requested_by"),
        (_request("pencari_kerja", requested_by="x" * 201), "requested_by"),
    ],
)
def test_requests_that_cannot_be_carried_out_are_refused_before_anything_is_done(
    request_: ErasureRequest, says: str
) -> None:
    world = World()
    world.records.add("pencari_kerja", "p", nik=NIK)
    with pytest.raises(ErasureRefused, match=says) as refused:
        erase(request_, world.deps())
    assert request_.nik not in str(refused.value)
    assert not world.ministry.calls
    assert not world.audit.objects
    assert world.records.items


def test_the_event_is_read_without_repeating_its_values() -> None:
    request = request_from_event({"domain": "jkp", "nik": NIK, "requested_by": "dpo"})
    assert request == ErasureRequest("jkp", NIK, "dpo")
    assert NIK not in repr(request)
    with pytest.raises(ErasureRefused, match="nik, requested_by") as refused:
        request_from_event({"domain": "jkp", "nik": int(NIK)})
    assert NIK not in str(refused.value)
    with pytest.raises(ErasureRefused):
        request_from_event([NIK])
