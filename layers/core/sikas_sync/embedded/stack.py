"""EmbeddedStack: start the emulator, create the planned resources, run the real handlers on them."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import boto3

from ..resources import ResourcePlan, resource_plan
from .dispatcher import Dispatcher, EventSourceMapping
from .functions import load_handler
from .provision import Provisioned, provision
from .server import AwsEmulator

REGION = "ap-southeast-3"  # Jakarta, where a deployment would run
# Timeouts and backoff shrink so a run with retries takes seconds (cli.md, "Timing").
TIME_SCALE = 1 / 300


class EmbeddedStack:
    """Use as a context manager; everything it starts stops at exit and the environment is restored."""

    def __init__(self, region_code: str = "12.09", log: IO[str] | None = None) -> None:
        self.plan: ResourcePlan = resource_plan(region_code, time_scale=TIME_SCALE)
        self.log: IO[str] = log or sys.stderr
        self._emulator = AwsEmulator()
        self._saved_env: dict[str, str | None] = {}
        self.clients: dict[str, Any] = {}
        self.resources: Provisioned | None = None
        self.dispatcher: Dispatcher | None = None
        self.ingest_mappings: dict[str, EventSourceMapping] = {}

    # -- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> EmbeddedStack:
        url = self._emulator.start()
        self._set_env(
            {
                "AWS_ENDPOINT_URL": url,
                "AWS_ACCESS_KEY_ID": "embedded",
                "AWS_SECRET_ACCESS_KEY": "embedded",  # the emulator accepts any credentials
                "AWS_SESSION_TOKEN": "embedded",
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon here
                "POWERTOOLS_METRICS_NAMESPACE": "SikasSync",
            }
        )
        self.clients = {name: boto3.client(name) for name in ("s3", "sqs", "dynamodb", "secretsmanager")}
        self.resources = provision(self.plan, self.clients, REGION)
        self.dispatcher = Dispatcher(self.clients["sqs"], REGION, self.log)
        self._add_ingest_functions()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._emulator.stop()
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def _set_env(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self._saved_env.setdefault(key, os.environ.get(key))
            os.environ[key] = value

    def function_environment(self) -> dict[str, str]:
        """What the CDK app puts into every function's environment, with the emulator's names."""
        assert self.resources is not None
        return {
            "REGION_CODE": self.plan.region_code,
            "INBOX_BUCKET": self.resources.bucket,
            "RECORDS_TABLE": self.resources.records_table,
            "FILES_TABLE": self.resources.files_table,
            "PUSH_QUEUE_URL": self.resources.push_queue.url,
            "HMAC_SECRET_NAME": self.resources.hmac_secret_name,
            "MAX_FILE_BYTES": str(self.plan.max_file_bytes),
        }

    def _add_ingest_functions(self) -> None:
        assert self.resources is not None
        assert self.dispatcher is not None
        common = self.function_environment()
        for ingest in self.plan.ingest:
            queue = self.resources.ingest_queues[ingest.domain]
            mapping = EventSourceMapping(
                function_name=ingest.function.name,
                handler=load_handler(ingest.function.handler_dir),
                queue_url=queue.url,
                queue_arn=queue.arn,
                batch_size=ingest.function.batch_size,
                timeout_s=ingest.function.timeout_s,
                memory_mb=ingest.function.memory_mb,
                environment={
                    **common,
                    "DOMAIN": ingest.domain,
                    "POWERTOOLS_SERVICE_NAME": ingest.function.name,
                },
            )
            self.ingest_mappings[ingest.domain] = mapping
            self.dispatcher.add(mapping)

    # -- operations ------------------------------------------------------------------------------

    @property
    def bucket(self) -> str:
        assert self.resources is not None
        return self.resources.bucket

    def upload(self, path: Path, key: str) -> str | None:
        """PutObject as SIKAS does; returns the new version id."""
        with path.open("rb") as body:
            response = self.clients["s3"].put_object(Bucket=self.bucket, Key=key, Body=body)
        version: str | None = response.get("VersionId")
        return version

    def run_ingest(self, timeout_s: float) -> bool:
        """Dispatch ingest messages until every ingest queue is empty; False if time ran out."""
        assert self.dispatcher is not None
        return self.dispatcher.run_until_idle(
            list(self.ingest_mappings.values()), time.monotonic() + timeout_s
        )

    def file_summaries(self) -> dict[tuple[str, str | None], dict[str, Any]]:
        """The ledger's summaries of processed files, by (object key, version id)."""
        assert self.resources is not None
        found: dict[tuple[str, str | None], dict[str, Any]] = {}
        paginator = self.clients["dynamodb"].get_paginator("scan")
        for page in paginator.paginate(TableName=self.resources.files_table):
            for item in page["Items"]:
                if item.get("status", {}).get("S") == "done":
                    summary = json.loads(item["summary"]["S"])
                    found[(summary["key"], summary.get("version_id"))] = summary
        return found

    def dead_lettered(self) -> int:
        assert self.resources is not None
        assert self.dispatcher is not None
        queues = [self.resources.push_queue.dlq_url] + [
            q.dlq_url for q in self.resources.ingest_queues.values()
        ]
        return sum(self.dispatcher.queue_depth(url) for url in queues)
