"""(3) Ingest on the embedded stack: a 100,000-row export stored, against bare BatchWriteItem of the
same items to the same emulator; then the identical re-upload: its time and its zero writes."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import boto3

from bench.common import Figure, sample_file

SECTION = "3 ingest"


class ApiCounter:
    """AWS calls of the default boto3 session (the one the handlers use): count, time, items written."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self.written: Counter[str] = Counter()  # BatchWriteItem/PutItem items by table
        boto3.setup_default_session()
        events = boto3.DEFAULT_SESSION.events  # type: ignore[union-attr]
        events.register("provide-client-params.dynamodb.*", self._writes)
        events.register("before-call.*.*", self._before)
        events.register("after-call.*.*", self._after)

    def _writes(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        if model.name == "BatchWriteItem":
            for table, requests in params["RequestItems"].items():
                self.written[table] += len(requests)
        elif model.name == "PutItem":
            self.written[params["TableName"]] += 1

    def _before(self, context: dict[str, Any], **_: Any) -> None:
        context["bench_started"] = time.perf_counter()

    def _after(self, model: Any, context: dict[str, Any], **_: Any) -> None:
        key = f"{model.service_model.service_name}.{model.name}"
        self.calls[key] += 1
        self.seconds[key] += time.perf_counter() - context.get("bench_started", time.perf_counter())

    def reset(self) -> None:
        self.calls.clear()
        self.seconds.clear()
        self.written.clear()


def run(quick: bool = False) -> list[Figure]:
    from sikas_sync.embedded.stack import EmbeddedStack

    rows = 10_000 if quick else 100_000
    path = sample_file("pencari_kerja", rows)
    counter = ApiCounter()
    with Path("/dev/null").open("w") as quiet, EmbeddedStack(log=quiet) as stack:
        assert stack.resources is not None
        records_table = stack.resources.records_table
        key = f"pencari_kerja/{path.name}"
        counter.reset()
        started = time.perf_counter()
        stack.upload(path, key)
        assert stack.run_ingest(3600), "ingest did not finish"
        ingest_s = time.perf_counter() - started
        first = dict(counter.calls), dict(counter.seconds), counter.written[records_table]
        summaries = stack.file_summaries()
        stored = sum(s["created"] + s["updated"] for s in summaries.values())

        bare_s, bare_items = _bare_batch_write(stack, records_table)

        counter.reset()
        started = time.perf_counter()
        stack.upload(path, key)
        assert stack.run_ingest(3600), "re-upload did not finish"
        again_s = time.perf_counter() - started
        again_writes = counter.written[records_table]
        again_sends = counter.calls["sqs.SendMessageBatch"] + counter.calls["sqs.SendMessage"]
        again = max(stack.file_summaries().values(), key=lambda s: s["unchanged"])

    calls, seconds, written = first
    ingest_rate, bare_rate = stored / ingest_s, bare_items / bare_s
    top = sorted(seconds.items(), key=lambda item: -item[1])[:5]
    return [
        Figure(
            SECTION,
            f"ingest {rows:,}-row export: records stored",
            ingest_rate,
            "records/s",
            reference=bare_rate,
            reference_name="bare BatchWriteItem, same items",
            ratio=ingest_rate / bare_rate,
            note=f"{stored:,} records in {ingest_s:.1f} s; bare: {bare_items:,} items in {bare_s:.1f} s",
            details={
                "records_written": written,
                "calls": calls,
                "seconds_by_call": dict(top),
                "valid_rows": stored,
            },
        ),
        Figure(
            SECTION,
            "identical re-upload: time",
            again_s,
            "s",
            reference=ingest_s,
            reference_name="first upload",
            ratio=again_s / ingest_s,
            note=f"{again['unchanged']:,} unchanged",
        ),
        Figure(
            SECTION,
            "identical re-upload: records written / messages sent",
            again_writes,
            "items",
            target="0",
            met=again_writes == 0 and again_sends == 0,
            note=f"{again_sends} push sends",
        ),
    ]


def _bare_batch_write(stack: Any, records_table: str) -> tuple[float, int]:
    """BatchWriteItem of the items ingest stored, 25 per call, into a new table of the same keys."""
    dynamodb = stack.clients["dynamodb"]
    description = dynamodb.describe_table(TableName=records_table)["Table"]
    keys = {key["AttributeName"] for key in description["KeySchema"]}
    dynamodb.create_table(
        TableName="bench-bare",
        KeySchema=description["KeySchema"],
        # The records table's index attributes aside: the bare table has the keys only.
        AttributeDefinitions=[a for a in description["AttributeDefinitions"] if a["AttributeName"] in keys],
        BillingMode="PAY_PER_REQUEST",
    )
    items = [
        item
        for page in dynamodb.get_paginator("scan").paginate(TableName=records_table)
        for item in page["Items"]
    ]
    started = time.perf_counter()
    for start in range(0, len(items), 25):
        requests = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        pending: dict[str, Any] = {"bench-bare": requests}
        while pending:
            pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    return time.perf_counter() - started, len(items)
