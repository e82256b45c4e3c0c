"""BatchGetItem / BatchWriteItem with their limits and the retry of unprocessed items."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .concurrent_calls import each_at_once

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

GET_BATCH = 100  # BatchGetItem limit
WRITE_BATCH = 25  # BatchWriteItem limit
MAX_ROUNDS = 8  # retries of unprocessed items, with backoff


class BatchError(RuntimeError):
    pass


def _backoff(attempt: int) -> None:
    time.sleep(min(0.05 * 2**attempt, 2.0))


def batch_get(
    client: DynamoDBClient,
    table: str,
    pks: list[str],
    projection: str,
    names: dict[str, str] | None = None,
) -> Iterator[dict[str, Any]]:
    """The items of these partition keys (attribute `pk`) that exist, read consistently."""
    for start in range(0, len(pks), GET_BATCH):
        keys: Any = [{"pk": {"S": pk}} for pk in pks[start : start + GET_BATCH]]
        spec: dict[str, Any] = {"Keys": keys, "ProjectionExpression": projection, "ConsistentRead": True}
        if names:
            spec["ExpressionAttributeNames"] = names
        request: dict[str, Any] = {table: spec}
        for attempt in range(MAX_ROUNDS):
            response = client.batch_get_item(RequestItems=request)
            yield from response["Responses"].get(table, [])
            request = dict(response.get("UnprocessedKeys") or {})
            if not request:
                break
            _backoff(attempt)
        else:
            raise BatchError(f"{table}: DynamoDB kept returning unprocessed keys")


def batch_put(client: DynamoDBClient, table: str, items: list[dict[str, Any]]) -> None:
    """Every item written, 25 a call, the calls made at once; unprocessed items retried with backoff."""

    def put(chunk: list[dict[str, Any]]) -> None:
        requests: Any = [{"PutRequest": {"Item": item}} for item in chunk]
        for attempt in range(MAX_ROUNDS):
            response = client.batch_write_item(RequestItems={table: requests})
            requests = list((response.get("UnprocessedItems") or {}).get(table, []))
            if not requests:
                break
            _backoff(attempt)
        else:
            raise BatchError(f"{table}: DynamoDB kept returning unprocessed items")

    each_at_once(put, (items[start : start + WRITE_BATCH] for start in range(0, len(items), WRITE_BATCH)))
