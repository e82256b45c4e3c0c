"""The push handler's metrics and logs: per-domain outcomes, their totals, the breaker, refusals."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from telemetry_support import by_domain, context, emf_points, load, log_lines, service_only, sqs_record

from sikas_sync import telemetry as t
from sikas_sync.delivery.ports import DeliveryState, PushRecord
from sikas_sync.delivery.service import Backoff, Breaker, BreakerOpen, DeliveryDeps
from sikas_sync.ministry import RecordResult, TransientError

T = TypeVar("T")
NIK = "1209015505900001"  # in the record data only: it must not reach the output
REFUSAL = {"field": "nik", "code": "NIK_TIDAK_DIKENAL", "message": f"NIK {NIK} tidak dikenal"}


@dataclass
class Store:
    records: dict[tuple[str, str], PushRecord] = field(default_factory=dict)

    def add(self, domain: str, record_id: str, version: int = 1) -> None:
        self.records[(domain, record_id)] = PushRecord(
            record_id, version, f"h{version}", {"nik": NIK}, None, f"inbox/{domain}/maret.csv#v1"
        )

    def load(self, domain: str, record_ids: list[str]) -> dict[str, PushRecord]:
        return {rid: self.records[(domain, rid)] for rid in record_ids if (domain, rid) in self.records}

    def save(self, domain: str, states: list[DeliveryState]) -> None:
        pass


@dataclass
class Ministry:
    answer: Callable[[str, list[dict[str, Any]]], list[RecordResult]]

    def push(self, domain: str, records: list[dict[str, Any]]) -> list[RecordResult]:
        return self.answer(domain, records)

    @property
    def last_request_id(self) -> str | None:
        return "req-42"


class NoDelay:
    def delay(self, receipt_handle: str, seconds: int) -> None:
        pass


class OpenBreaker(Breaker):
    def call(self, action: Callable[[], T]) -> T:
        raise BreakerOpen(300)


def answer(domain: str, records: list[dict[str, Any]]) -> list[RecordResult]:
    """pencari_kerja: a accepted, b duplicate, c stale; lowongan: d refused; jkp: the ministry is down."""
    if domain == "jkp":
        raise TransientError("503", status=503, retry_after=None)
    statuses = {"a": "accepted", "b": "duplicate", "c": "stale", "d": "rejected"}
    return [
        RecordResult(
            r["record_id"],
            statuses[r["record_id"]],  # type: ignore[arg-type]
            errors=(REFUSAL,) if statuses[r["record_id"]] == "rejected" else (),
        )
        for r in records
    ]


def message(domain: str, record_id: str, version: int = 1) -> dict[str, Any]:
    body = json.dumps({"domain": domain, "record_id": record_id, "version": version})
    return sqs_record(f"m-{record_id}", body, "push")


def invoke(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], breaker: Breaker, *messages: Any
) -> str:
    module = load("push", monkeypatch, POWERTOOLS_SERVICE_NAME="push")
    store = Store()
    for domain, record_id in (("pencari_kerja", "a"), ("pencari_kerja", "b"), ("pencari_kerja", "c")):
        store.add(domain, record_id)
    store.add("lowongan", "d")
    store.add("jkp", "e")
    deps = DeliveryDeps(store, Ministry(answer), NoDelay(), Backoff(30, 1800), breaker, random.Random(1))
    monkeypatch.setattr(module, "load_settings", lambda: None)
    monkeypatch.setattr(module, "delivery_deps", lambda settings: deps)
    capsys.readouterr()
    module.lambda_handler({"Records": list(messages)}, context("push"))
    return capsys.readouterr().out


BATCH = [
    message("pencari_kerja", "a"),
    message("pencari_kerja", "b"),
    message("pencari_kerja", "c"),
    message("lowongan", "d"),
    message("jkp", "e"),
]


def test_each_domain_of_a_batch_gets_its_own_outcome_counts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    points = emf_points(invoke(monkeypatch, capsys, Breaker(), *BATCH))

    assert by_domain(points, t.PUSH_ACCEPTED) == {"pencari_kerja": 2, "lowongan": 0, "jkp": 0}  # + stale
    assert by_domain(points, t.PUSH_DUPLICATE) == {"pencari_kerja": 1, "lowongan": 0, "jkp": 0}
    assert by_domain(points, t.PUSH_REFUSED) == {"pencari_kerja": 0, "lowongan": 1, "jkp": 0}
    assert by_domain(points, t.PUSH_FAILED) == {"pencari_kerja": 0, "lowongan": 0, "jkp": 1}
    assert by_domain(points, t.PUSH_BLOCKED) == {"pencari_kerja": 0, "lowongan": 0, "jkp": 0}
    for point in points:
        assert point.namespace == "SikasSync"
        assert point.unit == "Count"
        if point.name in t.PUSH_METRICS:
            # Published per domain and, from the same document, as the total over all domains.
            assert point.dimension_sets == (("domain", "service"), ("service",))
            assert point.dimensions == {"domain": point.dimensions["domain"], "service": "sikas-sync-12-09"}


def test_requests_and_the_breaker_are_published_once_per_invocation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    points = emf_points(invoke(monkeypatch, capsys, Breaker(), *BATCH))

    requests = service_only(points, t.MINISTRY_REQUESTS)
    breaker = service_only(points, t.BREAKER_OPEN)
    assert [(p.value, p.dimension_sets) for p in requests] == [(3, (("service",),))]  # one per domain
    assert [p.value for p in breaker] == [0]
    assert sum(p.value for p in service_only(points, t.PUSH_ACCEPTED)) == 2


def test_an_open_breaker_publishes_one_and_counts_every_held_record_as_failed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = invoke(monkeypatch, capsys, OpenBreaker(), *BATCH)
    points = emf_points(output)

    assert [p.value for p in service_only(points, t.BREAKER_OPEN)] == [1]
    assert [p.value for p in service_only(points, t.MINISTRY_REQUESTS)] == [0]  # the ministry was spared
    assert by_domain(points, t.PUSH_FAILED) == {"pencari_kerja": 3, "lowongan": 1, "jkp": 1}
    assert by_domain(points, t.PUSH_ACCEPTED) == {"pencari_kerja": 0, "lowongan": 0, "jkp": 0}
    results = {line["domain"]: line for line in log_lines(output, t.LOG_PUSH_RESULTS)}
    assert results["pencari_kerja"]["breaker_open"] is True
    assert results["pencari_kerja"]["records"] == ["a v1 retry", "b v1 retry", "c v1 retry"]


def test_push_results_name_each_record_version_its_outcome_and_its_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = invoke(monkeypatch, capsys, Breaker(), *BATCH)

    results = {line["domain"]: line for line in log_lines(output, t.LOG_PUSH_RESULTS)}
    assert set(results) == {"pencari_kerja", "lowongan", "jkp"}
    assert results["pencari_kerja"]["records"] == ["a v1 accepted", "b v1 duplicate", "c v1 stale"]
    assert results["pencari_kerja"]["files"] == ["inbox/pencari_kerja/maret.csv#v1"]
    assert results["pencari_kerja"]["ministry_request_id"] == "req-42"
    assert (results["lowongan"]["refused"], results["jkp"]["failed"]) == (1, 1)
    assert results["jkp"]["records"] == ["e v1 retry"]


def test_each_refusal_is_logged_with_its_code_and_field_but_not_the_ministrys_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = invoke(monkeypatch, capsys, Breaker(), *BATCH)

    refusals = log_lines(output, t.LOG_MINISTRY_REFUSAL)
    assert [
        (r["domain"], r["record_id"], r["version"], r["error_field"], r["error_code"], r["source_file"])
        for r in refusals
    ] == [("lowongan", "d", 1, "nik", "NIK_TIDAK_DIKENAL", "inbox/lowongan/maret.csv#v1")]
    assert NIK not in output
    assert "tidak dikenal" not in output  # the ministry's free text stays out of the logs


def test_a_record_sent_twice_in_one_batch_counts_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first, again = message("pencari_kerja", "a"), message("pencari_kerja", "a")
    again["messageId"] = "m-a-again"
    points = emf_points(invoke(monkeypatch, capsys, Breaker(), first, again))

    assert by_domain(points, t.PUSH_ACCEPTED) == {"pencari_kerja": 1}
