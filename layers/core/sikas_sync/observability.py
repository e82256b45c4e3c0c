"""One place for the functions' logger, metrics and tracer, and the filter that keeps personal data out."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment

from .privacy import is_personal_key, mask_nik_shaped
from .resources import DEFAULT_REGION_CODE
from .telemetry import DIMENSION_DOMAIN, LOG_RUN_SKIPPED, NAMESPACE, RUNS_SKIPPED, service_name

# A function serves one regency (its REGION_CODE, set by the stack): its metrics carry that regency.
SERVICE = service_name(os.environ.get("REGION_CODE", DEFAULT_REGION_CODE))

__all__ = [
    "NAMESPACE", "SERVICE", "logger", "metrics", "publish_domain_metrics", "redact", "run_skipped", "tracer",
]  # fmt: skip


class _CurrentStdout:
    """Writes to whatever sys.stdout is now: on Lambda the same thing, in the embedded stack the
    invocation's log capture (so `run --json` keeps stdout for its one JSON document)."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


class MaskingFormatter(LambdaPowertoolsFormatter):
    """Exceptions and stack traces are rendered after the filter below ran (from the exception
    object itself): NIK-shaped numbers are masked in the finished line as well."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_nik_shaped(super().format(record))


logger = Logger(service=SERVICE, stream=_CurrentStdout(), logger_formatter=MaskingFormatter())  # type: ignore[arg-type]
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)


class _NoSegment(BaseSegment):
    """What the disabled X-Ray recorder hands out: a subsegment that records nothing."""

    def close(self, end_time: int | None = None) -> None:
        pass

    def add_subsegment(self, subsegment: Any) -> None:
        pass

    def remove_subsegment(self, subsegment: Any) -> None:
        pass

    def put_annotation(self, key: str, value: Any) -> None:
        pass

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        pass

    def add_exception(self, exception: BaseException, stack: Any, remote: bool = False) -> None:
        pass


class _NoTracing(BaseProvider):
    """The Tracer's provider while tracing is off: Powertools' default provider is X-Ray's recorder,
    whose import costs about 100 ms of a cold start (more off Lambda, where it builds X-Ray clients for
    sampling) even when Powertools then disables it."""

    @contextmanager
    def in_subsegment(self, name: str | None = None, **kwargs: Any) -> Iterator[BaseSegment]:
        yield _NoSegment()

    @asynccontextmanager
    async def in_subsegment_async(self, name: str | None = None, **kwargs: Any) -> AsyncIterator[BaseSegment]:
        yield _NoSegment()

    def put_annotation(self, key: str, value: Any) -> None:
        pass

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        pass

    def patch(self, modules: Sequence[str]) -> None:
        pass

    def patch_all(self) -> None:
        pass


def _tracer() -> Tracer:
    # Powertools' own rule (POWERTOOLS_TRACE_DISABLED, SAM or Chalice local, not on Lambda), as before.
    if Tracer._is_tracer_disabled():
        return Tracer(service=SERVICE, disabled=True, auto_patch=False, provider=_NoTracing())
    import wrapt  # X-Ray's own patching library, loaded with its recorder anyway

    traced = Tracer(service=SERVICE, auto_patch=False)
    # Of patch_all's list only botocore is in the layer and used by us. It is patched when its session
    # module loads (every client comes from a session), not here: that import is ~50 ms of a cold start.
    wrapt.when_imported("botocore.session")(lambda _: traced.patch(["botocore"]))
    return traced


tracer = _tracer()


def publish_domain_metrics(
    domain: str,
    values: Mapping[str, float],
    *,
    units: Mapping[str, MetricUnit] | None = None,
    with_total: bool = False,
) -> None:
    """Publish `values` now, as one EMF document with dimension `domain` (plus `service`).

    `metrics` holds one dimension set per invocation; a function that handles several domains at
    once (push, sweep) publishes each domain's values with this instead. `with_total` adds the
    service-only dimension set, so the same data points also form the total over all domains.
    """
    document = EphemeralMetrics(namespace=NAMESPACE, service=SERVICE)
    document.add_dimension(name=DIMENSION_DOMAIN, value=domain)
    if with_total:
        document.add_dimensions(service=SERVICE)
    for name, value in values.items():
        document.add_metric(name=name, unit=(units or {}).get(name, MetricUnit.Count), value=value)
    document.flush_metrics()


def run_skipped(function: str) -> dict[str, Any]:
    """A scheduled or operator function found another run of itself holding its lease and did nothing:
    say so in the log and the metrics, and answer the invoker (not a failure: no retry, no alarm)."""
    metrics.add_metric(name=RUNS_SKIPPED, unit=MetricUnit.Count, value=1)
    logger.info(LOG_RUN_SKIPPED, extra={"function": function})
    return {"skipped": "another run holds the lease", "function": function}


def redact(value: Any) -> Any:
    """Mask NIK-shaped numbers in text and whole values under personal-looking keys."""
    if isinstance(value, str):
        return mask_nik_shaped(value)
    if isinstance(value, dict):
        return {k: "***" if is_personal_key(k) else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, tuple):
        return tuple(redact(v) for v in value)
    return value


class PersonalDataFilter(logging.Filter):
    """Last line of defence: whatever slips into a log call is masked before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            record.args = redact(record.args) if isinstance(record.args, tuple) else record.args
        for key, value in list(record.__dict__.items()):
            if key in _STANDARD_ATTRS:
                continue
            record.__dict__[key] = "***" if is_personal_key(key) else redact(value)
        return True


_STANDARD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}
logger.addFilter(PersonalDataFilter())
