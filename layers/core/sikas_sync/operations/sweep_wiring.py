"""Builds the sweep from the function's settings and real AWS clients."""

from __future__ import annotations

from collections.abc import Callable

from ..adapters.sqs_push import SqsPushQueue
from ..config import FunctionSettings
from ..ingest.ports import PushMessage
from ..ingest.wiring import client, ingest_file
from .sweep import SweepDeps, SweepResult, sweep


def run_sweep(
    settings: FunctionSettings,
    timeout_s: int,
    on_requeued: Callable[[list[PushMessage]], None] | None = None,
) -> SweepResult:
    def reject(bucket: str, key: str) -> None:
        # The ingest use case rejects a key outside the domain prefixes and writes its report.
        ingest_file(bucket, key, None, settings, timeout_s)

    deps = SweepDeps(
        dynamodb=client("dynamodb"),
        sqs=client("sqs"),
        s3=client("s3"),
        push=SqsPushQueue(client("sqs"), settings.push_queue_url),
        reject_file=reject,
        on_requeued=on_requeued,
    )
    return sweep(
        deps,
        bucket=settings.inbox_bucket,
        records_table=settings.records_table,
        deliveries_table=settings.deliveries_table,
        push_queue_url=settings.push_queue_url,
        stale_after_s=settings.sweep_stale_after_s,
    )
