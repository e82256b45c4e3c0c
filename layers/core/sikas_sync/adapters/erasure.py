"""The erasure ports over DynamoDB, S3 and the ministry client (sikas_sync.operations.erase)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..ingest.record_ids import person_key
from ..ministry import MinistryClient, MinistryError
from ..operations.erase import MinistryEraseFailed
from ..resources import RECORDS_BY_PERSON_INDEX
from .dynamodb_records import record_pk

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client


class DynamoPersonRecords:
    """Records items (`DynamoRecordStore`'s layout) and their deliveries items, by NIK."""

    def __init__(
        self, client: DynamoDBClient, records_table: str, deliveries_table: str, hmac_key: bytes
    ) -> None:
        self._db = client
        self._records = records_table
        self._deliveries = deliveries_table
        self._hmac_key = hmac_key

    def with_nik(self, domain: str, nik: str) -> list[str]:
        # The by_person index holds the records whose data has this NIK, under a keyed HMAC of it
        # (ingest and reconcile write it): what is read is the person's records, not the domain's.
        pages = self._db.get_paginator("query").paginate(
            TableName=self._records,
            IndexName=RECORDS_BY_PERSON_INDEX.name,
            KeyConditionExpression="person_key = :person",
            ExpressionAttributeValues={":person": {"S": person_key(self._hmac_key, domain, nik)}},
            ProjectionExpression="record_id",
        )
        return [item["record_id"]["S"] for page in pages for item in page["Items"]]

    def delete(self, domain: str, record_id: str) -> bool:
        key: Any = {"pk": {"S": record_pk(domain, record_id)}}
        # The record first: a delivery state without its record is ignored everywhere, a record
        # without its state would look undelivered and the sweep would send it again.
        response = self._db.delete_item(TableName=self._records, Key=key, ReturnValues="ALL_OLD")
        self._db.delete_item(TableName=self._deliveries, Key=key)
        return bool(response.get("Attributes"))


class S3AuditLog:
    """Audit entries as JSON objects in the inbox bucket (encrypted with the bucket's key)."""

    def __init__(self, client: S3Client, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    def put(self, key: str, document: dict[str, Any]) -> None:
        self._s3.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=json.dumps(document, ensure_ascii=False, indent=2).encode(),
            ContentType="application/json",
        )


class MinistryEraser:
    """`MinistryErasure` through the one ministry client: a confirmed DELETE gives its request id."""

    def __init__(self, client: MinistryClient) -> None:
        self._client = client

    def delete(self, domain: str, record_id: str) -> str | None:
        try:
            self._client.delete(domain, record_id)
        except MinistryError as error:
            raise MinistryEraseFailed(str(error), status=error.status, request_id=error.request_id) from None
        return self._client.last_request_id
