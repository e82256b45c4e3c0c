"""Builds the push use case from the function's settings and real AWS clients."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.circuit_breaker import (
    CircuitBreakerConfig,
    CircuitBreakerOpenError,
    CircuitInfo,
    circuit_breaker,
)
from aws_lambda_powertools.utilities.circuit_breaker.persistence.dynamodb import (
    CircuitBreakerDynamoDBPersistence,
)

from ..adapters.dynamodb_delivery import DynamoDeliveryStore
from ..adapters.sqs_push import SqsMessageDelay
from ..config import ConfigurationError, FunctionSettings
from ..ingest.wiring import caller, client, endpoint
from ..ministry import Credentials, MinistryClient, TransientError
from .ports import BREAKER_NAME
from .service import Backoff, Breaker, BreakerOpen, DeliveryDeps

T = TypeVar("T")
SECRET_CACHE_S = 300


class DynamoBreaker(Breaker):
    """Powertools' circuit breaker, its state shared by every push invocation through DynamoDB."""

    def __init__(self, table: str, failures: int, recovery_s: int) -> None:
        store = CircuitBreakerDynamoDBPersistence(
            table_name=table, key_attr="pk", boto3_client=client("dynamodb")
        )
        config = CircuitBreakerConfig(
            failure_threshold=failures,
            recovery_timeout=recovery_s,
            success_threshold=1,
            handled_exceptions=(TransientError,),  # refusals and bad requests say nothing about uptime
        )

        def still_open(action: Callable[[], Any], circuit: CircuitInfo) -> Any:
            raise BreakerOpen(recovery_s)

        @circuit_breaker(
            name=BREAKER_NAME, persistence_store=store, config=config, on_circuit_open=still_open
        )
        def guarded(action: Callable[[], Any]) -> Any:
            return action()

        self._guarded = guarded

    def call(self, action: Callable[[], T]) -> T:
        try:
            result: T = self._guarded(action)
        except CircuitBreakerOpenError as error:
            raise BreakerOpen(1) from error
        return result


@cache
def _secrets(endpoint_url: str | None, caller: str | None) -> parameters.SecretsProvider:
    return parameters.SecretsProvider(boto3_client=client("secretsmanager"))


def _credentials(
    secret_name: str, endpoint_url: str | None, caller: str | None
) -> Callable[[bool], Credentials]:
    provider = _secrets(endpoint_url, caller)

    def read(refresh: bool) -> Credentials:
        raw = provider.get(secret_name, max_age=SECRET_CACHE_S, force_fetch=refresh)
        value = json.loads(str(raw))
        return Credentials(client_id=value["client_id"], client_secret=value["client_secret"])

    return read


@cache
def _ministry(
    url: str,
    region_code: str,
    secret_name: str,
    *,
    timeout_s: float,
    rate: float | None,
    endpoint_url: str | None,
    caller: str | None,
) -> MinistryClient:
    # One client (and so one token cache) per execution environment and configuration.
    return MinistryClient(
        url,
        region_code,
        _credentials(secret_name, endpoint_url, caller),
        timeout_s=timeout_s,
        rate_limit_per_s=rate,
    )


def ministry_client(settings: FunctionSettings) -> MinistryClient:
    if not settings.ministry_url or not settings.ministry_secret_name:
        raise ConfigurationError("MINISTRY_URL and MINISTRY_SECRET_NAME must be set")
    return _ministry(
        settings.ministry_url,
        settings.region_code,
        settings.ministry_secret_name,
        timeout_s=settings.ministry_timeout_s,
        rate=settings.ministry_rate_limit_per_s,
        endpoint_url=endpoint(),
        caller=caller(),
    )


@cache
def _breaker(
    table: str, failures: int, recovery_s: int, endpoint_url: str | None, caller: str | None
) -> DynamoBreaker:
    return DynamoBreaker(table, failures, recovery_s)


def delivery_deps(settings: FunctionSettings) -> DeliveryDeps:
    return DeliveryDeps(
        store=DynamoDeliveryStore(client("dynamodb"), settings.records_table, settings.deliveries_table),
        ministry=ministry_client(settings),
        visibility=SqsMessageDelay(client("sqs"), settings.push_queue_url),
        backoff=Backoff(base_s=settings.backoff_base_s, cap_s=settings.backoff_cap_s),
        breaker=_breaker(
            settings.deliveries_table,
            settings.breaker_failures,
            settings.breaker_recovery_s,
            endpoint(),
            caller(),
        ),
        rng=random.Random(),  # noqa: S311 - jitter, not security
    )
