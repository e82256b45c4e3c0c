"""Several regencies in one account and region: two stacks share no physical name and no alarm metric.

A province may host all of its kabupaten/kota in one account, so `cdk synth -c region_code=12.09`
and `-c region_code=12.10` must deploy side by side (issue 13, point 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from infra_support import Synthesized, synthesize

# Properties that hold a physical name CloudFormation would otherwise generate.
NAME_PROPERTIES = {
    "AWS::Lambda::Function": "FunctionName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::SecretsManager::Secret": "Name",
    "AWS::CloudTrail::Trail": "TrailName",
    "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::CloudWatch::CompositeAlarm": "AlarmName",
    "AWS::CloudWatch::Dashboard": "DashboardName",
    "AWS::Logs::QueryDefinition": "Name",
    "AWS::Scheduler::Schedule": "Name",
    "AWS::Scheduler::ScheduleGroup": "Name",
    "AWS::SQS::Queue": "QueueName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::KMS::Alias": "AliasName",
}


@pytest.fixture(scope="module")
def batu_bara(stub_layers: Path, tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    return synthesize(stub_layers, tmp_path_factory.mktemp("cdk.out.12.10"), region_code="12.10")


def physical_names(synthesized: Synthesized) -> dict[tuple[str, str], str]:
    """(type, physical name) → logical id of every resource that names itself."""
    found: dict[tuple[str, str], str] = {}
    for logical_id, resource in synthesized.resources.items():
        prop = NAME_PROPERTIES.get(resource["Type"])
        value = resource.get("Properties", {}).get(prop) if prop else None
        if value is not None:
            assert isinstance(value, str), f"{logical_id}: a name made at deploy time cannot be compared"
            found[(resource["Type"], value)] = logical_id
    return found


def alarm_metrics(synthesized: Synthesized) -> set[tuple[str, str, tuple[tuple[str, Any], ...]]]:
    """(namespace, metric, dimensions) of every custom metric an alarm watches."""
    found = set()
    for resource in synthesized.of_type("AWS::CloudWatch::Alarm").values():
        properties = resource["Properties"]
        metrics = [properties] if "MetricName" in properties else [
            query["MetricStat"]["Metric"] for query in properties.get("Metrics", []) if "MetricStat" in query
        ]  # fmt: skip
        for metric in metrics:
            if metric.get("Namespace", "").startswith("AWS/"):
                continue  # AWS's own metrics carry the resource (queue, function) as a dimension
            dimensions = tuple(sorted((d["Name"], str(d["Value"])) for d in metric.get("Dimensions", [])))
            found.add((metric["Namespace"], metric["MetricName"], dimensions))
    return found


def test_two_regencies_share_no_physical_name(synthesized: Synthesized, batu_bara: Synthesized) -> None:
    asahan, other = physical_names(synthesized), physical_names(batu_bara)
    assert len(asahan) >= 33  # functions, their log groups, secrets, trail, alarms, dashboard, queries
    assert set(asahan) & set(other) == set()
    for kind, name in asahan:
        if kind in ("AWS::Lambda::Function", "AWS::SecretsManager::Secret", "AWS::Logs::LogGroup"):
            assert "12-09" in name or "12.09" in name, name


def test_each_alarm_watches_its_own_regencys_metrics(
    synthesized: Synthesized, batu_bara: Synthesized
) -> None:
    asahan, other = alarm_metrics(synthesized), alarm_metrics(batu_bara)
    assert asahan, "the stack alarms on its own metrics"
    assert asahan & other == set()
    assert all(("service", "sikas-sync-12-09") in dimensions for _, _, dimensions in asahan)
    assert all(("service", "sikas-sync-12-10") in dimensions for _, _, dimensions in other)


def test_functions_know_their_regency(batu_bara: Synthesized) -> None:
    for _, function in batu_bara.by_plan_name("AWS::Lambda::Function").values():
        env = function["Properties"]["Environment"]["Variables"]
        assert env["REGION_CODE"] == "12.10"
        assert (
            env.get("HMAC_SECRET_NAME", "sikas-sync/12.10/record-id-key") == "sikas-sync/12.10/record-id-key"
        )
