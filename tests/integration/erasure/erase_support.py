"""Support of the erasure integration tests: plain views of what the embedded stack holds."""

from __future__ import annotations

import json
from typing import Any

from sikas_sync.embedded import EmbeddedStack


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {name: next(iter(value.values())) for name, value in item.items()}


def scan(stack: EmbeddedStack, table: str) -> list[dict[str, Any]]:
    pages = stack.clients["dynamodb"].get_paginator("scan").paginate(TableName=table, ConsistentRead=True)
    return [_plain(item) for page in pages for item in page["Items"]]


def records_by_nik(stack: EmbeddedStack, domain: str) -> dict[str, list[str]]:
    """NIK → record ids of the domain's stored records."""
    assert stack.resources is not None
    found: dict[str, list[str]] = {}
    for item in scan(stack, stack.resources.records_table):
        if item["domain"] == domain:
            found.setdefault(json.loads(item["data"])["nik"], []).append(item["record_id"])
    return found


def delivery_keys(stack: EmbeddedStack) -> set[str]:
    assert stack.resources is not None
    return {item["pk"] for item in scan(stack, stack.resources.deliveries_table)}


def objects(stack: EmbeddedStack, prefix: str) -> dict[str, str]:
    s3 = stack.clients["s3"]
    listed = s3.list_objects_v2(Bucket=stack.bucket, Prefix=prefix).get("Contents", [])
    return {
        o["Key"]: s3.get_object(Bucket=stack.bucket, Key=o["Key"])["Body"].read().decode() for o in listed
    }
