"""Builds the ingest use case from the function's settings and real AWS clients."""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.utilities import parameters

from ..adapters.dynamodb_ledger import DynamoFileLedger
from ..adapters.dynamodb_records import DynamoRecordStore
from ..adapters.s3_objects import S3ObjectStore
from ..adapters.secrets import hmac_key
from ..adapters.sqs_push import SqsPushQueue
from ..config import FunctionSettings
from .ports import ObjectMissing, ObjectRef

if TYPE_CHECKING:
    from .service import FileSummary

MAX_LEASE_MARGIN_S = 60  # a lease outlives the function timeout, so a live invocation keeps its file


def endpoint() -> str | None:
    return os.environ.get("AWS_ENDPOINT_URL")


def lease_for(timeout_s: int) -> int:
    """A file's lease: longer than the invocation, so a live invocation keeps its file, and over
    well before the message is visible again (visibility = 6 x timeout), so the redelivery after
    a crash can take the file over and resume it."""
    return timeout_s + min(MAX_LEASE_MARGIN_S, max(1, timeout_s // 2))


def client(service: str) -> Any:
    return _client(service, endpoint())


@cache
def _client(service: str, endpoint: str | None) -> Any:
    # Once per execution environment (and endpoint: the embedded stack may be started anew).
    return boto3.client(service, endpoint_url=endpoint)  # type: ignore[call-overload]


@cache
def _secrets(endpoint: str | None) -> parameters.SecretsProvider:
    return parameters.SecretsProvider(boto3_client=_client("secretsmanager", endpoint))


def ingest_file(
    bucket: str, key: str, version_id: str | None, settings: FunctionSettings, timeout_s: int
) -> FileSummary:
    # Validation, parsing and every domain model: the other functions use this module's clients only.
    from .service import IngestDeps, IngestSettings, ingest_object

    objects = S3ObjectStore(client("s3"))
    if version_id is None:
        # Events without a version id (emulators, unversioned buckets): pin the version read now.
        try:
            version_id = objects.current_version(bucket, key)
        except ObjectMissing:
            version_id = None  # ingest reports the file as missing
    deps = IngestDeps(
        objects=objects,
        records=DynamoRecordStore(client("dynamodb"), settings.records_table),
        ledger=DynamoFileLedger(client("dynamodb"), settings.files_table),
        push=SqsPushQueue(client("sqs"), settings.push_queue_url),
        hmac_key=hmac_key(_secrets(endpoint()), settings.hmac_secret_name),
    )
    ingest_settings = IngestSettings(
        region_code=settings.region_code,
        max_file_bytes=settings.max_file_bytes,
        lease_s=lease_for(timeout_s),
    )
    return ingest_object(ObjectRef(bucket, key, version_id), deps, ingest_settings)
