"""RecordStore over DynamoDB: one item per record, conditional writes keep versions exact."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from ..ingest.ports import RecordWrite, StoredRecord

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

GET_BATCH = 100  # BatchGetItem limit
WRITE_BATCH = 25  # BatchWriteItem limit
MAX_ROUNDS = 8  # retries of unprocessed items, with backoff
PENDING = "pending"
# Delivery facts a new version of a record keeps (the ministry's id above all).
CARRIED = ("ministry_ref", "delivered_version", "delivered_at")


class RecordStoreError(RuntimeError):
    pass


def record_pk(domain: str, record_id: str) -> str:
    # The domain leads the key so IAM can confine each ingest function to its own domain's items.
    return f"{domain}#{record_id}"


class DynamoRecordStore:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table

    def get_many(self, domain: str, record_ids: list[str]) -> dict[str, StoredRecord]:
        found: dict[str, StoredRecord] = {}
        for start in range(0, len(record_ids), GET_BATCH):
            keys: list[Any] = [
                {"pk": {"S": record_pk(domain, rid)}} for rid in record_ids[start : start + GET_BATCH]
            ]
            request: dict[str, Any] = {
                self._table: {
                    "Keys": keys,
                    "ProjectionExpression": "record_id, version, content_hash, last_file, "
                    + ", ".join(CARRIED),
                    "ConsistentRead": True,
                }
            }
            for attempt in range(MAX_ROUNDS):
                response = self._db.batch_get_item(RequestItems=request)
                for item in response["Responses"].get(self._table, []):
                    found[item["record_id"]["S"]] = StoredRecord(
                        record_id=item["record_id"]["S"],
                        version=int(item["version"]["N"]),
                        content_hash=item["content_hash"]["S"],
                        last_file=item.get("last_file", {}).get("S"),
                        carried={name: item[name] for name in CARRIED if name in item},
                    )
                request = dict(response.get("UnprocessedKeys") or {})
                if not request:
                    break
                _backoff(attempt)
            else:
                raise RecordStoreError("DynamoDB kept returning unprocessed keys")
        return found

    def write(self, writes: list[RecordWrite]) -> None:
        now = {"N": str(int(time.time()))}
        for start in range(0, len(writes), WRITE_BATCH):
            requests: list[Any] = [
                {"PutRequest": {"Item": self._item(write, now)}}
                for write in writes[start : start + WRITE_BATCH]
            ]
            for attempt in range(MAX_ROUNDS):
                response = self._db.batch_write_item(RequestItems={self._table: requests})
                requests = list((response.get("UnprocessedItems") or {}).get(self._table, []))
                if not requests:
                    break
                _backoff(attempt)
            else:
                raise RecordStoreError("DynamoDB kept returning unprocessed items")

    def _item(self, write: RecordWrite, now: dict[str, str]) -> dict[str, Any]:
        return {
            **write.carried,
            "pk": {"S": record_pk(write.domain, write.record_id)},
            "domain": {"S": write.domain},
            "record_id": {"S": write.record_id},
            "version": {"N": str(write.version)},
            "content_hash": {"S": write.content_hash},
            "data": {"S": json.dumps(write.data, ensure_ascii=False, sort_keys=True)},
            "natural_key": {"S": json.dumps(list(write.natural_key), ensure_ascii=False)},
            "last_file": {"S": write.file_id},
            "last_row": {"N": str(write.row)},
            "delivery_status": {"S": PENDING},
            "pending_since": now,
            "updated_at": now,
        }


def _backoff(attempt: int) -> None:
    time.sleep(min(0.05 * 2**attempt, 2.0))
