"""DeliveryStore over DynamoDB: records are read from the records table, delivery states kept in
the deliveries table (written only by the push function, so batch writes cannot clobber ingest)."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ..delivery.ports import DeliveryState, PushRecord
from .concurrent_calls import each_at_once
from .dynamodb_batch import batch_get, batch_put
from .dynamodb_ledger import conditional_check_failed
from .dynamodb_records import record_pk

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def state_from_item(item: dict[str, Any]) -> DeliveryState:
    def number(name: str) -> int | None:
        return int(item[name]["N"]) if name in item else None

    def text(name: str) -> str | None:
        return item[name]["S"] if name in item else None

    return DeliveryState(
        record_id=item["record_id"]["S"],
        status=item["status"]["S"],
        delivered_version=number("delivered_version"),
        ministry_ref=text("ministry_ref"),
        ministry_result=text("ministry_result"),
        rejected_version=number("rejected_version"),
        errors=tuple(json.loads(item["errors"]["S"])) if "errors" in item else (),
        blocked_reason=text("blocked_reason"),
        request_id=text("request_id"),
    )


def item_from_state(domain: str, state: DeliveryState, now: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "pk": {"S": record_pk(domain, state.record_id)},
        "domain": {"S": domain},
        "record_id": {"S": state.record_id},
        "status": {"S": state.status},
        "updated_at": {"N": str(now)},
    }
    for name in ("delivered_version", "rejected_version"):
        if getattr(state, name) is not None:
            item[name] = {"N": str(getattr(state, name))}
    for name in ("ministry_ref", "ministry_result", "blocked_reason", "request_id"):
        if getattr(state, name):
            item[name] = {"S": getattr(state, name)}
    if state.errors:
        item["errors"] = {"S": json.dumps(list(state.errors), ensure_ascii=False)}
    return item


class DynamoDeliveryStore:
    def __init__(self, client: DynamoDBClient, records_table: str, deliveries_table: str) -> None:
        self._db = client
        self._records = records_table
        self._deliveries = deliveries_table

    def load(self, domain: str, record_ids: list[str]) -> dict[str, PushRecord]:
        pks = [record_pk(domain, rid) for rid in record_ids]
        states = {
            item["record_id"]["S"]: state_from_item(item)
            for item in batch_get(
                self._db,
                self._deliveries,
                pks,
                "record_id, #status, delivered_version, ministry_ref, ministry_result, rejected_version,"
                " errors, blocked_reason, request_id",
                {"#status": "status"},
            )
        }
        return {
            item["record_id"]["S"]: PushRecord(
                record_id=item["record_id"]["S"],
                version=int(item["version"]["N"]),
                content_hash=item["content_hash"]["S"],
                data=json.loads(item["data"]["S"]),
                state=states.get(item["record_id"]["S"]),
                source_file=item.get("last_file", {}).get("S"),
            )
            for item in batch_get(
                self._db,
                self._records,
                pks,
                "record_id, version, content_hash, #data, last_file",
                {"#data": "data"},
            )
        }

    def save(self, domain: str, states: list[DeliveryState]) -> None:
        now = int(time.time())
        batch_put(self._db, self._deliveries, [item_from_state(domain, state, now) for state in states])
        settled = [state for state in states if state.status in SETTLED]
        if settled:
            each_at_once(lambda state: self._settle(domain, state), settled)
            self._count(domain, settled)
        blocked = [state for state in states if state.status == "blocked"]
        if blocked:
            each_at_once(lambda state: self._mark_blocked(domain, state), blocked)

    def _mark_blocked(self, domain: str, state: DeliveryState) -> None:
        """The waiting record says it is blocked in the undelivered index itself, so `pending` tells
        blocked from pending without reading every state; a new version (a new item) drops it."""
        try:
            self._db.update_item(
                TableName=self._records,
                Key={"pk": {"S": record_pk(domain, state.record_id)}},
                UpdateExpression="SET pending_blocked = :yes",
                ConditionExpression="attribute_exists(pending_shard)",
                ExpressionAttributeValues={":yes": {"BOOL": True}},
            )
        except ClientError as error:
            if not conditional_check_failed(error):  # settled meanwhile, or erased
                raise

    def _settle(self, domain: str, state: DeliveryState) -> None:
        """The record leaves the undelivered index, unless a newer version was written meanwhile."""
        if state.status == "delivered":
            condition, version = "version <= :v", state.delivered_version
        else:
            condition, version = "version = :v", state.rejected_version
        try:
            self._db.update_item(
                TableName=self._records,
                Key={"pk": {"S": record_pk(domain, state.record_id)}},
                UpdateExpression="REMOVE pending_shard, pending_blocked",
                ConditionExpression=f"attribute_exists(pk) AND {condition}",
                ExpressionAttributeValues={":v": {"N": str(version)}},
            )
        except ClientError as error:
            if not conditional_check_failed(error):  # a newer version, or erased: it stays as it is
                raise

    def _count(self, domain: str, settled: list[DeliveryState]) -> None:
        delivered = sum(state.status == "delivered" for state in settled)
        self._db.update_item(
            TableName=self._deliveries,
            Key={"pk": {"S": counts_key(domain)}},
            UpdateExpression="ADD delivered :d, rejected_by_ministry :r",
            ExpressionAttributeValues={
                ":d": {"N": str(delivered)},
                ":r": {"N": str(len(settled) - delivered)},
            },
        )


SETTLED = ("delivered", "rejected_by_ministry")
COUNTS_PREFIX = "_control#counts#"


def counts_key(domain: str) -> str:
    """The deliveries table's item counting a domain's settled versions (delivered, refused)."""
    return COUNTS_PREFIX + domain
