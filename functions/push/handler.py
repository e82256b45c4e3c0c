"""push: deliver queued record versions to the ministry, grouped by domain into batches.

Thin by design: the core delivers the whole SQS batch at once (so records share ministry
requests); Powertools' BatchProcessor then turns the failed message ids into the partial batch
response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from sikas_sync import telemetry as t
from sikas_sync.config import FunctionSettings, load_settings
from sikas_sync.events import PushRequest
from sikas_sync.observability import logger, metrics, publish_domain_metrics, tracer

if TYPE_CHECKING:
    from sikas_sync.delivery.ports import DeliveryCounts, PushItem
    from sikas_sync.delivery.service import DeliveryDeps

# A batch that fails whole (the ministry is down) is an expected outcome, not an invocation error.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def delivery_deps(settings: FunctionSettings) -> DeliveryDeps:
    # The ministry client and AWS clients load on the first invocation, not with the module.
    from sikas_sync.delivery import wiring

    return wiring.delivery_deps(settings)


def _items(event: dict[str, Any]) -> tuple[list[PushItem], set[str]]:
    from sikas_sync.delivery.ports import PushItem  # with the ministry client: on the first invocation

    items, malformed = [], set()
    for raw in event.get("Records", []):
        record = SqsRecordModel.model_validate(raw)
        try:
            request = PushRequest.model_validate_json(str(record.body))
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


def _outcome_metrics(counts: DeliveryCounts) -> dict[str, float]:
    """Records, not messages: a record queued twice in one batch is sent (and counted) once."""
    return {
        t.PUSH_ACCEPTED: counts.accepted,
        t.PUSH_DUPLICATE: counts.duplicate,
        t.PUSH_REFUSED: counts.rejected,
        t.PUSH_FAILED: counts.deferred,
        t.PUSH_BLOCKED: counts.blocked,
    }


def _log_results(domain: str, counts: DeliveryCounts) -> None:
    """What happened to each record version, by pseudonymous id (no record data): the saved queries
    "a record's journey" and "one file's story" find these lines by record id or file key."""
    if not counts.outcomes and not counts.skipped:
        return
    logger.info(
        t.LOG_PUSH_RESULTS,
        extra={
            "domain": domain,
            "ministry_request_id": counts.request_id,
            "breaker_open": counts.breaker_open,
            "accepted": counts.accepted,
            "duplicate": counts.duplicate,
            "refused": counts.rejected,
            "failed": counts.deferred,
            "blocked": counts.blocked,
            "skipped": counts.skipped,
            # `<record id> v<version> <outcome>`: one short string per record version
            "records": [f"{o.record_id} v{o.version} {o.outcome}" for o in counts.outcomes],
            "files": sorted({o.source_file for o in counts.outcomes if o.source_file}),
        },
    )
    for outcome in counts.outcomes:
        for field, code in outcome.errors if outcome.outcome == "refused" else ():
            # One line per refusal reason: "ministry refusals by code" counts these.
            logger.info(
                t.LOG_MINISTRY_REFUSAL,
                extra={
                    "domain": domain,
                    "record_id": outcome.record_id,
                    "version": outcome.version,
                    "error_field": field,
                    "error_code": code,
                    "source_file": outcome.source_file,
                    "ministry_request_id": counts.request_id,
                },
            )


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    from sikas_sync.delivery.service import deliver

    items, malformed = _items(event)
    counts = deliver(items, delivery_deps(load_settings()))
    failed = counts.failed_message_ids | malformed
    for domain, domain_counts in counts.by_domain.items():
        publish_domain_metrics(domain, _outcome_metrics(domain_counts), with_total=True)
        _log_results(domain, domain_counts)
    metrics.add_metric(name=t.MINISTRY_REQUESTS, unit=MetricUnit.Count, value=counts.requests)
    metrics.add_metric(name=t.BREAKER_OPEN, unit=MetricUnit.Count, value=int(counts.breaker_open))
    logger.info(
        "push batch done",
        extra={"messages": len(event.get("Records", [])), "failed": len(failed), "malformed": len(malformed)},
    )

    def settle(record: SQSRecord) -> None:
        if record.message_id in failed:
            raise RuntimeError("delivery deferred")  # the message returns after its backoff

    return process_partial_response(event=event, record_handler=settle, processor=processor, context=context)
