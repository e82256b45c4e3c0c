"""The ingest path in the template: one slice per domain of the plan, each as the plan says."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match
from infra_support import Synthesized, as_list, logical_id, statements

from sikas_constructs.naming import PLAN_NAME_TAG
from sikas_sync import resources
from sikas_sync.config import FunctionSettings
from sikas_sync.domains import DOMAINS
from sikas_sync.parsing.table import ReadLimits
from sikas_sync.resources import (
    OUTBOX_RESULTS_PREFIX,
    QUARANTINE_PREFIX,
    REPORTS_PREFIX,
    IngestPlan,
    resource_plan,
)

PLAN = resource_plan()
INGEST = {plan.domain: plan for plan in PLAN.ingest}


def test_one_ingest_slice_per_domain_of_the_registry(synthesized: Synthesized) -> None:
    assert set(INGEST) == {domain.slug for domain in DOMAINS}
    functions = synthesized.by_plan_name("AWS::Lambda::Function")
    assert {name for name in functions if name.startswith("ingest-")} == {
        plan.function.name for plan in PLAN.ingest
    }


@pytest.mark.parametrize("domain", sorted(INGEST))
def test_queue_and_dlq_with_the_plans_redrive(synthesized: Synthesized, domain: str) -> None:
    plan = INGEST[domain].queue
    queues = synthesized.by_plan_name("AWS::SQS::Queue")
    dlq_id, dlq = queues[plan.dlq_name]
    _, queue = queues[plan.name]
    assert queue["Properties"]["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
        "maxReceiveCount": plan.max_receive_count,
    }
    assert queue["Properties"]["VisibilityTimeout"] == plan.visibility_timeout_s
    assert queue["Properties"]["MessageRetentionPeriod"] == plan.retention_s
    assert dlq["Properties"]["MessageRetentionPeriod"] == plan.dlq_retention_s
    assert "RedrivePolicy" not in dlq["Properties"]


def _notifications(synthesized: Synthesized) -> list[dict[str, object]]:
    (custom,) = synthesized.of_type("Custom::S3BucketNotifications").values()
    assert logical_id(custom["Properties"]["BucketName"]) == "InboxBucket"
    configuration = custom["Properties"]["NotificationConfiguration"]
    assert set(configuration) == {"QueueConfigurations"}, "only the ingest queues are notified"
    queue_configurations: list[dict[str, object]] = configuration["QueueConfigurations"]
    return queue_configurations


def test_each_domain_queue_is_notified_for_its_prefix_only(synthesized: Synthesized) -> None:
    names = {lid: name for name, (lid, _) in synthesized.by_plan_name("AWS::SQS::Queue").items()}
    filters = {}
    for notification in _notifications(synthesized):
        assert notification["Events"] == ["s3:ObjectCreated:*"]
        rules = notification["Filter"]["Key"]["FilterRules"]  # type: ignore[index]
        filters[names[logical_id(notification["QueueArn"])]] = rules
    assert filters == {plan.queue.name: [{"Name": "prefix", "Value": plan.prefix}] for plan in PLAN.ingest}


def test_prefixes_never_catch_the_pipelines_own_writes() -> None:
    for plan in PLAN.ingest:
        for own in (REPORTS_PREFIX, QUARANTINE_PREFIX):
            assert not (own + plan.prefix).startswith(tuple(p.prefix for p in PLAN.ingest))


@pytest.mark.parametrize("domain", sorted(INGEST))
def test_visibility_timeout_is_at_least_six_function_timeouts(synthesized: Synthesized, domain: str) -> None:
    plan = INGEST[domain]
    _, queue = synthesized.by_plan_name("AWS::SQS::Queue")[plan.queue.name]
    _, function = synthesized.by_plan_name("AWS::Lambda::Function")[plan.function.name]
    assert queue["Properties"]["VisibilityTimeout"] >= 6 * function["Properties"]["Timeout"]


@pytest.mark.parametrize("domain", sorted(INGEST))
def test_ingest_function(synthesized: Synthesized, domain: str) -> None:
    plan = INGEST[domain].function
    _, function = synthesized.by_plan_name("AWS::Lambda::Function")[plan.name]
    properties = function["Properties"]
    assert properties["FunctionName"] == PLAN.function_name(plan) == f"sikas-sync-12-09-{plan.name}"
    assert properties["Runtime"] == "python3.14"
    assert properties["Architectures"] == ["arm64"]
    assert properties["Handler"] == "handler.lambda_handler"
    assert properties["Timeout"] == plan.timeout_s
    assert properties["MemorySize"] == plan.memory_mb
    # /tmp holds the spooled export, its unpacked shared strings, the quarantine and the error list.
    assert properties["EphemeralStorage"] == {"Size": plan.ephemeral_storage_mb}
    limits = ReadLimits()  # the defaults the ingest service reads with
    assert (limits.max_file_bytes, limits.max_xlsx_uncompressed_bytes) == (
        PLAN.max_file_bytes,
        resources.MAX_XLSX_UNCOMPRESSED_BYTES,
    )
    needed = 3 * limits.max_file_bytes + limits.max_xlsx_uncompressed_bytes
    assert (plan.ephemeral_storage_mb - 512) * 1024 * 1024 >= needed
    assert plan.ephemeral_storage_mb <= 10240  # Lambda's maximum
    # No reserved concurrency (AWS's SQS poller ignores it); the domain's lease serialises ingest.
    assert "ReservedConcurrentExecutions" not in properties
    assert properties["TracingConfig"] == {"Mode": "Active"}
    assert len(properties["Layers"]) == 2
    env = properties["Environment"]["Variables"]
    assert env["DOMAIN"] == domain
    queue_id, _ = synthesized.by_plan_name("AWS::SQS::Queue")[INGEST[domain].queue.name]
    assert logical_id(env["INGEST_QUEUE_URL"]) == queue_id  # where a waiting file goes back
    assert (env["INGEST_WAIT_BASE_S"], env["INGEST_WAIT_CAP_S"]) == ("30", "300")
    assert logical_id(env["LOCKS_TABLE"]) == "LocksTable"
    assert env["REGION_CODE"] == PLAN.region_code
    assert env["MAX_FILE_BYTES"] == str(PLAN.max_file_bytes)
    assert env["HMAC_SECRET_NAME"] == PLAN.hmac_secret_name
    assert env["POWERTOOLS_SERVICE_NAME"] == plan.name
    assert env["POWERTOOLS_METRICS_NAMESPACE"] == "SikasSync"
    assert env["POWERTOOLS_LOGGER_LOG_EVENT"] == "false"
    assert logical_id(env["INBOX_BUCKET"]) == "InboxBucket"
    assert logical_id(env["RECORDS_TABLE"]) == "RecordsTable"
    assert logical_id(env["FILES_TABLE"]) == "FilesTable"
    push_queue_id, _ = synthesized.by_plan_name("AWS::SQS::Queue")[PLAN.push_queue.name]
    assert logical_id(env["PUSH_QUEUE_URL"]) == push_queue_id


def test_every_function_gets_what_its_settings_require(synthesized: Synthesized) -> None:
    required = {
        field.alias for field in FunctionSettings.model_fields.values() if field.is_required() and field.alias
    }
    functions = synthesized.by_plan_name("AWS::Lambda::Function")
    assert len(functions) == len(PLAN.ingest) + 1 + len(PLAN.scheduled) + 1  # + erase
    for name, (_, function) in functions.items():
        missing = required - set(function["Properties"]["Environment"]["Variables"])
        assert not missing, f"{name} lacks {missing}"


@pytest.mark.parametrize("domain", sorted(INGEST))
def test_event_source_reports_partial_batch_failures(synthesized: Synthesized, domain: str) -> None:
    plan: IngestPlan = INGEST[domain]
    queue_id, _ = synthesized.by_plan_name("AWS::SQS::Queue")[plan.queue.name]
    function_id, _ = synthesized.by_plan_name("AWS::Lambda::Function")[plan.function.name]
    (mapping,) = [
        m["Properties"]
        for m in synthesized.of_type("AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    ]
    assert mapping["FunctionName"] == {"Ref": function_id}
    assert mapping["BatchSize"] == plan.function.batch_size
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    if plan.function.max_concurrency is None:
        assert "ScalingConfig" not in mapping
    else:
        assert mapping["ScalingConfig"] == {"MaximumConcurrency": plan.function.max_concurrency}


def _policy_of(synthesized: Synthesized, function_name: str) -> list[dict[str, object]]:
    _, function = synthesized.by_plan_name("AWS::Lambda::Function")[function_name]
    role_id = logical_id(function["Properties"]["Role"])
    found = []
    for policy in synthesized.of_type("AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"]["Roles"]:
            found.extend(statements(policy["Properties"]["PolicyDocument"]))
    return found


def _s3_object_paths(statement: dict[str, object]) -> set[str]:
    paths = set()
    for resource in as_list(statement["Resource"]):
        parts = resource["Fn::Join"][1]
        assert parts[0] == {"Fn::GetAtt": ["InboxBucket", "Arn"]}
        paths.add(parts[1])
    return paths


@pytest.mark.parametrize("domain", sorted(INGEST))
def test_ingest_role_reaches_only_its_own_domain(synthesized: Synthesized, domain: str) -> None:
    plan = INGEST[domain]
    policy = _policy_of(synthesized, plan.function.name)
    s3_statements = [s for s in policy if any(str(a).startswith("s3:") for a in as_list(s["Action"]))]
    reads = [s for s in s3_statements if "s3:GetObject" in as_list(s["Action"])]
    writes = [s for s in s3_statements if "s3:PutObject" in as_list(s["Action"])]
    assert [_s3_object_paths(s) for s in reads] == [{f"/{plan.prefix}*"}]
    assert [_s3_object_paths(s) for s in writes] == [
        {
            f"/{REPORTS_PREFIX}{plan.prefix}*",
            f"/{QUARANTINE_PREFIX}{plan.prefix}*",
            f"/{OUTBOX_RESULTS_PREFIX}{plan.prefix}*",
        }
    ]
    tables = {
        logical_id(resource)
        for s in policy
        if any(str(a).startswith("dynamodb:") for a in as_list(s["Action"]))
        for resource in as_list(s["Resource"])
    }
    assert tables == {"RecordsTable", "FilesTable", "LocksTable"}
    secrets = [s for s in policy if "secretsmanager:GetSecretValue" in as_list(s["Action"])]
    assert [s["Resource"] for s in secrets] == [{"Ref": "RecordIdKeySecret"}]
    push_queue_id, _ = synthesized.by_plan_name("AWS::SQS::Queue")[PLAN.push_queue.name]
    queue_id, _ = synthesized.by_plan_name("AWS::SQS::Queue")[plan.queue.name]
    sends = [s for s in policy if "sqs:SendMessage" in as_list(s["Action"])]
    assert sorted(logical_id(s["Resource"]) for s in sends) == sorted([push_queue_id, queue_id])


def test_plan_names_tag_only_the_planned_resources(synthesized: Synthesized) -> None:
    synthesized.assertions.resource_properties_count_is(
        "AWS::IAM::Role", {"Tags": Match.array_with([Match.object_like({"Key": PLAN_NAME_TAG})])}, 0
    )
