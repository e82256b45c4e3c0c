"""RecordSource over the records table: one paginated Scan, filtered on `domain`."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoRecordScan:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table

    def records(self, domains: Collection[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        if not domains:
            return
        values: Any = {f":d{i}": {"S": domain} for i, domain in enumerate(sorted(domains))}
        pages = self._db.get_paginator("scan").paginate(
            TableName=self._table,
            ProjectionExpression="#domain, #data",
            FilterExpression=f"#domain IN ({', '.join(values)})",
            ExpressionAttributeNames={"#domain": "domain", "#data": "data"},
            ExpressionAttributeValues=values,
        )
        for page in pages:  # one page (up to 1 MB) of items at a time
            for item in page["Items"]:
                yield item["domain"]["S"], json.loads(item["data"]["S"])
