"""The emulator's SQS patches (embedded/moto_queues.py) keep moto's answers while a receipt handle
finds its message directly: deletes by current and old handles, twice, with a handle never given
out; visibility changes; the approximate counts; and a delete in a full queue that does not walk it.
"""

from __future__ import annotations

from typing import Any

import moto.sqs.models as moto_sqs
import pytest
from botocore.exceptions import ClientError


def _queue(sqs: Any, name: str, messages: int) -> str:
    url: str = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
    for start in range(0, messages, 10):
        entries = [{"Id": str(n), "MessageBody": f"m{n}"} for n in range(start, min(start + 10, messages))]
        sqs.send_message_batch(QueueUrl=url, Entries=entries)
    return url


def _counts(sqs: Any, url: str) -> tuple[int, int]:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    found = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return int(found[names[0]]), int(found[names[1]])


def test_deleting_received_messages_by_handle(sqs: Any) -> None:
    url = _queue(sqs, "deletes", 30)
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in received] == [f"m{n}" for n in range(10)]  # oldest first, as moto
    assert _counts(sqs, url) == (20, 10)
    done = sqs.delete_message_batch(
        QueueUrl=url,
        Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(received)],
    )
    assert (len(done["Successful"]), done.get("Failed", [])) == (10, [])
    assert _counts(sqs, url) == (20, 0)
    sqs.delete_message(QueueUrl=url, ReceiptHandle=received[0]["ReceiptHandle"])  # again: no error
    assert _counts(sqs, url) == (20, 0)
    with pytest.raises(ClientError) as refused:
        sqs.delete_message(QueueUrl=url, ReceiptHandle="never-given-out")
    assert refused.value.response["Error"]["Code"] == "ReceiptHandleIsInvalid"


def test_an_old_handle_still_deletes_its_message(sqs: Any) -> None:
    url = _queue(sqs, "old-handles", 3)
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=0)["Messages"][0]
    again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"][0]
    assert (again["MessageId"], again["ReceiptHandle"] != first["ReceiptHandle"]) == (
        first["MessageId"],
        True,
    )
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
    assert _counts(sqs, url) == (2, 0)


def test_changing_visibility_by_handle(sqs: Any) -> None:
    url = _queue(sqs, "visibility", 5)
    taken = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=3)["Messages"]
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=taken[1]["ReceiptHandle"], VisibilityTimeout=0)
    assert _counts(sqs, url) == (3, 2)
    back = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert sorted(m["Body"] for m in back) == ["m1", "m3", "m4"]  # the released one, then the rest
    with pytest.raises(ClientError) as refused:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle="never-given-out", VisibilityTimeout=0)
    assert refused.value.response["Error"]["Code"] == "ReceiptHandleIsInvalid"


def test_a_delete_in_a_full_queue_does_not_walk_it(sqs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    url = _queue(sqs, "full", 2_000)
    taken = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    looked_at = 0
    had = moto_sqs.Message.had_receipt_handle

    def counted(self: Any, handle: str) -> bool:
        nonlocal looked_at
        looked_at += 1
        return had(self, handle)

    monkeypatch.setattr(moto_sqs.Message, "had_receipt_handle", counted)
    for message in taken:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert looked_at == 0  # moto alone asked each of the 2,000 messages twice per delete
    assert _counts(sqs, url) == (1_990, 0)


def test_receiving_and_asking_two_counts_do_not_count_the_queue_over_and_over(
    sqs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _queue(sqs, "counted-receives", 200)
    counted: list[str] = []
    original: property = moto_sqs.Queue.approximate_number_of_messages  # type: ignore[assignment]

    def count(queue: Any) -> Any:
        counted.append("visible")
        return original.fget(queue)  # type: ignore[misc]

    monkeypatch.setattr(moto_sqs.Queue, "approximate_number_of_messages", property(count))
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert (len(received), counted) == (10, [])  # moto alone: all attributes for each message
    assert _counts(sqs, url) == (190, 10)
    assert counted == ["visible"]  # one build of the attributes, where moto made six
