"""The fakes of tests/fakes.py and the AWS adapters answer the same way to the same calls.

Each scenario runs twice: against the in-memory fake and against the real adapter on moto (in
process, no server). What the unit tests learn from the fakes therefore holds for the adapters.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from fakes import FakeFileLedger, FakeLeases, FakeObjectStore, FakeRecordStore
from sikas_sync.adapters.dynamodb_leases import DynamoLeases
from sikas_sync.adapters.dynamodb_ledger import DynamoFileLedger
from sikas_sync.adapters.dynamodb_records import DynamoRecordStore
from sikas_sync.adapters.s3_objects import S3ObjectStore
from sikas_sync.ingest.ports import ObjectMissing, ObjectRef, RecordWrite
from sikas_sync.leases import LeaseBusy

BUCKET = "inbox"
REGION = "ap-southeast-3"
NOW = 1_795_000_000.0


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        for table, key in (("records", "pk"), ("files", "file_id"), ("locks", "lock")):
            dynamodb.create_table(
                TableName=table,
                KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        yield {"s3": s3, "dynamodb": dynamodb}


# -- ObjectStore -------------------------------------------------------------------------------------


class ObjectsUnderTest:
    """The store plus the two things a test needs from outside the port: upload and delete."""

    def __init__(self, kind: str, aws: dict[str, Any] | None) -> None:
        self.kind = kind
        if kind == "fake":
            self.fake = FakeObjectStore()
            self.store: Any = self.fake
        else:
            assert aws is not None
            self.s3 = aws["s3"]
            self.store = S3ObjectStore(self.s3)

    def upload(self, key: str, body: bytes) -> ObjectRef:
        if self.kind == "fake":
            return self.fake.upload(BUCKET, key, body)
        version = self.s3.put_object(Bucket=BUCKET, Key=key, Body=body)["VersionId"]
        return ObjectRef(BUCKET, key, version)

    def delete_version(self, ref: ObjectRef) -> None:
        if self.kind == "fake":
            self.fake.delete_version(ref)
        else:
            self.s3.delete_object(Bucket=BUCKET, Key=ref.key, VersionId=ref.version_id)


@pytest.fixture(params=["fake", "s3"])
def objects(request: pytest.FixtureRequest) -> ObjectsUnderTest:
    aws = request.getfixturevalue("aws") if request.param == "s3" else None
    return ObjectsUnderTest(request.param, aws)


def _read(objects: ObjectsUnderTest, ref: ObjectRef) -> bytes:
    with objects.store.open(ref) as body:
        data: bytes = body.read()
    return data


def test_objects_are_read_by_version(objects: ObjectsUnderTest) -> None:
    first = objects.upload("pencari_kerja/a b é.csv", b"satu")
    second = objects.upload("pencari_kerja/a b é.csv", b"dua!!")

    assert _read(objects, first) == b"satu"
    assert _read(objects, second) == b"dua!!"
    assert objects.store.size(first) == 4
    assert objects.store.size(second) == 5
    assert objects.store.current_version(BUCKET, "pencari_kerja/a b é.csv") == second.version_id
    assert _read(objects, ObjectRef(BUCKET, "pencari_kerja/a b é.csv", None)) == b"dua!!"


def test_a_zero_byte_object_reads_empty(objects: ObjectsUnderTest) -> None:
    ref = objects.upload("pencari_kerja/kosong.csv", b"")
    assert objects.store.size(ref) == 0
    assert _read(objects, ref) == b""


def test_missing_objects_and_versions_raise_object_missing(objects: ObjectsUnderTest) -> None:
    ref = objects.upload("pencari_kerja/hilang.csv", b"data")
    objects.delete_version(ref)

    for call in (
        lambda: objects.store.size(ref),
        lambda: _read(objects, ref),
        lambda: objects.store.current_version(BUCKET, ref.key),
        lambda: objects.store.size(ObjectRef(BUCKET, "pencari_kerja/tidak-pernah.csv", None)),
    ):
        with pytest.raises(ObjectMissing):
            call()


def test_put_stores_a_readable_object(objects: ObjectsUnderTest) -> None:
    objects.store.put(
        BUCKET, "reports/pencari_kerja/a.csv.json", io.BytesIO(b'{"ok": 1}'), "application/json"
    )
    ref = ObjectRef(BUCKET, "reports/pencari_kerja/a.csv.json", None)
    assert _read(objects, ref) == b'{"ok": 1}'


# -- RecordStore -------------------------------------------------------------------------------------


@pytest.fixture(params=["fake", "dynamodb"])
def record_store(request: pytest.FixtureRequest) -> Any:
    if request.param == "fake":
        return FakeRecordStore()
    return DynamoRecordStore(request.getfixturevalue("aws")["dynamodb"], "records")


def _write(
    rid: str, version: int, content_hash: str, file_id: str = "inbox/pencari_kerja/a.csv#v1"
) -> RecordWrite:
    return RecordWrite(
        domain="pencari_kerja",
        record_id=rid,
        version=version,
        content_hash=content_hash,
        data={"nik": "1209014501900003", "nama": "Budi"},
        natural_key=("1209014501900003",),
        file_id=file_id,
        row=3,
    )


def test_records_round_trip_and_a_new_version_replaces_the_item(record_store: Any) -> None:
    ids = [f"{n:032x}" for n in range(130)]  # more than one BatchGetItem
    record_store.write([_write(rid, 1, "h1") for rid in ids])
    record_store.write([_write(ids[0], 2, "h2", file_id="inbox/pencari_kerja/b.csv#v9")])

    found = record_store.get_many("pencari_kerja", [*ids, "f" * 32])

    assert set(found) == set(ids)
    first = found[ids[0]]
    assert (first.record_id, first.version, first.content_hash) == (ids[0], 2, "h2")
    assert first.last_file == "inbox/pencari_kerja/b.csv#v9"
    assert (found[ids[1]].version, found[ids[1]].last_file) == (1, "inbox/pencari_kerja/a.csv#v1")


def test_records_are_kept_apart_by_domain(record_store: Any) -> None:
    record_store.write([_write("a" * 32, 1, "h1")])
    assert record_store.get_many("kartu_ak1", ["a" * 32]) == {}
    assert record_store.get_many("pencari_kerja", []) == {}


# -- FileLedger --------------------------------------------------------------------------------------


@pytest.fixture(params=["fake", "dynamodb"])
def ledger(request: pytest.FixtureRequest) -> Any:
    if request.param == "fake":
        return FakeFileLedger()
    return DynamoFileLedger(request.getfixturevalue("aws")["dynamodb"], "files")


REF = ObjectRef(BUCKET, "pencari_kerja/a b é.csv", "v1")


def test_a_first_claim_is_new_and_a_second_is_busy_while_the_lease_runs(ledger: Any) -> None:
    assert (ledger.claim(REF, 100, NOW).state, ledger.claim(REF, 100, NOW).attempt) == ("new", 1)
    assert ledger.claim(REF, 100, NOW + 99).state == "busy"


def test_an_expired_lease_is_resumed_once(ledger: Any) -> None:
    ledger.claim(REF, 100, NOW)
    resumed = ledger.claim(REF, 100, NOW + 101)
    assert (resumed.state, resumed.attempt) == ("resumed", 2)
    assert ledger.claim(REF, 100, NOW + 102).state == "busy"  # the resumer holds a new lease
    assert ledger.claim(REF, 100, NOW + 202).attempt == 3


def test_a_completed_file_is_done_with_its_summary(ledger: Any) -> None:
    ledger.claim(REF, 100, NOW)
    ledger.complete(REF, {"created": 3, "key": REF.key}, NOW + 5)

    claim = ledger.claim(REF, 100, NOW + 10_000)
    assert (claim.state, claim.summary) == ("done", {"created": 3, "key": REF.key})
    assert list(ledger.entries()) == [
        {"file_id": REF.file_id, "status": "done", "summary": {"created": 3, "key": REF.key}}
    ]


def test_each_version_is_its_own_entry(ledger: Any) -> None:
    ledger.claim(REF, 100, NOW)
    ledger.complete(REF, {}, NOW)
    assert ledger.claim(ObjectRef(BUCKET, REF.key, "v2"), 100, NOW).state == "new"
    assert ledger.claim(ObjectRef(BUCKET, REF.key, None), 100, NOW).state == "new"
    assert sorted(str(e["file_id"]) for e in ledger.entries()) == sorted(
        f"{BUCKET}/{REF.key}#{v}" for v in ("v1", "v2", "null")
    )


# -- Leases ------------------------------------------------------------------------------------------


@pytest.fixture(params=["fake", "dynamodb"])
def leases(request: pytest.FixtureRequest) -> Any:
    if request.param == "fake":
        return FakeLeases()
    return DynamoLeases(request.getfixturevalue("aws")["dynamodb"], "locks")


def test_a_lease_has_one_holder_until_its_time_is_over(leases: Any) -> None:
    first = leases.acquire("ingest#jkp", "a", 100, NOW)
    assert (first.holder, first.until) == ("a", NOW + 100)
    with pytest.raises(LeaseBusy) as busy:
        leases.acquire("ingest#jkp", "b", 100, NOW + 100)
    assert busy.value.until == NOW + 100  # when the waiting file may look again at the latest
    assert leases.acquire("ingest#lowongan", "b", 100, NOW).holder == "b"  # another domain: its own
    taken_over = leases.acquire("ingest#jkp", "b", 100, NOW + 101)  # a's invocation died
    assert taken_over.holder == "b"


def test_a_released_lease_is_free_and_a_late_release_keeps_the_new_holder(leases: Any) -> None:
    first = leases.acquire("function#sweep", "a", 100, NOW)
    assert leases.release(first, NOW + 5) is True
    second = leases.acquire("function#sweep", "b", 100, NOW + 6)
    assert leases.release(first, NOW + 7) is False  # a released already: b's lease stays
    with pytest.raises(LeaseBusy):
        leases.acquire("function#sweep", "c", 100, NOW + 8)
    assert leases.release(second, NOW + 9) is True
    assert leases.acquire("function#sweep", "c", 100, NOW + 10).holder == "c"
