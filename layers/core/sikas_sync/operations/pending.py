"""Undelivered records by domain and age: what `sikas-sync pending` and the sweep look at."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..adapters.dynamodb_delivery import state_from_item
from ..delivery.ports import DeliveryState, delivery_status
from . import breaker

AGE_BUCKETS = ((3600, "under_1h"), (24 * 3600, "1h_to_24h"), (None, "over_24h"))
CONTROL_PREFIX = "_control#"


@dataclass(frozen=True)
class UndeliveredRecord:
    domain: str
    record_id: str
    version: int
    status: str  # pending or blocked
    age_s: int


@dataclass
class PendingReport:
    by_domain: dict[str, dict[str, int]] = field(default_factory=dict)
    delivered: int = 0
    rejected_by_ministry: int = 0
    oldest_age_s: int = 0

    def add(self, record: UndeliveredRecord) -> None:
        counts = self.by_domain.setdefault(record.domain, {"pending": 0, "blocked": 0, "oldest_age_s": 0})
        counts[record.status] = counts.get(record.status, 0) + 1
        bucket = next(name for limit, name in AGE_BUCKETS if limit is None or record.age_s < limit)
        counts[bucket] = counts.get(bucket, 0) + 1
        counts["oldest_age_s"] = max(counts["oldest_age_s"], record.age_s)
        self.oldest_age_s = max(self.oldest_age_s, record.age_s)

    @property
    def undelivered(self) -> int:
        return sum(c["pending"] + c["blocked"] for c in self.by_domain.values())

    @property
    def pending(self) -> int:
        """Undelivered and not blocked: what waits for the ministry (and its breaker)."""
        return sum(c["pending"] for c in self.by_domain.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "undelivered": self.undelivered,
            "delivered": self.delivered,
            "rejected_by_ministry": self.rejected_by_ministry,
            "oldest_age_s": self.oldest_age_s,
            "by_domain": self.by_domain,
        }


def _scan(
    dynamodb: Any, table: str, projection: str, names: dict[str, str] | None = None
) -> Iterator[dict[str, Any]]:
    args: dict[str, Any] = {"TableName": table, "ProjectionExpression": projection}
    if names:
        args["ExpressionAttributeNames"] = names
    for page in dynamodb.get_paginator("scan").paginate(**args):
        yield from page["Items"]


def delivery_states(
    dynamodb: Any, deliveries_table: str, control: dict[str, dict[str, Any]] | None = None
) -> dict[str, DeliveryState]:
    """Every record's delivery state by key; the control items (the circuit breaker's) go into
    `control` when given, read by the same scan."""
    states = {}
    for item in _scan(
        dynamodb,
        deliveries_table,
        f"pk, record_id, #s, delivered_version, rejected_version, {breaker.PROJECTION}",
        {"#s": "status", **breaker.NAMES},
    ):
        if item["pk"]["S"].startswith(CONTROL_PREFIX):
            if control is not None:
                control[item["pk"]["S"]] = item
            continue
        states[item["pk"]["S"]] = state_from_item(item)
    return states


def undelivered_records(
    dynamodb: Any,
    records_table: str,
    deliveries_table: str,
    now: float | None = None,
    control: dict[str, dict[str, Any]] | None = None,
) -> tuple[Iterator[UndeliveredRecord], dict[str, int]]:
    """Every record not yet delivered or refused, and the counts of the terminal states seen."""
    now = time.time() if now is None else now
    states = delivery_states(dynamodb, deliveries_table, control)
    terminal = {"delivered": 0, "rejected_by_ministry": 0}

    def walk() -> Iterator[UndeliveredRecord]:
        for item in _scan(
            dynamodb, records_table, "pk, #d, record_id, version, updated_at", {"#d": "domain"}
        ):
            version = int(item["version"]["N"])
            status = delivery_status(version, states.get(item["pk"]["S"]))
            if status in terminal:
                terminal[status] += 1
                continue
            age = int(now - int(item.get("updated_at", {"N": str(int(now))})["N"]))
            yield UndeliveredRecord(item["domain"]["S"], item["record_id"]["S"], version, status, max(age, 0))

    return walk(), terminal


def pending_report(
    dynamodb: Any, records_table: str, deliveries_table: str, now: float | None = None
) -> PendingReport:
    records, terminal = undelivered_records(dynamodb, records_table, deliveries_table, now)
    report = PendingReport()
    for record in records:
        report.add(record)
    report.delivered, report.rejected_by_ministry = terminal["delivered"], terminal["rejected_by_ministry"]
    return report
