"""ingest-<domain>: an export landed in the inbox; validate it and store its records.

Thin by design: parse the SQS-wrapped S3 event, hand each object to the core, report partial
batch failures so only the failed message is retried. A file that must wait for another upload
of its domain goes back to the queue as a new, delayed message: waiting is not a failure.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from sikas_sync import telemetry as t
from sikas_sync.config import FunctionSettings, load_settings
from sikas_sync.events import WAITS_ATTRIBUTE, InboxSqsRecord, S3TestEvent
from sikas_sync.observability import logger, metrics, tracer

if TYPE_CHECKING:
    from sikas_sync.ingest.service import FileSummary

processor = BatchProcessor(event_type=EventType.SQS, model=InboxSqsRecord)


def ingest_file(
    bucket: str, key: str, version_id: str | None, settings: FunctionSettings, timeout_s: int
) -> FileSummary:
    # Validation, parsing, the domain models and AWS clients load on the first file, not with the module.
    from sikas_sync.ingest import wiring

    return wiring.ingest_file(bucket, key, version_id, settings, timeout_s)


def wait_for_lease(
    bucket: str, key: str, version_id: str | None, event_name: str, *, waits: int, settings: FunctionSettings
) -> int:
    from sikas_sync.ingest import wiring

    return wiring.wait_for_lease(bucket, key, version_id, event_name, waits=waits, settings=settings)


def handle_record(record: InboxSqsRecord, lambda_context: LambdaContext) -> None:
    from sikas_sync.ingest.service import FileBusy

    if isinstance(record.body, S3TestEvent):
        return  # S3's check that the queue accepts notifications
    settings = load_settings()
    # The lease on a file must outlive this invocation: derive it from the time Lambda gives us.
    timeout_s = max(1, lambda_context.get_remaining_time_in_millis() // 1000)
    waited = record.messageAttributes.get(WAITS_ATTRIBUTE)
    waits = int(waited.stringValue or 0) if waited is not None else 0
    for notification in record.body.Records:
        obj, bucket = notification.s3.object, notification.s3.bucket.name
        logger.set_correlation_id(f"{obj.key}#{obj.versionId or '-'}")
        try:
            summary = ingest_file(bucket, obj.key, obj.versionId, settings, timeout_s)
        except FileBusy as busy:
            # A file paused at its checkpoint waits for nobody: it comes back after the base delay.
            paused_at = getattr(busy, "row", None)
            delay = wait_for_lease(
                bucket,
                obj.key,
                obj.versionId,
                notification.eventName,
                waits=0 if paused_at is not None else waits,
                settings=settings,
            )
            metrics.add_dimension(name=t.DIMENSION_DOMAIN, value=settings.domain or "unknown")
            metrics.add_metric(name=t.FILES_WAITING, unit=MetricUnit.Count, value=1)
            logger.info(
                t.LOG_FILE_WAITING,
                extra={
                    "object_key": obj.key,
                    "version_id": obj.versionId,
                    "waits": waits + 1,
                    "delay_s": delay,
                    # A file that ran out of time: stored up to this row, the rest comes next.
                    "paused_at_row": paused_at,
                },
            )
            continue
        _record_metrics(summary)
        # Counts only: never row contents. ("created" is a reserved LogRecord attribute.)
        logger.info(
            t.LOG_FILE_PROCESSED,
            extra={
                "object_key": summary.key,
                "version_id": obj.versionId,
                "domain": summary.domain,
                "file_status": summary.status,
                "reason_code": summary.reason_code,
                "counts": {
                    "rows": summary.rows,
                    "valid": summary.valid,
                    "rejected": summary.rejected,
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                    "warnings": summary.warnings,
                    "pushed": summary.pushed,
                },
            },
        )
        _log_rejected_rows(summary)


def _record_metrics(summary: FileSummary) -> None:
    # One ingest function per domain: every file of an invocation has the same domain.
    metrics.add_dimension(name=t.DIMENSION_DOMAIN, value=summary.domain or "unknown")
    for name, value in (
        (t.FILES_RECEIVED, 1),
        (t.FILES_REJECTED, int(summary.status == "rejected")),
        (t.ROWS_VALID, summary.valid),
        (t.ROWS_REJECTED, summary.rejected),
        (t.RECORDS_CREATED, summary.created),
        (t.RECORDS_UPDATED, summary.updated),
        (t.RECORDS_UNCHANGED, summary.unchanged),
    ):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def _log_rejected_rows(summary: FileSummary) -> None:
    """One line per error code and column: row numbers, columns and codes, never a cell's value.

    The summary lists a file's first row errors (cli.md: at most 100); `complete` says whether
    they are all of them. The file's report in the bucket always has every one.
    """
    rows_by_issue: dict[tuple[str, str], list[int]] = defaultdict(list)
    for error in summary.errors:
        rows_by_issue[(str(error["code"]), str(error.get("column") or "-"))].append(int(error["row"]))
    complete = len({error["row"] for error in summary.errors}) >= summary.rejected
    for (code, column), rows in sorted(rows_by_issue.items()):
        logger.info(
            t.LOG_ROWS_REJECTED,
            extra={
                "object_key": summary.key,
                "domain": summary.domain,
                "error_code": code,
                "column": column,
                "error_rows": len(rows),
                "first_rows": rows[:10],
                "complete": complete,
            },
        )


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=handle_record, processor=processor, context=context
    )
