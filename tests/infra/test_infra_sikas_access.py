"""The SIKAS principal's policy: PutObject under the domain prefixes, GetObject and ListBucket on
`outbox/` only, the data key only through S3; with `sikas_principal_arn`, a role holding just that.

Built on a small stack of its own (a key and a bucket named as the app names them), so the policy is
asserted statement by statement whatever the rest of the app does; cdk-nag runs on it as in the app.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from infra_support import as_list, statements

from sikas_constructs.nag import add_checks
from sikas_constructs.naming import pin_logical_id
from sikas_constructs.sikas_access import SikasAccess, SikasAccessError
from sikas_constructs.storage import INBOX_BUCKET_LOGICAL_ID
from sikas_sync.resources import resource_plan

PLAN = resource_plan()
PREFIXES = [ingest.prefix for ingest in PLAN.ingest]
BUCKET_ARN = {"Fn::GetAtt": [INBOX_BUCKET_LOGICAL_ID, "Arn"]}
KEY_ARN = {"Fn::GetAtt": ["DataKey", "Arn"]}
SIKAS_ROLE = "arn:aws:iam::111122223333:role/sikas-uploader"


def _objects(pattern: str) -> dict[str, Any]:
    return {"Fn::Join": ["", [BUCKET_ARN, f"/{pattern}"]]}


def _synth(tmp_path: Path, **context: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The template and cdk-nag's validation report of a stack with just the bucket, key and access."""
    app = App(context=context, outdir=str(tmp_path))
    stack = Stack(app, "Access")
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    pin_logical_id(key, "DataKey")
    bucket = s3.Bucket(
        stack,
        "Bucket",
        encryption=s3.BucketEncryption.KMS,
        encryption_key=key,
        enforce_ssl=True,
        versioned=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        server_access_logs_prefix="logs/",
    )
    pin_logical_id(bucket, INBOX_BUCKET_LOGICAL_ID)
    SikasAccess(stack, "SikasAccess", bucket=bucket, key=key, domain_prefixes=PREFIXES)
    add_checks(app)
    assembly = app.synth()
    template = assembly.get_stack_by_name("Access").template
    report = json.loads((tmp_path / "validation-report.json").read_text())
    return template, report


@pytest.fixture(scope="module")
def without_role(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    return _synth(tmp_path_factory.mktemp("access"))


@pytest.fixture(scope="module")
def with_role(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    return _synth(
        tmp_path_factory.mktemp("access-role"), sikas_principal_arn=SIKAS_ROLE, sikas_external_id="asahan-7"
    )


def _of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def _policy_statements(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (policy,) = _of_type(template, "AWS::IAM::ManagedPolicy").values()
    return {s["Sid"]: s for s in statements(policy["Properties"]["PolicyDocument"])}


def test_the_policy_allows_exactly_four_things(without_role: tuple[dict[str, Any], dict[str, Any]]) -> None:
    found = _policy_statements(without_role[0])
    assert set(found) == {
        "PutExportsUnderDomainPrefixes",
        "ReadOutbox",
        "ListOutboxOnly",
        "UseDataKeyThroughS3",
    }
    assert all(s["Effect"] == "Allow" for s in found.values())
    actions = {sid: as_list(s["Action"]) for sid, s in found.items()}
    assert actions == {
        "PutExportsUnderDomainPrefixes": ["s3:PutObject"],
        "ReadOutbox": ["s3:GetObject"],
        "ListOutboxOnly": ["s3:ListBucket"],
        "UseDataKeyThroughS3": ["kms:GenerateDataKey", "kms:Decrypt"],
    }
    assert not any("*" in action for listed in actions.values() for action in listed)


def test_put_only_under_the_nine_domain_prefixes(without_role: tuple[dict[str, Any], dict[str, Any]]) -> None:
    put = _policy_statements(without_role[0])["PutExportsUnderDomainPrefixes"]
    assert as_list(put["Resource"]) == [_objects(f"{prefix}*") for prefix in PREFIXES]
    assert len(PREFIXES) == 9
    assert "Condition" not in put


def test_read_and_list_only_the_outbox(without_role: tuple[dict[str, Any], dict[str, Any]]) -> None:
    found = _policy_statements(without_role[0])
    assert as_list(found["ReadOutbox"]["Resource"]) == [_objects("outbox/*")]
    listing = found["ListOutboxOnly"]
    assert as_list(listing["Resource"]) == [BUCKET_ARN]
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["outbox/", "outbox/*"]}}


def test_the_data_key_only_through_s3_for_this_bucket(
    without_role: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    kms_use = _policy_statements(without_role[0])["UseDataKeyThroughS3"]
    assert as_list(kms_use["Resource"]) == [KEY_ARN]
    assert kms_use["Condition"] == {
        "StringEquals": {
            "kms:ViaService": {"Fn::Join": ["", ["s3.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}
        },
        "StringLike": {"kms:EncryptionContext:aws:s3:arn": [BUCKET_ARN, _objects("*")]},
    }


def test_without_a_principal_there_is_no_role(without_role: tuple[dict[str, Any], dict[str, Any]]) -> None:
    assert _of_type(without_role[0], "AWS::IAM::Role") == {}
    assert _of_type(without_role[0], "AWS::IAM::Policy") == {}  # no inline grants anywhere


def test_the_role_trusts_only_the_configured_principal(
    with_role: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    template = with_role[0]
    (role,) = _of_type(template, "AWS::IAM::Role").values()
    (policy_id,) = _of_type(template, "AWS::IAM::ManagedPolicy")
    properties = role["Properties"]
    (trust,) = properties["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"AWS": SIKAS_ROLE}
    assert trust["Action"] == "sts:AssumeRole"
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": "asahan-7"}}
    assert properties["ManagedPolicyArns"] == [{"Ref": policy_id}]  # that policy, nothing else
    assert "Policies" not in properties
    assert properties["MaxSessionDuration"] == 3600
    assert _of_type(template, "AWS::IAM::Policy") == {}


@pytest.mark.parametrize("fixture", ["without_role", "with_role"])
def test_cdk_nag_finds_nothing_unacknowledged_and_every_acknowledgement_is_used(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    report = request.getfixturevalue(fixture)[1]
    for plugin in report["pluginReports"]:
        assert plugin["violations"] == [], plugin["pluginName"]
    suppressed = {
        violation["acknowledgedId"]
        for plugin in report["pluginReports"]
        for violation in plugin["suppressedViolations"]
        if any("/SikasAccess/" in c["constructPath"] for c in violation["violatingConstructs"])
    }
    expected = {f"AwsSolutions::AwsSolutions-IAM5[Resource::<InboxBucket.Arn>/{p}*]" for p in PREFIXES}
    expected.add("AwsSolutions::AwsSolutions-IAM5[Resource::<InboxBucket.Arn>/outbox/*]")
    assert suppressed == expected


@pytest.mark.parametrize(
    ("context", "problem"),
    [
        ({"sikas_principal_arn": "sikas"}, "not an IAM role"),
        ({"sikas_principal_arn": "arn:aws:iam::123:role/x"}, "not an IAM role"),
    ],
)
def test_a_malformed_principal_fails_the_synthesis(
    tmp_path: Path, context: dict[str, str], problem: str
) -> None:
    with pytest.raises(SikasAccessError, match=problem):
        _synth(tmp_path, **context)
