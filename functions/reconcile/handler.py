"""reconcile: daily, compare the ministry's records of the region with ours and report differences.

Invoked by EventBridge Scheduler with an empty payload; a manual run may send
`{"domains": ["lowongan"], "full": true}`. Thin by design: parse the event, call the core, emit
counts. A domain that failed fails the invocation (after the others ran), so the scheduler retries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sikas_sync.config import FunctionSettings, load_settings
from sikas_sync.observability import logger, metrics, run_skipped, tracer

if TYPE_CHECKING:
    from sikas_sync.reconcile.service import ReconcileOutcome, ReconcileRequest

METRICS = {
    "only_at_ministry": "ReconcileOnlyAtMinistry",
    "only_here": "ReconcileOnlyHere",
    "hash_differs": "ReconcileHashDiffers",
    "imported": "ReconcileImported",
    "natural_key_conflicts": "ReconcileKeyConflicts",
    "pulled": "ReconcilePulled",
}


def run_reconcile(
    settings: FunctionSettings, request: ReconcileRequest, timeout_s: int
) -> ReconcileOutcome | None:
    # The use case, its domain models and AWS clients load on the first invocation, not with the module.
    from sikas_sync.ingest.wiring import leases
    from sikas_sync.leases import single_flight
    from sikas_sync.reconcile import wiring

    # One run at a time (a manual run and the scheduled one): None when another run holds the lease.
    return single_flight(
        leases(settings), "reconcile", timeout_s, lambda: wiring.run_reconcile(settings, request)
    )


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any] | None, context: LambdaContext) -> dict[str, Any]:
    from sikas_sync.reconcile.service import ReconcileRequest

    request = ReconcileRequest.model_validate(event if isinstance(event, dict) else {})
    outcome = run_reconcile(load_settings(), request, max(1, context.get_remaining_time_in_millis() // 1000))
    if outcome is None:
        return run_skipped("reconcile")
    totals = outcome.totals()
    for name, metric in METRICS.items():
        metrics.add_metric(name=metric, unit=MetricUnit.Count, value=totals.get(name, 0))
    metrics.add_metric(name="ReconcileFailedDomains", unit=MetricUnit.Count, value=len(outcome.failed))
    summary = {
        "domains": {
            slug: {"mode": result.mode, "report": result.key, **result.counts()}
            for slug, result in outcome.domains.items()
        },
        "failed": outcome.failed,
    }
    logger.info("reconcile done", extra=summary)  # counts and object keys only, no record ids
    outcome.raise_for_failures()
    return summary
