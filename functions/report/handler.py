"""report: monthly, SMData aggregate reports for the previous month (WIB), sent to the ministry.

Invoked by EventBridge Scheduler with an empty payload; a manual run may send
`{"period": "2025-03", "templates": ["lowongan"]}`. Thin by design: parse the event, call the core,
emit counts. A report the ministry refused (422) or could not take fails the invocation after every
template was tried; the copies in the bucket hold the ministry's errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sikas_sync.config import FunctionSettings, load_settings
from sikas_sync.observability import logger, metrics, run_skipped, tracer

if TYPE_CHECKING:
    from sikas_sync.smdata.service import ReportOutcome, ReportRequest


def run_smdata_reports(
    settings: FunctionSettings, request: ReportRequest, timeout_s: int
) -> ReportOutcome | None:
    # The use case, its domain models and AWS clients load on the first invocation, not with the module.
    from sikas_sync.ingest.wiring import leases
    from sikas_sync.leases import single_flight
    from sikas_sync.smdata import wiring

    # One run at a time (a manual run and the scheduled one): None when another run holds the lease.
    return single_flight(
        leases(settings), "report", timeout_s, lambda: wiring.run_smdata_reports(settings, request)
    )


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any] | None, context: LambdaContext) -> dict[str, Any]:
    from sikas_sync.smdata.service import ReportRequest

    request = ReportRequest.model_validate(event if isinstance(event, dict) else {})
    outcome = run_smdata_reports(
        load_settings(), request, max(1, context.get_remaining_time_in_millis() // 1000)
    )
    if outcome is None:
        return run_skipped("report")
    accepted = sum(report.status == "accepted" for report in outcome.reports)
    metrics.add_metric(name="SmdataReportsAccepted", unit=MetricUnit.Count, value=accepted)
    metrics.add_metric(
        name="SmdataReportsNotAccepted", unit=MetricUnit.Count, value=len(outcome.reports) - accepted
    )
    summary = {
        "period": str(outcome.period),
        "reports": {
            report.template: {
                "status": report.status,
                "rows": len(report.rows),
                "counted": report.counted,
                "unusable": report.unusable,
                "copy": report.key,
            }
            for report in outcome.reports
        },
    }
    logger.info("smdata reports done", extra=summary)
    outcome.raise_for_failures()
    return summary
