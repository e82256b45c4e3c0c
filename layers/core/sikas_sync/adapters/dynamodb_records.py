"""RecordStore over DynamoDB: one item per record; a new version replaces the item."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from ..ingest.ports import RecordWrite, StoredRecord
from .dynamodb_batch import batch_get, batch_put

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def record_pk(domain: str, record_id: str) -> str:
    # The domain leads the key so IAM can confine each ingest function to its own domain's items.
    return f"{domain}#{record_id}"


class DynamoRecordStore:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table

    def get_many(self, domain: str, record_ids: list[str]) -> dict[str, StoredRecord]:
        pks = [record_pk(domain, rid) for rid in record_ids]
        return {
            item["record_id"]["S"]: StoredRecord(
                record_id=item["record_id"]["S"],
                version=int(item["version"]["N"]),
                content_hash=item["content_hash"]["S"],
                last_file=item.get("last_file", {}).get("S"),
            )
            for item in batch_get(self._db, self._table, pks, "record_id, version, content_hash, last_file")
        }

    def write(self, writes: list[RecordWrite]) -> None:
        now = {"N": str(int(time.time()))}
        batch_put(self._db, self._table, [self._item(write, now) for write in writes])

    def _item(self, write: RecordWrite, now: dict[str, str]) -> dict[str, Any]:
        return {
            "pk": {"S": record_pk(write.domain, write.record_id)},
            "domain": {"S": write.domain},
            "record_id": {"S": write.record_id},
            "version": {"N": str(write.version)},
            "content_hash": {"S": write.content_hash},
            "data": {"S": json.dumps(write.data, ensure_ascii=False, sort_keys=True)},
            "natural_key": {"S": json.dumps(list(write.natural_key), ensure_ascii=False)},
            "last_file": {"S": write.file_id},
            "last_row": {"N": str(write.row)},
            "updated_at": now,  # also "pending since" until the deliveries table says otherwise
        }
