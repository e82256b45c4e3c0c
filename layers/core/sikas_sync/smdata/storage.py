"""RecordSource over the records table: each requested domain's records through the by_domain index."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from ..adapters.dynamodb_records import domain_pages

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoRecordScan:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._db = client
        self._table = table

    def records(self, domains: Collection[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        for domain in sorted(domains):
            for items in domain_pages(
                self._db, self._table, domain, "#domain, #data", {"#domain": "domain", "#data": "data"}
            ):  # one page (up to 1 MB) of items at a time
                for item in items:
                    yield item["domain"]["S"], json.loads(item["data"]["S"])
