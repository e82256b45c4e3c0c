"""FileLedger over DynamoDB: one item per bucket/key/version, claimed with a lease."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ..ingest.ports import Claim, ObjectRef

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

LEDGER_RETENTION_S = 400 * 24 * 3600  # longer than any redelivery; then TTL removes the entry


WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def received_day(timestamp: float) -> str:
    """The day (WIB, the regency's calendar) an upload was received: the ledger's by_day partition."""
    return dt.datetime.fromtimestamp(timestamp, WIB).date().isoformat()


def conditional_check_failed(error: ClientError) -> bool:
    """A conditional write refused because its condition did not hold (not a failure of DynamoDB)."""
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


class DynamoFileLedger:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table

    def claim(self, ref: ObjectRef, lease_s: int, now: float) -> Claim:
        key = {"file_id": {"S": ref.file_id}}
        try:
            self._db.put_item(
                TableName=self._table,
                Item={
                    **key,
                    "status": {"S": "processing"},
                    "object_key": {"S": ref.key},
                    "lease_until": {"N": str(int(now + lease_s))},
                    "attempt": {"N": "1"},
                    "started_at": {"N": str(int(now))},
                    "received_day": {"S": received_day(now)},
                    "expires_at": {"N": str(int(now + LEDGER_RETENTION_S))},
                },
                ConditionExpression="attribute_not_exists(file_id)",
            )
            return Claim("new", 1)
        except ClientError as error:
            if not conditional_check_failed(error):
                raise
        item = self._db.get_item(TableName=self._table, Key=key, ConsistentRead=True).get("Item", {})
        attempt = int(item.get("attempt", {}).get("N", "1"))
        if item.get("status", {}).get("S") == "done":
            return Claim("done", attempt, json.loads(item["summary"]["S"]))
        lease_until = item.get("lease_until", {}).get("N", "0")
        if int(lease_until) > now:
            return Claim("busy", attempt)
        try:
            self._db.update_item(
                TableName=self._table,
                Key=key,
                UpdateExpression="SET lease_until = :lease, attempt = attempt + :one",
                ConditionExpression="#status = :processing AND lease_until = :old",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":lease": {"N": str(int(now + lease_s))},
                    ":one": {"N": "1"},
                    ":processing": {"S": "processing"},
                    ":old": {"N": lease_until},
                },
            )
        except ClientError as error:
            if conditional_check_failed(error):
                return Claim("busy", attempt)  # another invocation took it over first
            raise
        checkpoint = item.get("checkpoint", {}).get("S")
        return Claim("resumed", attempt + 1, checkpoint=json.loads(checkpoint) if checkpoint else None)

    def pause(self, ref: ObjectRef, checkpoint: dict[str, int], now: float) -> None:
        self._db.update_item(
            TableName=self._table,
            Key={"file_id": {"S": ref.file_id}},
            UpdateExpression="SET checkpoint = :checkpoint, lease_until = :now",
            ConditionExpression="#status = :processing",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":checkpoint": {"S": json.dumps(checkpoint)},
                ":now": {"N": str(int(now))},
                ":processing": {"S": "processing"},
            },
        )

    def complete(self, ref: ObjectRef, summary: dict[str, object], now: float) -> None:
        self._db.update_item(
            TableName=self._table,
            Key={"file_id": {"S": ref.file_id}},
            UpdateExpression="SET #status = :done, summary = :summary, finished_at = :now REMOVE lease_until",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":done": {"S": "done"},
                ":summary": {"S": json.dumps(summary, ensure_ascii=False)},
                ":now": {"N": str(int(now))},
            },
        )

    def entries(self) -> Iterator[dict[str, object]]:
        paginator = self._db.get_paginator("scan")
        for page in paginator.paginate(TableName=self._table):
            for item in page["Items"]:
                entry: dict[str, Any] = {"file_id": item["file_id"]["S"], "status": item["status"]["S"]}
                if "summary" in item:
                    entry["summary"] = json.loads(item["summary"]["S"])
                yield entry
