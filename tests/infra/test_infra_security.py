"""Encryption, TLS-only access, public access, retention and least privilege, one by one."""

from __future__ import annotations

import json
import secrets
import string
from typing import Any

import pytest
from infra_support import Synthesized, as_list, logical_id, role_statements, statements

from sikas_constructs.security import HMAC_KEY_LENGTH
from sikas_constructs.storage import planned_tables
from sikas_sync.adapters.secrets import hmac_key
from sikas_sync.operations.erase_wiring import ERASE_FUNCTION
from sikas_sync.resources import resource_plan

PLAN = resource_plan()
KEY_ARN = {"Fn::GetAtt": ["DataKey", "Arn"]}
XRAY = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def _denies_insecure_transport(statement: dict[str, Any]) -> bool:
    return statement["Effect"] == "Deny" and statement.get("Condition") == {
        "Bool": {"aws:SecureTransport": "false"}
    }


def test_one_customer_managed_key_with_rotation(synthesized: Synthesized) -> None:
    keys = synthesized.of_type("AWS::KMS::Key")
    assert list(keys) == ["DataKey"]
    key = keys["DataKey"]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"


def test_key_policy_lets_logs_use_it_for_the_function_log_groups_only(synthesized: Synthesized) -> None:
    policy = synthesized.resources["DataKey"]["Properties"]["KeyPolicy"]
    (logs,) = [s for s in statements(policy) if s.get("Sid") == "CloudWatchLogsForTheFunctionLogGroups"]
    arns = logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]
    names = {arn["Fn::Join"][1][-1].split("log-group:")[1] for arn in arns}
    functions = [
        *(plan.function for plan in PLAN.ingest),
        PLAN.delivery.function,
        *(scheduled.function for scheduled in PLAN.scheduled),
        ERASE_FUNCTION,
    ]
    # The functions' groups and the audit trail's, nothing else.
    assert names == {PLAN.log_group_name(f) for f in functions} | {PLAN.trail_log_group_name}
    (s3,) = [s for s in statements(policy) if s.get("Sid") == "S3NotificationsIntoEncryptedQueues"]
    assert s3["Principal"] == {"Service": "s3.amazonaws.com"}
    assert set(s3["Action"]) == {"kms:GenerateDataKey", "kms:Decrypt"}
    # Only S3 acting for a bucket of this account (confused-deputy guard).
    assert s3["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def test_every_queue_is_kms_encrypted_and_tls_only(synthesized: Synthesized) -> None:
    queues = synthesized.of_type("AWS::SQS::Queue")
    assert len(queues) == 2 * (len(PLAN.ingest) + 1) + 1  # and the scheduled functions' failures queue
    tls_only = {
        logical_id(queue)
        for policy in synthesized.of_type("AWS::SQS::QueuePolicy").values()
        if any(_denies_insecure_transport(s) for s in statements(policy["Properties"]["PolicyDocument"]))
        for queue in policy["Properties"]["Queues"]
    }
    for queue_id, queue in queues.items():
        assert queue["Properties"]["KmsMasterKeyId"] == KEY_ARN, queue_id
        assert queue_id in tls_only, queue_id


def test_s3_may_notify_each_ingest_queue_from_the_inbox_only(synthesized: Synthesized) -> None:
    queues = synthesized.by_plan_name("AWS::SQS::Queue")
    ingest_ids = {queues[plan.queue.name][0] for plan in PLAN.ingest}
    allowed: set[str] = set()
    for policy in synthesized.of_type("AWS::SQS::QueuePolicy").values():
        for statement in statements(policy["Properties"]["PolicyDocument"]):
            if statement["Effect"] == "Allow" and statement["Principal"] == {"Service": "s3.amazonaws.com"}:
                assert statement["Condition"] == {
                    "ArnLike": {"aws:SourceArn": {"Fn::GetAtt": ["InboxBucket", "Arn"]}},
                    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                }
                allowed.add(logical_id(statement["Resource"]))
    assert allowed == ingest_ids


def _bucket_policy(synthesized: Synthesized, bucket_id: str) -> list[dict[str, Any]]:
    (policy,) = [
        p
        for p in synthesized.of_type("AWS::S3::BucketPolicy").values()
        if logical_id(p["Properties"]["Bucket"]) == bucket_id
    ]
    return list(statements(policy["Properties"]["PolicyDocument"]))


BLOCK_ALL = {
    "BlockPublicAcls": True,
    "BlockPublicPolicy": True,
    "IgnorePublicAcls": True,
    "RestrictPublicBuckets": True,
}


def test_inbox_bucket(synthesized: Synthesized) -> None:
    bucket = synthesized.resources["InboxBucket"]
    properties = bucket["Properties"]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert properties["PublicAccessBlockConfiguration"] == BLOCK_ALL
    (encryption,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": KEY_ARN,
    }
    assert properties["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": "InboxAccessLogs"}
    assert bucket["DeletionPolicy"] == "Retain"
    assert any(_denies_insecure_transport(s) for s in _bucket_policy(synthesized, "InboxBucket"))


def test_access_log_bucket(synthesized: Synthesized) -> None:
    bucket = synthesized.resources["InboxAccessLogs"]
    properties = bucket["Properties"]
    (encryption,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    # S3 server access logs cannot be delivered to a bucket encrypted with SSE-KMS.
    assert encryption["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert properties["PublicAccessBlockConfiguration"] == BLOCK_ALL
    assert bucket["DeletionPolicy"] == "Retain"
    policy = _bucket_policy(synthesized, "InboxAccessLogs")
    assert any(_denies_insecure_transport(s) for s in policy)
    deliveries = [s for s in policy if s["Effect"] == "Allow"]
    assert {s["Principal"]["Service"] for s in deliveries} == {"logging.s3.amazonaws.com"}
    # S3 may deliver the logs of the inbox and of the audit trail's bucket, each from its own bucket.
    assert {logical_id(s["Condition"]["ArnLike"]["aws:SourceArn"]) for s in deliveries} == {
        "InboxBucket",
        "AuditTrailBucket",
    }


@pytest.mark.parametrize("field", sorted(planned_tables(PLAN)))
def test_tables(synthesized: Synthesized, field: str) -> None:
    plan = planned_tables(PLAN)[field]
    _, table = synthesized.by_plan_name("AWS::DynamoDB::Table")[plan.name]
    properties = table["Properties"]
    assert properties["KeySchema"] == [{"AttributeName": plan.partition_key, "KeyType": "HASH"}]
    expected = [{"AttributeName": plan.partition_key, "AttributeType": "S"}]
    for index in plan.indexes:
        expected += [
            {"AttributeName": index.partition_key, "AttributeType": "S"},
            {"AttributeName": index.sort_key, "AttributeType": "N"},
        ]
    assert sorted(properties["AttributeDefinitions"], key=str) == sorted(
        [dict(t) for t in {tuple(d.items()) for d in expected}], key=str
    )
    indexes = {i["IndexName"]: i for i in properties.get("GlobalSecondaryIndexes", [])}
    assert set(indexes) == {index.name for index in plan.indexes}
    for index in plan.indexes:
        assert indexes[index.name]["KeySchema"] == [
            {"AttributeName": index.partition_key, "KeyType": "HASH"},
            {"AttributeName": index.sort_key, "KeyType": "RANGE"},
        ]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": KEY_ARN}
    if plan.ttl_attribute:
        assert properties["TimeToLiveSpecification"] == {"AttributeName": plan.ttl_attribute, "Enabled": True}
    else:
        assert "TimeToLiveSpecification" not in properties
    assert table["DeletionPolicy"] == "Retain"


def test_the_files_ledger_expires(synthesized: Synthesized) -> None:
    _, files = synthesized.by_plan_name("AWS::DynamoDB::Table")[PLAN.files_table.name]
    assert files["Properties"]["TimeToLiveSpecification"]["AttributeName"] == "expires_at"


def test_secrets(synthesized: Synthesized) -> None:
    hmac = synthesized.resources["RecordIdKeySecret"]["Properties"]
    assert hmac["Name"] == PLAN.hmac_secret_name
    assert hmac["KmsKeyId"] == KEY_ARN
    assert hmac["GenerateSecretString"] == {
        "PasswordLength": HMAC_KEY_LENGTH,
        "ExcludePunctuation": True,
        "IncludeSpace": False,
    }
    ministry = synthesized.resources["MinistryClientSecret"]["Properties"]
    assert ministry["Name"] == PLAN.ministry_secret_name
    assert ministry["KmsKeyId"] == KEY_ARN
    generated = ministry["GenerateSecretString"]
    assert set(json.loads(generated["SecretStringTemplate"])) == {"client_id"}
    assert generated["GenerateStringKey"] == "client_secret"
    for logical in ("RecordIdKeySecret", "MinistryClientSecret"):
        assert synthesized.resources[logical]["DeletionPolicy"] == "Retain"


class _FixedSecret:
    def __init__(self, value: str) -> None:
        self.value = value

    def get(self, name: str, max_age: int) -> str:
        return self.value


def test_a_generated_hmac_key_is_what_the_function_accepts() -> None:
    # What Secrets Manager generates without punctuation: letters and digits only.
    generated = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(HMAC_KEY_LENGTH))
    key = hmac_key(_FixedSecret(generated), "sikas-sync/record-id-key")  # type: ignore[arg-type]
    assert len(key) == HMAC_KEY_LENGTH * 3 // 4 >= 32


def test_function_log_groups(synthesized: Synthesized) -> None:
    groups = synthesized.of_type("AWS::Logs::LogGroup")
    functions = synthesized.by_plan_name("AWS::Lambda::Function")
    assert len(groups) == len(functions) + 1  # and the audit trail's (test_infra_audit.py)
    for name, (_, function) in functions.items():
        group_id = logical_id(function["Properties"]["LoggingConfig"]["LogGroup"])
        group = groups[group_id]
        assert group["Properties"]["LogGroupName"] == f"/aws/lambda/sikas-sync-12-09-{name}"
        assert group["Properties"]["KmsKeyId"] == KEY_ARN
        assert group["Properties"]["RetentionInDays"] == 365
        assert group["DeletionPolicy"] == "Retain"


def _identity_statements(synthesized: Synthesized) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for policy_id, policy in synthesized.of_type("AWS::IAM::Policy").items():
        found += [(policy_id, s) for s in statements(policy["Properties"]["PolicyDocument"])]
    for role_id, role in synthesized.of_type("AWS::IAM::Role").items():
        for inline in role["Properties"].get("Policies", []):
            found += [(role_id, s) for s in statements(inline["PolicyDocument"])]
    return found


def test_no_resource_star_but_x_ray_and_each_acknowledged(synthesized: Synthesized) -> None:
    acknowledged = synthesized.acknowledgments()
    path_of = {lid: r["Metadata"]["aws:cdk:path"] for lid, r in synthesized.resources.items()}
    star = [(pid, s) for pid, s in _identity_statements(synthesized) if "*" in as_list(s["Resource"])]
    functions = len(PLAN.ingest) + 1 + len(PLAN.scheduled) + 1  # ingest, push, scheduled, erase
    assert len(star) == functions, "one X-Ray statement per function role"
    for policy_id, statement in star:
        assert set(as_list(statement["Action"])) == XRAY, statement
        path = path_of[policy_id]
        owners = [p for p in acknowledged if path.startswith(p + "/")]
        assert any("AwsSolutions::AwsSolutions-IAM5[Resource::*]" in acknowledged[p] for p in owners), path


def test_no_managed_policies_but_on_the_cdk_notifications_handler(synthesized: Synthesized) -> None:
    managed = {
        role_id
        for role_id, role in synthesized.of_type("AWS::IAM::Role").items()
        if role["Properties"].get("ManagedPolicyArns")
    }
    assert len(managed) == 1
    assert next(iter(managed)).startswith("BucketNotificationsHandler")


def test_function_roles_log_only_to_their_own_group(synthesized: Synthesized) -> None:
    for name, (_, function) in synthesized.by_plan_name("AWS::Lambda::Function").items():
        role_id = logical_id(function["Properties"]["Role"])
        group_id = logical_id(function["Properties"]["LoggingConfig"]["LogGroup"])
        logs = [
            s
            for pid, s in _identity_statements(synthesized)
            if any(str(a).startswith("logs:") for a in as_list(s["Action"]))
            and {"Ref": role_id} in synthesized.resources[pid]["Properties"].get("Roles", [])
        ]
        assert [s["Resource"] for s in logs] == [{"Fn::GetAtt": [group_id, "Arn"]}], name


def test_data_key_use_goes_through_the_services_only(synthesized: Synthesized) -> None:
    for policy_id, statement in _identity_statements(synthesized):
        actions = {str(a) for a in as_list(statement["Action"])}
        if statement.get("Sid") == "UseDataKeyThroughServices":
            assert actions == {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}
            assert "kms:ViaService" in statement["Condition"]["StringEquals"]
        elif statement.get("Sid") == "EncryptFailedRunThroughSqs":  # into the failures queue
            assert actions == {"kms:Decrypt", "kms:GenerateDataKey"}
            assert "kms:ViaService" in statement["Condition"]["StringEquals"]
        elif any(a.startswith("kms:") for a in actions):
            # The SQS event source's own grant: decrypting what it receives.
            assert actions == {"kms:Decrypt"}, policy_id
            assert statement["Resource"] == KEY_ARN


def test_each_function_lists_only_the_prefixes_it_reads(synthesized: Synthesized) -> None:
    """s3:ListBucket tells a missing object from a forbidden one: each role may list the keys it
    reads only; the sweep alone lists the whole bucket (it looks for exports under any prefix)."""
    listing: dict[str, list[Any]] = {}
    for name in synthesized.by_plan_name("AWS::Lambda::Function"):
        for statement in role_statements(synthesized, name):
            if "s3:ListBucket" in as_list(statement["Action"]):
                listing.setdefault(name, []).append(statement.get("Condition"))
    expected: dict[str, list[Any]] = {
        plan.function.name: [{"StringLike": {"s3:prefix": [plan.prefix + "*"]}}] for plan in PLAN.ingest
    }
    expected[PLAN.outbox.function.name] = [{"StringLike": {"s3:prefix": ["outbox/results/*"]}}]
    expected[PLAN.sweep.function.name] = [None]
    assert listing == expected
