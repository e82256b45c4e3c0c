"""The push use case with fakes: what is sent, what is marked, what is retried and when."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from sikas_sync.delivery.ports import DeliveryState, PushItem, PushRecord, delivery_status
from sikas_sync.delivery.service import Backoff, Breaker, BreakerOpen, DeliveryDeps, deliver
from sikas_sync.ministry import AuthenticationError, PermanentError, RecordResult, TransientError

T = TypeVar("T")


@dataclass
class FakeStore:
    records: dict[tuple[str, str], PushRecord] = field(default_factory=dict)
    saved: list[tuple[str, DeliveryState]] = field(default_factory=list)

    def add(self, domain: str, record_id: str, version: int, state: DeliveryState | None = None) -> None:
        self.records[(domain, record_id)] = PushRecord(
            record_id, version, f"h{version}", {"id": record_id}, state
        )

    def load(self, domain: str, record_ids: list[str]) -> dict[str, PushRecord]:
        return {rid: self.records[(domain, rid)] for rid in record_ids if (domain, rid) in self.records}

    def save(self, domain: str, states: list[DeliveryState]) -> None:
        self.saved.extend((domain, state) for state in states)

    def with_status(self, status: str) -> list[tuple[str, str, DeliveryState]]:
        return sorted(((d, s.record_id, s) for d, s in self.saved if s.status == status), key=lambda t: t[:2])

    @property
    def delivered(self) -> list[tuple[str, str, int | None, str | None]]:
        return [(d, rid, s.delivered_version, s.ministry_ref) for d, rid, s in self.with_status("delivered")]


@dataclass
class FakeMinistry:
    answer: Callable[[str, list[dict[str, Any]]], list[RecordResult]]
    calls: list[tuple[str, list[str]]] = field(default_factory=list)

    def push(self, domain: str, records: list[dict[str, Any]]) -> list[RecordResult]:
        self.calls.append((domain, [r["record_id"] for r in records]))
        return self.answer(domain, records)

    @property
    def last_request_id(self) -> str | None:
        return "req-1"


@dataclass
class FakeDelay:
    delays: dict[str, int] = field(default_factory=dict)

    def delay(self, receipt_handle: str, seconds: int) -> None:
        self.delays[receipt_handle] = seconds


class OpenBreaker(Breaker):
    def call(self, action: Callable[[], T]) -> T:
        raise BreakerOpen(120)


def accept_all(domain: str, records: list[dict[str, Any]]) -> list[RecordResult]:
    return [RecordResult(r["record_id"], "accepted", ministry_ref=f"REF-{r['record_id']}") for r in records]


def item(record_id: str, version: int = 1, domain: str = "pencari_kerja", receive_count: int = 1) -> PushItem:
    return PushItem(
        f"m-{record_id}-{version}", f"rh-{record_id}-{version}", receive_count, domain, record_id, version
    )


def deps(
    store: FakeStore, ministry: FakeMinistry, delay: FakeDelay, breaker: Breaker | None = None
) -> DeliveryDeps:
    return DeliveryDeps(
        store, ministry, delay, Backoff(base_s=30, cap_s=1800), breaker or Breaker(), random.Random(1)
    )


def test_one_request_per_domain_and_every_record_marked_delivered_with_its_ref() -> None:
    store, delay = FakeStore(), FakeDelay()
    for rid in ("a", "b"):
        store.add("pencari_kerja", rid, 1)
    store.add("lowongan", "c", 2)
    ministry = FakeMinistry(accept_all)
    counts = deliver([item("a"), item("b"), item("c", 2, "lowongan")], deps(store, ministry, delay))
    assert sorted(ministry.calls) == [("lowongan", ["c"]), ("pencari_kerja", ["a", "b"])]
    assert store.delivered == [
        ("lowongan", "c", 2, "REF-c"),
        ("pencari_kerja", "a", 1, "REF-a"),
        ("pencari_kerja", "b", 1, "REF-b"),
    ]
    assert counts.delivered == 3
    assert counts.failed_message_ids == set()
    assert counts.requests == 2


def test_superseded_and_already_delivered_versions_are_not_sent() -> None:
    store, delay = FakeStore(), FakeDelay()
    store.add("pencari_kerja", "new", 3)  # message says version 2: a newer version has its own message
    store.add("pencari_kerja", "done", 1, DeliveryState("done", "delivered", delivered_version=1))
    store.add(
        "pencari_kerja", "refused", 1, DeliveryState("refused", "rejected_by_ministry", rejected_version=1)
    )
    ministry = FakeMinistry(accept_all)
    counts = deliver(
        [item("new", 2), item("done"), item("refused"), item("erased")], deps(store, ministry, delay)
    )
    assert ministry.calls == []
    assert counts.skipped == 4
    assert counts.failed_message_ids == set()


def test_duplicate_and_stale_count_as_delivered_rejected_keeps_errors() -> None:
    store, delay = FakeStore(), FakeDelay()
    for rid in ("dup", "old", "bad"):
        store.add("jkp", rid, 1)
    errors = ({"field": "nik", "code": "NIK_TIDAK_DIKENAL", "message": "NIK tidak dikenal"},)

    def answer(domain: str, records: list[dict[str, Any]]) -> list[RecordResult]:
        return [
            RecordResult("dup", "duplicate", ministry_ref="R1"),
            RecordResult("old", "stale"),
            RecordResult("bad", "rejected", errors=errors),
        ]

    counts = deliver(
        [item("dup", domain="jkp"), item("old", domain="jkp"), item("bad", domain="jkp")],
        deps(store, FakeMinistry(answer), delay),
    )
    assert {d[1] for d in store.delivered} == {"dup", "old"}
    [(_, _, refused)] = store.with_status("rejected_by_ministry")
    assert (refused.record_id, refused.rejected_version, refused.errors) == ("bad", 1, errors)
    assert (counts.delivered, counts.duplicate, counts.rejected) == (2, 1, 1)
    assert counts.failed_message_ids == set()


def test_transient_failure_delays_each_message_with_growing_jittered_backoff() -> None:
    store, delay = FakeStore(), FakeDelay()
    store.add("pencari_kerja", "a", 1)
    store.add("pencari_kerja", "b", 1)

    def down(domain: str, records: list[dict[str, Any]]) -> list[RecordResult]:
        raise TransientError("503", status=503, retry_after=None)

    counts = deliver(
        [item("a", receive_count=1), item("b", receive_count=4)], deps(store, FakeMinistry(down), delay)
    )
    assert counts.failed_message_ids == {"m-a-1", "m-b-1"}
    assert 15 <= delay.delays["rh-a-1"] <= 30  # 30 s base, equal jitter: between half and all of it
    assert 120 <= delay.delays["rh-b-1"] <= 240  # fourth receive: 30 * 2^3
    assert store.delivered == []


def test_retry_after_is_a_floor_and_the_cap_holds() -> None:
    backoff = Backoff(base_s=30, cap_s=1800)
    rng = random.Random(7)
    assert backoff.delay(1, retry_after=100, rng=rng) >= 100
    assert all(backoff.delay(n, None, rng) <= 1800 for n in range(1, 60))


def test_partial_results_before_a_transient_failure_are_kept() -> None:
    store, delay = FakeStore(), FakeDelay()
    for rid in ("a", "b"):
        store.add("lowongan", rid, 1)

    def half(domain: str, records: list[dict[str, Any]]) -> list[RecordResult]:
        error = TransientError("429", status=429, retry_after=5)
        error.partial = [RecordResult("a", "accepted", ministry_ref="R-a")]
        raise error

    counts = deliver(
        [item("a", domain="lowongan"), item("b", domain="lowongan")], deps(store, FakeMinistry(half), delay)
    )
    assert store.delivered == [("lowongan", "a", 1, "R-a")]
    assert counts.failed_message_ids == {"m-b-1"}


def test_permanent_failure_blocks_records_and_lets_the_messages_go() -> None:
    store, delay = FakeStore(), FakeDelay()
    store.add("wlkp", "a", 1)

    def forbidden(domain: str, records: list[dict[str, Any]]) -> list[RecordResult]:
        raise PermanentError("403", status=403)

    counts = deliver([item("a", domain="wlkp")], deps(store, FakeMinistry(forbidden), delay))
    [(_, _, blocked)] = store.with_status("blocked")
    assert (blocked.record_id, blocked.blocked_reason) == ("a", "http_403")
    assert counts.failed_message_ids == set()
    assert delay.delays == {}


def test_open_breaker_calls_nobody_and_waits_out_the_cool_down() -> None:
    store, delay = FakeStore(), FakeDelay()
    store.add("pelatihan", "a", 1)
    ministry = FakeMinistry(accept_all)
    counts = deliver([item("a", domain="pelatihan")], deps(store, ministry, delay, OpenBreaker()))
    assert ministry.calls == []
    assert counts.failed_message_ids == {"m-a-1"}
    assert delay.delays["rh-a-1"] >= 120


@pytest.mark.parametrize("receive_count", [1, 2, 10, 50])
def test_backoff_never_exceeds_sqs_visibility_limit(receive_count: int) -> None:
    backoff = Backoff(base_s=30, cap_s=10**9)
    assert backoff.delay(receive_count, None, random.Random(0)) <= 12 * 3600


def test_a_new_version_after_delivery_keeps_the_ministry_ref_when_the_answer_has_none() -> None:
    store, delay = FakeStore(), FakeDelay()
    store.add(
        "pencari_kerja",
        "a",
        2,
        DeliveryState("a", "delivered", delivered_version=1, ministry_ref="PK-1209-000001"),
    )

    def accepted_without_ref(domain: str, records: list[dict[str, Any]]) -> list[RecordResult]:
        return [RecordResult(r["record_id"], "accepted") for r in records]

    deliver([item("a", 2)], deps(store, FakeMinistry(accepted_without_ref), delay))
    assert store.delivered == [("pencari_kerja", "a", 2, "PK-1209-000001")]


@pytest.mark.parametrize(
    ("version", "state", "expected"),
    [
        (1, None, "pending"),
        (2, DeliveryState("r", "delivered", delivered_version=1), "pending"),
        (2, DeliveryState("r", "delivered", delivered_version=2), "delivered"),
        (
            2,
            DeliveryState("r", "rejected_by_ministry", delivered_version=1, rejected_version=2),
            "rejected_by_ministry",
        ),
        (3, DeliveryState("r", "rejected_by_ministry", rejected_version=2), "pending"),
        (1, DeliveryState("r", "blocked", blocked_reason="http_403"), "blocked"),
    ],
)
def test_delivery_status_of_a_version(version: int, state: DeliveryState | None, expected: str) -> None:
    assert delivery_status(version, state) == expected


def test_a_refused_login_is_retried_later_not_blocked() -> None:
    store, delay = FakeStore(), FakeDelay()
    store.add("penempatan", "a", 1)

    def unauthorised(domain: str, records: list[dict[str, Any]]) -> list[RecordResult]:
        raise AuthenticationError("401", status=401)

    counts = deliver([item("a", domain="penempatan")], deps(store, FakeMinistry(unauthorised), delay))
    assert store.saved == []
    assert counts.failed_message_ids == {"m-a-1"}


def test_a_permanent_failure_blocks_only_the_records_of_the_failed_request() -> None:
    store, delay = FakeStore(), FakeDelay()
    for rid in ("a", "b", "c"):
        store.add("wlkp", rid, 1)

    def second_request_forbidden(domain: str, records: list[dict[str, Any]]) -> list[RecordResult]:
        error = PermanentError("400", status=400)
        error.partial = [RecordResult("a", "accepted", ministry_ref="R-a")]
        error.record_ids = ("b",)
        raise error

    counts = deliver(
        [item(r, domain="wlkp") for r in ("a", "b", "c")],
        deps(store, FakeMinistry(second_request_forbidden), delay),
    )
    assert store.delivered == [("wlkp", "a", 1, "R-a")]
    assert [s.record_id for _, _, s in store.with_status("blocked")] == ["b"]
    assert counts.failed_message_ids == {"m-c-1"}  # never sent: tried again later
