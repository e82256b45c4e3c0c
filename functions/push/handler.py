"""push: deliver queued record versions to the ministry, grouped by domain into batches.

Thin by design: the core delivers the whole SQS batch at once (so records share ministry
requests); Powertools' BatchProcessor then turns the failed message ids into the partial batch
response.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from sikas_sync.config import load_settings
from sikas_sync.delivery.ports import PushItem
from sikas_sync.delivery.service import deliver
from sikas_sync.delivery.wiring import delivery_deps
from sikas_sync.events import PushRequest
from sikas_sync.observability import logger, metrics, tracer

# A batch that fails whole (the ministry is down) is an expected outcome, not an invocation error.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def _items(event: dict[str, Any]) -> tuple[list[PushItem], set[str]]:
    items, malformed = [], set()
    for raw in event.get("Records", []):
        record = SqsRecordModel.model_validate(raw)
        try:
            request = PushRequest.model_validate_json(record.body)
        except ValidationError:
            malformed.add(record.messageId)  # left to fail: after maxReceiveCount it rests in the DLQ
            continue
        items.append(
            PushItem(
                message_id=record.messageId,
                receipt_handle=record.receiptHandle,
                receive_count=int(record.attributes.ApproximateReceiveCount),
                domain=request.domain,
                record_id=request.record_id,
                version=request.version,
            )
        )
    return items, malformed


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    items, malformed = _items(event)
    counts = deliver(items, delivery_deps(load_settings()))
    failed = counts.failed_message_ids | malformed
    for name, value in (
        ("PushDelivered", counts.delivered),
        ("PushDuplicate", counts.duplicate),
        ("PushRefused", counts.rejected),
        ("PushBlocked", counts.blocked),
        ("PushRetried", counts.retried),
        ("MinistryRequests", counts.requests),
    ):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    logger.info(
        "push batch done",
        extra={"messages": len(event.get("Records", [])), "failed": len(failed), "malformed": len(malformed)},
    )

    def settle(record: SQSRecord) -> None:
        if record.message_id in failed:
            raise RuntimeError("delivery deferred")  # the message returns after its backoff

    return process_partial_response(event=event, record_handler=settle, processor=processor, context=context)
