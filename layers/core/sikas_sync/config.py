"""What a function learns from its environment, typed and checked once per cold start."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, ValidationError

if TYPE_CHECKING:  # an annotation only: a handler's import need not load the resource plan
    from .resources import DeliveryPlan, IngestPlan


class FunctionSettings(BaseModel):
    """Environment variables set by the CDK app (and by the embedded stack for each invocation)."""

    region_code: str = Field(alias="REGION_CODE", pattern=r"^\d{2}(\.\d{2})?$")
    inbox_bucket: str = Field(alias="INBOX_BUCKET")
    records_table: str = Field(alias="RECORDS_TABLE")
    deliveries_table: str = Field(alias="DELIVERIES_TABLE")
    files_table: str = Field(alias="FILES_TABLE")
    locks_table: str = Field(alias="LOCKS_TABLE")
    push_queue_url: str = Field(alias="PUSH_QUEUE_URL")
    hmac_secret_name: str = Field(alias="HMAC_SECRET_NAME")
    max_file_bytes: int = Field(alias="MAX_FILE_BYTES", default=512 * 1024 * 1024, gt=0)
    domain: str | None = Field(alias="DOMAIN", default=None)  # set for the per-domain ingest functions
    # Ingest: its own queue, where a file waiting for the domain's lease goes back (delayed).
    ingest_queue_url: str | None = Field(alias="INGEST_QUEUE_URL", default=None)
    ingest_wait_base_s: int | None = Field(alias="INGEST_WAIT_BASE_S", default=None, ge=1)
    ingest_wait_cap_s: int | None = Field(alias="INGEST_WAIT_CAP_S", default=None, ge=1)
    ingest_budget_s: int | None = Field(alias="INGEST_BUDGET_S", default=None, ge=1)
    # Delivery (the push, sweep and reconcile functions)
    ministry_url: str | None = Field(alias="MINISTRY_URL", default=None)
    ministry_secret_name: str | None = Field(alias="MINISTRY_SECRET_NAME", default=None)
    ministry_timeout_s: float = Field(alias="MINISTRY_TIMEOUT_S", default=10.0, gt=0)
    ministry_rate_limit_per_s: float | None = Field(alias="MINISTRY_RATE_LIMIT_PER_S", default=None, gt=0)
    backoff_base_s: float = Field(alias="BACKOFF_BASE_S", default=30.0, gt=0)
    backoff_cap_s: float = Field(alias="BACKOFF_CAP_S", default=1800.0, gt=0)
    breaker_failures: int = Field(alias="BREAKER_FAILURES", default=5, ge=1)
    breaker_recovery_s: int = Field(alias="BREAKER_RECOVERY_S", default=300, ge=1)
    sweep_stale_after_s: int = Field(alias="SWEEP_STALE_AFTER_S", default=900, ge=1)


class ConfigurationError(RuntimeError):
    pass


def load_settings() -> FunctionSettings:
    try:
        return FunctionSettings.model_validate(dict(os.environ))
    except ValidationError as error:
        # Names of the missing/invalid variables only; values could be anything.
        names = ", ".join(str(item["loc"][0]) for item in error.errors())
        raise ConfigurationError(f"function environment incomplete or invalid: {names}") from None


def ingest_environment(ingest: IngestPlan, queue_url: str) -> dict[str, str]:
    """The ingest function's own variables, as the CDK app and the embedded stack set them."""
    return {
        "DOMAIN": ingest.domain,
        "INGEST_QUEUE_URL": queue_url,
        "INGEST_WAIT_BASE_S": str(ingest.wait_base_s),
        "INGEST_WAIT_CAP_S": str(ingest.wait_cap_s),
        "INGEST_BUDGET_S": str(ingest.budget_s),
    }


def delivery_environment(
    delivery: DeliveryPlan, ministry_url: str, ministry_secret_name: str, *, concurrency: int
) -> dict[str, str]:
    """The variables of the delivery settings above, as both the CDK app and the embedded stack set them.

    `concurrency` is how many invocations of the function getting them may run at once (push: its
    event source's maximum concurrency on AWS; one in the embedded stack, whose dispatcher runs one at
    a time): each paces itself at its share of the ministry's limit, so together they keep to it.
    """
    env = {
        "MINISTRY_URL": ministry_url,
        "MINISTRY_SECRET_NAME": ministry_secret_name,
        "MINISTRY_TIMEOUT_S": str(delivery.ministry_timeout_s),
        "BACKOFF_BASE_S": str(delivery.backoff_base_s),
        "BACKOFF_CAP_S": str(delivery.backoff_cap_s),
        "BREAKER_FAILURES": str(delivery.breaker_failures),
        "BREAKER_RECOVERY_S": str(delivery.breaker_recovery_s),
        "SWEEP_STALE_AFTER_S": str(delivery.sweep_stale_after_s),
    }
    if delivery.ministry_rate_limit_per_s is not None:
        env["MINISTRY_RATE_LIMIT_PER_S"] = str(delivery.ministry_rate_limit_per_s / max(1, concurrency))
    return env
