"""Leases over DynamoDB: one item per lease name in the locks table, taken with a conditional update.

Item layout (this module is the only one that reads or writes it): `lock` (the lease name, the
partition key), `holder`, `lease_until` (Unix seconds), `acquired_at`, and `expires_at` for the
table's TTL, which removes items of leases nobody took for a month.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ..leases import Lease, LeaseBusy
from .dynamodb_ledger import conditional_check_failed

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

ITEM_RETENTION_S = 30 * 24 * 3600


class DynamoLeases:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table

    def acquire(self, name: str, holder: str, lease_s: int, now: float) -> Lease:
        until = int(now) + lease_s
        try:
            # One conditional write: free (never taken or released) or its holder's time is over.
            self._db.update_item(
                TableName=self._table,
                Key={"lock": {"S": name}},
                UpdateExpression=(
                    "SET holder = :holder, lease_until = :until, acquired_at = :now, expires_at = :expires"
                ),
                ConditionExpression="attribute_not_exists(holder) OR lease_until < :now",
                ExpressionAttributeValues={
                    ":holder": {"S": holder},
                    ":until": {"N": str(until)},
                    ":now": {"N": str(int(now))},
                    ":expires": {"N": str(until + ITEM_RETENTION_S)},
                },
                # A refusal carries the holder's item: when its lease ends, without a second read.
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if not conditional_check_failed(error):
                raise
            held: dict[str, Any] = dict(error.response.get("Item") or {})  # type: ignore[call-overload]
            raise LeaseBusy(name, float(held.get("lease_until", {}).get("N", now))) from None
        return Lease(name, holder, until)

    def release(self, lease: Lease, now: float) -> bool:
        try:
            self._db.update_item(
                TableName=self._table,
                Key={"lock": {"S": lease.name}},
                UpdateExpression="REMOVE holder, lease_until SET released_at = :now",
                ConditionExpression="holder = :holder",
                ExpressionAttributeValues={":holder": {"S": lease.holder}, ":now": {"N": str(int(now))}},
            )
        except ClientError as error:
            if conditional_check_failed(error):
                return False  # expired and taken over: the other holder's lease stays
            raise
        return True
