"""Reading what a handler wrote to stdout, as CloudWatch would: EMF metric documents and JSON logs."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

import pytest

from sikas_sync.config import FunctionSettings
from sikas_sync.embedded.functions import LocalLambdaContext, load_handler
from sikas_sync.observability import metrics

REGION = "ap-southeast-3"


def load(handler_dir: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> Any:
    """The handler module as Lambda loads it, with stand-ins for every required variable."""
    for info in FunctionSettings.model_fields.values():
        if info.is_required() and info.alias:
            monkeypatch.setenv(info.alias, f"unused-{info.alias.lower()}")
    monkeypatch.setenv("REGION_CODE", "12.09")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    metrics.clear_metrics()  # nothing left over from another test's invocation
    load_handler(handler_dir)
    return sys.modules[f"sikas_function_{handler_dir}"]


def context(name: str, timeout_s: int = 60) -> LocalLambdaContext:
    return LocalLambdaContext(name, 512, timeout_s, REGION)


def sqs_record(message_id: str, body: str, queue: str) -> dict[str, Any]:
    """One record of an SQS event, as Lambda's event source mapping builds it."""
    return {
        "messageId": message_id,
        "receiptHandle": f"rh-{message_id}",
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1795000000000",
            "SenderId": "AIDAEXAMPLE",
            "ApproximateFirstReceiveTimestamp": "1795000000001",
        },
        "messageAttributes": {},
        "md5OfBody": "0" * 32,
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{REGION}:123456789012:{queue}",
        "awsRegion": REGION,
    }


@dataclass(frozen=True)
class Point:
    """One metric of one EMF document: its value(s) and the dimension sets it is published under."""

    name: str
    unit: str
    values: tuple[float, ...]
    dimensions: dict[str, str]  # every dimension's value in the document
    dimension_sets: tuple[tuple[str, ...], ...]  # each set sorted, e.g. (("domain", "service"),)
    namespace: str

    @property
    def value(self) -> float:
        return sum(self.values)


def emf_points(output: str) -> list[Point]:
    points = []
    for line in output.splitlines():
        if not line.startswith('{"_aws"'):
            continue
        document = json.loads(line)
        for directive in document["_aws"]["CloudWatchMetrics"]:
            sets = tuple(tuple(sorted(names)) for names in directive["Dimensions"])
            dims = {name: document[name] for names in directive["Dimensions"] for name in names}
            for metric in directive["Metrics"]:
                raw = document[metric["Name"]]
                values = tuple(float(v) for v in (raw if isinstance(raw, list) else [raw]))
                points.append(
                    Point(metric["Name"], metric["Unit"], values, dims, sets, directive["Namespace"])
                )
    return points


def by_domain(points: list[Point], name: str) -> dict[str, float]:
    """name's values by the `domain` dimension (documents without one are left out)."""
    found: dict[str, float] = {}
    for point in points:
        if point.name == name and "domain" in point.dimensions:
            found[point.dimensions["domain"]] = found.get(point.dimensions["domain"], 0) + point.value
    return found


def service_only(points: list[Point], name: str) -> list[Point]:
    """The points of `name` published under the service-only dimension set (the totals)."""
    return [p for p in points if p.name == name and ("service",) in p.dimension_sets]


def log_lines(output: str, message: str | None = None) -> list[dict[str, Any]]:
    lines = []
    for line in output.splitlines():
        if line.startswith("{") and not line.startswith('{"_aws"'):
            entry = json.loads(line)
            if message is None or entry.get("message") == message:
                lines.append(entry)
    return lines
