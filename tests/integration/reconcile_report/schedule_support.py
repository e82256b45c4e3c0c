"""Support of the reconcile and report integration tests: an embedded stack with the two scheduled
functions, and plain views of what its tables and bucket hold."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from typing import Any

from sikas_sync.adapters.dynamodb_delivery import COUNTS_PREFIX
from sikas_sync.embedded import EmbeddedStack


@contextlib.contextmanager
def embedded_stack() -> Iterator[EmbeddedStack]:
    with open(os.devnull, "w") as log, EmbeddedStack(log=log) as stack:
        yield stack


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {name: next(iter(value.values())) for name, value in item.items()}


def scan(stack: EmbeddedStack, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in (
        stack.clients["dynamodb"].get_paginator("scan").paginate(TableName=table, ConsistentRead=True)
    ):
        items.extend(_plain(item) for item in page["Items"])
    return items


def records(stack: EmbeddedStack, domain: str) -> dict[str, dict[str, Any]]:
    """The records table's items of one domain by record_id, as plain values."""
    assert stack.resources is not None
    return {
        item["record_id"]: item
        for item in scan(stack, stack.resources.records_table)
        if item.get("domain") == domain
    }


def deliveries(stack: EmbeddedStack) -> dict[str, dict[str, Any]]:
    """The deliveries table's items by pk (records' states and the breaker; not the settled counts,
    which every settled version moves: see settled())."""
    assert stack.resources is not None
    items = scan(stack, stack.resources.deliveries_table)
    return {item["pk"]: item for item in items if not item["pk"].startswith(COUNTS_PREFIX)}


def settled(stack: EmbeddedStack, domain: str) -> dict[str, int]:
    """The domain's counts of settled versions (delivered, rejected_by_ministry)."""
    assert stack.resources is not None
    item = next(
        (i for i in scan(stack, stack.resources.deliveries_table) if i["pk"] == COUNTS_PREFIX + domain), {}
    )
    return {name: int(item.get(name, 0)) for name in ("delivered", "rejected_by_ministry")}


def keys(stack: EmbeddedStack, prefix: str) -> list[str]:
    response = stack.clients["s3"].list_objects_v2(Bucket=stack.bucket, Prefix=prefix)
    return sorted(o["Key"] for o in response.get("Contents", []))


def document(stack: EmbeddedStack, key: str) -> Any:
    return json.loads(stack.clients["s3"].get_object(Bucket=stack.bucket, Key=key)["Body"].read())


def push_queue_depth(stack: EmbeddedStack) -> int:
    assert stack.dispatcher is not None
    assert stack.resources is not None
    return stack.dispatcher.queue_depth(stack.resources.push_queue.url)
