"""Builds the erasure use case: in the erase function (its settings, the function's AWS clients) and
for `sikas-sync erase --embedded` (a StackTarget's clients, the embedded ministry's URL)."""

from __future__ import annotations

import json
from collections.abc import Callable

from aws_lambda_powertools.utilities import parameters

from ..adapters.erasure import DynamoPersonRecords, MinistryEraser, S3AuditLog
from ..adapters.secrets import hmac_key
from ..config import FunctionSettings
from ..delivery.wiring import ministry_client
from ..ingest.wiring import _secrets, client, endpoint
from ..ministry import Credentials, MinistryClient
from ..resources import FunctionPlan, resource_plan
from .erase import ErasureDeps, ErasureRequest, ErasureResult, erase
from .target import StackTarget


def erase_function(time_scale: float = 1.0) -> FunctionPlan:
    """The erase function: invoked directly by an operator (`sikas-sync erase --stack NAME`), never
    by an event source. A whole-table scan of a large records table fits in its 15 minutes.
    `time_scale` shrinks the timeout for the embedded stack, as `resource_plan` does."""
    return FunctionPlan(
        name="erase",
        handler_dir="erase",
        timeout_s=max(1, round(900 * time_scale)),
        memory_mb=512,
        batch_size=1,
        max_concurrency=None,  # one erasure at a time comes from its lease (sikas_sync.leases)
    )


ERASE_FUNCTION = erase_function()


def run_erasure(settings: FunctionSettings, request: ErasureRequest) -> ErasureResult:
    """In the erase function: the function's clients, the push function's ministry client."""
    dynamodb = client("dynamodb")
    key = hmac_key(_secrets(endpoint()), settings.hmac_secret_name)
    deps = ErasureDeps(
        records=DynamoPersonRecords(dynamodb, settings.records_table, settings.deliveries_table, key),
        ministry=MinistryEraser(ministry_client(settings)),
        audit=S3AuditLog(client("s3"), settings.inbox_bucket),
        hmac_key=key,
    )
    return erase(request, deps)


def erase_on_target(target: StackTarget, request: ErasureRequest, ministry_url: str) -> ErasureResult:
    """The same use case against a stack's endpoints (the embedded one), secrets read from its
    Secrets Manager under the plan's names, as the function reads them."""
    plan = resource_plan(target.region_code)
    secrets = parameters.SecretsProvider(boto3_client=target.client("secretsmanager"))
    ministry = MinistryClient(
        ministry_url,
        target.region_code,
        _credentials(secrets, plan.ministry_secret_name),
        timeout_s=plan.delivery.ministry_timeout_s,
    )
    try:
        key = hmac_key(secrets, plan.hmac_secret_name)
        deps = ErasureDeps(
            records=DynamoPersonRecords(
                target.client("dynamodb"), target.records_table, target.deliveries_table, key
            ),
            ministry=MinistryEraser(ministry),
            audit=S3AuditLog(target.client("s3"), target.bucket),
            hmac_key=key,
        )
        return erase(request, deps)
    finally:
        ministry.close()


def _credentials(secrets: parameters.SecretsProvider, name: str) -> Callable[[bool], Credentials]:
    def read(refresh: bool) -> Credentials:
        value = json.loads(str(secrets.get(name, force_fetch=refresh)))
        return Credentials(client_id=value["client_id"], client_secret=value["client_secret"])

    return read
