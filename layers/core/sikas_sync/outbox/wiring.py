"""Builds the outbox run from a function's settings (Lambda) or an admin target (`sikas-sync outbox`)."""

from __future__ import annotations

from typing import Any

from ..config import FunctionSettings
from .service import OutboxDeps, OutboxOutcome, OutboxRequest, write_outbox
from .storage import DynamoOutboxDeliveries, DynamoOutboxRecords, DynamoProcessedFiles, S3OutboxObjects


def outbox_deps(
    *, dynamodb: Any, s3: Any, bucket: str, records_table: str, deliveries_table: str, files_table: str
) -> OutboxDeps:
    return OutboxDeps(
        records=DynamoOutboxRecords(dynamodb, records_table),
        deliveries=DynamoOutboxDeliveries(dynamodb, deliveries_table),
        files=DynamoProcessedFiles(dynamodb, files_table),
        objects=S3OutboxObjects(s3, bucket),
    )


def run_outbox(settings: FunctionSettings, request: OutboxRequest) -> OutboxOutcome:
    from ..ingest.wiring import client

    deps = outbox_deps(
        dynamodb=client("dynamodb"),
        s3=client("s3"),
        bucket=settings.inbox_bucket,
        records_table=settings.records_table,
        deliveries_table=settings.deliveries_table,
        files_table=settings.files_table,
    )
    return write_outbox(request, deps)
