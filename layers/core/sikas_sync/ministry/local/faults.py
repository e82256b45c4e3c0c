"""Switchable faults of the local ministry; change the fields at any time, they are read per request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import contract

# (domain, record) → the errors to refuse the record with, or None to let it through.
RefusalRule = Callable[[str, dict[str, Any]], list[dict[str, str]] | None]

NIK_UNKNOWN = {
    "field": "nik",
    "code": "NIK_TIDAK_DIKENAL",
    "message": "NIK tidak dikenal di data kependudukan (Dukcapil)",
}


@dataclass
class Faults:
    """Rates are fractions between 0 and 1, drawn from the ministry's seeded random generator.

    Faults that answer an API request instead of the real handling (rate limit, throttle, failure)
    apply to `/v1/records` and `/v1/reports`; the token endpoint and `/v1/health` only see latency.
    """

    failure_rate: float = 0.0  # API requests answered with one of failure_statuses
    failure_statuses: tuple[int, ...] = (503, 500)  # 503 carries Retry-After: 0 or 1
    throttle_rate: float = 0.0  # API requests answered 429 with Retry-After: retry_after_s
    retry_after_s: int = 1
    token_ttl_s: float = 3600.0  # expires_in (whole seconds, rounded down) and the real expiry
    latency_s: float = 0.0  # added to every request, really slept
    refuse_rate: float = 0.0  # records answered `rejected` with NIK_UNKNOWN (not stored)
    refuse_when: RefusalRule | None = None  # checked before refuse_rate
    max_batch_records: int = contract.MAX_BATCH_RECORDS  # more records in one POST → 413
    max_body_bytes: int = contract.MAX_BATCH_BYTES  # a larger request body → 413
    rate_limit_per_s: float | None = None  # API requests beyond it → 429 (a token bucket)
    rate_limit_burst: int | None = None  # the bucket's size; None: max(1, rate)
    fail_after_accept_rate: float = 0.0  # POSTs stored and then answered 503
