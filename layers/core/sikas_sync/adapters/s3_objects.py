"""ObjectStore over S3: the inbox bucket, its reports and quarantine prefixes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, BinaryIO, cast

from botocore.exceptions import ClientError

from ..ingest.ports import ObjectMissing, ObjectRef
from .s3_missing import error_code, is_missing

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

# An event's version id S3 cannot parse (emulators, a hand-made message) names no object either.
_BAD_VERSION = "InvalidArgument"


class S3ObjectStore:
    def __init__(self, client: S3Client) -> None:
        self._s3 = client

    def _version(self, ref: ObjectRef) -> dict[str, Any]:
        return {"VersionId": ref.version_id} if ref.version_id else {}

    @contextmanager
    def open(self, ref: ObjectRef) -> Iterator[BinaryIO]:
        try:
            response = self._s3.get_object(Bucket=ref.bucket, Key=ref.key, **self._version(ref))
        except ClientError as error:
            raise self._missing_or(error, ref.bucket, ref.key, ref.version_id) from None
        body = response["Body"]
        try:
            yield cast(BinaryIO, body)
        finally:
            body.close()

    def size(self, ref: ObjectRef) -> int:
        try:
            return self._s3.head_object(Bucket=ref.bucket, Key=ref.key, **self._version(ref))["ContentLength"]
        except ClientError as error:
            raise self._missing_or(error, ref.bucket, ref.key, ref.version_id) from None

    def current_version(self, bucket: str, key: str) -> str | None:
        try:
            return self._s3.head_object(Bucket=bucket, Key=key).get("VersionId")
        except ClientError as error:
            raise self._missing_or(error, bucket, key, None) from None

    def put(self, bucket: str, key: str, body: IO[bytes], content_type: str) -> None:
        self._s3.upload_fileobj(body, bucket, key, ExtraArgs={"ContentType": content_type})

    def _missing_or(self, error: ClientError, bucket: str, key: str, version_id: str | None) -> Exception:
        if error_code(error) == _BAD_VERSION or is_missing(self._s3, error, bucket, key, version_id):
            return ObjectMissing(error_code(error))
        return error
