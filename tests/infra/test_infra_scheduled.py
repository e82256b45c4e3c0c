"""Sweep, reconcile and report: each on its schedule in WIB, each with only what its use case needs."""

from __future__ import annotations

from typing import Any

import pytest
from infra_support import Synthesized, as_list, logical_id, statements

from sikas_sync.resources import UNDELIVERED_INDEX, ScheduledPlan, resource_plan

PLAN = resource_plan()
SCHEDULED = {scheduled.function.name: scheduled for scheduled in PLAN.scheduled}


def _schedule_of(synthesized: Synthesized, function_id: str) -> dict[str, Any]:
    (schedule,) = [
        s["Properties"]
        for s in synthesized.of_type("AWS::Scheduler::Schedule").values()
        if logical_id(s["Properties"]["Target"]["Arn"]) == function_id
    ]
    return schedule


def _role_statements(synthesized: Synthesized, role_id: str) -> list[dict[str, Any]]:
    return [
        statement
        for policy in synthesized.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in statements(policy["Properties"]["PolicyDocument"])
    ]


def _actions(found: list[dict[str, Any]]) -> set[str]:
    return {action for statement in found for action in as_list(statement["Action"])}


@pytest.mark.parametrize("name", sorted(SCHEDULED))
def test_each_scheduled_function_runs_on_its_schedule_in_wib(synthesized: Synthesized, name: str) -> None:
    plan: ScheduledPlan = SCHEDULED[name]
    function_id, function = synthesized.by_plan_name("AWS::Lambda::Function")[name]
    schedule = _schedule_of(synthesized, function_id)
    assert schedule["ScheduleExpression"] == plan.schedule
    assert schedule["ScheduleExpressionTimezone"] == "Asia/Jakarta"
    assert schedule["State"] == "ENABLED"
    assert schedule["Target"]["RetryPolicy"]["MaximumRetryAttempts"] == 2
    assert function["Properties"]["Timeout"] == plan.function.timeout_s
    # Never two runs at once, from the function's lease, not from reserved concurrency.
    assert "ReservedConcurrentExecutions" not in function["Properties"]


@pytest.mark.parametrize("name", sorted(SCHEDULED))
def test_the_scheduler_role_only_invokes_its_function_for_this_account(
    synthesized: Synthesized, name: str
) -> None:
    function_id, _ = synthesized.by_plan_name("AWS::Lambda::Function")[name]
    role_id = logical_id(_schedule_of(synthesized, function_id)["Target"]["RoleArn"])
    role = synthesized.resources[role_id]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    granted = _role_statements(synthesized, role_id)
    assert _actions(granted) == {"lambda:InvokeFunction"}
    resources = [r for s in granted for r in as_list(s["Resource"])]
    # The function and its versions (`<arn>:*`, as Lambda's grantInvoke writes it): nothing else.
    assert resources == [
        {"Fn::GetAtt": [function_id, "Arn"]},
        {"Fn::Join": ["", [{"Fn::GetAtt": [function_id, "Arn"]}, ":*"]]},
    ]


def _function_role(synthesized: Synthesized, name: str) -> str:
    _, function = synthesized.by_plan_name("AWS::Lambda::Function")[name]
    return logical_id(function["Properties"]["Role"])


def test_the_sweep_queries_the_undelivered_index_and_requeues_but_cannot_scan_or_delete(
    synthesized: Synthesized,
) -> None:
    granted = _role_statements(synthesized, _function_role(synthesized, "sweep"))
    actions = _actions(granted)
    assert {"dynamodb:Query", "sqs:SendMessage", "sqs:GetQueueAttributes", "s3:ListBucket"} <= actions
    assert "dynamodb:Scan" not in actions  # its cost follows what waits, not the tables
    assert not {a for a in actions if "Delete" in a}
    [query] = [s for s in granted if "dynamodb:Query" in as_list(s["Action"])]
    [resource] = as_list(query["Resource"])
    assert resource["Fn::Join"][1][-1] == f"/index/{UNDELIVERED_INDEX.name}"


def test_the_report_only_reads_records_and_writes_smdata_copies(synthesized: Synthesized) -> None:
    granted = _role_statements(synthesized, _function_role(synthesized, "report"))
    s3 = [s for s in granted if any(str(a).startswith("s3:") for a in as_list(s["Action"]))]
    assert _actions(s3) == {"s3:PutObject"}
    (resource,) = [r for s in s3 for r in as_list(s["Resource"])]
    assert resource["Fn::Join"][1][-1] == "/smdata/*"
    dynamodb = _actions(
        [
            s
            for s in granted
            if any(str(a).startswith("dynamodb:") for a in as_list(s["Action"]))
            and s.get("Sid") != "TakeOwnLease"
        ]
    )
    assert dynamodb == {
        "dynamodb:Query"
    }  # the by_domain index; besides its own lease (test_infra_concurrency.py)


@pytest.mark.parametrize("scheduled", PLAN.scheduled, ids=lambda s: s.function.name)
def test_a_failed_scheduled_run_is_not_retried_and_lands_in_the_failures_queue(
    synthesized: Synthesized, scheduled: ScheduledPlan
) -> None:
    """Scheduler invokes Lambda asynchronously; without a config Lambda retries a failed run twice."""
    function_id, _ = synthesized.by_plan_name("AWS::Lambda::Function")[scheduled.function.name]
    queue_id, queue = synthesized.by_plan_name("AWS::SQS::Queue")[PLAN.scheduled_failures_queue]
    (config,) = [
        c["Properties"]
        for c in synthesized.of_type("AWS::Lambda::EventInvokeConfig").values()
        if c["Properties"]["FunctionName"] == {"Ref": function_id}
    ]
    assert config["MaximumRetryAttempts"] == 0
    assert 60 <= config["MaximumEventAgeInSeconds"] <= min(scheduled.every_s, 3600)
    assert config["DestinationConfig"] == {"OnFailure": {"Destination": {"Fn::GetAtt": [queue_id, "Arn"]}}}
    assert queue["Properties"]["MessageRetentionPeriod"] == PLAN.scheduled_failures_retention_s


def test_the_failures_queue_depth_is_alarmed(synthesized: Synthesized) -> None:
    queue_id, _ = synthesized.by_plan_name("AWS::SQS::Queue")[PLAN.scheduled_failures_queue]
    watching = [
        a["Properties"]
        for a in synthesized.of_type("AWS::CloudWatch::Alarm").values()
        if {"Name": "QueueName", "Value": {"Fn::GetAtt": [queue_id, "QueueName"]}}
        in a["Properties"].get("Dimensions", [])
    ]
    (alarm,) = watching
    assert alarm["AlarmName"] == "sikas-sync-12-09-scheduled-failures"
    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarm["TreatMissingData"] in ("notBreaching", "missing")
