"""A 403 from S3 is a missing object only when a listing of that very key says it is not there.

The roles may list only the prefixes they read (an s3:prefix condition), and AWS documents no
answer for a missing object to such a caller; the adapters must read 404 and that 403 alike, and
keep a real permission problem an error. A small fake S3 client answers as S3 does.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from sikas_sync.adapters.s3_missing import is_missing
from sikas_sync.adapters.s3_objects import S3ObjectStore
from sikas_sync.ingest.ports import ObjectMissing, ObjectRef


def _error(code: str, status: int) -> ClientError:
    return ClientError(
        {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "HeadObject"
    )


class ListOnlyS3:
    """A bucket the caller may list (under a prefix) but whose objects it may not read: every read
    answers 403, as S3 does for a forbidden or (without a usable ListBucket) a missing object."""

    def __init__(self, versions: dict[str, list[str]], may_list: bool = True) -> None:
        self.versions = versions  # key -> version ids
        self.may_list = may_list
        self.listed: list[str] = []

    def head_object(self, **kwargs: Any) -> Any:
        raise _error("403", 403)

    def get_object(self, **kwargs: Any) -> Any:
        raise _error("AccessDenied", 403)

    def list_objects_v2(self, *, Bucket: str, Prefix: str, MaxKeys: int) -> dict[str, Any]:
        self.listed.append(Prefix)
        if not self.may_list:
            raise _error("AccessDenied", 403)
        keys = sorted(k for k in self.versions if k.startswith(Prefix))[:MaxKeys]
        return {"Contents": [{"Key": k} for k in keys]}

    def get_paginator(self, name: str) -> Any:
        assert name == "list_object_versions"
        versions = self.versions

        class Pages:
            def paginate(self, *, Bucket: str, Prefix: str) -> list[dict[str, Any]]:
                return [
                    {
                        "Versions": [
                            {"Key": k, "VersionId": v}
                            for k in versions
                            if k.startswith(Prefix)
                            for v in versions[k]
                        ]
                    }
                ]

        return Pages()


def test_a_404_is_missing_without_asking_anything_more() -> None:
    s3 = ListOnlyS3({})
    assert is_missing(s3, _error("NoSuchKey", 404), "b", "jkp/a.csv")  # type: ignore[arg-type]
    assert s3.listed == []


def test_a_403_for_a_key_that_is_not_listed_is_missing() -> None:
    s3 = ListOnlyS3({"jkp/a.csv.bak": ["v1"]})  # another key it prefixes does not count
    assert is_missing(s3, _error("AccessDenied", 403), "b", "jkp/a.csv")  # type: ignore[arg-type]
    assert s3.listed == ["jkp/a.csv"]


def test_a_403_for_a_listed_key_is_a_permission_problem() -> None:
    s3 = ListOnlyS3({"jkp/a.csv": ["v1"]})
    assert not is_missing(s3, _error("AccessDenied", 403), "b", "jkp/a.csv")  # type: ignore[arg-type]
    assert not is_missing(s3, _error("AccessDenied", 403), "b", "jkp/a.csv", "v1")  # type: ignore[arg-type]
    assert is_missing(s3, _error("AccessDenied", 403), "b", "jkp/a.csv", "v0-deleted")  # type: ignore[arg-type]


def test_a_403_whose_listing_is_refused_too_stays_an_error() -> None:
    s3 = ListOnlyS3({}, may_list=False)
    assert not is_missing(s3, _error("AccessDenied", 403), "b", "jkp/a.csv")  # type: ignore[arg-type]
    assert not is_missing(s3, _error("SlowDown", 503), "b", "jkp/a.csv")  # type: ignore[arg-type]


def test_ingest_reads_a_deleted_export_as_missing_and_a_forbidden_one_as_an_error() -> None:
    deleted = S3ObjectStore(ListOnlyS3({"jkp/b.csv": ["v1"]}))  # type: ignore[arg-type]
    with pytest.raises(ObjectMissing):
        deleted.size(ObjectRef("b", "jkp/a.csv", "v1"))
    forbidden = S3ObjectStore(ListOnlyS3({"jkp/a.csv": ["v1"]}))  # type: ignore[arg-type]
    with pytest.raises(ClientError), forbidden.open(ObjectRef("b", "jkp/a.csv", "v1")):
        pass
