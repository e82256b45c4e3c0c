"""PushQueue over SQS: one small message per changed record, sent ten at a time."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..ingest.ports import PushMessage
from .concurrent_calls import each_at_once

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

SEND_BATCH = 10  # SendMessageBatch limit
SEND_ATTEMPTS = 3


class PushQueueError(RuntimeError):
    pass


class SqsPushQueue:
    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._sqs = client
        self._url = queue_url

    def send(self, messages: list[PushMessage]) -> None:
        """Every message queued, 10 a call, the calls made at once; failed entries sent again."""
        chunks = (messages[start : start + SEND_BATCH] for start in range(0, len(messages), SEND_BATCH))
        each_at_once(self._send, chunks)

    def _send(self, chunk: list[PushMessage]) -> None:
        entries: list[Any] = [
            {
                "Id": str(index),
                "MessageBody": json.dumps(
                    {"domain": m.domain, "record_id": m.record_id, "version": m.version},
                    separators=(",", ":"),
                ),
            }
            for index, m in enumerate(chunk)
        ]
        for _ in range(SEND_ATTEMPTS):
            response = self._sqs.send_message_batch(QueueUrl=self._url, Entries=entries)
            failed_ids = {failure["Id"] for failure in response.get("Failed", [])}
            entries = [entry for entry in entries if entry["Id"] in failed_ids]
            if not entries:
                return
        raise PushQueueError(f"{len(entries)} push messages could not be queued")


class SqsMessageDelay:
    """Backoff by hiding a failed message for a while (ChangeMessageVisibility)."""

    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._sqs = client
        self._url = queue_url

    def delay(self, receipt_handle: str, seconds: int) -> None:
        self._sqs.change_message_visibility(
            QueueUrl=self._url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
        )
