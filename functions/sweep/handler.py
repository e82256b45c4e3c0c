"""sweep: every 15 minutes, re-queue undelivered records whose message is gone and report exports
left outside the domain prefixes. Invoked by EventBridge Scheduler; the event carries nothing.

Its metrics are the backlog's heartbeat: undelivered records and the oldest one's age (in total and
per domain), and whether the ministry circuit breaker is holding records back, every 15 minutes
whatever else happens, so the alarms on them never wait for data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sikas_sync import telemetry as t
from sikas_sync.config import FunctionSettings, load_settings
from sikas_sync.observability import logger, metrics, publish_domain_metrics, run_skipped, tracer

if TYPE_CHECKING:
    from sikas_sync.ingest.ports import PushMessage
    from sikas_sync.operations.pending import PendingReport
    from sikas_sync.operations.sweep import SweepResult


def run_sweep(
    settings: FunctionSettings, timeout_s: int, on_requeued: Callable[[list[PushMessage]], None]
) -> SweepResult | None:
    # The use case, the domain models and AWS clients load on the first invocation, not with the module.
    from sikas_sync.ingest.wiring import leases
    from sikas_sync.leases import single_flight
    from sikas_sync.operations import sweep_wiring

    # Two sweeps at once would queue the same records twice: None when another run holds the lease.
    return single_flight(
        leases(settings),
        "sweep",
        timeout_s,
        lambda: sweep_wiring.run_sweep(settings, timeout_s, on_requeued=on_requeued),
    )


def _log_requeued(batch: list[PushMessage]) -> None:
    # Pseudonymous ids only: the saved query "a record's journey" finds a record's re-queueing here.
    logger.info(
        t.LOG_RECORDS_REQUEUED,
        extra={"count": len(batch), "records": [f"{m.record_id} v{m.version} {m.domain}" for m in batch]},
    )


def _domain_metrics(report: PendingReport) -> None:
    from sikas_sync.domains import DOMAINS

    for domain in DOMAINS:  # every domain, zero included: a line on the dashboard drops to 0
        counts = report.by_domain.get(domain.slug, {})
        publish_domain_metrics(
            domain.slug,
            {
                t.UNDELIVERED_RECORDS: counts.get("pending", 0) + counts.get("blocked", 0),
                t.OLDEST_UNDELIVERED_AGE: counts.get("oldest_age_s", 0),
                # A zero beside the uploads' ones: the no-upload alarm counts days of zeros from the
                # first sweep on, so it needs no "missing = breaching" and starts green (OK).
                t.FILES_RECEIVED: 0,
            },
            units={t.OLDEST_UNDELIVERED_AGE: MetricUnit.Seconds},
        )


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from sikas_sync.operations.pending import PendingReport

    result = run_sweep(
        load_settings(), max(1, context.get_remaining_time_in_millis() // 1000), on_requeued=_log_requeued
    )
    if result is None:
        return run_skipped("sweep")
    report = result.report or PendingReport()
    _domain_metrics(report)
    for name, value, unit in (
        (t.RECORDS_REQUEUED, result.requeued, MetricUnit.Count),
        (t.STRAY_FILES_REJECTED, result.unknown_files, MetricUnit.Count),
        (t.UNDELIVERED_RECORDS, report.undelivered, MetricUnit.Count),
        (t.OLDEST_UNDELIVERED_AGE, report.oldest_age_s, MetricUnit.Seconds),
        (t.BREAKER_OPEN, int(result.held_by_breaker), MetricUnit.Count),
    ):
        metrics.add_metric(name=name, unit=unit, value=value)
    logger.info(
        "sweep done",
        extra={
            "requeued": result.requeued,
            "in_flight": result.in_flight,
            "pending": report.as_json(),
            "breaker": result.breaker.state,
        },
    )
    return {"requeued": result.requeued, "in_flight": result.in_flight, "stray_files": result.unknown_files}
