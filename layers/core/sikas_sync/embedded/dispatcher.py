"""What the Lambda service does for an SQS event source, done here because moto's own mapping
ignores partial batch failures and needs Docker: poll, build the real event, invoke the handler,
delete what succeeded, and leave failures to their visibility timeout and the queue's redrive.

Invocations run in this process one at a time; `run_concurrently` runs up to a mapping's
MaximumConcurrency at once, each in a process of its own, as Lambda's execution environments."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .functions import Handler, LocalLambdaContext


class InvocationFailed(Exception):
    """The handler raised: on Lambda an invocation error, retried by the event source."""


@dataclass
class FunctionSpec:
    function_name: str
    handler: Handler
    timeout_s: int
    memory_mb: int
    environment: dict[str, str]
    handler_dir: str = ""  # functions/<handler_dir>/handler.py, for a worker process to load


@dataclass
class EventSourceMapping(FunctionSpec):
    queue_url: str = ""
    queue_arn: str = ""
    batch_size: int = 1
    max_concurrency: int = 1  # the mapping's MaximumConcurrency (run_concurrently)
    poller: Any = None  # the SQS client Lambda polls with: the function's role's (None: the stack's)


@dataclass
class InvocationStats:
    invocations: int = 0
    messages: int = 0
    failed_messages: int = 0
    errors: int = 0


def _lambda_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """SQS's message attributes (`StringValue`, `DataType`) as Lambda writes them into the event."""
    return {
        name: {
            "stringValue": value.get("StringValue"),
            "binaryValue": value.get("BinaryValue"),
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": value["DataType"],
        }
        for name, value in attributes.items()
    }


def _lambda_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    body = message["Body"]
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": body,
        "attributes": message.get("Attributes", {}),
        "messageAttributes": _lambda_attributes(message.get("MessageAttributes", {})),
        "md5OfBody": message.get("MD5OfBody")
        or hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    # Lambda gives each function its own environment; in one process we set it per invocation.
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


class Dispatcher:
    def __init__(self, sqs: Any, region: str, log: IO[str]) -> None:
        self._sqs = sqs
        self._region = region
        self._log = log
        self.mappings: list[EventSourceMapping] = []
        self.stats: dict[str, InvocationStats] = {}
        self.metrics: dict[str, float] = {}  # EMF metrics the functions emitted, summed by name
        self._lock = threading.Lock()  # stats, metrics and the log, when invocations run at once
        # Called after each batch an event source handed to its function, once what succeeded is
        # deleted: the mapping, the batch's messages, the ids of those left for a retry. (From a
        # poller thread under run_concurrently.) local-stack reports each uploaded file from it.
        self.on_batch: Callable[[EventSourceMapping, list[dict[str, Any]], set[str]], None] | None = None

    def add(self, mapping: EventSourceMapping) -> None:
        self.mappings.append(mapping)
        self.stats[mapping.function_name] = InvocationStats()

    def _receive(self, mapping: EventSourceMapping) -> list[dict[str, Any]]:
        """Up to batch_size messages, ten per ReceiveMessage call, as Lambda's poller gathers them."""
        messages: list[dict[str, Any]] = []
        sqs = mapping.poller or self._sqs
        while len(messages) < mapping.batch_size:
            response = sqs.receive_message(
                QueueUrl=mapping.queue_url,
                MaxNumberOfMessages=min(mapping.batch_size - len(messages), 10),
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
                WaitTimeSeconds=0,
            )
            received = response.get("Messages", [])
            if not received:
                break
            messages.extend(received)
        return messages

    def poll(self, mapping: EventSourceMapping) -> int:
        """One gather + invoke for one mapping; the number of messages handed to the function."""
        return self._poll(mapping, self.invoke)

    def _poll(
        self, mapping: EventSourceMapping, invoke: Callable[[FunctionSpec, dict[str, Any]], Any]
    ) -> int:
        messages = self._receive(mapping)
        if not messages:
            return 0
        event = {"Records": [_lambda_record(m, mapping.queue_arn, self._region) for m in messages]}
        try:
            result = invoke(mapping, event)
            failed = {item["itemIdentifier"] for item in (result or {}).get("batchItemFailures", [])}
        except InvocationFailed:  # a crashed invocation: every message stays for a retry
            failed = {m["MessageId"] for m in messages}
        with self._lock:
            stats = self.stats[mapping.function_name]
            stats.messages += len(messages)
            stats.failed_messages += len(failed)
        done = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
            for i, m in enumerate(messages)
            if m["MessageId"] not in failed
        ]
        if done:
            (mapping.poller or self._sqs).delete_message_batch(QueueUrl=mapping.queue_url, Entries=done)
        if self.on_batch is not None:
            self.on_batch(mapping, messages, failed)
        return len(messages)

    def invoke(self, function: FunctionSpec, event: dict[str, Any]) -> Any:
        """One invocation as Lambda runs it: its environment, a context, stdout to the logs."""
        context = LocalLambdaContext(
            function.function_name, function.memory_mb, function.timeout_s, self._region
        )
        stats = self.stats.setdefault(function.function_name, InvocationStats())
        stats.invocations += 1
        captured = io.StringIO()
        try:
            with (
                _environment(function.environment),
                contextlib.redirect_stdout(captured),
                warnings.catch_warnings(),
            ):
                # Powertools warns on stderr when an invocation emitted no metric; on Lambda that
                # goes to the function's log, here it would clutter the operator's terminal.
                warnings.simplefilter("ignore", UserWarning)
                return function.handler(event, context)
        except Exception as error:
            stats.errors += 1
            captured.write(f"{function.function_name}: invocation failed: {type(error).__name__}\n")
            raise InvocationFailed(function.function_name) from error
        finally:
            self._collect(captured.getvalue())

    def invoke_in_process(self, function: FunctionSpec, event: dict[str, Any]) -> Any:
        """One invocation in a process of its own (sikas_sync.embedded.worker): an execution
        environment with its own globals, environment and credentials, as concurrent invocations
        have on Lambda."""
        with self._lock:
            self.stats.setdefault(function.function_name, InvocationStats()).invocations += 1
        with tempfile.TemporaryDirectory(prefix="sikas-invoke-") as folder:
            result_path = Path(folder) / "result.json"
            command = [
                sys.executable, "-m", "sikas_sync.embedded.worker", function.handler_dir,
                function.function_name, str(function.memory_mb), str(function.timeout_s), self._region,
                str(result_path),
            ]  # fmt: skip
            done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
                command,
                input=json.dumps(event),
                capture_output=True,
                text=True,
                env={**os.environ, **function.environment},
                check=False,
                timeout=function.timeout_s + 30,
            )
            self._collect(done.stdout)
            if done.returncode != 0:
                error = done.stderr.strip().splitlines()[-1:] or ["no output"]
                with self._lock:
                    self.stats[function.function_name].errors += 1
                    self._log.write(f"{function.function_name}: invocation failed: {error[0]}\n")
                raise InvocationFailed(function.function_name)
            return json.loads(result_path.read_text(encoding="utf-8"))

    def run_concurrently(self, mapping: EventSourceMapping, deadline: float, pause_s: float = 0.05) -> bool:
        """Poll until the mapping's queue is empty with up to `max_concurrency` invocations at once,
        each in its own process; False at the deadline. Each poller goes on by itself, as Lambda's
        do: one long invocation does not hold the others back."""

        def poller(_: int) -> bool:
            while time.monotonic() < deadline:
                if self._poll(mapping, self.invoke_in_process) == 0:
                    if self.queue_depth(mapping.queue_url) == 0:
                        return True
                    time.sleep(pause_s)  # in flight at another poller, or delayed
            return False

        workers = max(1, mapping.max_concurrency)
        with ThreadPoolExecutor(workers, thread_name_prefix=mapping.function_name) as pool:
            return all(pool.map(poller, range(workers)))

    def _collect(self, output: str) -> None:
        """Keep the functions' output as CloudWatch would: logs to the log, EMF metrics summed."""
        with self._lock:
            self._log.write(output)
            for line in output.splitlines():
                if not line.startswith('{"_aws"'):
                    continue
                document = json.loads(line)
                for directive in document["_aws"]["CloudWatchMetrics"]:
                    for metric in directive["Metrics"]:
                        value = document.get(metric["Name"], 0)
                        values = value if isinstance(value, list) else [value]
                        self.metrics[metric["Name"]] = self.metrics.get(metric["Name"], 0) + sum(values)

    def queue_depth(self, queue_url: str) -> int:
        """Messages visible, in flight or delayed (a file waiting for its domain's lease)."""
        names = [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ]
        attributes = self._sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
        return sum(int(attributes.get(name, 0)) for name in names)

    def run_until_idle(
        self, mappings: list[EventSourceMapping], deadline: float, pause_s: float = 0.05
    ) -> bool:
        """Poll until the mappings' queues hold no message, visible or in flight; False at the deadline."""
        while time.monotonic() < deadline:
            handled = sum(self.poll(mapping) for mapping in mappings)
            if handled == 0:
                if all(self.queue_depth(m.queue_url) == 0 for m in mappings):
                    return True
                time.sleep(pause_s)  # messages in flight: wait for their visibility timeout
        return False
