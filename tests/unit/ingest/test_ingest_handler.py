"""The ingest Lambda handler with hand-built SQS-wrapped S3 events.

The handler is loaded from functions/ingest/handler.py as Lambda loads it. Its `ingest_file` (the
wiring to real AWS) is replaced by the real ingest service over the in-memory fakes, so the events
are parsed and processed for real, without AWS.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
from ingest_support import BUCKET, DOMAIN, World

from exports import Export, sample_export
from sikas_sync.config import FunctionSettings
from sikas_sync.embedded.functions import LocalLambdaContext, load_handler
from sikas_sync.ingest import FileSummary, ObjectRef, ingest_object

REGION = "ap-southeast-3"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:123456789012:ingest-pencari_kerja"

# Invocations that only see S3 test events publish no metric; Powertools warns about that.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    return sample_export(tmp_path_factory.mktemp("handler"), 25, seed=51)


@pytest.fixture
def handler_module(monkeypatch: pytest.MonkeyPatch) -> Any:
    # Every variable the settings require gets a stand-in (the fakes ignore them); then ours.
    for info in FunctionSettings.model_fields.values():
        if info.is_required() and info.alias:
            monkeypatch.setenv(info.alias, f"unused-{info.alias.lower()}")
    for name, value in {
        "REGION_CODE": "12.09",
        "INBOX_BUCKET": BUCKET,
        "DOMAIN": DOMAIN,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "ingest-pencari_kerja",
    }.items():
        monkeypatch.setenv(name, value)
    load_handler("ingest")
    return sys.modules["sikas_function_ingest"]


@pytest.fixture
def calls(handler_module: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Every ingest_file call the handler makes; each runs the ingest service over the world's fakes."""
    made: list[tuple[Any, ...]] = []

    def ingest_file(
        bucket: str, key: str, version_id: str | None, settings: Any, timeout_s: int
    ) -> FileSummary:
        made.append((bucket, key, version_id, timeout_s))
        return ingest_object(ObjectRef(bucket, key, version_id), world.deps, world.settings)

    monkeypatch.setattr(handler_module, "ingest_file", ingest_file)
    return made


@pytest.fixture
def invoke(handler_module: Any, calls: list[tuple[Any, ...]]) -> Callable[[list[dict[str, Any]]], set[str]]:
    """Invoke with these SQS records; the ids Lambda would retry (a raised error retries them all)."""

    def run(records: list[dict[str, Any]]) -> set[str]:
        context = LocalLambdaContext("ingest-pencari_kerja", 1024, 900, REGION)
        try:
            result = handler_module.lambda_handler({"Records": records}, context)
        except Exception:
            return {r["messageId"] for r in records}
        assert set(result) == {"batchItemFailures"}
        return {item["itemIdentifier"] for item in result["batchItemFailures"]}

    return run


def sqs_record(message_id: str, body: str) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "receiptHandle": f"handle-{message_id}",
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1795000000000",
            "SenderId": "AIDAEXAMPLE",
            "ApproximateFirstReceiveTimestamp": "1795000000001",
        },
        "messageAttributes": {},
        "md5OfBody": "0" * 32,
        "eventSource": "aws:sqs",
        "eventSourceARN": QUEUE_ARN,
        "awsRegion": REGION,
    }


def s3_record(encoded_key: str, version_id: str | None, size: int = 0) -> dict[str, Any]:
    """One record of an S3 event notification, as S3 sends it (the key URL-encoded)."""
    obj: dict[str, Any] = {"key": encoded_key, "size": size, "eTag": "d41d8cd98f00b204e9800998ecf8427e"}
    if version_id is not None:
        obj["versionId"] = version_id
    obj["sequencer"] = "0062E99A88DC407460"
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": REGION,
        "eventTime": "2026-11-28T01:02:03.000Z",
        "eventName": "ObjectCreated:Put",
        "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
        "requestParameters": {"sourceIPAddress": "10.0.0.1"},
        "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8/IgAtTv8xR"},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "ingest-pencari_kerja",
            "bucket": {
                "name": BUCKET,
                "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                "arn": f"arn:aws:s3:::{BUCKET}",
            },
            "object": obj,
        },
    }


def notification(*records: dict[str, Any]) -> str:
    return json.dumps({"Records": list(records)})


def for_ref(ref: ObjectRef) -> dict[str, Any]:
    return s3_record(quote_plus(ref.key, safe="/"), ref.version_id)


TEST_EVENT = json.dumps(
    {
        "Service": "Amazon S3",
        "Event": "s3:TestEvent",
        "Time": "2026-11-28T01:00:00.000Z",
        "Bucket": BUCKET,
        "RequestId": "5582815E1AEA5ADF",
        "HostId": "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE",
    }
)


def test_the_s3_test_event_is_acknowledged_and_ingests_nothing(invoke: Any, calls: list[Any]) -> None:
    assert invoke([sqs_record("m1", TEST_EVENT)]) == set()
    assert calls == []


def test_a_url_encoded_key_reaches_the_service_decoded(
    invoke: Any, calls: list[Any], world: World, export: Export
) -> None:
    ref = world.upload("pencari_kerja/a b é.csv", export.to_csv())

    failed = invoke(
        [sqs_record("m1", notification(s3_record("pencari_kerja/a+b+%C3%A9.csv", ref.version_id)))]
    )

    assert failed == set()
    assert [(bucket, key, version) for bucket, key, version, _ in calls] == [
        (BUCKET, "pencari_kerja/a b é.csv", ref.version_id)
    ]
    assert len(world.records.items) == 25
    assert world.report("pencari_kerja/a b é.csv")["created"] == 25


def test_an_encoded_plus_sign_stays_a_plus_sign(
    invoke: Any, calls: list[Any], world: World, export: Export
) -> None:
    ref = world.upload("pencari_kerja/a+b (1).csv", export.to_csv())

    failed = invoke(
        [sqs_record("m1", notification(s3_record("pencari_kerja/a%2Bb+%281%29.csv", ref.version_id)))]
    )

    assert failed == set()
    assert calls[0][1] == "pencari_kerja/a+b (1).csv"
    assert world.ledger.items[ref.file_id].summary["created"] == 25  # type: ignore[index]


def test_the_lease_follows_the_time_lambda_gives(
    invoke: Any, calls: list[Any], world: World, export: Export
) -> None:
    ref = world.upload("pencari_kerja/x.csv", export.to_csv())
    invoke([sqs_record("m1", notification(for_ref(ref)))])
    assert 895 <= calls[0][3] <= 900  # seconds left of the 900 s timeout


def test_a_malformed_body_fails_only_its_own_message(
    invoke: Any, calls: list[Any], world: World, export: Export
) -> None:
    ref = world.upload("pencari_kerja/baik.csv", export.to_csv())
    records = [
        sqs_record("bad-json", "{not json"),
        sqs_record("good", notification(for_ref(ref))),
        sqs_record("no-records-shape", json.dumps({"Records": [{"eventName": "ObjectCreated:Put"}]})),
        sqs_record("wrong-type", json.dumps(["pencari_kerja/x.csv"])),
    ]

    assert invoke(records) == {"bad-json", "no-records-shape", "wrong-type"}
    assert [key for _, key, _, _ in calls] == ["pencari_kerja/baik.csv"]
    assert len(world.records.items) == 25


def test_a_lone_malformed_message_is_retried(invoke: Any, calls: list[Any]) -> None:
    # With one message per invocation (batch size 1) Powertools raises "All records failed";
    # Lambda then retries the message, which is what counts here.
    assert invoke([sqs_record("bad", "{not json")]) == {"bad"}
    assert calls == []


@pytest.fixture
def sent_back(handler_module: Any, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Files the handler sent back to their queue to wait (instead of the SQS adapter)."""
    made: list[dict[str, Any]] = []

    def wait_for_lease(
        bucket: str, key: str, version_id: str | None, event_name: str, *, waits: int, settings: Any
    ) -> int:
        made.append({"key": key, "version_id": version_id, "event": event_name, "waits": waits})
        return 30

    monkeypatch.setattr(handler_module, "wait_for_lease", wait_for_lease)
    return made


def test_a_file_whose_domain_is_busy_goes_back_to_the_queue_and_is_not_failed(
    invoke: Any, calls: list[Any], world: World, export: Export, sent_back: list[dict[str, Any]]
) -> None:
    busy = world.upload("pencari_kerja/sibuk.csv", export.to_csv())
    free = world.upload("pencari_kerja/bebas.csv", export.slice(0, 5).to_csv())
    world.ledger.claim(busy, 960, world.clock())  # an earlier invocation still works on it
    waited_twice = sqs_record("busy", notification(for_ref(busy)))
    waited_twice["messageAttributes"] = {
        "sikas-waits": {
            "stringValue": "2",
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": "Number",
        }
    }

    failed = invoke([waited_twice, sqs_record("free", notification(for_ref(free)))])

    assert failed == set()  # waiting burns no receive: the message is done, a new one waits
    assert sent_back == [
        {"key": busy.key, "version_id": busy.version_id, "event": "ObjectCreated:Put", "waits": 2}
    ]
    assert world.ledger.items[free.file_id].status == "done"
    assert world.ledger.items[busy.file_id].status == "processing"


def test_a_file_that_cannot_be_sent_back_is_retried(
    invoke: Any, calls: list[Any], world: World, export: Export, handler_module: Any, monkeypatch: Any
) -> None:
    busy = world.upload("pencari_kerja/sibuk.csv", export.to_csv())
    world.ledger.claim(busy, 960, world.clock())

    def queue_unavailable(*args: Any, **kwargs: Any) -> int:
        raise ConnectionError("sqs unreachable")

    monkeypatch.setattr(handler_module, "wait_for_lease", queue_unavailable)
    assert invoke([sqs_record("busy", notification(for_ref(busy)))]) == {"busy"}  # not lost


def test_a_rejected_or_missing_file_is_not_retried(
    invoke: Any, calls: list[Any], world: World, export: Export
) -> None:
    unknown = world.upload("pencari_kerja/../x.csv", export.to_csv())
    gone = world.upload("pencari_kerja/hilang.csv", export.to_csv())
    world.objects.delete_version(gone)

    failed = invoke(
        [sqs_record("a", notification(for_ref(unknown))), sqs_record("b", notification(for_ref(gone)))]
    )

    assert failed == set()
    assert world.ledger.items[unknown.file_id].summary["reason_code"] == "prefix_unknown"  # type: ignore[index]
    assert world.ledger.items[gone.file_id].summary["reason_code"] == "file_missing"  # type: ignore[index]
    assert world.records.items == {}


def test_every_record_of_one_notification_is_ingested(
    invoke: Any, calls: list[Any], world: World, export: Export
) -> None:
    first = world.upload("pencari_kerja/satu.csv", export.slice(0, 10).to_csv())
    second = world.upload("pencari_kerja/dua.csv", export.slice(10, 25).to_csv())

    assert invoke([sqs_record("m", notification(for_ref(first), for_ref(second)))]) == set()
    assert len(world.records.items) == 25


def test_a_redelivered_message_changes_nothing(
    invoke: Any, calls: list[Any], world: World, export: Export
) -> None:
    ref = world.upload("pencari_kerja/x.csv", export.to_csv())
    message = sqs_record("m", notification(for_ref(ref)))
    invoke([message])
    writes, pushed = world.records.item_writes, len(world.push.messages)

    assert invoke([message]) == set()
    assert (world.records.item_writes, len(world.push.messages)) == (writes, pushed)


def test_logs_and_metrics_carry_counts_not_row_contents(
    invoke: Any, world: World, export: Export, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = sample_export(tmp_path, 30, seed=52, invalid_ratio=0.2)
    ref = world.upload("pencari_kerja/x.csv", broken.to_csv())

    invoke([sqs_record("m", notification(for_ref(ref)))])

    out = capsys.readouterr().out
    assert '"file processed"' in out
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", out)
    for row in range(1, 31):
        name = broken.cell(row, "nama")
        assert len(name) < 6 or name not in out
    processed = next(json.loads(line) for line in out.splitlines() if '"file processed"' in line)
    assert processed["counts"]["rows"] == 30
    assert processed["counts"]["rejected"] == len(broken.broken)
