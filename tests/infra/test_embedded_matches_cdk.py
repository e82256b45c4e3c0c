"""The agreement test: the embedded stack (moto) and the CDK template are the same system.

Both runtimes loop over the resource plan; this reads what each one actually built — the queues
moto holds and the notifications its bucket sends, the resources of the synthesized template — and
compares them with each other and with the plan. A queue, prefix, redrive, table key, TTL or
function setting that exists or differs in only one runtime fails here.

The embedded stack runs on `resource_plan(region, TIME_SCALE)` (seconds shrunk so retries take
moments), the template on `resource_plan(region)`: durations are compared through that scale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

import pytest
from infra_support import Synthesized, logical_id

from erase_embedded import erase_spec
from sikas_sync.config import FunctionSettings
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.embedded.stack import TIME_SCALE
from sikas_sync.operations.erase_wiring import erase_function
from sikas_sync.resources import QueuePlan, ResourcePlan, TablePlan, resource_plan

# Environment values that are durations, and so scaled in the embedded stack.
SCALED_ENV = {
    "BACKOFF_BASE_S", "BACKOFF_CAP_S", "BREAKER_RECOVERY_S", "SWEEP_STALE_AFTER_S", "INGEST_WAIT_BASE_S",
    "INGEST_WAIT_CAP_S",
}  # fmt: skip
# Values that name a resource: compared by the plan entry they point at, not as text.
RESOURCE_ENV = {
    "INBOX_BUCKET", "PUSH_QUEUE_URL", "RECORDS_TABLE", "DELIVERIES_TABLE", "FILES_TABLE", "LOCKS_TABLE",
    "INGEST_QUEUE_URL",
}  # fmt: skip
# Where each runtime's endpoint lives: the only value allowed to differ.
ENDPOINT_ENV = {"MINISTRY_URL"}
CONFIG_ENV = {field.alias for field in FunctionSettings.model_fields.values() if field.alias}
INVOKED_DIRECTLY = "invoked directly"  # the trigger of a function with no event source nor schedule


def scaled(seconds: int) -> int:
    """A template duration as the embedded stack's plan has it (resource_plan's `seconds`)."""
    return max(1, round(seconds * TIME_SCALE))


@dataclass(frozen=True)
class Queue:
    visibility_timeout_s: int
    retention_s: int
    dlq: str | None  # plan name of the dead-letter target
    max_receive_count: int | None


@dataclass(frozen=True)
class Function:
    timeout_s: int
    memory_mb: int
    batch_size: int | None  # None for a scheduled function
    trigger: str  # its source queue's plan name, "schedule:<expression> <time zone>" or INVOKED_DIRECTLY
    env: dict[str, str]  # the variables sikas_sync.config reads, resources as plan names


@dataclass(frozen=True)
class Built:
    queues: dict[str, Queue]
    notifications: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # queue → (events, prefixes)
    tables: dict[str, tuple[str, str, str | None]]  # name → (partition key, its type, TTL attribute)
    functions: dict[str, Function]
    region_code: str


# -- the embedded stack ----------------------------------------------------------------------------


def _embedded(region_code: str) -> Built:
    with EmbeddedStack(region_code=region_code) as stack:
        sqs, s3, dynamodb = stack.clients["sqs"], stack.clients["s3"], stack.clients["dynamodb"]
        queues, url_names = {}, {}
        for url in sqs.list_queues()["QueueUrls"]:
            name = url.rsplit("/", 1)[1]
            url_names[url] = name
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
            redrive = json.loads(attributes.get("RedrivePolicy", "{}"))
            queues[name] = Queue(
                visibility_timeout_s=int(attributes["VisibilityTimeout"]),
                retention_s=int(attributes["MessageRetentionPeriod"]),
                dlq=redrive["deadLetterTargetArn"].rsplit(":", 1)[1] if redrive else None,
                max_receive_count=int(redrive["maxReceiveCount"]) if redrive else None,
            )
        notifications = {}
        configuration = s3.get_bucket_notification_configuration(Bucket=stack.bucket)
        assert not configuration.get("TopicConfigurations")
        assert not configuration.get("LambdaFunctionConfigurations")
        for notification in configuration.get("QueueConfigurations", []):
            rules = notification.get("Filter", {}).get("Key", {}).get("FilterRules", [])
            notifications[notification["QueueArn"].rsplit(":", 1)[1]] = (
                tuple(sorted(notification["Events"])),
                tuple(sorted(r["Value"] for r in rules if r["Name"].lower() == "prefix")),
            )
        tables = {}
        for name in dynamodb.list_tables()["TableNames"]:
            table = dynamodb.describe_table(TableName=name)["Table"]
            (hash_key,) = [k["AttributeName"] for k in table["KeySchema"] if k["KeyType"] == "HASH"]
            types = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}
            ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
            tables[name] = (
                hash_key,
                types[hash_key],
                ttl.get("AttributeName") if ttl["TimeToLiveStatus"] == "ENABLED" else None,
            )
        resources = {stack.bucket: "inbox", **{name: name for name in tables}, **url_names}
        assert stack.push_mapping is not None

        def env(environment: dict[str, str]) -> dict[str, str]:
            return {
                key: resources[value] if key in RESOURCE_ENV else value
                for key, value in environment.items()
                if key in CONFIG_ENV
            }

        functions = {
            mapping.function_name: Function(
                timeout_s=mapping.timeout_s,
                memory_mb=mapping.memory_mb,
                batch_size=mapping.batch_size,
                trigger=url_names[mapping.queue_url],
                env=env(mapping.environment),
            )
            for mapping in [*stack.ingest_mappings.values(), stack.push_mapping]
        }
        schedules = {s.function.name: f"schedule:{s.schedule} {s.timezone}" for s in stack.plan.scheduled}
        for name, spec in stack.scheduled.items():
            functions[name] = Function(
                spec.timeout_s, spec.memory_mb, None, schedules[name], env(spec.environment)
            )
        erase = erase_spec(stack)
        functions[erase.function_name] = Function(
            erase.timeout_s, erase.memory_mb, None, INVOKED_DIRECTLY, env(erase.environment)
        )
        return Built(queues, notifications, tables, functions, stack.plan.region_code)


# -- the template ----------------------------------------------------------------------------------


def _template(synthesized: Synthesized) -> Built:
    all_queues = synthesized.of_type("AWS::SQS::Queue")
    tagged = synthesized.by_plan_name("AWS::SQS::Queue")
    assert len(tagged) == len(all_queues), "every queue of the template comes from the plan"
    names = {lid: name for name, (lid, _) in tagged.items()}
    queues = {}
    for name, (_, queue) in tagged.items():
        properties = queue["Properties"]
        redrive = properties.get("RedrivePolicy")
        queues[name] = Queue(
            visibility_timeout_s=properties.get("VisibilityTimeout", 30),
            retention_s=properties.get("MessageRetentionPeriod", 4 * 24 * 3600),
            dlq=names[logical_id(redrive["deadLetterTargetArn"])] if redrive else None,
            max_receive_count=redrive["maxReceiveCount"] if redrive else None,
        )
    notifications = {}
    for custom in synthesized.of_type("Custom::S3BucketNotifications").values():
        configuration = custom["Properties"]["NotificationConfiguration"]
        assert set(configuration) <= {"QueueConfigurations"}
        for notification in configuration.get("QueueConfigurations", []):
            rules = notification.get("Filter", {}).get("Key", {}).get("FilterRules", [])
            notifications[names[logical_id(notification["QueueArn"])]] = (
                tuple(sorted(notification["Events"])),
                tuple(sorted(r["Value"] for r in rules if r["Name"].lower() == "prefix")),
            )
    all_tables = synthesized.of_type("AWS::DynamoDB::Table")
    tagged_tables = synthesized.by_plan_name("AWS::DynamoDB::Table")
    assert len(tagged_tables) == len(all_tables), "every table of the template comes from the plan"
    tables = {}
    for name, (_, table) in tagged_tables.items():
        properties = table["Properties"]
        (hash_key,) = [k["AttributeName"] for k in properties["KeySchema"] if k["KeyType"] == "HASH"]
        types = {a["AttributeName"]: a["AttributeType"] for a in properties["AttributeDefinitions"]}
        ttl = properties.get("TimeToLiveSpecification", {})
        tables[name] = (hash_key, types[hash_key], ttl.get("AttributeName") if ttl.get("Enabled") else None)
    resources = {"InboxBucket": "inbox", **names}
    resources.update({lid: name for name, (lid, _) in tagged_tables.items()})
    mappings = {
        logical_id(m["Properties"]["FunctionName"]): m["Properties"]
        for m in synthesized.of_type("AWS::Lambda::EventSourceMapping").values()
    }
    schedules = {
        logical_id(s["Properties"]["Target"]["Arn"]): s["Properties"]
        for s in synthesized.of_type("AWS::Scheduler::Schedule").values()
    }
    functions = {}
    for name, (function_id, function) in synthesized.by_plan_name("AWS::Lambda::Function").items():
        properties = function["Properties"]
        if function_id in mappings:
            mapping = mappings[function_id]
            batch_size, trigger = mapping["BatchSize"], names[logical_id(mapping["EventSourceArn"])]
        elif function_id in schedules:
            schedule = schedules[function_id]
            batch_size = None
            trigger = f"schedule:{schedule['ScheduleExpression']} {schedule['ScheduleExpressionTimezone']}"
        else:
            batch_size, trigger = None, INVOKED_DIRECTLY
        functions[name] = Function(
            timeout_s=properties["Timeout"],
            memory_mb=properties["MemorySize"],
            batch_size=batch_size,
            trigger=trigger,
            env={
                key: resources[logical_id(value)] if key in RESOURCE_ENV else value
                for key, value in properties["Environment"]["Variables"].items()
                if key in CONFIG_ENV
            },
        )
    return Built(queues, notifications, tables, functions, synthesized.plan.region_code)


# -- the plan ----------------------------------------------------------------------------------------


def _queue_plans(plan: ResourcePlan) -> dict[str, QueuePlan]:
    return {q.name: q for q in [plan.push_queue, *(ingest.queue for ingest in plan.ingest)]}


def _table_plans(plan: ResourcePlan) -> dict[str, TablePlan]:
    return {t.name: t for f in fields(plan) if isinstance(t := getattr(plan, f.name), TablePlan)}


@pytest.fixture(scope="module")
def built(synthesized: Synthesized) -> tuple[Built, Built, ResourcePlan, ResourcePlan]:
    region = synthesized.plan.region_code
    return _embedded(region), _template(synthesized), resource_plan(region, TIME_SCALE), resource_plan(region)


Fixture = tuple[Built, Built, ResourcePlan, ResourcePlan]


def test_both_runtimes_run_one_plan(built: Fixture) -> None:
    embedded, template, small, full = built
    assert embedded.region_code == template.region_code
    # The scale changes durations only: the same entries, names, keys and counts.
    assert _queue_plans(small).keys() == _queue_plans(full).keys()
    assert _table_plans(small) == _table_plans(full)
    assert [(i.domain, i.prefix, i.queue.name, i.function.name) for i in small.ingest] == [
        (i.domain, i.prefix, i.queue.name, i.function.name) for i in full.ingest
    ]
    for name, entry in _queue_plans(small).items():
        counterpart = _queue_plans(full)[name]
        assert entry.visibility_timeout_s == scaled(counterpart.visibility_timeout_s)
        assert (entry.max_receive_count, entry.retention_s, entry.dlq_retention_s) == (
            counterpart.max_receive_count,
            counterpart.retention_s,
            counterpart.dlq_retention_s,
        )


def test_the_same_queues(built: Fixture) -> None:
    embedded, template, small, _ = built
    planned = {name for q in _queue_plans(small).values() for name in (q.name, q.dlq_name)}
    planned.add(small.scheduled_failures_queue)
    assert set(embedded.queues) == set(template.queues) == planned


def test_the_same_redrive(built: Fixture) -> None:
    embedded, template, _, full = built
    redrive = {name: (q.dlq, q.max_receive_count) for name, q in embedded.queues.items()}
    assert redrive == {name: (q.dlq, q.max_receive_count) for name, q in template.queues.items()}
    for name, plan in _queue_plans(full).items():
        assert redrive[name] == (plan.dlq_name, plan.max_receive_count)
        assert redrive[plan.dlq_name] == (None, None)


def test_the_same_visibility_timeouts_through_the_scale(built: Fixture) -> None:
    embedded, template, small, full = built
    for name in _queue_plans(full):
        assert template.queues[name].visibility_timeout_s == _queue_plans(full)[name].visibility_timeout_s
        assert embedded.queues[name].visibility_timeout_s == _queue_plans(small)[name].visibility_timeout_s
        assert embedded.queues[name].visibility_timeout_s == scaled(
            template.queues[name].visibility_timeout_s
        )


def test_the_same_retention(built: Fixture) -> None:
    embedded, template, _, _ = built
    assert {n: q.retention_s for n, q in embedded.queues.items()} == {
        n: q.retention_s for n, q in template.queues.items()
    }


def test_the_same_notifications_and_prefix_filters(built: Fixture) -> None:
    embedded, template, _, full = built
    assert embedded.notifications == template.notifications
    assert template.notifications == {
        ingest.queue.name: (("s3:ObjectCreated:*",), (ingest.prefix,)) for ingest in full.ingest
    }


def test_the_same_tables_keys_and_ttl(built: Fixture) -> None:
    embedded, template, _, full = built
    assert embedded.tables == template.tables
    assert template.tables == {
        name: (plan.partition_key, "S", plan.ttl_attribute) for name, plan in _table_plans(full).items()
    }


def test_the_same_functions(built: Fixture) -> None:
    embedded, template, small, full = built
    assert set(embedded.functions) == set(template.functions)
    planned = {i.function.name: (i.function, i.queue.name) for i in full.ingest}
    planned[full.delivery.function.name] = (full.delivery.function, full.push_queue.name)
    for scheduled in full.scheduled:
        planned[scheduled.function.name] = (
            scheduled.function,
            f"schedule:{scheduled.schedule} {scheduled.timezone}",
        )
    planned[erase_function().name] = (erase_function(), INVOKED_DIRECTLY)
    assert set(template.functions) == set(planned)
    for name, function in template.functions.items():
        plan, queue = planned[name]
        other = embedded.functions[name]
        assert (function.memory_mb, function.trigger) == (plan.memory_mb, queue)
        direct = queue.startswith("schedule:") or queue == INVOKED_DIRECTLY
        assert function.batch_size == (None if direct else plan.batch_size)
        assert (other.memory_mb, other.batch_size, other.trigger) == (
            function.memory_mb,
            function.batch_size,
            function.trigger,
        )
        assert function.timeout_s == plan.timeout_s
        assert other.timeout_s == scaled(function.timeout_s)
    small_functions = [
        small.delivery.function,
        *(i.function for i in small.ingest),
        *(s.function for s in small.scheduled),
        erase_function(TIME_SCALE),
    ]
    assert {f.name: f.timeout_s for f in small_functions} == {
        name: f.timeout_s for name, f in embedded.functions.items()
    }


def test_the_same_configuration_reaches_each_function(built: Fixture) -> None:
    embedded, template, _, _ = built
    for name, function in template.functions.items():
        mine, theirs = function.env, embedded.functions[name].env
        assert set(mine) == set(theirs), name
        for key, value in mine.items():
            if key in ENDPOINT_ENV:
                continue
            expected: Any = str(scaled(int(value))) if key in SCALED_ENV else value
            assert theirs[key] == expected, (name, key)
