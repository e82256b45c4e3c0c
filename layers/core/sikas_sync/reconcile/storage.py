"""The reconcile ports over DynamoDB and S3 (the deliveries table is `DynamoDeliveryStore`)."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ..adapters.dynamodb_records import DynamoRecordStore, domain_pages, record_item
from .ports import ImportedRecord, ReconcileState

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

CONTROL_KEY = "_control#reconcile#{domain}"  # a files-table key no bucket/key/version can take
MINISTRY_FILE = "ministry:{source}"  # `last_file` of an imported record


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class DynamoReconcileRecords:
    """LocalRecords over the records table (items as `DynamoRecordStore` writes them)."""

    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table
        self._records = DynamoRecordStore(client, table)

    def hashes_of(self, domain: str, record_ids: list[str]) -> dict[str, str]:
        stored = self._records.get_many(domain, record_ids)  # BatchGetItem, consistent
        return {rid: record.content_hash for rid, record in stored.items()}

    def all_hashes(self, domain: str) -> Iterator[tuple[str, str]]:
        # Through the by_domain index (eventually consistent: the service counts this run's
        # imports itself).
        for items in domain_pages(self._db, self._table, domain, "record_id, content_hash"):
            for item in items:
                yield item["record_id"]["S"], item["content_hash"]["S"]

    def create(self, record: ImportedRecord) -> bool:
        item = record_item(
            record.domain,
            record.record_id,
            version=record.version,
            content_hash=record.content_hash,
            data=record.data,
            natural_key=record.natural_key,
            last_file=MINISTRY_FILE.format(source=record.source),
            now=int(time.time()),
            source=record.source,
            person_key=record.person_key,
        )
        try:
            self._db.put_item(
                TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True


class DynamoReconcileControl:
    """ReconcileControl over the files table: one `_control#reconcile#<domain>` item per domain."""

    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table

    def load(self, domain: str) -> ReconcileState | None:
        item = self._db.get_item(
            TableName=self._table,
            Key={"file_id": {"S": CONTROL_KEY.format(domain=domain)}},
            ConsistentRead=True,
        ).get("Item")
        if item is None:
            return None
        watermark = item.get("watermark", {}).get("S")
        return ReconcileState(
            watermark=datetime.fromisoformat(watermark) if watermark else None,
            last_run_at=datetime.fromisoformat(item["last_run_at"]["S"]),
            last_full_at=datetime.fromisoformat(item["last_full_at"]["S"]),
        )

    def store(self, domain: str, state: ReconcileState) -> None:
        item: Any = {
            "file_id": {"S": CONTROL_KEY.format(domain=domain)},
            # Readers of the files table look at `status`; "control" is no file state they know.
            "status": {"S": "control"},
            "last_run_at": {"S": state.last_run_at.isoformat()},
            "last_full_at": {"S": state.last_full_at.isoformat()},
        }
        if state.watermark is not None:
            item["watermark"] = {"S": state.watermark.isoformat()}
        self._db.put_item(TableName=self._table, Item=item)


class S3JsonObjects:
    """JsonObjects over one bucket; keys ending in `.gz` are stored gzip-compressed."""

    def __init__(self, client: S3Client, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    def get(self, key: str) -> Any | None:
        try:
            body = self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        except ClientError as error:
            if _error_code(error) in {"NoSuchKey", "404", "NotFound"}:
                return None
            raise
        return json.loads(gzip.decompress(body) if key.endswith(".gz") else body)

    def put(self, key: str, document: Any) -> None:
        compressed = key.endswith(".gz")
        # Reports are read by people: indented. The compressed index is read by the next run only.
        body = json.dumps(document, ensure_ascii=False, indent=None if compressed else 2).encode()
        if compressed:
            body = gzip.compress(body, mtime=0)
        self._s3.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=body,
            ContentType="application/gzip" if compressed else "application/json",
        )
