"""The safety net, every 15 minutes: undelivered records whose message is gone are queued again,
and exports left under a prefix that is no domain are rejected and reported."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..delivery.ports import BREAKER_NAME
from ..domains import BY_SLUG
from ..ingest.ports import PushMessage, PushQueue
from ..resources import REPORTS_PREFIX, SYSTEM_PREFIXES
from .breaker import BreakerStatus, breaker_from_item
from .pending import PendingReport, pending_report, stale_pending


@dataclass
class SweepResult:
    requeued: int = 0
    in_flight: int = 0  # push messages still queued: their records are not re-queued this time
    unknown_files: int = 0
    report: PendingReport | None = None
    breaker: BreakerStatus = field(default_factory=BreakerStatus)

    @property
    def held_by_breaker(self) -> bool:
        """The breaker is open while records wait for the ministry. An open breaker with nothing
        to deliver holds nothing back (it stays OPEN until the next push probes it)."""
        return self.breaker.is_open and self.report is not None and self.report.pending > 0


@dataclass
class SweepDeps:
    dynamodb: Any
    sqs: Any
    s3: Any
    push: PushQueue
    reject_file: Callable[[str, str], None]  # (bucket, key): rejects and reports one stray export
    clock: Callable[[], float] = time.time
    on_requeued: Callable[[list[PushMessage]], None] | None = None  # after each batch is queued


def queue_depth(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def sweep(
    deps: SweepDeps,
    *,
    bucket: str,
    records_table: str,
    deliveries_table: str,
    push_queue_url: str,
    stale_after_s: int,
) -> SweepResult:
    result = SweepResult()
    # With messages still in the push queue, pending records are most likely waiting in it (backoff,
    # breaker): queueing them again would only pile up copies. An empty queue means lost or
    # dead-lettered messages, and that is what the sweep is for.
    result.in_flight = queue_depth(deps.sqs, push_queue_url)
    control: dict[str, dict[str, Any]] = {}
    now = deps.clock()
    result.report = pending_report(deps.dynamodb, records_table, deliveries_table, now, control)
    if not result.in_flight and result.report.pending:
        batch: list[PushMessage] = []
        for record in stale_pending(deps.dynamodb, records_table, now, stale_after_s):
            batch.append(PushMessage(record.domain, record.record_id, record.version))
            if len(batch) == 100:
                _requeue(deps, batch, result)
                batch = []
        if batch:
            _requeue(deps, batch, result)
    result.breaker = breaker_from_item(control.get(BREAKER_NAME))
    result.unknown_files = _reject_strays(deps, bucket)
    return result


def _requeue(deps: SweepDeps, batch: list[PushMessage], result: SweepResult) -> None:
    deps.push.send(batch)
    result.requeued += len(batch)
    if deps.on_requeued is not None:
        deps.on_requeued(batch)


def _reject_strays(deps: SweepDeps, bucket: str) -> int:
    """S3 notifies per domain prefix only, so an export under any other prefix raises no event."""
    rejected = 0
    paginator = deps.s3.get_paginator("list_objects_v2")
    prefixes: list[str] = []
    at_root: list[str] = []  # an export uploaded with no folder at all
    for page in paginator.paginate(Bucket=bucket, Delimiter="/"):
        prefixes += [common["Prefix"] for common in page.get("CommonPrefixes", [])]
        at_root += [obj["Key"] for obj in page.get("Contents", [])]
    for key in at_root:
        if not _has_report(deps.s3, bucket, key):
            deps.reject_file(bucket, key)
            rejected += 1
    stray = [p for p in prefixes if p.rstrip("/") not in BY_SLUG and p not in SYSTEM_PREFIXES]
    for prefix in stray:
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                if _has_report(deps.s3, bucket, obj["Key"]):
                    continue
                deps.reject_file(bucket, obj["Key"])
                rejected += 1
    return rejected


def _has_report(s3: Any, bucket: str, key: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        s3.head_object(Bucket=bucket, Key=REPORTS_PREFIX + key + ".json")
    except ClientError:
        return False
    return True
