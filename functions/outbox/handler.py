"""outbox: daily, the files SIKAS gets back under `outbox/`: delivery status with the ministry's IDs,
the records only the ministry holds, and every upload's row-by-row results brought up to date.

Invoked by EventBridge Scheduler with an empty payload; a manual run may send
`{"domains": ["pencari_kerja"], "since": "2025-03-01"}`. Thin by design: parse the event, call the
core, emit counts. The summary holds object keys and counts only: no natural keys, no record ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sikas_sync.config import FunctionSettings, load_settings
from sikas_sync.observability import logger, metrics, run_skipped, tracer

if TYPE_CHECKING:
    from sikas_sync.outbox.service import OutboxOutcome, OutboxRequest


def run_outbox(settings: FunctionSettings, request: OutboxRequest, timeout_s: int) -> OutboxOutcome | None:
    # The use case, its domain models and AWS clients load on the first invocation, not with the module.
    from sikas_sync.ingest.wiring import leases
    from sikas_sync.leases import single_flight
    from sikas_sync.outbox import wiring

    # One run at a time (a manual run and the scheduled one): None when another run holds the lease.
    return single_flight(leases(settings), "outbox", timeout_s, lambda: wiring.run_outbox(settings, request))


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any] | None, context: LambdaContext) -> dict[str, Any]:
    from sikas_sync.outbox.service import OutboxRequest

    request = OutboxRequest.model_validate(event if isinstance(event, dict) else {})
    outcome = run_outbox(load_settings(), request, max(1, context.get_remaining_time_in_millis() // 1000))
    if outcome is None:
        return run_skipped("outbox")
    domains = outcome.domains.values()
    for name, value in (
        ("OutboxStatusRows", sum(d.status_rows for d in domains)),
        ("OutboxMinistryOnlyRows", sum(d.imported_rows for d in domains)),
        ("OutboxResultsRewritten", sum(len(d.results) for d in domains)),
        ("OutboxResultsMissing", sum(d.results_missing for d in domains)),
    ):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    summary = outcome.as_json()
    logger.info(
        "outbox done",
        extra={
            "date": summary["date"],
            "since": summary["since"],
            "counts": {
                slug: {k: v for k, v in d.items() if k not in ("results",)}
                for slug, d in summary["domains"].items()
            },
        },
    )
    return summary
