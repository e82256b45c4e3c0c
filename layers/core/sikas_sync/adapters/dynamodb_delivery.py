"""DeliveryStore over the records table: what the push function reads and the marks it leaves."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ..delivery.ports import PushRecord
from ..ministry import RecordResult
from .dynamodb_records import GET_BATCH, MAX_ROUNDS, RecordStoreError, _backoff, record_pk

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

DELIVERED, REJECTED, BLOCKED = "delivered", "rejected_by_ministry", "blocked"


class DynamoDeliveryStore:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table

    def load(self, domain: str, record_ids: list[str]) -> dict[str, PushRecord]:
        found: dict[str, PushRecord] = {}
        for start in range(0, len(record_ids), GET_BATCH):
            keys: list[Any] = [
                {"pk": {"S": record_pk(domain, rid)}} for rid in record_ids[start : start + GET_BATCH]
            ]
            request: dict[str, Any] = {
                self._table: {
                    "Keys": keys,
                    "ProjectionExpression": (
                        "record_id, version, content_hash, #data, delivery_status, delivered_version"
                    ),
                    "ExpressionAttributeNames": {"#data": "data"},
                    "ConsistentRead": True,
                }
            }
            for attempt in range(MAX_ROUNDS):
                response = self._db.batch_get_item(RequestItems=request)
                for item in response["Responses"].get(self._table, []):
                    found[item["record_id"]["S"]] = PushRecord(
                        record_id=item["record_id"]["S"],
                        version=int(item["version"]["N"]),
                        content_hash=item["content_hash"]["S"],
                        data=json.loads(item["data"]["S"]),
                        delivery_status=item.get("delivery_status", {}).get("S", "pending"),
                        delivered_version=int(item["delivered_version"]["N"])
                        if "delivered_version" in item
                        else None,
                    )
                request = dict(response.get("UnprocessedKeys") or {})
                if not request:
                    break
                _backoff(attempt)
            else:
                raise RecordStoreError("DynamoDB kept returning unprocessed keys")
        return found

    def mark_delivered(self, domain: str, result: RecordResult, version: int, request_id: str | None) -> None:
        names = {"#status": "delivery_status"}
        values: dict[str, Any] = {
            ":status": {"S": DELIVERED},
            ":v": {"N": str(version)},
            ":now": {"N": str(int(time.time()))},
            ":result": {"S": result.status},
            ":request": {"S": request_id or "-"},
        }
        update = (
            "SET #status = :status, delivered_version = :v, delivered_at = :now, ministry_result = :result,"
            " last_request_id = :request"
        )
        if result.ministry_ref:
            update += ", ministry_ref = :ref"
            values[":ref"] = {"S": result.ministry_ref}
        self._update(
            domain, result.record_id, update + " REMOVE ministry_errors, pending_since", names, values
        )

    def mark_rejected(self, domain: str, result: RecordResult, version: int, request_id: str | None) -> None:
        self._update(
            domain,
            result.record_id,
            "SET #status = :status, rejected_version = :v, rejected_at = :now, ministry_errors = :errors,"
            " last_request_id = :request REMOVE pending_since",
            {"#status": "delivery_status"},
            {
                ":status": {"S": REJECTED},
                ":v": {"N": str(version)},
                ":now": {"N": str(int(time.time()))},
                ":errors": {"S": json.dumps(list(result.errors), ensure_ascii=False)},
                ":request": {"S": request_id or "-"},
            },
        )

    def mark_blocked(self, domain: str, record_id: str, version: int, reason: str) -> None:
        self._update(
            domain,
            record_id,
            "SET #status = :status, blocked_reason = :reason, blocked_at = :now",
            {"#status": "delivery_status"},
            {
                ":status": {"S": BLOCKED},
                ":v": {"N": str(version)},
                ":now": {"N": str(int(time.time()))},
                ":reason": {"S": reason},
            },
        )

    def _update(
        self, domain: str, record_id: str, expression: str, names: dict[str, str], values: dict[str, Any]
    ) -> None:
        try:
            self._db.update_item(
                TableName=self._table,
                Key={"pk": {"S": record_pk(domain, record_id)}},
                UpdateExpression=expression,
                # Only the version that was sent is marked; a newer one has its own message.
                ConditionExpression="version = :v",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
