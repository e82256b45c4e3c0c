"""The embedded stack's patches of moto (embedded/server.py) keep SQS's answers as moto gives them.

SendMessage reads one queue attribute instead of building them all (which counted every queued
message for each message sent): queues still report every attribute, FIFO deduplication still works,
and a moto that read another attribute in SendMessage would fail loudly here.
"""

from __future__ import annotations

from typing import Any

import moto.sqs.models as moto_sqs
import pytest
from botocore.exceptions import ClientError

from sikas_sync.embedded import server


def attributes(sqs: Any, url: str) -> dict[str, str]:
    result: dict[str, str] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return result


def test_a_standard_queue_reports_every_attribute_after_sends(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="standard", Attributes={"VisibilityTimeout": "45"})["QueueUrl"]
    for n in range(5):
        sqs.send_message(QueueUrl=url, MessageBody=f"one {n}")
    sqs.send_message_batch(
        QueueUrl=url, Entries=[{"Id": f"e{n}", "MessageBody": f"batch {n}"} for n in range(10)]
    )
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=3)
    found = attributes(sqs, url)
    assert set(moto_sqs.Queue.BASE_ATTRIBUTES) - {"Policy", "RedrivePolicy"} <= set(found)
    assert "ContentBasedDeduplication" not in found  # FIFO attributes belong to FIFO queues only
    assert found["ApproximateNumberOfMessages"] == "12"
    assert found["ApproximateNumberOfMessagesNotVisible"] == "3"
    assert found["ApproximateNumberOfMessagesDelayed"] == "1"
    assert found["VisibilityTimeout"] == "45"
    assert found["QueueArn"].endswith(":standard")


def test_a_fifo_queue_deduplicates_by_content_and_reports_its_attributes(sqs: Any) -> None:
    url = sqs.create_queue(
        QueueName="content.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"}
    )["QueueUrl"]
    for body in ("same", "same", "other"):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g")
    found = attributes(sqs, url)
    assert found["ContentBasedDeduplication"] == "true"
    assert found["FifoQueue"] == "true"
    assert found["ApproximateNumberOfMessages"] == "2"  # the second "same" was a duplicate


def test_a_fifo_queue_without_content_deduplication_still_wants_an_id(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="ids.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    with pytest.raises(ClientError, match="ContentBasedDeduplication"):
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")
    for dedup in ("a", "a", "b"):
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId=dedup)
    found = attributes(sqs, url)
    assert found["ContentBasedDeduplication"] == "false"
    assert found["ApproximateNumberOfMessages"] == "2"


def test_sending_does_not_count_the_queued_messages(sqs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    url = sqs.create_queue(QueueName="counted")["QueueUrl"]
    counted: list[str] = []

    def counting(name: str) -> property:
        original: property = getattr(moto_sqs.Queue, name)

        def count(queue: Any) -> Any:
            counted.append(name)
            return original.fget(queue)  # type: ignore[misc]

        return property(count)

    for name in (
        "approximate_number_of_messages",
        "approximate_number_of_messages_not_visible",
        "approximate_number_of_messages_delayed",
    ):
        monkeypatch.setattr(moto_sqs.Queue, name, counting(name))
    for n in range(20):
        sqs.send_message(QueueUrl=url, MessageBody=str(n))
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": f"e{n}", "MessageBody": "b"} for n in range(10)])
    assert counted == []  # before the patch: three counts of the whole queue per message sent
    assert attributes(sqs, url)["ApproximateNumberOfMessages"] == "30"
    assert len(counted) == 3


def test_a_moto_that_reads_another_attribute_in_send_message_fails_loudly(
    sqs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sqs.create_queue(QueueName="changed")["QueueUrl"]
    original = server._moto_send_message

    def changed(backend: Any, queue_name: str, *args: Any, **kwargs: Any) -> Any:
        backend.get_queue(queue_name).attributes.get("DelaySeconds")
        return original(backend, queue_name, *args, **kwargs)

    monkeypatch.setattr(server, "_moto_send_message", changed)
    with pytest.raises(ClientError) as raised:
        sqs.send_message(QueueUrl=url, MessageBody="x")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    with pytest.raises(server.MotoPatchError, match="DelaySeconds"):
        server._AttributesForSendMessage(object())["DelaySeconds"]


def test_the_patches_are_in_place() -> None:
    assert moto_sqs.Queue.__dict__["attributes"].fget is server._queue_attributes
    assert moto_sqs.SQSBackend.send_message is server._send_message
