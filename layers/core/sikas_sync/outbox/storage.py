"""The outbox ports over DynamoDB (records, deliveries, the files ledger) and S3 (the inbox bucket)."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Collection, Iterator
from typing import IO, TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from ..adapters.dynamodb_batch import batch_get
from ..adapters.dynamodb_delivery import state_from_item
from ..adapters.dynamodb_ledger import LEDGER_RETENTION_S, received_day
from ..adapters.dynamodb_records import domain_pages, record_pk
from ..adapters.s3_missing import is_missing
from ..resources import FILES_BY_DAY_INDEX
from .ports import DeliveryInfo, OutboxRecord, StoredObject

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

CONTROL_KEY = "_control#outbox#{domain}"  # a files-table key no bucket/key/version can take
_CHANGED = {"PreconditionFailed", "412", "ConditionalRequestConflict"}


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _number(item: dict[str, Any], name: str) -> int | None:
    return int(item[name]["N"]) if name in item else None


def record_from_item(item: dict[str, Any]) -> OutboxRecord:
    return OutboxRecord(
        domain=item["domain"]["S"],
        record_id=item["record_id"]["S"],
        version=int(item["version"]["N"]),
        natural_key=tuple(json.loads(item["natural_key"]["S"])) if "natural_key" in item else (),
        data=json.loads(item["data"]["S"]) if "data" in item else {},
        source=item["source"]["S"] if "source" in item else None,
        last_file=item["last_file"]["S"] if "last_file" in item else None,
        updated_at=_number(item, "updated_at"),
    )


class DynamoOutboxRecords:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table

    def scan(self, domains: Collection[str]) -> Iterator[list[OutboxRecord]]:
        for domain in sorted(domains):
            for items in domain_pages(
                self._db,
                self._table,
                domain,
                "#domain, record_id, version, natural_key, #data, #source, last_file, updated_at",
                {"#domain": "domain", "#data": "data", "#source": "source"},
            ):  # one page (up to 1 MB) of items at a time
                yield [record_from_item(item) for item in items]

    def versions(self, domain: str, record_ids: list[str]) -> dict[str, int]:
        pks = [record_pk(domain, rid) for rid in record_ids]
        return {
            item["record_id"]["S"]: int(item["version"]["N"])
            for item in batch_get(self._db, self._table, pks, "record_id, version")
        }


class DynamoOutboxDeliveries:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table

    def states(self, domain: str, record_ids: list[str]) -> dict[str, DeliveryInfo]:
        pks = [record_pk(domain, rid) for rid in record_ids]
        # Everything `state_from_item` reads, and when the item was written.
        projection = (
            "record_id, #status, delivered_version, ministry_ref, ministry_result, rejected_version,"
            " errors, blocked_reason, request_id, updated_at, delivered_at"
        )
        return {
            item["record_id"]["S"]: DeliveryInfo(
                state=state_from_item(item),
                updated_at=_number(item, "updated_at"),
                delivered_at=_number(item, "delivered_at"),
            )
            for item in batch_get(self._db, self._table, pks, projection, {"#status": "status"})
        }


class DynamoProcessedFiles:
    """The files ledger (`adapters.dynamodb_ledger`), and one `_control#outbox#<domain>` item each."""

    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table

    def processed(self, since: int | None) -> Iterator[tuple[str, int]]:
        """Uploads finished since `since` (every one the ledger still holds for None), read day by
        day through the ledger's by_day index: a day before `since` too, for an upload received
        then and finished after."""
        now = time.time()
        first = (since if since is not None else now - LEDGER_RETENTION_S) - 24 * 3600
        day, last = dt.date.fromisoformat(received_day(first)), dt.date.fromisoformat(received_day(now))
        while day <= last:
            spec: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": FILES_BY_DAY_INDEX.name,
                "KeyConditionExpression": "received_day = :day",
                "ProjectionExpression": "object_key, finished_at",
                "FilterExpression": "#status = :done",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {":day": {"S": day.isoformat()}, ":done": {"S": "done"}},
            }
            if since is not None:
                spec["FilterExpression"] += " AND finished_at >= :since"
                spec["ExpressionAttributeValues"][":since"] = {"N": str(since)}
            for page in self._db.get_paginator("query").paginate(**spec):
                for item in page["Items"]:
                    if "object_key" in item and "finished_at" in item:
                        yield item["object_key"]["S"], int(item["finished_at"]["N"])
            day += dt.timedelta(days=1)

    def watermark(self, domain: str) -> int | None:
        item = self._db.get_item(
            TableName=self._table,
            Key={"file_id": {"S": CONTROL_KEY.format(domain=domain)}},
            ConsistentRead=True,
        ).get("Item")
        return None if item is None else _number(item, "watermark")

    def store_watermark(self, domain: str, at: int) -> None:
        self._db.put_item(
            TableName=self._table,
            Item={
                "file_id": {"S": CONTROL_KEY.format(domain=domain)},
                # Readers of the files table look at `status`; "control" is no file state they know.
                "status": {"S": "control"},
                "watermark": {"N": str(at)},
            },
        )


class S3OutboxObjects:
    def __init__(self, client: S3Client, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    def get(self, key: str) -> StoredObject | None:
        try:
            response = self._s3.get_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if is_missing(self._s3, error, self._bucket, key):
                return None
            raise
        return StoredObject(body=cast(IO[bytes], response["Body"]), etag=response["ETag"])

    def put(self, key: str, body: IO[bytes], content_type: str, *, if_match: str | None = None) -> bool:
        extra: dict[str, Any] = {"IfMatch": if_match} if if_match else {}
        try:
            # One PutObject (conditional writes need it): a results file of a million rows is
            # about 150 MB, far below PutObject's 5 GB.
            self._s3.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType=content_type, **extra)
        except ClientError as error:
            if if_match and _code(error) in _CHANGED:
                return False
            raise
        return True
