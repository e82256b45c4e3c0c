"""Telling a missing S3 object from a forbidden one when the caller may list only part of the bucket.

S3 answers 404 for a missing object only to a caller allowed `s3:ListBucket` on the bucket; to
others it answers 403, as for an object they may not read. Our roles may list only the prefixes
they read (an `s3:prefix` condition), and AWS does not document which answer such a caller gets.
So a 403 is checked against a listing of that very key, which the condition allows: not listed
means missing; listed (or the listing refused too) means a real permission problem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

NOT_FOUND = frozenset({"NoSuchKey", "NoSuchVersion", "404", "NotFound"})
FORBIDDEN = frozenset({"AccessDenied", "403", "Forbidden"})


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def is_missing(
    s3: S3Client, error: ClientError, bucket: str, key: str, version_id: str | None = None
) -> bool:
    code = error_code(error)
    if code in NOT_FOUND:
        return True
    if code not in FORBIDDEN:
        return False
    try:
        listed = s3.list_objects_v2(Bucket=bucket, Prefix=key, MaxKeys=1).get("Contents", [])
        if not any(obj["Key"] == key for obj in listed):
            return True  # the key sorts first among keys it prefixes: not listed is not there
        return version_id is not None and not _has_version(s3, bucket, key, version_id)
    except ClientError:
        return False  # the listing is refused as well: a real permission problem, not a missing object


def _has_version(s3: S3Client, bucket: str, key: str, version_id: str) -> bool:
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=key):
        if any(v["Key"] == key and v["VersionId"] == version_id for v in page.get("Versions", [])):
            return True
    return False
