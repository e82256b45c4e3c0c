"""The outbox in the template: the outbox function's grants, and nobody else reading `outbox/`.

The outbox holds natural keys (NIKs) in clear, readable only by SIKAS (sikas_access.py) and the
admins: of the app's own roles only the outbox function reads there (its results files, to fill in
delivery states), the sweep is denied it, and each ingest function may only write its own domain's
results files.
"""

from __future__ import annotations

from typing import Any

import pytest
from infra_support import Synthesized, as_list, logical_id, statements

from sikas_sync.resources import resource_plan

PLAN = resource_plan()
BUCKET_ARN = {"Fn::GetAtt": ["InboxBucket", "Arn"]}
READS = {"s3:GetObject", "s3:GetObjectVersion", "s3:*"}


def _objects(pattern: str) -> dict[str, Any]:
    return {"Fn::Join": ["", [BUCKET_ARN, f"/{pattern}"]]}


def _role_of(synthesized: Synthesized, name: str) -> str:
    _, function = synthesized.by_plan_name("AWS::Lambda::Function")[name]
    return logical_id(function["Properties"]["Role"])


def _role_statements(synthesized: Synthesized, role_id: str) -> list[dict[str, Any]]:
    return [
        statement
        for policy in synthesized.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in statements(policy["Properties"]["PolicyDocument"])
    ]


def _bucket_pattern(resource: Any) -> str | None:
    """`outbox/*` of `<InboxBucket.Arn>/outbox/*`; None for any other resource."""
    if isinstance(resource, dict) and "Fn::Join" in resource:
        _, parts = resource["Fn::Join"]
        if len(parts) == 2 and parts[0] == BUCKET_ARN and isinstance(parts[1], str):
            return str(parts[1]).removeprefix("/")
    return None


def _covers_outbox(pattern: str) -> bool:
    return pattern.startswith("outbox/") or "outbox/".startswith(pattern.rstrip("*"))


def test_the_outbox_function_queries_records_reads_states_and_writes_only_the_outbox(
    synthesized: Synthesized,
) -> None:
    tables = {
        name: logical_id for name, (logical_id, _) in synthesized.by_plan_name("AWS::DynamoDB::Table").items()
    }
    granted = {
        s["Sid"]: s
        for s in _role_statements(synthesized, _role_of(synthesized, "outbox"))
        # Every role's own log group and X-Ray (function.py) aside.
        if s.get("Sid") not in (None, "WriteOwnLogGroup")
    }
    simplified = {sid: (sorted(as_list(s["Action"])), as_list(s["Resource"])) for sid, s in granted.items()}

    def arn(table: str) -> dict[str, Any]:
        return {"Fn::GetAtt": [tables[table], "Arn"]}

    def index(table: str, name: str) -> dict[str, Any]:
        return {"Fn::Join": ["", [arn(table), f"/index/{name}"]]}

    # A domain's records and the uploads of the last days through their indexes; no Scan at all.
    assert simplified["ReadRecords"] == (["dynamodb:BatchGetItem"], [arn("records")])
    assert simplified["QueryDomainRecords"] == (["dynamodb:Query"], [index("records", "by_domain")])
    assert simplified["ReadDeliveryStates"] == (["dynamodb:BatchGetItem"], [arn("deliveries")])
    assert simplified["ProcessedUploadsAndWatermarks"] == (
        ["dynamodb:GetItem", "dynamodb:PutItem"],
        [arn("files")],
    )
    assert simplified["QueryUploadsByDay"] == (["dynamodb:Query"], [index("files", "by_day")])
    assert simplified["TellMissingResults"] == (["s3:ListBucket"], [BUCKET_ARN])
    assert simplified["RewriteResultsFiles"] == (["s3:GetObject"], [_objects("outbox/results/*")])
    assert simplified["WriteOutboxFiles"] == (["s3:PutObject"], [_objects("outbox/*")])
    key_use = granted["UseDataKeyThroughServices"]
    services = key_use["Condition"]["StringEquals"]["kms:ViaService"]
    assert [part["Fn::Join"][1][0] for part in services] == ["s3.", "dynamodb."]
    # A failed run goes to the scheduled functions' failures queue (its on-failure destination).
    assert simplified["SendFailedRunToFailuresQueue"][0] == ["sqs:SendMessage"]
    assert simplified["EncryptFailedRunThroughSqs"][0] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert simplified["TakeOwnLease"][0] == ["dynamodb:UpdateItem"]  # one run at a time
    assert len(granted) == 12  # nothing else: no secrets, no other queue, no ministry
    assert all(s["Effect"] == "Allow" for s in granted.values())


def test_of_the_apps_roles_only_the_outbox_function_reads_the_outbox(synthesized: Synthesized) -> None:
    outbox_role = _role_of(synthesized, "outbox")
    readers: dict[str, list[str]] = {}
    denied: set[str] = set()
    for policy in synthesized.of_type("AWS::IAM::Policy").values():
        roles = [logical_id(role) for role in policy["Properties"].get("Roles", [])]
        for statement in statements(policy["Properties"]["PolicyDocument"]):
            if not READS & set(as_list(statement["Action"])):
                continue
            patterns = [p for p in map(_bucket_pattern, as_list(statement["Resource"])) if p is not None]
            covering = [p for p in patterns if _covers_outbox(p)]
            if not covering:
                continue
            for role in roles:
                if statement["Effect"] == "Deny" and "outbox/*" in covering:
                    denied.add(role)
                elif statement["Effect"] == "Allow":
                    readers.setdefault(role, []).extend(covering)
    assert readers.pop(outbox_role) == ["outbox/results/*"]
    sweep = _role_of(synthesized, "sweep")
    assert set(readers) <= denied, "a role may read bucket/* only with an explicit deny of outbox/*"
    assert sweep in denied


def test_each_ingest_function_may_write_its_own_domains_results_files(synthesized: Synthesized) -> None:
    for ingest in PLAN.ingest:
        granted = _role_statements(synthesized, _role_of(synthesized, ingest.function.name))
        writes = [
            _bucket_pattern(resource)
            for s in granted
            if s["Effect"] == "Allow" and "s3:PutObject" in as_list(s["Action"])
            for resource in as_list(s["Resource"])
        ]
        assert f"outbox/results/{ingest.prefix}*" in writes, (
            f"{ingest.function.name} writes its uploads' results files: apply the ingest.py snippet"
        )
        assert not [w for w in writes if w and w.startswith("outbox/") and ingest.prefix not in w]


def test_the_sikas_access_policy_is_part_of_the_app(synthesized: Synthesized) -> None:
    policies = [
        p["Properties"]
        for p in synthesized.of_type("AWS::IAM::ManagedPolicy").values()
        if "SIKAS puts exports" in p["Properties"].get("Description", "")
    ]
    assert len(policies) == 1, "wire SikasAccess into SikasSyncStack: apply the sikas_stack.py snippet"
    sids = {s["Sid"] for s in statements(policies[0]["PolicyDocument"])}
    assert sids == {"PutExportsUnderDomainPrefixes", "ReadOutbox", "ListOutboxOnly", "UseDataKeyThroughS3"}


@pytest.mark.parametrize("name", ["outbox"])
def test_the_outbox_runs_daily_after_the_reconcile(synthesized: Synthesized, name: str) -> None:
    function_id, _ = synthesized.by_plan_name("AWS::Lambda::Function")[name]
    (schedule,) = [
        s["Properties"]
        for s in synthesized.of_type("AWS::Scheduler::Schedule").values()
        if logical_id(s["Properties"]["Target"]["Arn"]) == function_id
    ]
    assert schedule["ScheduleExpression"] == PLAN.outbox.schedule == "cron(0 4 * * ? *)"
    assert PLAN.reconcile.schedule == "cron(0 2 * * ? *)"  # the ministry-only records are in by then
