"""A file that must wait for its domain's ingest lease goes back to its own queue as a new message.

Failing the message instead would leave it invisible for the whole visibility timeout (90 minutes)
and count a receive towards the DLQ; a new message, delayed a little, costs neither. The body is
the S3 notification as S3 writes it (the key URL-encoded), so the ingest handler reads it as any
other event; a message attribute counts the waits, for the growing delay and the logs.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote_plus

from ..events import WAITS_ATTRIBUTE

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


def notification_body(bucket: str, key: str, version_id: str | None, event_name: str) -> str:
    obj: dict[str, str] = {"key": quote_plus(key, safe="/")}
    if version_id:
        obj["versionId"] = version_id  # the very version the first event named, never a newer one
    record = {"eventName": event_name, "s3": {"bucket": {"name": bucket}, "object": obj}}
    return json.dumps({"Records": [record]}, separators=(",", ":"))


class SqsWaitingFiles:
    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._sqs = client
        self._url = queue_url

    def wait(
        self, bucket: str, key: str, version_id: str | None, event_name: str, *, waits: int, delay_s: int
    ) -> None:
        self._sqs.send_message(
            QueueUrl=self._url,
            MessageBody=notification_body(bucket, key, version_id, event_name),
            DelaySeconds=delay_s,
            MessageAttributes={WAITS_ATTRIBUTE: {"DataType": "Number", "StringValue": str(waits)}},
        )
