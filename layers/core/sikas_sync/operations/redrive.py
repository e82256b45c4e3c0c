"""Moving dead-lettered messages back to their queue, after the cause has been fixed."""

from __future__ import annotations

from typing import Any

from .target import QueuePair

BATCH = 10


def redrive(sqs: Any, pair: QueuePair, limit: int | None = None) -> int:
    """Move up to `limit` messages (all when None) from the DLQ to the source queue; how many moved.

    Each message is sent before it is deleted, so a failure in between duplicates (harmless: every
    consumer is idempotent) rather than loses.
    """
    moved = 0
    while limit is None or moved < limit:
        want = BATCH if limit is None else min(BATCH, limit - moved)
        messages = sqs.receive_message(
            QueueUrl=pair.dlq_url, MaxNumberOfMessages=want, WaitTimeSeconds=0, VisibilityTimeout=60
        ).get("Messages", [])
        if not messages:
            break
        entries = [{"Id": str(i), "MessageBody": m["Body"]} for i, m in enumerate(messages)]
        response = sqs.send_message_batch(QueueUrl=pair.url, Entries=entries)
        sent = {entry["Id"] for entry in response.get("Successful", [])}
        done = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
            for i, m in enumerate(messages)
            if str(i) in sent
        ]
        if done:
            sqs.delete_message_batch(QueueUrl=pair.dlq_url, Entries=done)
        moved += len(done)
        if len(done) < len(messages):
            break  # the rest stays in the DLQ; say how many moved
    return moved
