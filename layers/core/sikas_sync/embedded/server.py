"""moto in server mode on 127.0.0.1, on a free port, for the lifetime of one stack."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import logging
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import moto.dynamodb.responses as moto_dynamodb
import moto.iam.access_control as moto_access_control
import moto.s3.notifications as moto_s3_notifications
import moto.secretsmanager.responses as moto_secretsmanager
import moto.sqs.models as moto_sqs
from moto.core import utils as moto_utils
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.server import ThreadedMotoServer
from werkzeug.serving import make_server

from . import moto_queries, moto_queues

moto_queries.install()  # Query reads its partition, not the whole table (see the module)
moto_queues.install()  # a receipt handle finds its message without walking the queue


def _unix_time(dt: datetime.datetime | None = None) -> float:
    return time.time() if dt is None else moto_utils.unix_time(dt)


def _unix_time_millis(dt: datetime.datetime | None = None) -> float:
    return _unix_time(dt) * 1000.0


# moto's SQS asks the clock through datetime arithmetic about a hundred times per message on every
# ReceiveMessage, which makes a queue of a few thousand messages take seconds per receive; the
# same value from time.time() keeps the emulator usable for whole exports.
moto_sqs.unix_time = _unix_time  # type: ignore[attr-defined]
moto_sqs.unix_time_millis = _unix_time_millis  # type: ignore[attr-defined]

_moto_s3_event = moto_s3_notifications._get_s3_event


def _s3_event_with_version(event_name: str, bucket: Any, key: Any, notification_id: str) -> dict[str, Any]:
    # S3 names the object version in every notification of a versioned bucket; moto leaves it out,
    # and without it two uploads of one key before dispatch would both read the newer version.
    event = _moto_s3_event(event_name, bucket, key, notification_id)
    version = getattr(key, "version_id", None)
    if version and version != "null":
        for record in event["Records"]:
            record["s3"]["object"]["versionId"] = version
    return event


moto_s3_notifications._get_s3_event = _s3_event_with_version


# moto's SendMessage builds every queue attribute, counting all queued messages, to read one of them
# (ContentBasedDeduplication): enqueueing n messages cost O(n²), hours for an export's push messages.
# SendMessage now gets that one attribute alone; a moto that reads others there fails loudly.
_DEDUPLICATION = "ContentBasedDeduplication"
_moto_queue_attributes: property = moto_sqs.Queue.__dict__["attributes"]
_moto_send_message = moto_sqs.SQSBackend.send_message
_sending = threading.local()  # set while this thread runs moto's SendMessage


class MotoPatchError(RuntimeError):
    """moto no longer looks as the patches here expect: update them (or drop them) with moto."""


class _AttributesForSendMessage(Mapping[str, Any]):
    """A queue's attributes as SendMessage reads them: ContentBasedDeduplication alone, computed on
    demand; reading any other one means moto changed, and fails instead of answering wrongly."""

    def __init__(self, queue: Any) -> None:
        self._queue = queue

    def __getitem__(self, name: str) -> Any:
        if name != _DEDUPLICATION:
            raise MotoPatchError(f"moto's SendMessage now reads the queue attribute {name!r}")
        if not self._queue.fifo_queue:
            raise KeyError(name)  # moto lists the FIFO attributes of FIFO queues only
        value = getattr(self._queue, moto_utils.camelcase_to_underscores(name))
        return str(value).lower() if isinstance(value, bool) else value

    def __iter__(self) -> Iterator[str]:
        raise MotoPatchError("moto's SendMessage now lists every queue attribute")

    def __len__(self) -> int:
        raise MotoPatchError("moto's SendMessage now counts the queue attributes")


def _queue_attributes(queue: Any) -> Any:
    if getattr(_sending, "active", False):
        return _AttributesForSendMessage(queue)
    return _moto_queue_attributes.fget(queue)  # type: ignore[misc]


def _send_message(self: Any, *args: Any, **kwargs: Any) -> Any:
    outer = getattr(_sending, "active", False)
    _sending.active = True
    try:
        return _moto_send_message(self, *args, **kwargs)
    finally:
        _sending.active = outer


if not isinstance(_moto_queue_attributes, property):
    raise MotoPatchError("moto's Queue.attributes is no longer a property")
moto_sqs.Queue.attributes = property(_queue_attributes)  # type: ignore[method-assign, assignment]
moto_sqs.SQSBackend.send_message = _send_message  # type: ignore[method-assign]


# With IAM authentication on, moto checks DynamoDB and Secrets Manager requests against the resource
# "*" (only SQS and S3 name theirs): every statement of ours, which names its table or secret, would
# deny. AWS authorizes them against the table's (or the queried index's) and the secret's ARN, and so
# do these.
def _dynamodb_resource(self: Any) -> str:
    params = getattr(self, "params", None) or {}
    name = params.get("TableName") or next(iter(params.get("RequestItems") or {}), None)
    if not name:
        return "*"
    arn = (
        name
        if name.startswith("arn:")
        else f"arn:aws:dynamodb:{self.region}:{self.current_account}:table/{name}"
    )
    # A Query or Scan of an index is authorized against the index's ARN, as AWS does.
    index = params.get("IndexName")
    return f"{arn}/index/{index}" if index else arn


def _secret_resource(self: Any) -> str:
    secret_id = self._get_param("SecretId")
    if not secret_id:
        return "*"
    try:
        return str(self.backend.secrets[secret_id].arn)
    except KeyError:
        return "*"  # moto answers ResourceNotFound afterwards, as AWS does


for _handler, _resource in (
    (moto_dynamodb.DynamoHandler, _dynamodb_resource),
    (moto_secretsmanager.SecretsManagerResponse, _secret_resource),
):
    if hasattr(_handler, "_determine_resource"):
        raise MotoPatchError(f"moto's {_handler.__name__} now names its resource itself: drop the patch")
    setattr(_handler, "_determine_resource", _resource)  # noqa: B010 - a method moto looks for by name


# moto asks IAM about the API call (sqs:DeleteMessageBatch, s3:ListObjectsV2); AWS about the action
# that call needs, which is what policies name (sqs:DeleteMessage, s3:ListBucket). Calls not listed
# are their own action. (S3's list in the S3 user guide, "Required permissions for S3 API operations".)
IAM_ACTION_OF_CALL = {
    "sqs:DeleteMessageBatch": "sqs:DeleteMessage",
    "sqs:SendMessageBatch": "sqs:SendMessage",
    "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
    "s3:ListObjectsV2": "s3:ListBucket",
    "s3:ListObjects": "s3:ListBucket",
    "s3:HeadBucket": "s3:ListBucket",
    "s3:ListObjectVersions": "s3:ListBucketVersions",
    "s3:HeadObject": "s3:GetObject",
    "s3:CreateMultipartUpload": "s3:PutObject",
    "s3:UploadPart": "s3:PutObject",
    "s3:CompleteMultipartUpload": "s3:PutObject",
    "s3:DeleteObjects": "s3:DeleteObject",
}
_moto_iam_request_init = moto_access_control.IAMRequestBase.__init__


def _iam_request_init(self: Any, *args: Any, **kwargs: Any) -> None:
    _moto_iam_request_init(self, *args, **kwargs)
    self._action = IAM_ACTION_OF_CALL.get(self._action, self._action)


moto_access_control.IAMRequestBase.__init__ = _iam_request_init  # type: ignore[method-assign]


def _long_poll(environ: dict[str, Any]) -> bool:
    """An SQS ReceiveMessage that waits for messages (moto sleeps inside it): it must not hold the
    emulator while it waits, or no one could send the message it waits for."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if not target.endswith("ReceiveMessage"):
        return False
    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(size) if size else b""
    environ["wsgi.input"] = io.BytesIO(body)  # read once here, again by moto
    try:
        wait = json.loads(body or b"{}").get("WaitTimeSeconds", 0)
    except ValueError:
        return False
    return bool(wait)


# X-Amz-Target prefixes of the calls ingest makes by the thousand.
DELAYED_SERVICES = ("DynamoDB", "AmazonSQS")


class OneRequestAtATime:
    """moto's backends are plain dicts and lists that the threaded server's requests share: a Scan
    iterating a table while another request writes it dies with "dictionary changed size during
    iteration", or answers with half a write. AWS serves each request atomically; serving them one
    at a time gives the same, whole response built inside the lock."""

    def __init__(self, app: Any, latency_s: float = 0.0) -> None:
        self._app = app
        self._lock = threading.Lock()
        self.traffic: Traffic | None = None  # what DynamoDB was asked, while someone records it
        # AWS answers a DynamoDB or SQS call in about 10 ms; moto in microseconds. A delay per call,
        # outside the lock so that concurrent calls wait together, as they do on AWS.
        self.latency_s = latency_s

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if self.latency_s and environ.get("HTTP_X_AMZ_TARGET", "").startswith(DELAYED_SERVICES):
            time.sleep(self.latency_s)
        if _long_poll(environ):
            return list(self._app(environ, start_response))
        with self._lock:
            body = self._app(environ, start_response)
            try:
                answer = list(body)
            finally:
                close = getattr(body, "close", None)
                if close is not None:
                    close()
            if self.traffic is not None:
                self.traffic.add(environ.get("HTTP_X_AMZ_TARGET", ""), b"".join(answer))
            return answer


@dataclass
class Traffic:
    """DynamoDB's and SQS's operations (`DynamoDB_20120810.Query`, `AmazonSQS.SendMessageBatch`) and
    the items DynamoDB read, as the emulator answered them: what a run costs on AWS, where every
    call and every item read is billed."""

    operations: Counter[str] = field(default_factory=Counter)  # DynamoDB's, by operation name
    calls: Counter[str] = field(default_factory=Counter)  # DynamoDB's and SQS's, by X-Amz-Target
    items_read: int = 0

    def add(self, target: str, answer: bytes) -> None:
        service, _, operation = target.partition(".")
        if service.startswith("AmazonSQS"):
            self.calls[target] += 1
        if not service.startswith("DynamoDB"):
            return
        self.calls[target] += 1
        self.operations[operation] += 1
        try:
            found = json.loads(answer or b"{}")
        except ValueError:
            return
        if "ScannedCount" in found:  # Query and Scan: what they read, before any filter
            self.items_read += int(found["ScannedCount"])
        elif "Item" in found:
            self.items_read += 1
        elif "Responses" in found and operation == "BatchGetItem":
            self.items_read += sum(len(items) for items in found["Responses"].values())


class _SerialMotoServer(ThreadedMotoServer):
    """moto's threaded server with its application behind OneRequestAtATime."""

    app: OneRequestAtATime | None = None

    def _server_entry(self) -> None:
        self.app = app = OneRequestAtATime(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()


class AwsEmulator:
    def __init__(self, latency_s: float = 0.0) -> None:
        # werkzeug logs every request at INFO; that is noise for operators.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = _SerialMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._latency_s = latency_s
        self.url = ""

    def start(self) -> str:
        self._server.start()
        assert self._server.app is not None
        self._server.app.latency_s = self._latency_s
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        # moto keeps its state per process, not per server: start from nothing every time.
        self.reset()
        return self.url

    def reset(self) -> None:
        self._post("/moto-api/reset", b"")

    def authenticate(self, enforce: bool) -> None:
        """moto's IAM authentication: every request signed by a known key and allowed by its
        policies (enforce), or any credentials accepted (moto's default)."""
        self._post("/moto-api/reset-auth", b"0" if enforce else b"inf")

    def _post(self, path: str, body: bytes) -> None:
        # Our own emulator on loopback, over plain http.
        # text/plain: urllib's default (a form) would leave werkzeug's request.data empty.
        request = urllib.request.Request(  # noqa: S310
            f"{self.url}{path}", data=body, method="POST", headers={"Content-Type": "text/plain"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()

    @contextlib.contextmanager
    def recording(self) -> Iterator[Traffic]:
        """DynamoDB's traffic from now until the block ends."""
        assert self._server.app is not None
        self._server.app.traffic = traffic = Traffic()
        try:
            yield traffic
        finally:
            self._server.app.traffic = None

    def stop(self) -> None:
        # moto keeps authentication process-wide: the next emulator (or moto in a test) starts open.
        self.authenticate(enforce=False)
        self.reset()  # free the emulated data, which would otherwise live as long as the process
        self._server.stop()
