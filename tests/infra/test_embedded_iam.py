"""The embedded stack with IAM enforced: every function on its own role, taken from the template.

moto's IAM authentication is on and each function runs with the credentials of a role that has
exactly the identity policies the synthesized template gives that function (sikas_sync.embedded
.iam; conditions aside, which moto cannot evaluate: asserted on the template by the other tests).
A permission the CDK app forgot fails here as it would fail on AWS at the first upload.
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from infra_support import Synthesized

from concurrent_uploads import two_uploads_at_once
from exports import sample_export
from sikas_sync.domains import DOMAINS
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.resources import REPORTS_PREFIX

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")


@pytest.fixture
def template(synthesized: Synthesized) -> dict[str, Any]:
    return copy.deepcopy(synthesized.template)


@pytest.fixture
def stack(template: dict[str, Any]) -> Iterator[EmbeddedStack]:
    with EmbeddedStack(log=io.StringIO(), iam_template=template) as started:
        yield started


def _errors(stack: EmbeddedStack) -> dict[str, int]:
    assert stack.dispatcher is not None
    return {name: stats.errors for name, stats in stack.dispatcher.stats.items() if stats.errors}


def test_every_function_does_its_whole_job_with_only_its_own_role(
    stack: EmbeddedStack, tmp_path: Path
) -> None:
    exports = {
        d.slug: sample_export(tmp_path, 40, seed=91, invalid_ratio=0.1, domain=d.slug) for d in DOMAINS
    }
    for slug, export in exports.items():
        stack.upload(export.write(tmp_path / f"{slug}.csv"), f"{slug}/{slug}_2026-11.csv")
    stack.upload(exports["jkp"].write(tmp_path / "stray.csv"), "lain/tersesat.csv")  # for the sweep

    assert stack.run_ingest(timeout_s=120)
    assert stack.run_delivery(timeout_s=120)
    results = {name: stack.run_scheduled(name) for name in stack.scheduled}
    nik = exports["pencari_kerja"].valid_niks()[0]
    erased = stack.invoke("erase", {"domain": "pencari_kerja", "nik": nik, "requested_by": "uji-iam"})

    assert _errors(stack) == {}  # no AccessDenied anywhere
    assert [name for name, result in results.items() if result is None] == []  # no scheduled run failed
    assert results["sweep"]["stray_files"] == 1
    assert erased["status"] == "complete"
    assert [record["here"] for record in erased["records"]] == ["deleted"]
    states = stack.delivery_states()
    assert set(states) <= {"delivered", "rejected_by_ministry"}
    assert sum(states.values()) > 9 * 30
    assert stack.dead_lettered() == 0
    stray_report = stack.clients["s3"].get_object(
        Bucket=stack.bucket, Key=f"{REPORTS_PREFIX}lain/tersesat.csv.json"
    )
    assert json.loads(stray_report["Body"].read())["reason_code"] == "prefix_unknown"


def test_two_uploads_of_one_domain_at_once_under_iam(stack: EmbeddedStack, tmp_path: Path) -> None:
    two_uploads_at_once(stack, tmp_path)


def test_a_function_cannot_read_another_domains_exports(stack: EmbeddedStack, tmp_path: Path) -> None:
    stack.upload(sample_export(tmp_path, 3, seed=5).write(tmp_path / "a.csv"), "pencari_kerja/a.csv")
    own = stack.client_as("ingest-pencari_kerja", "s3")
    other = stack.client_as("ingest-jkp", "s3")
    assert own.get_object(Bucket=stack.bucket, Key="pencari_kerja/a.csv")["ContentLength"] > 0
    with pytest.raises(ClientError) as denied:
        other.get_object(Bucket=stack.bucket, Key="pencari_kerja/a.csv")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"


def test_a_permission_missing_from_the_template_fails_the_function(
    template: dict[str, Any], tmp_path: Path
) -> None:
    # Take the records table away from pencari_kerja's ingest role, as a forgotten grant would.
    (role,) = [
        r["Properties"]["Role"]["Fn::GetAtt"][0]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function"
        and r["Properties"].get("FunctionName", "").endswith("-ingest-pencari_kerja")
    ]
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::IAM::Policy" and {"Ref": role} in resource["Properties"]["Roles"]:
            document = resource["Properties"]["PolicyDocument"]
            document["Statement"] = [
                s for s in document["Statement"] if s.get("Sid") != "ReadWriteOwnDomainRecords"
            ]

    with EmbeddedStack(log=io.StringIO(), iam_template=template) as stack:
        stack.upload(sample_export(tmp_path, 5, seed=6).write(tmp_path / "a.csv"), "pencari_kerja/a.csv")
        assert stack.run_ingest(timeout_s=3) is False  # the message waits for its retry, as on AWS
        assert _errors(stack).get("ingest-pencari_kerja", 0) >= 1
        assert stack.resources is not None
        scanned = stack.clients["dynamodb"].scan(TableName=stack.resources.records_table)
        assert scanned["Count"] == 0


def test_unknown_credentials_are_refused(stack: EmbeddedStack) -> None:
    import boto3

    stranger = boto3.client("s3", aws_access_key_id="AKIASTRANGER000000000", aws_secret_access_key="x" * 40)
    with pytest.raises(ClientError) as refused:
        stranger.list_objects_v2(Bucket=stack.bucket)
    assert refused.value.response["Error"]["Code"] in {"InvalidAccessKeyId", "InvalidClientTokenId"}
