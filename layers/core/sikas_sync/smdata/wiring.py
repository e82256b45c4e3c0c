"""Builds the SMData report use case from the function's settings and real AWS clients."""

from __future__ import annotations

from ..config import FunctionSettings
from ..delivery.wiring import ministry_client
from ..ingest.wiring import client
from ..reconcile.storage import S3JsonObjects
from .service import ReportDeps, ReportOutcome, ReportRequest, run_reports
from .storage import DynamoRecordScan


def report_deps(settings: FunctionSettings) -> ReportDeps:
    return ReportDeps(
        records=DynamoRecordScan(client("dynamodb"), settings.records_table),
        ministry=ministry_client(settings),
        copies=S3JsonObjects(client("s3"), settings.inbox_bucket),
        region_code=settings.region_code,
    )


def run_smdata_reports(settings: FunctionSettings, request: ReportRequest) -> ReportOutcome:
    return run_reports(request, report_deps(settings))
