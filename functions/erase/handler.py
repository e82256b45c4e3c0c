"""erase: a data subject's erasure request (UU 27/2022) for one domain, here and at the ministry.

Invoked directly by an operator (`sikas-sync erase --stack NAME`) with
`{"domain": "pencari_kerja", "nik": "...", "requested_by": "..."}`. The event holds a NIK: it is
never logged (no event logging, no response capture), and no message below repeats it. An erasure
the ministry did not confirm fails the invocation after its audit entry was written; running the
same request again finishes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sikas_sync.config import FunctionSettings, load_settings
from sikas_sync.observability import logger, metrics, tracer

if TYPE_CHECKING:
    from sikas_sync.operations.erase import ErasureRequest, ErasureResult


class ErasureIncomplete(RuntimeError):
    pass


class ErasureBusy(RuntimeError):
    """Another erasure is running: the operator runs this one again when it has finished."""


def run_erasure(settings: FunctionSettings, request: ErasureRequest, timeout_s: int) -> ErasureResult | None:
    # The use case, the domain models and AWS clients load on the first invocation, not with the module.
    from sikas_sync.ingest.wiring import leases
    from sikas_sync.leases import single_flight
    from sikas_sync.operations import erase_wiring

    # Erasures are rare and manual: one at a time. None when another one holds the lease.
    return single_flight(
        leases(settings), "erase", timeout_s, lambda: erase_wiring.run_erasure(settings, request)
    )


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from sikas_sync.operations.erase import request_from_event

    result = run_erasure(
        load_settings(), request_from_event(event), max(1, context.get_remaining_time_in_millis() // 1000)
    )
    if result is None:
        raise ErasureBusy("another erasure is running: run this request again when it has finished")
    metrics.add_metric(name="RecordsErased", unit=MetricUnit.Count, value=result.erased_here)
    summary = result.as_json()
    logger.info(
        "erasure done",
        extra={
            "erasure_id": result.erasure_id,
            "domain": result.domain,
            "status": result.status,
            "records": len(result.records),
            "audit_key": result.audit_key,
        },
    )
    if result.status != "complete":
        error = result.error or {}
        raise ErasureIncomplete(
            f"erasure {result.erasure_id} incomplete: the ministry did not confirm record "
            f"{error.get('record_id')} ({error.get('message')}); audit {result.audit_key}; run it again"
        )
    return summary
