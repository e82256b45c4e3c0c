"""The delivery path in the template: push queue (+DLQ) and the push function, from the plan."""

from __future__ import annotations

import dataclasses

from infra_support import Synthesized, as_list, logical_id, statements

from sikas_constructs.delivery import delivery_environment
from sikas_sync.resources import resource_plan

PLAN = resource_plan()
PUSH = PLAN.delivery.function


def test_push_queue_and_dlq(synthesized: Synthesized) -> None:
    queues = synthesized.by_plan_name("AWS::SQS::Queue")
    dlq_id, _ = queues[PLAN.push_queue.dlq_name]
    _, queue = queues[PLAN.push_queue.name]
    assert queue["Properties"]["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
        "maxReceiveCount": PLAN.push_queue.max_receive_count,
    }
    assert queue["Properties"]["VisibilityTimeout"] == PLAN.push_queue.visibility_timeout_s
    assert queue["Properties"]["VisibilityTimeout"] >= 6 * PUSH.timeout_s


def test_push_function_and_its_delivery_settings(synthesized: Synthesized) -> None:
    _, function = synthesized.by_plan_name("AWS::Lambda::Function")[PUSH.name]
    properties = function["Properties"]
    assert properties["Runtime"] == "python3.14"
    assert properties["Architectures"] == ["arm64"]
    assert properties["Timeout"] == PUSH.timeout_s
    assert properties["MemorySize"] == PUSH.memory_mb
    assert "ReservedConcurrentExecutions" not in properties  # the mapping's MaximumConcurrency caps it
    env = properties["Environment"]["Variables"]
    delivery = PLAN.delivery
    assert env["MINISTRY_URL"] == "https://integration.example.invalid"  # cdk.json's placeholder
    assert env["MINISTRY_SECRET_NAME"] == PLAN.ministry_secret_name
    assert env["MINISTRY_TIMEOUT_S"] == str(delivery.ministry_timeout_s)
    assert env["BACKOFF_BASE_S"] == str(delivery.backoff_base_s)
    assert env["BACKOFF_CAP_S"] == str(delivery.backoff_cap_s)
    assert env["BREAKER_FAILURES"] == str(delivery.breaker_failures)
    assert env["BREAKER_RECOVERY_S"] == str(delivery.breaker_recovery_s)
    assert "MINISTRY_RATE_LIMIT_PER_S" not in env  # none in cdk.json: the client's own pacing
    assert "DOMAIN" not in env
    assert logical_id(env["DELIVERIES_TABLE"]) == "DeliveriesTable"


def test_rate_limit_context_reaches_the_push_function_shared_among_concurrent_pushes() -> None:
    env = delivery_environment(PLAN.delivery, "https://x.example.invalid", "name", concurrency=2)
    assert "MINISTRY_RATE_LIMIT_PER_S" not in env
    limited = dataclasses.replace(PLAN.delivery, ministry_rate_limit_per_s=2.5)
    # Two invocations at once, each at half: together at most the ministry's 2.5 requests/s.
    shared = delivery_environment(limited, "https://x.example.invalid", "name", concurrency=2)
    assert shared["MINISTRY_RATE_LIMIT_PER_S"] == "1.25"
    alone = delivery_environment(limited, "https://x.example.invalid", "name", concurrency=1)
    assert alone["MINISTRY_RATE_LIMIT_PER_S"] == "2.5"


def test_push_event_source(synthesized: Synthesized) -> None:
    queue_id, _ = synthesized.by_plan_name("AWS::SQS::Queue")[PLAN.push_queue.name]
    function_id, _ = synthesized.by_plan_name("AWS::Lambda::Function")[PUSH.name]
    synthesized.assertions.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "EventSourceArn": {"Fn::GetAtt": [queue_id, "Arn"]},
            "FunctionName": {"Ref": function_id},
            "BatchSize": PUSH.batch_size,
            "MaximumBatchingWindowInSeconds": 5,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "ScalingConfig": {"MaximumConcurrency": PUSH.max_concurrency},
        },
    )


def test_push_role(synthesized: Synthesized) -> None:
    _, function = synthesized.by_plan_name("AWS::Lambda::Function")[PUSH.name]
    role_id = logical_id(function["Properties"]["Role"])
    policy = [
        statement
        for p in synthesized.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in p["Properties"]["Roles"]
        for statement in statements(p["Properties"]["PolicyDocument"])
    ]
    by_table: dict[str, set[str]] = {}
    for statement in policy:
        actions = {str(a) for a in as_list(statement["Action"])}
        if any(a.startswith("dynamodb:") for a in actions):
            for resource in as_list(statement["Resource"]):
                by_table.setdefault(logical_id(resource), set()).update(actions)
    # Reads what ingest wrote, writes its own delivery states, and of a record only the removal of
    # its undelivered-index marker (UpdateItem); nothing of the files ledger.
    assert by_table == {
        "RecordsTable": {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem"},
        "DeliveriesTable": {
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:BatchWriteItem",
        },
    }
    secrets = [s["Resource"] for s in policy if "secretsmanager:GetSecretValue" in as_list(s["Action"])]
    assert secrets == [{"Ref": "MinistryClientSecret"}]
    assert not [s for s in policy if any(str(a).startswith("s3:") for a in as_list(s["Action"]))]
    assert not [s for s in policy if "sqs:SendMessage" in as_list(s["Action"])]
