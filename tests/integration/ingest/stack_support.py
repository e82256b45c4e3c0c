"""Test support for the ingest integration tests: reading what the embedded stack's AWS holds."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Iterator
from typing import Any

from sikas_sync.embedded import EmbeddedStack
from sikas_sync.resources import QUARANTINE_PREFIX, REPORTS_PREFIX

DOMAIN = "pencari_kerja"
INGEST_TIMEOUT_S = 30


@contextlib.contextmanager
def embedded_stack() -> Iterator[EmbeddedStack]:
    """A fresh stack, its functions' logs discarded."""
    with open(os.devnull, "w") as log, EmbeddedStack(log=log) as stack:
        yield stack


def records(stack: EmbeddedStack) -> dict[str, dict[str, Any]]:
    """The records table by NIK (the natural key of pencari_kerja), items as plain values."""
    assert stack.resources is not None
    found: dict[str, dict[str, Any]] = {}
    paginator = stack.clients["dynamodb"].get_paginator("scan")
    for page in paginator.paginate(TableName=stack.resources.records_table):
        for item in page["Items"]:
            plain = {name: next(iter(value.values())) for name, value in item.items()}
            (nik,) = json.loads(plain["natural_key"])
            assert nik not in found, f"two items for one natural key: {nik[:4]}"
            found[nik] = plain
    return found


def ledger(stack: EmbeddedStack) -> list[dict[str, Any]]:
    assert stack.resources is not None
    items = stack.clients["dynamodb"].scan(TableName=stack.resources.files_table, ConsistentRead=True)[
        "Items"
    ]
    return [{name: next(iter(value.values())) for name, value in item.items()} for item in items]


class PushLog:
    """Drains the push queue (nothing consumes it while only ingest runs); keeps what arrived."""

    def __init__(self, stack: EmbeddedStack) -> None:
        assert stack.resources is not None
        self._sqs = stack.clients["sqs"]
        self._url = stack.resources.push_queue.url
        self.seen: list[dict[str, Any]] = []

    def drain(self) -> list[dict[str, Any]]:
        new: list[dict[str, Any]] = []
        while True:
            response = self._sqs.receive_message(
                QueueUrl=self._url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            )
            messages = response.get("Messages", [])
            if not messages:
                break
            new.extend(json.loads(m["Body"]) for m in messages)
            self._sqs.delete_message_batch(
                QueueUrl=self._url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
            )
        self.seen.extend(new)
        return new


def get_object(stack: EmbeddedStack, key: str) -> bytes:
    body: bytes = stack.clients["s3"].get_object(Bucket=stack.bucket, Key=key)["Body"].read()
    return body


def keys(stack: EmbeddedStack, prefix: str = "") -> list[str]:
    response = stack.clients["s3"].list_objects_v2(Bucket=stack.bucket, Prefix=prefix)
    return sorted(o["Key"] for o in response.get("Contents", []))


def report(stack: EmbeddedStack, key: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(get_object(stack, REPORTS_PREFIX + key + ".json"))
    return document


def quarantine(stack: EmbeddedStack, key: str) -> list[list[str]]:
    text = get_object(stack, QUARANTINE_PREFIX + key + ".csv").decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def summaries_for(stack: EmbeddedStack, key: str) -> list[dict[str, Any]]:
    return [summary for (k, _), summary in stack.file_summaries().items() if k == key]


def run(stack: EmbeddedStack) -> None:
    assert stack.run_ingest(timeout_s=INGEST_TIMEOUT_S), "ingest queues did not drain in time"
    assert stack.dead_lettered() == 0
