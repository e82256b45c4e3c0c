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

    def add_counts(self, domain: str, shard: ShardCounts, now: float) -> None:
        """A partition's counts. They come from a few reads made one after another while records
        come and go, so each bucket is kept within the one before it."""
        if not shard.undelivered:
            return
        counts = self.by_domain.setdefault(domain, {"pending": 0, "blocked": 0, "oldest_age_s": 0})
        counts["pending"] += shard.undelivered - shard.blocked
        counts["blocked"] += shard.blocked
        at_least = [shard.undelivered]
        for older in shard.older_than:
            at_least.append(min(older, at_least[-1]))
        at_least.append(0)
        for (_, name), here, next_older in zip(AGE_BUCKETS, at_least, at_least[1:], strict=False):
            if here - next_older:
                counts[name] = counts.get(name, 0) + here - next_older
        if shard.oldest_updated_at is not None:
            age = max(int(now - shard.oldest_updated_at), 0)
            counts["oldest_age_s"] = max(counts["oldest_age_s"], age)
            self.oldest_age_s = max(self.oldest_age_s, age)

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


@dataclass(frozen=True)
class ShardCounts:
    """What one partition of the undelivered index holds, counted by DynamoDB (Select=COUNT): it
    reads (and bills) what waits, but sends back counts only, so no waiting record is parsed here."""

    undelivered: int = 0  # pending and blocked
    blocked: int = 0
    older_than: tuple[int, ...] = ()  # records at least AGE_BUCKETS[i] seconds old
    oldest_updated_at: int | None = None


def _count(
    dynamodb: Any, records_table: str, condition: str, values: dict[str, Any], **extra: Any
) -> tuple[int, int]:
    """(items matched by the filter, items read) of one COUNT query, every page added up."""
    matched = read = 0
    pages = dynamodb.get_paginator("query").paginate(
        TableName=records_table,
        IndexName=UNDELIVERED_INDEX.name,
        Select="COUNT",
        KeyConditionExpression=condition,
        ExpressionAttributeValues=values,
        **extra,
    )
    for page in pages:
        matched += int(page["Count"])
        read += int(page["ScannedCount"])
    return matched, read


def shard_counts(dynamodb: Any, records_table: str, shard: str, now: float) -> ShardCounts:
    key = {":shard": {"S": shard}}
    # One read counts both: ScannedCount is everything in the partition, Count the blocked ones.
    blocked, undelivered = _count(
        dynamodb,
        records_table,
        "pending_shard = :shard",
        {**key, ":yes": {"BOOL": True}},
        FilterExpression="pending_blocked = :yes",
    )
    if not undelivered:
        return ShardCounts()
    older = []
    for limit, _ in AGE_BUCKETS[:-1]:  # an age of at least `limit` s: updated at or before now - limit
        counted, _ = _count(
            dynamodb,
            records_table,
            "pending_shard = :shard AND updated_at <= :before",
            {**key, ":before": {"N": str(int(now - limit))}},
        )
        older.append(counted)
    oldest = dynamodb.query(
        TableName=records_table,
        IndexName=UNDELIVERED_INDEX.name,
        KeyConditionExpression="pending_shard = :shard",
        ExpressionAttributeValues=key,
        ProjectionExpression="updated_at",
        ScanIndexForward=True,
        Limit=1,
    )["Items"]
    return ShardCounts(
        undelivered,
        blocked,
        tuple(older),
        int(oldest[0]["updated_at"]["N"]) if oldest else None,
    )


def stale_pending(dynamodb: Any, records_table: str, now: float, age_s: int) -> Iterator[UndeliveredRecord]:
    """Records waiting (not blocked) for `age_s` or longer, from the undelivered index: what the
    sweep queues again. Only those are read."""
    updated_before = int(now - age_s)

    def shard_items(shard: str) -> list[dict[str, Any]]:
        pages = dynamodb.get_paginator("query").paginate(
            TableName=records_table,
            IndexName=UNDELIVERED_INDEX.name,
            KeyConditionExpression="pending_shard = :shard AND updated_at <= :before",
            FilterExpression="attribute_not_exists(pending_blocked)",
            ExpressionAttributeValues={":shard": {"S": shard}, ":before": {"N": str(updated_before)}},
        )
        return [item for page in pages for item in page["Items"]]

    for domain in DOMAIN_SLUGS:  # a domain's shards at once: on AWS each query waits ~10 ms
        for items in each_at_once(shard_items, pending_shards(domain)):
            for item in items:
                yield UndeliveredRecord(
                    item["domain"]["S"],
                    item["record_id"]["S"],
                    int(item["version"]["N"]),
                    "pending",
                    max(int(now - int(item["updated_at"]["N"])), 0),
                )


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


def pending_report(
    dynamodb: Any,
    records_table: str,
    deliveries_table: str,
    now: float | None = None,
    control: dict[str, dict[str, Any]] | None = None,
) -> PendingReport:
    """What waits, by domain, status and age, counted in the undelivered index, and the versions
    settled so far. `control` gets the circuit breaker's item when given."""
    now = time.time() if now is None else now
    if control is not None:
        item = dynamodb.get_item(
            TableName=deliveries_table, Key={"pk": {"S": BREAKER_NAME}}, ConsistentRead=True
        ).get("Item")
        if item is not None:
            control[BREAKER_NAME] = item
    # The counters first: a version is settled (out of the index) before it is counted, so what
    # they count is never also still in the counts that follow.
    terminal = settled_counts(dynamodb, deliveries_table)
    report = PendingReport()

    def counted(shard: str) -> ShardCounts:
        return shard_counts(dynamodb, records_table, shard, now)

    for domain in DOMAIN_SLUGS:  # a domain's shards at once: on AWS each query waits ~10 ms
        for counts in each_at_once(counted, pending_shards(domain)):
            report.add_counts(domain, counts, now)
    report.delivered, report.rejected_by_ministry = terminal["delivered"], terminal["rejected_by_ministry"]
    return report
