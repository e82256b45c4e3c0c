"""RecordStore over DynamoDB: one item per record; a new version replaces the item."""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..ingest.ports import RecordWrite, StoredRecord
from ..resources import PENDING_SHARDS, RECORDS_BY_DOMAIN_INDEX
from .dynamodb_batch import batch_get, batch_put

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def record_pk(domain: str, record_id: str) -> str:
    # The domain leads the key so IAM can confine each ingest function to its own domain's items.
    return f"{domain}#{record_id}"


def pending_shard(domain: str, record_id: str) -> str:
    """The undelivered index's partition of a record: `<domain>#<0-15>`, spread by its id."""
    return f"{domain}#{zlib.crc32(record_id.encode()) % PENDING_SHARDS}"


def pending_shards(domain: str) -> list[str]:
    """Every partition of the undelivered (and by_domain) index that holds the domain's records."""
    return [f"{domain}#{shard}" for shard in range(PENDING_SHARDS)]


def domain_pages(
    client: DynamoDBClient, table: str, domain: str, projection: str, names: dict[str, str] | None = None
) -> Iterator[list[dict[str, Any]]]:
    """Every record of one domain, a page at a time, through the by_domain index: what is read is the
    domain, never the whole table. Index reads are eventually consistent (a write of a moment ago
    may be missing)."""
    for shard in pending_shards(domain):
        spec: dict[str, Any] = {
            "TableName": table,
            "IndexName": RECORDS_BY_DOMAIN_INDEX.name,
            "KeyConditionExpression": "domain_shard = :shard",
            "ExpressionAttributeValues": {":shard": {"S": shard}},
            "ProjectionExpression": projection,
        }
        if names:
            spec["ExpressionAttributeNames"] = names
        for page in client.get_paginator("query").paginate(**spec):
            yield page["Items"]


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
        now = int(time.time())
        items = [
            record_item(
                w.domain,
                w.record_id,
                version=w.version,
                content_hash=w.content_hash,
                data=w.data,
                natural_key=w.natural_key,
                last_file=w.file_id,
                now=now,
                row=w.row,
                person_key=w.person_key,
            )
            for w in writes
        ]
        batch_put(self._db, self._table, items)


def record_item(
    domain: str,
    record_id: str,
    *,
    version: int,
    content_hash: str,
    data: dict[str, Any],
    natural_key: tuple[str, ...],
    last_file: str,
    now: int,
    row: int | None = None,
    source: str | None = None,
    person_key: str | None = None,
) -> dict[str, Any]:
    """The records table's item: the one layout ingest and reconciliation both write."""
    item: dict[str, Any] = {
        "pk": {"S": record_pk(domain, record_id)},
        "domain": {"S": domain},
        "record_id": {"S": record_id},
        "version": {"N": str(version)},
        "content_hash": {"S": content_hash},
        "data": {"S": json.dumps(data, ensure_ascii=False, sort_keys=True)},
        "natural_key": {"S": json.dumps(list(natural_key), ensure_ascii=False)},
        "last_file": {"S": last_file},
        "last_file_key": {"S": last_file.rpartition("#")[0] or last_file},  # the upload, any version
        "updated_at": {"N": str(now)},  # also "pending since" until the deliveries table says otherwise
        # Every new version waits for the ministry: in the undelivered index until it is settled.
        "pending_shard": {"S": pending_shard(domain, record_id)},
        "domain_shard": {"S": pending_shard(domain, record_id)},  # the by_domain index, for good
    }
    if row is not None:
        item["last_row"] = {"N": str(row)}
    if source is not None:
        item["source"] = {"S": source}
    if person_key is not None:
        item["person_key"] = {"S": person_key}  # the by_person index: erasure finds a person by it
    return item
