"""What `sikas-sync status` and `report` show: the files of the last days with their counts, what
waits for the ministry and since when, dead-lettered messages, the circuit breaker; one file's report.

Read-only, on a deployed stack or the embedded one alike (a StackTarget gives the names). Only
counts, codes, keys and pseudonymous ids: the reports' values are masked when they are written.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from typing import Any

from ..adapters.dynamodb_batch import batch_get
from ..adapters.dynamodb_delivery import state_from_item
from ..adapters.dynamodb_ledger import received_day
from ..delivery.ports import delivery_status
from ..domains import BY_SLUG
from ..resources import FILES_BY_DAY_INDEX, FILES_BY_KEY_INDEX, RECORDS_BY_FILE_INDEX, REPORTS_PREFIX
from .breaker import BreakerStatus, read_breaker
from .breaker import wib_iso as iso
from .pending import PendingReport, pending_report
from .sweep import queue_depth
from .target import StackTarget, TargetError

DEFAULT_DAYS = 7
COUNTS = ("rows", "valid", "rejected", "created", "updated", "unchanged", "warnings")
RECORD_STATES = ("delivered", "rejected_by_ministry", "pending", "blocked")


@dataclass(frozen=True)
class FileEntry:
    """One ledger entry: one version of one uploaded export."""

    key: str
    version_id: str | None
    domain: str | None
    status: str  # processed, rejected, or processing (not finished yet, or interrupted and retried)
    received_at: int
    finished_at: int | None
    attempts: int
    reason: str | None = None
    reason_code: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "version_id": self.version_id,
            "domain": self.domain,
            "status": self.status,
            "reason": self.reason,
            "reason_code": self.reason_code,
            **{name: self.counts.get(name, 0) for name in COUNTS},
            "received_at": iso(self.received_at),
            "finished_at": iso(self.finished_at),
            "attempts": self.attempts,
        }


def _entry(item: dict[str, Any]) -> FileEntry:
    summary: dict[str, Any] = json.loads(item["summary"]["S"]) if "summary" in item else {}
    file_id = item["file_id"]["S"]
    key = item.get("object_key", {}).get("S") or summary.get("key") or file_id
    version = summary.get("version_id") or file_id.rpartition("#")[2]
    finished = item.get("finished_at", {}).get("N")
    return FileEntry(
        key=key,
        version_id=None if version == "null" else version,
        domain=summary.get("domain") or _domain_of(key),
        status=summary.get("status", "processed") if item["status"]["S"] == "done" else "processing",
        received_at=int(item.get("started_at", {}).get("N", "0")),
        finished_at=int(finished) if finished else None,
        attempts=int(item.get("attempt", {}).get("N", "1")),
        reason=summary.get("reason"),
        reason_code=summary.get("reason_code"),
        counts={name: int(summary.get(name) or 0) for name in COUNTS},
    )


def _domain_of(key: str) -> str | None:
    prefix, _, rest = key.partition("/")
    return prefix if rest and prefix in BY_SLUG else None


def ledger_files(
    dynamodb: Any,
    files_table: str,
    *,
    since: float | None = None,
    key: str | None = None,
    now: float | None = None,
) -> list[FileEntry]:
    """The ledger's files received since `since` (every version of one `key`), newest first: read
    through the by_day or by_key index, so the cost follows the files shown, not the ledger."""
    if key is not None:
        queries = [("object_key", FILES_BY_KEY_INDEX.name, key)]
    else:
        now = time.time() if now is None else now
        first = dt.date.fromisoformat(received_day(since if since is not None else now))
        days = (dt.date.fromisoformat(received_day(now)) - first).days
        queries = [
            ("received_day", FILES_BY_DAY_INDEX.name, (first + dt.timedelta(days=n)).isoformat())
            for n in range(days + 1)
        ]
    entries = []
    for attribute, index, value in queries:
        spec: dict[str, Any] = {
            "TableName": files_table,
            "IndexName": index,
            "KeyConditionExpression": f"{attribute} = :value",
            "ExpressionAttributeValues": {":value": {"S": value}},
        }
        if since is not None and key is None:
            spec["KeyConditionExpression"] += " AND started_at >= :since"
            spec["ExpressionAttributeValues"][":since"] = {"N": str(int(since))}
        for page in dynamodb.get_paginator("query").paginate(**spec):
            entries += [_entry(item) for item in page["Items"]]
    return sorted(entries, key=lambda e: (e.received_at, e.key), reverse=True)


def file_records(dynamodb: Any, target: StackTarget, key: str) -> dict[str, int]:
    """The records whose current version came from any version of this export, by delivery state
    (a record a later upload changed again counts under that upload instead)."""
    versions = {
        item["pk"]["S"]: int(item["version"]["N"])
        for page in dynamodb.get_paginator("query").paginate(
            TableName=target.records_table,
            IndexName=RECORDS_BY_FILE_INDEX.name,
            KeyConditionExpression="last_file_key = :file",
            ExpressionAttributeValues={":file": {"S": f"{target.bucket}/{key}"}},
        )
        for item in page["Items"]
    }
    states = {
        item["pk"]["S"]: state_from_item(item)
        for item in batch_get(
            dynamodb,
            target.deliveries_table,
            list(versions),
            "pk, record_id, #s, delivered_version, rejected_version",
            {"#s": "status"},
        )
    }
    counts = dict.fromkeys(RECORD_STATES, 0)
    for pk, version in versions.items():
        status = delivery_status(version, states.get(pk))
        counts[status] = counts.get(status, 0) + 1
    return counts


@dataclass
class StackStatus:
    region_code: str
    generated_at: float
    days: int
    files: list[FileEntry]
    delivery: PendingReport
    queues: dict[str, dict[str, int]]  # name → {"queued": n, "dead_lettered": n}
    breaker: BreakerStatus
    file_key: str | None = None
    file_records: dict[str, int] | None = None

    @property
    def dead_lettered(self) -> int:
        return sum(queue["dead_lettered"] for queue in self.queues.values())

    def totals(self) -> dict[str, int]:
        """Files by status (`rejected_files`), and their rows and records (`rejected`: rows)."""
        totals = {"files": len(self.files), "processed": 0, "rejected_files": 0, "processing": 0}
        totals |= dict.fromkeys(COUNTS, 0)
        for entry in self.files:
            status = "rejected_files" if entry.status == "rejected" else entry.status
            totals[status] = totals.get(status, 0) + 1
            for name in COUNTS:
                totals[name] += entry.counts.get(name, 0)
        return totals

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "region_code": self.region_code,
            "generated_at": iso(self.generated_at),
            "days": self.days,
            "files": [entry.as_json() for entry in self.files],
            "totals": self.totals(),
            "delivery": {
                **self.delivery.as_json(),
                "pending": self.delivery.pending,
                "blocked": self.delivery.undelivered - self.delivery.pending,
            },
            "queues": self.queues,
            "dead_lettered": self.dead_lettered,
            "breaker": self.breaker.as_json(self.generated_at),
        }
        if self.file_key is not None:
            document["file"] = {
                "key": self.file_key,
                "report": REPORTS_PREFIX + self.file_key + ".json",
                "records": self.file_records,
            }
        return document


def queue_depths(sqs: Any, target: StackTarget) -> dict[str, dict[str, int]]:
    """Messages waiting or in flight, in each queue and in its DLQ."""
    return {
        name: {"queued": queue_depth(sqs, pair.url), "dead_lettered": queue_depth(sqs, pair.dlq_url)}
        for name, pair in target.queues().items()
    }


def stack_status(
    target: StackTarget, *, days: int = DEFAULT_DAYS, file_key: str | None = None, now: float | None = None
) -> StackStatus:
    now = time.time() if now is None else now
    dynamodb = target.client("dynamodb")
    files = ledger_files(
        dynamodb,
        target.files_table,
        since=now - days * 24 * 3600 if file_key is None else None,
        key=file_key,
        now=now,
    )
    if file_key is not None and not files:
        raise TargetError(f"no file {file_key!r} in the ledger (keys look like lowongan/2025-03.csv)")
    return StackStatus(
        region_code=target.region_code,
        generated_at=now,
        days=days,
        files=files,
        delivery=pending_report(dynamodb, target.records_table, target.deliveries_table, now),
        queues=queue_depths(target.client("sqs"), target),
        breaker=read_breaker(dynamodb, target.deliveries_table),
        file_key=file_key,
        file_records=file_records(dynamodb, target, file_key) if file_key is not None else None,
    )


def read_report(target: StackTarget, key: str) -> dict[str, Any]:
    """`reports/<key>.json`: the latest version's counts and every row issue (values masked)."""
    from botocore.exceptions import ClientError

    try:
        s3 = target.client("s3")
        body = s3.get_object(Bucket=target.bucket, Key=REPORTS_PREFIX + key + ".json")["Body"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise TargetError(f"no report for {key!r}: not uploaded, or not processed yet") from None
        raise
    with body:
        report: dict[str, Any] = json.load(body)
    return report
