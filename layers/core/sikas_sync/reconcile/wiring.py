"""Builds the reconcile use case from the function's settings and real AWS clients."""

from __future__ import annotations

from ..adapters.dynamodb_delivery import DynamoDeliveryStore
from ..adapters.secrets import hmac_key
from ..config import FunctionSettings
from ..delivery.wiring import ministry_client
from ..ingest.wiring import _secrets, client, endpoint
from .service import ReconcileDeps, ReconcileOutcome, ReconcileRequest, reconcile
from .storage import DynamoReconcileControl, DynamoReconcileRecords, S3JsonObjects


def reconcile_deps(settings: FunctionSettings) -> ReconcileDeps:
    dynamodb = client("dynamodb")
    return ReconcileDeps(
        ministry=ministry_client(settings),
        records=DynamoReconcileRecords(dynamodb, settings.records_table),
        deliveries=DynamoDeliveryStore(dynamodb, settings.records_table, settings.deliveries_table),
        control=DynamoReconcileControl(dynamodb, settings.files_table),
        objects=S3JsonObjects(client("s3"), settings.inbox_bucket),
        hmac_key=hmac_key(_secrets(endpoint()), settings.hmac_secret_name),
        region_code=settings.region_code,
    )


def run_reconcile(settings: FunctionSettings, request: ReconcileRequest) -> ReconcileOutcome:
    return reconcile(request, reconcile_deps(settings))
