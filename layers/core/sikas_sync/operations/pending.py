"""Undelivered records by domain and age: what `sikas-sync pending` and the sweep look at."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..adapters.concurrent_calls import each_at_once
from ..adapters.dynamodb_batch import batch_get
from ..adapters.dynamodb_delivery import counts_key
from ..adapters.dynamodb_records import pending_shards
from ..delivery.ports import BREAKER_NAME
from ..domains.slugs import SLUGS as DOMAIN_SLUGS
from ..resources import UNDELIVERED_INDEX

AGE_BUCKETS = ((3600, "under_1h"), (24 * 3600, "1h_to_24h"), (None, "over_24h"))


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


def _undelivered_items(dynamodb: Any, records_table: str) -> Iterator[dict[str, Any]]:
    """The records items in the undelivered index, a domain and shard at a time, oldest first:
    what is read grows with what waits, not with the table."""

    def shard_items(shard: str) -> list[dict[str, Any]]:
        pages = dynamodb.get_paginator("query").paginate(
            TableName=records_table,
            IndexName=UNDELIVERED_INDEX.name,
            KeyConditionExpression="pending_shard = :shard",
            ExpressionAttributeValues={":shard": {"S": shard}},
        )
        return [item for page in pages for item in page["Items"]]

    for domain in DOMAIN_SLUGS:  # a domain's shards at once: on AWS each query waits ~10 ms
        for items in each_at_once(shard_items, pending_shards(domain)):
            yield from items


def settled_counts(dynamodb: Any, deliveries_table: str) -> dict[str, int]:
    """Versions the ministry accepted or refused, every domain's counter item added up."""
    totals = {"delivered": 0, "rejected_by_ministry": 0}
    for item in batch_get(
        dynamodb,
        deliveries_table,
        [counts_key(domain) for domain in DOMAIN_SLUGS],
        "delivered, rejected_by_ministry",
    ):
        for name in totals:
            totals[name] += int(item.get(name, {}).get("N", "0"))
    return totals


def undelivered_records(
    dynamodb: Any,
    records_table: str,
    deliveries_table: str,
    now: float | None = None,
    control: dict[str, dict[str, Any]] | None = None,
) -> tuple[Iterator[UndeliveredRecord], dict[str, int]]:
    """Every record not yet delivered or refused, from the undelivered index alone, and the counts
    of the versions settled so far. `control` gets the circuit breaker's item when given."""
    now = time.time() if now is None else now
    if control is not None:
        item = dynamodb.get_item(
            TableName=deliveries_table, Key={"pk": {"S": BREAKER_NAME}}, ConsistentRead=True
        ).get("Item")
        if item is not None:
            control[BREAKER_NAME] = item
    terminal = settled_counts(dynamodb, deliveries_table)

    def walk() -> Iterator[UndeliveredRecord]:
        # The index says all: what waits, since when, and whether the ministry blocked it.
        for item in _undelivered_items(dynamodb, records_table):
            status = "blocked" if item.get("pending_blocked", {}).get("BOOL") else "pending"
            age = int(now - int(item.get("updated_at", {"N": str(int(now))})["N"]))
            yield UndeliveredRecord(
                item["domain"]["S"], item["record_id"]["S"], int(item["version"]["N"]), status, max(age, 0)
            )

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
