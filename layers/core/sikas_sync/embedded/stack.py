"""EmbeddedStack: start the emulator, create the planned resources, run the real handlers on them."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import boto3

from ..adapters.dynamodb_delivery import state_from_item
from ..config import delivery_environment, ingest_environment
from ..delivery.ports import delivery_status
from ..ministry.local import Faults, LocalMinistry
from ..operations.erase_wiring import erase_function
from ..operations.target import QueuePair, StackTarget
from ..resources import FunctionPlan, ResourcePlan, resource_plan
from .dispatcher import Dispatcher, EventSourceMapping, FunctionSpec, InvocationFailed
from .functions import load_handler
from .iam import TemplateError, create_operator, create_roles, emulator_policies, emulator_resolver
from .provision import Provisioned, provision
from .server import AwsEmulator, Traffic

REGION = "ap-southeast-3"  # Jakarta, where a deployment would run
# Timeouts and backoff shrink so a run with retries takes seconds (cli.md, "Timing").
TIME_SCALE = 1 / 300


class EmbeddedStack:
    """Use as a context manager; everything it starts stops at exit and the environment is restored.

    One at a time per process: moto's emulated services are process-wide state.
    """

    def __init__(
        self,
        region_code: str = "12.09",
        *,
        log: IO[str] | None = None,
        ministry_url: str | None = None,
        ministry_credentials: tuple[str, str] = ("local-client", "local-secret"),
        ministry_faults: Faults | None = None,
        ministry_seed: int = 0,
        iam_template: Mapping[str, Any] | None = None,
        latency_s: float = 0.0,
    ) -> None:
        """`iam_template`: the synthesized CloudFormation template. Given, each function runs with its
        own role's permissions from it and moto checks every request (sikas_sync.embedded.iam).
        `latency_s`: a delay per DynamoDB and SQS call, as AWS's network has (about 0.01)."""
        self.plan: ResourcePlan = resource_plan(region_code, time_scale=TIME_SCALE)
        self._iam_template = iam_template
        self._role_env: dict[str, dict[str, str]] = {}  # each function's role credentials
        self.operator_keys: tuple[str, str] | None = None  # the admin's keys, with IAM enforced
        self.log: IO[str] = log or sys.stderr
        self._emulator = AwsEmulator(latency_s=latency_s)
        self._ministry_credentials = ministry_credentials
        # No URL given: the project's own implementation of the contract stands in for the ministry.
        self.local_ministry: LocalMinistry | None = None
        if ministry_url is None:
            self.local_ministry = LocalMinistry(
                region_code=region_code,
                clients=dict([ministry_credentials]),
                faults=ministry_faults or Faults(),
                seed=ministry_seed,
            )
        self.ministry_url = ministry_url or ""
        self.push_mapping: EventSourceMapping | None = None
        self.scheduled: dict[str, FunctionSpec] = {}  # EventBridge Scheduler targets, by name
        self.invoked: dict[str, FunctionSpec] = {}  # functions an operator invokes directly (erase)
        self._saved_env: dict[str, str | None] = {}
        self.clients: dict[str, Any] = {}
        self.resources: Provisioned | None = None
        self.dispatcher: Dispatcher | None = None
        self.ingest_mappings: dict[str, EventSourceMapping] = {}

    # -- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> EmbeddedStack:
        if self.local_ministry is not None:
            self.ministry_url = self.local_ministry.start()
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
        self.resources = provision(self.plan, self.clients, REGION, self._ministry_credentials)
        if self._iam_template is not None:
            self._enforce_iam(self._iam_template)
        self.dispatcher = Dispatcher(self.clients["sqs"], REGION, self.log)
        self._add_ingest_functions()
        self._add_push_function()
        self._add_scheduled_functions()
        erase = erase_function(TIME_SCALE)
        self.invoked[erase.name] = self._direct_spec(erase)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._emulator.stop()
        if self.local_ministry is not None:
            self.local_ministry.stop()
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def _set_env(self, values: Mapping[str, str | None]) -> None:
        for key, value in values.items():
            self._saved_env.setdefault(key, os.environ.get(key))
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def _enforce_iam(self, template: Mapping[str, Any]) -> None:
        """Roles from the template for every function, an operator allowed everything, then moto's
        IAM authentication on: from here every request needs a known key and a policy allowing it."""
        iam, sts = boto3.client("iam"), boto3.client("sts")
        resolver = emulator_resolver(template, REGION, self.clients, self.bucket)
        policies = emulator_policies(template, resolver)
        planned = {plan.function.name for plan in self.plan.ingest} | {
            p.function.name for p in self.plan.scheduled
        }
        planned |= {self.plan.delivery.function.name, erase_function().name}
        if planned - set(policies):
            raise TemplateError(f"the template has no role for {', '.join(sorted(planned - set(policies)))}")
        self._role_env = create_roles(iam, sts, policies)
        self.operator_keys = create_operator(iam)
        key_id, secret = self.operator_keys
        # Code of this process that is no function (admin commands, tests) acts as the operator.
        self._set_env(
            {"AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": None}
        )
        self._emulator.authenticate(enforce=True)
        self.clients = {name: self.client_as(None, name) for name in self.clients}

    def client_as(self, function: str | None, service: str) -> Any:
        """A client with the function's role credentials (the operator's for None)."""
        if function is None:
            if self.operator_keys is None:
                return boto3.client(service)  # type: ignore[call-overload]
            key_id, secret = self.operator_keys
            return boto3.client(  # type: ignore[call-overload]
                service, aws_access_key_id=key_id, aws_secret_access_key=secret
            )
        role = self._role_env.get(function)
        if role is None:
            return self.clients[service]
        return boto3.client(  # type: ignore[call-overload]
            service,
            aws_access_key_id=role["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=role["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=role["AWS_SESSION_TOKEN"],
        )

    def function_environment(self) -> dict[str, str]:
        """What the CDK app puts into every function's environment, with the emulator's names."""
        assert self.resources is not None
        return {
            "REGION_CODE": self.plan.region_code,
            "INBOX_BUCKET": self.resources.bucket,
            "RECORDS_TABLE": self.resources.records_table,
            "DELIVERIES_TABLE": self.resources.deliveries_table,
            "FILES_TABLE": self.resources.files_table,
            "LOCKS_TABLE": self.resources.locks_table,
            "PUSH_QUEUE_URL": self.resources.push_queue.url,
            "HMAC_SECRET_NAME": self.resources.hmac_secret_name,
            "MAX_FILE_BYTES": str(self.plan.max_file_bytes),
        }

    def delivery_environment(self) -> dict[str, str]:
        # The dispatcher runs one push invocation at a time: it may use the ministry's whole limit.
        return delivery_environment(
            self.plan.delivery, self.ministry_url, self.plan.ministry_secret_name, concurrency=1
        )

    def _add_ingest_functions(self) -> None:
        assert self.resources is not None
        assert self.dispatcher is not None
        common = self.function_environment()
        for ingest in self.plan.ingest:
            queue = self.resources.ingest_queues[ingest.domain]
            mapping = EventSourceMapping(
                function_name=ingest.function.name,
                handler=load_handler(ingest.function.handler_dir),
                handler_dir=ingest.function.handler_dir,
                queue_url=queue.url,
                queue_arn=queue.arn,
                batch_size=ingest.function.batch_size,
                max_concurrency=ingest.function.max_concurrency or 1,
                timeout_s=ingest.function.timeout_s,
                memory_mb=ingest.function.memory_mb,
                environment={
                    **common,
                    **ingest_environment(ingest, queue.url),
                    "POWERTOOLS_SERVICE_NAME": ingest.function.name,
                    **self._role_env.get(ingest.function.name, {}),
                },
                poller=self.client_as(ingest.function.name, "sqs"),  # Lambda polls with the role
            )
            self.ingest_mappings[ingest.domain] = mapping
            self.dispatcher.add(mapping)

    def _add_push_function(self) -> None:
        assert self.resources is not None
        assert self.dispatcher is not None
        function = self.plan.delivery.function
        self.push_mapping = EventSourceMapping(
            function_name=function.name,
            handler=load_handler(function.handler_dir),
            handler_dir=function.handler_dir,
            queue_url=self.resources.push_queue.url,
            queue_arn=self.resources.push_queue.arn,
            batch_size=function.batch_size,
            max_concurrency=function.max_concurrency or 1,
            timeout_s=function.timeout_s,
            memory_mb=function.memory_mb,
            environment={
                **self.function_environment(),
                **self.delivery_environment(),
                "POWERTOOLS_SERVICE_NAME": function.name,
                **self._role_env.get(function.name, {}),
            },
            poller=self.client_as(function.name, "sqs"),
        )
        self.dispatcher.add(self.push_mapping)

    def _add_scheduled_functions(self) -> None:
        for scheduled in self.plan.scheduled:
            self.scheduled[scheduled.function.name] = self._direct_spec(scheduled.function)

    def _direct_spec(self, function: FunctionPlan) -> FunctionSpec:
        """A function invoked with a payload (by a schedule or an operator), not by a queue."""
        return FunctionSpec(
            function_name=function.name,
            handler=load_handler(function.handler_dir),
            handler_dir=function.handler_dir,
            timeout_s=function.timeout_s,
            memory_mb=function.memory_mb,
            environment={
                **self.function_environment(),
                **self.delivery_environment(),  # the ministry's URL and secret
                "POWERTOOLS_SERVICE_NAME": function.name,
                **self._role_env.get(function.name, {}),
            },
        )

    def invoke_scheduled(self, name: str, payload: dict[str, Any] | None = None) -> Any:
        """What EventBridge Scheduler does on its schedule: invoke the function with its payload."""
        assert self.dispatcher is not None
        return self.dispatcher.invoke(self.scheduled[name], payload or {})

    def run_scheduled(self, name: str) -> Any:
        """A scheduled run as the deployed stack makes it: invoked once (no Lambda retry); a failed
        run goes to the scheduled-failures queue as Lambda's on-failure destination puts it there,
        the error's type only (its message may quote data). None for a failed run."""
        assert self.resources is not None
        try:
            return self.invoke_scheduled(name)
        except InvocationFailed as failed:
            record = {
                "requestContext": {
                    "functionArn": f"arn:aws:lambda:{REGION}:123456789012:function:{name}",
                    "condition": "RetriesExhausted",
                    "approximateInvokeCount": 1,
                },
                "responsePayload": {"errorType": type(failed.__cause__).__name__},
            }
            # Lambda puts it there with the function's own role, as on AWS.
            self.client_as(name, "sqs").send_message(
                QueueUrl=self.resources.scheduled_failures_url, MessageBody=json.dumps(record)
            )
            return None

    def invoke(self, name: str, payload: dict[str, Any]) -> Any:
        """What `aws lambda invoke` does for an operator: one synchronous invocation with its payload."""
        assert self.dispatcher is not None
        return self.dispatcher.invoke(self.invoked[name], payload)

    def target(self) -> StackTarget:
        """The names admin commands need, as `sikas-sync local-stack` writes them to its state file."""
        assert self.resources is not None
        return StackTarget(
            region_code=self.plan.region_code,
            bucket=self.resources.bucket,
            records_table=self.resources.records_table,
            deliveries_table=self.resources.deliveries_table,
            files_table=self.resources.files_table,
            push=QueuePair(self.resources.push_queue.url, self.resources.push_queue.dlq_url),
            ingest={d: QueuePair(q.url, q.dlq_url) for d, q in self.resources.ingest_queues.items()},
            endpoint_url=os.environ["AWS_ENDPOINT_URL"],
            aws_region=REGION,
            ministry_url=self.ministry_url,  # what `sikas-sync erase --embedded` calls
            access_key_id=self.operator_keys[0] if self.operator_keys else None,
            secret_access_key=self.operator_keys[1] if self.operator_keys else None,
        )

    # -- operations ------------------------------------------------------------------------------

    @property
    def bucket(self) -> str:
        assert self.resources is not None
        return self.resources.bucket

    def dynamodb_traffic(self) -> AbstractContextManager[Traffic]:
        """DynamoDB's (and SQS's) calls and the items DynamoDB read, within a `with` block (tests, bench)."""
        return self._emulator.recording()

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

    def run_ingest_concurrently(self, domain: str, timeout_s: float) -> bool:
        """Dispatch one domain's ingest messages with as many invocations at once as its event source
        mapping allows on AWS (MaximumConcurrency), each in its own process; False if time ran out."""
        assert self.dispatcher is not None
        return self.dispatcher.run_concurrently(self.ingest_mappings[domain], time.monotonic() + timeout_s)

    def run_delivery(self, timeout_s: float) -> bool:
        """Dispatch push messages until the push queue is empty; False if time ran out."""
        assert self.dispatcher is not None
        assert self.push_mapping is not None
        return self.dispatcher.run_until_idle([self.push_mapping], time.monotonic() + timeout_s)

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

    def delivery_states(self) -> dict[str, int]:
        """How many records are in each delivery state (pending, delivered, rejected_by_ministry, blocked)."""
        assert self.resources is not None
        states = {
            item["pk"]["S"]: state_from_item(item)
            for item in self._scan(self.resources.deliveries_table)
            if not item["pk"]["S"].startswith("_control#")  # the circuit breaker's own item
        }
        counts: dict[str, int] = {}
        for item in self._scan(self.resources.records_table):
            status = delivery_status(int(item["version"]["N"]), states.get(item["pk"]["S"]))
            counts[status] = counts.get(status, 0) + 1
        return counts

    def _scan(self, table: str) -> Iterator[dict[str, Any]]:
        paginator = self.clients["dynamodb"].get_paginator("scan")
        for page in paginator.paginate(TableName=table):
            yield from page["Items"]

    def dead_lettered(self) -> int:
        assert self.resources is not None
        assert self.dispatcher is not None
        queues = [self.resources.push_queue.dlq_url] + [
            q.dlq_url for q in self.resources.ingest_queues.values()
        ]
        return sum(self.dispatcher.queue_depth(url) for url in queues)
