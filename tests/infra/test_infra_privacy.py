"""Issue 5 in the template: ingest confined to its domain's records (LeadingKeys), retention by
lifecycle rules (configurable by context), the CloudTrail audit trail, the erase function's role."""

from __future__ import annotations

import dataclasses
import json
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Template
from infra_support import ROOT, Synthesized, as_list, logical_id, role_statements, statements, synthesize

from app import cdk_json_context
from sikas_constructs.ingest import own_records
from sikas_constructs.retention import CONTEXT_PREFIX, Retention
from sikas_constructs.storage import Inbox
from sikas_stack import DeploymentSettings, SettingsError
from sikas_sync.adapters.dynamodb_records import record_pk
from sikas_sync.operations.erase import AUDIT_PREFIX
from sikas_sync.resources import (
    OUTBOX_PREFIX,
    QUARANTINE_PREFIX,
    RECONCILIATION_PREFIX,
    REPORTS_PREFIX,
    SMDATA_PREFIX,
    resource_plan,
)

PLAN = resource_plan()
KEY_ARN = {"Fn::GetAtt": ["DataKey", "Arn"]}


def _on_table(statement: dict[str, Any], table_id: str) -> bool:
    return {"Fn::GetAtt": [table_id, "Arn"]} in as_list(statement["Resource"])


# -- least privilege: an ingest function writes its own domain's records only --------------------


@pytest.mark.parametrize("plan", PLAN.ingest, ids=lambda p: p.domain)
def test_ingest_reaches_only_its_own_domain_s_records_items(synthesized: Synthesized, plan: Any) -> None:
    policy = role_statements(synthesized, plan.function.name)
    (records,) = [s for s in policy if _on_table(s, "RecordsTable")]
    assert records["Resource"] == {"Fn::GetAtt": ["RecordsTable", "Arn"]}
    condition = records["Condition"]
    assert condition == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [own_records(plan.domain)]}}
    assert {"dynamodb:Scan", "dynamodb:Query"}.isdisjoint(as_list(records["Action"]))
    (pattern,) = condition["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
    # The pattern admits the keys the adapters write for this domain, and no other domain's.
    assert fnmatchcase(record_pk(plan.domain, "0123456789abcdef0123456789abcdef"), pattern)
    for other in PLAN.ingest:
        if other.domain != plan.domain:
            assert not fnmatchcase(record_pk(other.domain, "0123456789abcdef"), pattern), other.domain
    # The files ledger is keyed bucket/key#version: its grant stands apart, without the condition.
    (files,) = [s for s in policy if _on_table(s, "FilesTable")]
    assert files["Resource"] == {"Fn::GetAtt": ["FilesTable", "Arn"]}
    assert "Condition" not in files


# -- retention --------------------------------------------------------------------------------------


def _rules(synthesized: Synthesized, bucket_id: str) -> dict[str, dict[str, Any]]:
    rules = synthesized.resources[bucket_id]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert all(rule["Status"] == "Enabled" for rule in rules)
    return {rule["Id"]: rule for rule in rules}


def _expiring_prefixes(rules: dict[str, dict[str, Any]]) -> dict[str, tuple[int, int]]:
    return {
        rule["Prefix"]: (rule["ExpirationInDays"], rule["NoncurrentVersionExpiration"]["NoncurrentDays"])
        for rule in rules.values()
        if "Prefix" in rule
    }


def test_inbox_objects_expire_by_prefix_with_the_documented_defaults(synthesized: Synthesized) -> None:
    rules = _rules(synthesized, "InboxBucket")
    assert _expiring_prefixes(rules) == {
        **{ingest.prefix: (90, 30) for ingest in PLAN.ingest},  # raw uploads: the records stay in DynamoDB
        REPORTS_PREFIX: (180, 30),
        QUARANTINE_PREFIX: (180, 30),  # rejected rows, personal data included
        RECONCILIATION_PREFIX: (365, 30),
        SMDATA_PREFIX: (730, 30),
        OUTBOX_PREFIX: (30, 30),  # NIKs in clear for SIKAS: fetched daily, gone after a month
    }
    assert rules["AbortIncompleteUploads"] == {
        "Id": "AbortIncompleteUploads",
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 3},
        "Status": "Enabled",
    }
    assert rules["RemoveExpiredDeleteMarkers"]["ExpiredObjectDeleteMarker"] is True
    # Erasure audit entries are kept: no rule reaches audit/.
    assert not any(AUDIT_PREFIX.startswith(rule.get("Prefix", "\0")) for rule in rules.values())


@pytest.mark.parametrize(("bucket_id", "days"), [("InboxAccessLogs", 365), ("AuditTrailBucket", 365)])
def test_log_buckets_expire_everything(synthesized: Synthesized, bucket_id: str, days: int) -> None:
    (expire,) = [r for r in _rules(synthesized, bucket_id).values() if "ExpirationInDays" in r]
    assert "Prefix" not in expire
    assert expire["ExpirationInDays"] == days
    assert expire["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30}
    assert expire["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 3}


def test_cdk_json_carries_every_retention_default() -> None:
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    defaults = {CONTEXT_PREFIX + f.name: f.default for f in dataclasses.fields(Retention)}
    assert {k: v for k, v in context.items() if k.startswith(CONTEXT_PREFIX)} == defaults


def test_retention_comes_from_context_as_cdk_passes_it() -> None:
    context = {"retention_uploads_days": "30", "retention_quarantine_days": 60, "region_code": "12.09"}
    settings = DeploymentSettings.from_context(context.get)
    assert settings.retention == Retention(uploads_days=30, quarantine_days=60)
    for bad in ("0", "-5", "ninety", "1.5"):
        with pytest.raises(SettingsError, match="retention_uploads_days"):
            DeploymentSettings.from_context({"retention_uploads_days": bad}.get)


def test_a_retention_from_context_reaches_the_lifecycle_rules() -> None:
    stack = Stack(App(context=cdk_json_context()), "RetentionOnly")
    retention = Retention(uploads_days=45, noncurrent_days=7, quarantine_days=20, incomplete_upload_days=1)
    Inbox(stack, "Inbox", key=kms.Key(stack, "Key"), retention=retention, domain_prefixes=["jkp/"])
    template = Template.from_stack(stack).to_json()
    rules = {
        r["Id"]: r
        for r in template["Resources"]["InboxBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    }
    assert _expiring_prefixes(rules)["jkp/"] == (45, 7)
    assert _expiring_prefixes(rules)[QUARANTINE_PREFIX] == (20, 7)
    assert rules["AbortIncompleteUploads"]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}


# -- the audit trail ------------------------------------------------------------------------------------


def test_cloudtrail_records_who_touched_the_inbox_and_who_invoked_erase(synthesized: Synthesized) -> None:
    trail = synthesized.resources["AuditTrail"]["Properties"]
    assert trail["IsLogging"] is True
    assert trail["EnableLogFileValidation"] is True
    assert trail["KMSKeyId"] == KEY_ARN
    assert trail["S3BucketName"] == {"Ref": "AuditTrailBucket"}
    # Data events of this region's inbox and erase function only: management events are the account
    # trail's, not a paid copy per regency.
    assert trail["IsMultiRegionTrail"] is False
    assert trail["IncludeGlobalServiceEvents"] is False
    data = {
        selector["DataResources"][0]["Type"]: selector
        for selector in trail["EventSelectors"]
        if selector.get("DataResources")
    }
    inbox = data["AWS::S3::Object"]
    assert inbox["ReadWriteType"] == "All"  # puts and reads of exports
    (objects,) = inbox["DataResources"][0]["Values"]
    assert objects == {"Fn::Join": ["", [{"Fn::GetAtt": ["InboxBucket", "Arn"]}, "/"]]}
    erase_id, _ = synthesized.by_plan_name("AWS::Lambda::Function")["erase"]
    assert data["AWS::Lambda::Function"]["DataResources"][0]["Values"] == [{"Fn::GetAtt": [erase_id, "Arn"]}]
    assert all(s["IncludeManagementEvents"] is False for s in trail["EventSelectors"])
    assert all(s.get("DataResources") for s in trail["EventSelectors"])
    group_id = logical_id(trail["CloudWatchLogsLogGroupArn"])
    group = synthesized.resources[group_id]["Properties"]
    assert group["LogGroupName"] == "/sikas-sync-12-09/audit-trail"
    assert group["KmsKeyId"] == KEY_ARN


def test_with_the_accounts_trail_the_stack_makes_none_and_says_what_to_record(
    stub_layers: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    existing = synthesize(stub_layers, tmp_path_factory.mktemp("cdk.out.trail"), audit_trail="existing")
    assert existing.of_type("AWS::CloudTrail::Trail") == {}
    assert "AuditTrailBucket" not in existing.resources
    names = {r["Properties"]["LogGroupName"] for r in existing.of_type("AWS::Logs::LogGroup").values()}
    assert not any(name.endswith("/audit-trail") for name in names)
    outputs = existing.template["Outputs"]
    assert outputs["AuditInboxObjectsArn"]["Value"] == {
        "Fn::Join": ["", [{"Fn::GetAtt": ["InboxBucket", "Arn"]}, "/"]]
    }
    erase_id, _ = existing.by_plan_name("AWS::Lambda::Function")["erase"]
    assert outputs["AuditEraseFunctionArn"]["Value"] == {"Fn::GetAtt": [erase_id, "Arn"]}


def test_an_unknown_audit_trail_choice_is_refused() -> None:
    with pytest.raises(SettingsError, match="audit_trail 'both' must be one of own, existing"):
        DeploymentSettings.from_context({"audit_trail": "both"}.get)


def test_the_trail_bucket_is_private_encrypted_and_logged(synthesized: Synthesized) -> None:
    bucket = synthesized.resources["AuditTrailBucket"]
    properties = bucket["Properties"]
    (encryption,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": KEY_ARN,
    }
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert all(properties["PublicAccessBlockConfiguration"].values())
    assert properties["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": "InboxAccessLogs"}
    assert bucket["DeletionPolicy"] == "Retain"
    (policy,) = [
        p["Properties"]["PolicyDocument"]
        for p in synthesized.of_type("AWS::S3::BucketPolicy").values()
        if logical_id(p["Properties"]["Bucket"]) == "AuditTrailBucket"
    ]
    found = list(statements(policy))
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in found
    )
    writers = {s["Principal"]["Service"] for s in found if s["Effect"] == "Allow"}
    assert writers == {"cloudtrail.amazonaws.com"}


def test_the_key_lets_cloudtrail_encrypt_for_this_trail_only(synthesized: Synthesized) -> None:
    policy = synthesized.resources["DataKey"]["Properties"]["KeyPolicy"]
    found = {s.get("Sid"): s for s in statements(policy)}
    encrypt, describe = found["CloudTrailEncryptsItsLogFiles"], found["CloudTrailDescribesTheKey"]
    assert encrypt["Principal"] == describe["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert encrypt["Action"] == "kms:GenerateDataKey*"
    assert describe["Action"] == "kms:DescribeKey"
    trail_name = synthesized.resources["AuditTrail"]["Properties"]["TrailName"]
    for statement in (encrypt, describe):
        source = json.dumps(statement["Condition"]["StringEquals"]["aws:SourceArn"])
        assert f":trail/{trail_name}" in source


# -- the erase function ------------------------------------------------------------------------------


def test_the_erase_role_may_find_delete_and_audit_nothing_more(synthesized: Synthesized) -> None:
    policy = role_statements(synthesized, "erase")
    by_sid = {s.get("Sid"): s for s in policy}
    # A person's records through the by_person index (a keyed HMAC of the NIK), never a Scan.
    find = by_sid["FindPersonRecords"]
    assert as_list(find["Action"]) == ["dynamodb:Query"]
    assert find["Resource"] == {
        "Fn::Join": ["", [{"Fn::GetAtt": ["RecordsTable", "Arn"]}, "/index/by_person"]]
    }
    records = by_sid["DeleteRecords"]
    assert as_list(records["Action"]) == ["dynamodb:DeleteItem"]
    assert records["Resource"] == {"Fn::GetAtt": ["RecordsTable", "Arn"]}
    deliveries = by_sid["DeleteDeliveryStates"]
    assert as_list(deliveries["Action"]) == ["dynamodb:DeleteItem"]
    assert deliveries["Resource"] == {"Fn::GetAtt": ["DeliveriesTable", "Arn"]}
    audit = by_sid["WriteErasureAudit"]
    assert as_list(audit["Action"]) == ["s3:PutObject"]
    assert audit["Resource"] == {
        "Fn::Join": ["", [{"Fn::GetAtt": ["InboxBucket", "Arn"]}, "/" + AUDIT_PREFIX + "*"]]
    }
    secrets = {
        s["Resource"]["Ref"] for s in policy if "secretsmanager:GetSecretValue" in as_list(s["Action"])
    }
    assert secrets == {"MinistryClientSecret", "RecordIdKeySecret"}
    # Its own lease aside (one erasure at a time, test_infra_concurrency.py), it writes nothing else.
    actions = {str(a) for s in policy if s.get("Sid") != "TakeOwnLease" for a in as_list(s["Action"])}
    assert not {
        a for a in actions if a.startswith(("sqs:", "s3:Get", "s3:List", "dynamodb:Put", "dynamodb:Update"))
    }
    assert not any(s for s in policy if _on_table(s, "FilesTable"))


def test_the_erase_function_logs_no_event(synthesized: Synthesized) -> None:
    _, function = synthesized.by_plan_name("AWS::Lambda::Function")["erase"]
    env = function["Properties"]["Environment"]["Variables"]
    assert env["POWERTOOLS_LOGGER_LOG_EVENT"] == "false"  # its event holds a NIK
    assert env["MINISTRY_SECRET_NAME"] == PLAN.ministry_secret_name
    source = (ROOT / "functions" / "erase" / "handler.py").read_text()
    assert "log_event=False" in source
    assert "capture_response=False" in source


def _readers(synthesized: Synthesized, secret_id: str) -> set[str]:
    """Plan names of the functions whose role may read the secret."""
    return {
        name
        for name in synthesized.by_plan_name("AWS::Lambda::Function")
        if any(
            "secretsmanager:GetSecretValue" in as_list(s["Action"]) and s["Resource"] == {"Ref": secret_id}
            for s in role_statements(synthesized, name)
        )
    }


def test_each_secret_is_readable_by_the_functions_that_use_it_only(synthesized: Synthesized) -> None:
    # A new reader is a decision to review here (SECURITY.md, "Secrets"), not a side effect.
    assert _readers(synthesized, "MinistryClientSecret") == {"push", "reconcile", "report", "erase"}
    assert _readers(synthesized, "RecordIdKeySecret") == {
        *(plan.function.name for plan in PLAN.ingest),
        "sweep",  # rejects stray exports through the ingest use case
        "reconcile",  # recognises the ministry's copies of SIKAS records
        "erase",  # computes a NIK's record id
    }
