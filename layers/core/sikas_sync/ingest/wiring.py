"""Builds the ingest use case from the function's settings and real AWS clients."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.utilities import parameters

from ..adapters.dynamodb_leases import DynamoLeases
from ..adapters.dynamodb_ledger import DynamoFileLedger
from ..adapters.dynamodb_records import DynamoRecordStore
from ..adapters.s3_objects import S3ObjectStore
from ..adapters.secrets import hmac_key
from ..adapters.sqs_push import SqsPushQueue
from ..adapters.sqs_waiting import SqsWaitingFiles
from ..config import ConfigurationError, FunctionSettings
from ..leases import lease_for
from .ports import ObjectMissing, ObjectRef

if TYPE_CHECKING:
    from .service import FileSummary

__all__ = ["caller", "client", "endpoint", "ingest_file", "lease_for", "leases", "wait_for_lease"]


def endpoint() -> str | None:
    return os.environ.get("AWS_ENDPOINT_URL")


def caller() -> str | None:
    """Whose credentials the clients carry: part of every cache key of a client or what holds one."""
    return os.environ.get("AWS_ACCESS_KEY_ID")


def client(service: str) -> Any:
    return _client(service, endpoint(), caller())


@cache
def _client(service: str, endpoint: str | None, access_key_id: str | None) -> Any:
    # Once per execution environment. On Lambda endpoint and credentials never change; the embedded
    # stack runs every function in one process, each with its own role's credentials and possibly
    # a new emulator: a client made for one must not serve another.
    return _session(access_key_id).client(service, endpoint_url=endpoint)  # type: ignore[call-overload]


@cache
def _session(access_key_id: str | None) -> boto3.session.Session:
    # A session per caller: boto3's default session keeps the first credentials it ever read,
    # which in the embedded stack would be one function's for every function.
    return boto3.session.Session()


def _secrets(endpoint: str | None) -> parameters.SecretsProvider:
    return _secrets_for(endpoint, caller())


@cache
def _secrets_for(endpoint: str | None, access_key_id: str | None) -> parameters.SecretsProvider:
    return parameters.SecretsProvider(boto3_client=_client("secretsmanager", endpoint, access_key_id))


def leases(settings: FunctionSettings) -> DynamoLeases:
    return DynamoLeases(client("dynamodb"), settings.locks_table)


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
        leases=leases(settings),
        remaining_s=_budget(settings.ingest_budget_s),
    )
    ingest_settings = IngestSettings(
        region_code=settings.region_code,
        max_file_bytes=settings.max_file_bytes,
        lease_s=lease_for(timeout_s),
    )
    return ingest_object(ObjectRef(bucket, key, version_id), deps, ingest_settings)


def _budget(budget_s: int | None) -> Callable[[], float] | None:
    """Seconds left of the invocation's budget for storing rows, counted from now."""
    if budget_s is None:
        return None
    ends = time.monotonic() + budget_s
    return lambda: ends - time.monotonic()


def wait_for_lease(
    bucket: str, key: str, version_id: str | None, event_name: str, *, waits: int, settings: FunctionSettings
) -> int:
    """Sends a file that must wait back to its ingest queue, delayed; returns the delay (seconds)."""
    from .service import wait_delay_s

    url, base_s, cap_s = settings.ingest_queue_url, settings.ingest_wait_base_s, settings.ingest_wait_cap_s
    if url is None or base_s is None or cap_s is None:
        names = "INGEST_QUEUE_URL, INGEST_WAIT_BASE_S, INGEST_WAIT_CAP_S"
        raise ConfigurationError(f"function environment incomplete or invalid: {names}")
    delay = wait_delay_s(waits, base_s, cap_s)
    SqsWaitingFiles(client("sqs"), url).wait(
        bucket, key, version_id, event_name, waits=waits + 1, delay_s=delay
    )
    return delay
