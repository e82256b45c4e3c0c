"""sweep: every 15 minutes, re-queue undelivered records whose message is gone and report exports
left outside the domain prefixes. Invoked by EventBridge Scheduler; the event carries nothing."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sikas_sync.config import load_settings
from sikas_sync.observability import logger, metrics, tracer
from sikas_sync.operations.sweep_wiring import run_sweep


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    result = run_sweep(load_settings(), max(1, context.get_remaining_time_in_millis() // 1000))
    report = result.report.as_json() if result.report else {}
    metrics.add_metric(name="RecordsRequeued", unit=MetricUnit.Count, value=result.requeued)
    metrics.add_metric(name="StrayFilesRejected", unit=MetricUnit.Count, value=result.unknown_files)
    metrics.add_metric(name="UndeliveredRecords", unit=MetricUnit.Count, value=report.get("undelivered", 0))
    metrics.add_metric(
        name="OldestUndeliveredAge", unit=MetricUnit.Seconds, value=report.get("oldest_age_s", 0)
    )
    logger.info(
        "sweep done", extra={"requeued": result.requeued, "in_flight": result.in_flight, "pending": report}
    )
    return {"requeued": result.requeued, "in_flight": result.in_flight, "stray_files": result.unknown_files}
