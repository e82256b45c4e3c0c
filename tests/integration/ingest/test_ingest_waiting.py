"""A file sent back to wait for its domain's lease comes back as the same S3 event, on moto's SQS.

What goes into the queue is read as Lambda's event source mapping hands it to the ingest handler
(the embedded dispatcher builds that event): same bucket, key, version and event, waits counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from sikas_sync.adapters.sqs_waiting import SqsWaitingFiles
from sikas_sync.embedded.dispatcher import _lambda_record
from sikas_sync.events import WAITS_ATTRIBUTE, InboxSqsRecord, S3Notification

REGION = "ap-southeast-3"
KEY = "pencari_kerja/Data Pencari+Kerja é (1).xlsx"


@pytest.fixture
def sqs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        yield boto3.client("sqs", region_name=REGION)


def _receive(sqs: Any, url: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], MessageAttributeNames=["All"]
    ).get("Messages", [])
    return messages


def test_a_waiting_file_comes_back_as_its_own_event_with_its_waits_counted(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="ingest-pencari_kerja")["QueueUrl"]
    SqsWaitingFiles(sqs, url).wait("inbox", KEY, "v7", "ObjectCreated:Put", waits=3, delay_s=0)

    (message,) = _receive(sqs, url)
    record = InboxSqsRecord.model_validate(_lambda_record(message, "arn:aws:sqs:::q", REGION))

    assert isinstance(record.body, S3Notification)
    (notification,) = record.body.Records
    assert (notification.s3.bucket.name, notification.s3.object.key) == ("inbox", KEY)
    assert (notification.s3.object.versionId, notification.eventName) == ("v7", "ObjectCreated:Put")
    assert record.messageAttributes[WAITS_ATTRIBUTE].stringValue == "3"


def test_a_waiting_file_stays_away_for_its_delay(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="ingest-jkp")["QueueUrl"]
    SqsWaitingFiles(sqs, url).wait("inbox", "jkp/a.csv", None, "ObjectCreated:Put", waits=1, delay_s=60)

    assert _receive(sqs, url) == []
    delayed = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesDelayed"])
    assert delayed["Attributes"]["ApproximateNumberOfMessagesDelayed"] == "1"
