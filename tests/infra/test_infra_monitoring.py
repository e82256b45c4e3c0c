"""Monitoring in the template: the alarm topic, every alarm (metric, threshold, actions), the
dashboard's widget groups and the saved Logs Insights queries; cdk-nag stays clean.

Until `infra/sikas_stack.py` wires Monitoring itself (as `self.monitoring`), the fixture attaches it
to the app's stack exactly as the stack will, then synthesizes once for this module.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from infra_support import CLI_CONTEXT, Synthesized, as_list, logical_id, statements

from app import build_app, cdk_json_context
from sikas_constructs.monitoring import (
    FILE_KEY_PLACEHOLDER,
    RECORD_ID_PLACEHOLDER,
    WIDGET_GROUPS,
    AlarmSettings,
    AlarmSettingsError,
    Monitoring,
)
from sikas_sync import telemetry as t
from sikas_sync.resources import resource_plan

PLAN = resource_plan()
DOMAINS = [plan.domain for plan in PLAN.ingest]
PREFIX = PLAN.deployment  # sikas-sync-12-09
EMAILS = ("disnaker.ops@example.org", "pusdatin@example.org")
CONTEXT = {"alarm_email": ",".join(EMAILS)}


def attach_monitoring(stack: Any) -> Monitoring:
    """What `SikasSyncStack.__init__` does once the lead wires it (see the report's snippet)."""
    others = {name: scheduled.function for name, scheduled in stack.scheduled.by_name.items()}
    if getattr(stack, "erasure", None) is not None:
        others[stack.erasure.function.plan.name] = stack.erasure.function
    return Monitoring(
        stack,
        "Monitoring",
        plan=stack.plan,
        key=stack.encryption.key,
        ingest={domain: (i.queue, i.function) for domain, i in stack.ingest.domains.items()},
        push=(stack.delivery.queue, stack.delivery.function),
        functions=others,
        settings=AlarmSettings.from_context(stack.node.try_get_context),
    )


@pytest.fixture(scope="module")
def monitored(stub_layers: Path, tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    from infra_support import _acknowledged

    outdir = tmp_path_factory.mktemp("cdk.out.monitoring")
    app = App(context={**cdk_json_context(), **CLI_CONTEXT, **CONTEXT}, outdir=str(outdir))
    _, stack = build_app(app, layers_root=stub_layers)
    if getattr(stack, "monitoring", None) is None:
        attach_monitoring(stack)
    assembly = app.synth()  # cdk-nag runs here: an unacknowledged finding raises
    return Synthesized(
        app=app,
        stack=stack,
        outdir=outdir,
        template=assembly.get_stack_artifact(stack.artifact_id).template,
        acknowledged=_acknowledged(outdir, stack.artifact_id),
    )


def alarms(monitored: Synthesized) -> dict[str, dict[str, Any]]:
    return {
        r["Properties"]["AlarmName"]: r["Properties"]
        for r in monitored.of_type("AWS::CloudWatch::Alarm").values()
    }


def topic_id(monitored: Synthesized) -> str:
    [(found, _)] = monitored.of_type("AWS::SNS::Topic").items()
    return found


def app_dimensions(domain: str | None = None) -> list[dict[str, str]]:
    dims = [{"Name": "service", "Value": "sikas-sync-12-09"}]
    if domain is not None:
        dims.append({"Name": "domain", "Value": domain})
    return dims


def sorted_dims(dims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(dims, key=lambda d: d["Name"])


# -- the topic -------------------------------------------------------------------------------------


def test_the_alarm_topic_is_encrypted_with_the_data_key_and_takes_only_tls(monitored: Synthesized) -> None:
    topic = monitored.resources[topic_id(monitored)]["Properties"]
    assert topic["KmsMasterKeyId"] == {"Fn::GetAtt": ["DataKey", "Arn"]}
    [policy] = monitored.of_type("AWS::SNS::TopicPolicy").values()
    found = list(statements(policy["Properties"]["PolicyDocument"]))
    deny = [s for s in found if s["Effect"] == "Deny"]
    assert deny
    assert deny[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    [allow] = [s for s in found if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert allow["Action"] == "sns:Publish"
    assert _only_this_stacks_alarms(allow["Condition"])


def _only_this_stacks_alarms(condition: dict[str, Any]) -> bool:
    arn = json.dumps(condition["ArnLike"]["aws:SourceArn"])
    return f":alarm:{PREFIX}-*" in arn and "aws:SourceAccount" in condition["StringEquals"]


def test_cloudwatch_may_use_the_data_key_only_for_this_stacks_alarms(monitored: Synthesized) -> None:
    key = monitored.resources["DataKey"]["Properties"]["KeyPolicy"]
    [grant] = [s for s in statements(key) if s.get("Sid") == "CloudWatchAlarmsToTheEncryptedTopic"]
    assert grant["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert sorted(as_list(grant["Action"])) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert _only_this_stacks_alarms(grant["Condition"])


def test_each_alarm_email_of_the_context_is_subscribed(monitored: Synthesized) -> None:
    subscriptions = monitored.of_type("AWS::SNS::Subscription").values()
    assert sorted(s["Properties"]["Endpoint"] for s in subscriptions) == sorted(EMAILS)
    for subscription in subscriptions:
        assert subscription["Properties"]["Protocol"] == "email"
        assert logical_id(subscription["Properties"]["TopicArn"]) == topic_id(monitored)


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({}, AlarmSettings()),
        ({"alarm_email": "a@example.org"}, AlarmSettings(emails=("a@example.org",))),
        (
            {"alarm_email": " a@example.org , b@example.org "},
            AlarmSettings(emails=("a@example.org", "b@example.org")),
        ),
        (
            {"alarm_undelivered_hours": "6", "alarm_breaker_minutes": "45", "alarm_no_upload_days": "2"},
            AlarmSettings(undelivered_hours=6, breaker_minutes=45, no_upload_days=2),
        ),
    ],
)
def test_alarm_context(context: dict[str, Any], expected: AlarmSettings) -> None:
    assert AlarmSettings.from_context(context.get) == expected


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"alarm_email": "not-an-address"}, "e-mail"),
        ({"alarm_no_upload_days": "30"}, "between 1 and 7"),
        ({"alarm_breaker_minutes": "5"}, "between 15"),
        ({"alarm_undelivered_hours": "soon"}, "not a number"),
        ({"alarm_undelivered_hours": "0"}, "more than 0"),
    ],
)
def test_bad_alarm_context_is_refused(context: dict[str, Any], message: str) -> None:
    with pytest.raises(AlarmSettingsError, match=message):
        AlarmSettings.from_context(context.get)


# -- the alarms ------------------------------------------------------------------------------------


def expected_alarm_names() -> set[str]:
    queues = [PLAN.push_queue.name, *(plan.queue.name for plan in PLAN.ingest)]
    return {
        *(f"{PREFIX}-dlq-{name}" for name in queues),
        f"{PREFIX}-breaker-open",
        f"{PREFIX}-undelivered-age",
        f"{PREFIX}-push-failures",
        *(f"{PREFIX}-ingest-errors-{domain}" for domain in DOMAINS),
        *(f"{PREFIX}-no-upload-{domain}" for domain in DOMAINS),
        f"{PREFIX}-errors-push",
        *(f"{PREFIX}-errors-{s.function.name}" for s in PLAN.scheduled),
    }


def test_every_alarm_exists_and_notifies_the_topic_when_it_fires_and_clears(monitored: Synthesized) -> None:
    found = alarms(monitored)
    assert expected_alarm_names() <= set(found)
    topic = {"Ref": topic_id(monitored)}
    for name, alarm in found.items():
        assert alarm["AlarmActions"] == [topic], name
        assert alarm["OKActions"] == [topic], name
        assert "docs/OPERATIONS.md" in alarm["AlarmDescription"], name
        assert alarm["DatapointsToAlarm"] == alarm["EvaluationPeriods"], name


def test_any_message_in_any_dlq_alarms(monitored: Synthesized) -> None:
    queues = monitored.by_plan_name("AWS::SQS::Queue")
    for plan in (PLAN.push_queue, *(i.queue for i in PLAN.ingest)):
        alarm = alarms(monitored)[f"{PREFIX}-dlq-{plan.name}"]
        dlq_id, _ = queues[plan.dlq_name]
        assert alarm["Namespace"] == "AWS/SQS"
        assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
        assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [dlq_id, "QueueName"]}}]
        assert (alarm["Statistic"], alarm["Period"], alarm["Threshold"]) == ("Maximum", 300, 1)
        assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert alarm["TreatMissingData"] == "notBreaching"


def test_the_breaker_alarm_waits_half_an_hour_of_sweep_reports(monitored: Synthesized) -> None:
    alarm = alarms(monitored)[f"{PREFIX}-breaker-open"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("SikasSync", t.BREAKER_OPEN)
    assert alarm["Dimensions"] == app_dimensions()
    assert (alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]) == ("Maximum", 900, 2)
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")


def test_the_undelivered_age_alarm_fires_after_a_day(monitored: Synthesized) -> None:
    alarm = alarms(monitored)[f"{PREFIX}-undelivered-age"]
    assert (alarm["MetricName"], alarm["Dimensions"]) == (t.OLDEST_UNDELIVERED_AGE, app_dimensions())
    assert (alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]) == ("Maximum", 900, 1)
    assert alarm["Threshold"] == 24 * 3600


def _math(alarm: dict[str, Any]) -> tuple[str, dict[str, dict[str, Any]]]:
    [expression] = [m for m in alarm["Metrics"] if "Expression" in m]
    assert expression["ReturnData"] is True
    inputs = {m["Id"]: m["MetricStat"] for m in alarm["Metrics"] if "MetricStat" in m}
    assert all(m["ReturnData"] is False for m in alarm["Metrics"] if "MetricStat" in m)
    return expression["Expression"], inputs


def test_ingest_error_rate_alarms_per_domain_on_its_function(monitored: Synthesized) -> None:
    functions = monitored.by_plan_name("AWS::Lambda::Function")
    for plan in PLAN.ingest:
        alarm = alarms(monitored)[f"{PREFIX}-ingest-errors-{plan.domain}"]
        expression, inputs = _math(alarm)
        assert expression == "IF(invocations > 0, 100 * FILL(errors, 0) / invocations, 0)"
        function_id, _ = functions[plan.function.name]
        for name, metric in (("errors", "Errors"), ("invocations", "Invocations")):
            assert inputs[name]["Metric"]["MetricName"] == metric
            assert inputs[name]["Metric"]["Dimensions"] == [
                {"Name": "FunctionName", "Value": {"Ref": function_id}}
            ]
            assert (inputs[name]["Stat"], inputs[name]["Period"]) == ("Sum", 3600)
        assert (alarm["Threshold"], alarm["EvaluationPeriods"]) == (10, 1)


def test_push_failure_rate_reads_the_totals_over_all_domains(monitored: Synthesized) -> None:
    alarm = alarms(monitored)[f"{PREFIX}-push-failures"]
    expression, inputs = _math(alarm)
    assert expression == "IF((a + d + r + f + b) > 0, 100 * (f + b) / (a + d + r + f + b), 0)"
    assert {k: v["Metric"]["MetricName"] for k, v in inputs.items()} == {
        "a": t.PUSH_ACCEPTED,
        "d": t.PUSH_DUPLICATE,
        "r": t.PUSH_REFUSED,
        "f": t.PUSH_FAILED,
        "b": t.PUSH_BLOCKED,
    }
    for metric in inputs.values():
        # The service-only dimension set: the push function publishes each domain's counts under it too.
        assert metric["Metric"]["Dimensions"] == app_dimensions()
        assert (metric["Stat"], metric["Period"]) == ("Sum", 900)
    assert (alarm["Threshold"], alarm["EvaluationPeriods"]) == (25, 2)


def test_a_domain_without_uploads_for_a_week_alarms(monitored: Synthesized) -> None:
    for domain in DOMAINS:
        alarm = alarms(monitored)[f"{PREFIX}-no-upload-{domain}"]
        assert (alarm["MetricName"], sorted_dims(alarm["Dimensions"])) == (
            t.FILES_RECEIVED,
            sorted_dims(app_dimensions(domain)),
        )
        assert (alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]) == ("Sum", 86400, 7)
        assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (1, "LessThanThreshold")
        # Days of zeros come from the sweep (test_ingest_sweep_telemetry.py); no data is no alarm.
        assert alarm["TreatMissingData"] == "notBreaching"
        assert alarm["Period"] * alarm["EvaluationPeriods"] <= 7 * 86400  # CloudWatch's limit


def test_function_failures_alarm(monitored: Synthesized) -> None:
    functions = monitored.by_plan_name("AWS::Lambda::Function")
    expected = {"push": (300, 3), "sweep": (900, 2), "reconcile": (3600, 1), "report": (3600, 1)}
    for name, (period, periods) in expected.items():
        alarm = alarms(monitored)[f"{PREFIX}-errors-{name}"]
        function_id, _ = functions[name]
        assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "Errors")
        assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function_id}}]
        assert (alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]) == ("Sum", period, periods)
        assert alarm["Threshold"] == 1


# -- the dashboard ---------------------------------------------------------------------------------


def dashboard(monitored: Synthesized) -> dict[str, Any]:
    [resource] = monitored.of_type("AWS::CloudWatch::Dashboard").values()
    assert resource["Properties"]["DashboardName"] == PREFIX
    body = resource["Properties"]["DashboardBody"]
    parts = body["Fn::Join"][1] if isinstance(body, dict) else [body]
    # Tokens (function names, queue names, the region) sit inside JSON strings: a stand-in keeps JSON.
    text = "".join(part if isinstance(part, str) else "TOKEN" for part in parts)
    document: dict[str, Any] = json.loads(text)
    return document


def widget_metrics(widget: dict[str, Any]) -> list[tuple[str, str, dict[str, str]]]:
    """(namespace, metric name, dimensions) of each metric line of a widget."""
    found = []
    for line in widget.get("properties", {}).get("metrics", []):
        names = [x for x in line if isinstance(x, str)]
        namespace, metric, rest = names[0], names[1], names[2:]
        found.append((namespace, metric, dict(zip(rest[::2], rest[1::2], strict=False))))
    return found


def groups(monitored: Synthesized) -> dict[str, list[dict[str, Any]]]:
    """The widgets under each `## heading` text widget."""
    found: dict[str, list[dict[str, Any]]] = {}
    current = None
    for widget in dashboard(monitored)["widgets"]:
        markdown = widget.get("properties", {}).get("markdown", "")
        if widget["type"] == "text" and markdown.startswith("## "):
            current = markdown[3:]
            found[current] = []
        elif current is not None:
            found[current].append(widget)
    return found


def titled(widgets: list[dict[str, Any]], start: str) -> dict[str, Any]:
    [widget] = [w for w in widgets if w["properties"].get("title", "").startswith(start)]
    return widget


def test_the_dashboard_has_every_widget_group_in_order(monitored: Synthesized) -> None:
    assert list(groups(monitored)) == list(WIDGET_GROUPS)
    first = dashboard(monitored)["widgets"][:2]
    assert first[0]["type"] == "text"
    assert "docs/OPERATIONS.md" in first[0]["properties"]["markdown"]
    assert first[1]["type"] == "alarm"  # the alarm status first of all
    assert len(first[1]["properties"]["alarms"]) == len(alarms(monitored))


def test_uploads_show_every_ingest_metric_for_every_domain(monitored: Synthesized) -> None:
    widgets = groups(monitored)[WIDGET_GROUPS[0]]
    seen: dict[str, set[str]] = {}
    for widget in widgets:
        for namespace, metric, dims in widget_metrics(widget):
            assert (namespace, dims["service"]) == ("SikasSync", "sikas-sync-12-09")
            seen.setdefault(metric, set()).add(dims["domain"])
    assert seen == {name: set(DOMAINS) for name in t.INGEST_METRICS}
    arrived = titled(widgets, "Files received in the selected time range")
    assert arrived["type"] == "metric"
    assert arrived["properties"]["setPeriodToTimeRange"] is True


def test_delivery_shows_each_outcome_per_domain_the_totals_and_the_breaker(monitored: Synthesized) -> None:
    widgets = groups(monitored)[WIDGET_GROUPS[1]]
    per_domain: dict[str, set[str]] = {}
    totals = set()
    for widget in widgets:
        for _, metric, dims in widget_metrics(widget):
            if "domain" in dims:
                per_domain.setdefault(metric, set()).add(dims["domain"])
            else:
                totals.add(metric)
    assert per_domain == {name: set(DOMAINS) for name in t.PUSH_METRICS}
    assert {*t.PUSH_METRICS, t.MINISTRY_REQUESTS} <= totals
    assert "Ministry circuit breaker" in json.dumps(widgets)
    assert "Records not delivered" in json.dumps(widgets)


def test_waiting_shows_the_oldest_record_and_the_backlog_per_domain(monitored: Synthesized) -> None:
    widgets = groups(monitored)[WIDGET_GROUPS[2]]
    oldest = titled(widgets, "Oldest undelivered record")
    assert {dims["domain"] for _, m, dims in widget_metrics(oldest) if m == t.OLDEST_UNDELIVERED_AGE} == set(
        DOMAINS
    )
    assert oldest["properties"]["annotations"]["horizontal"][0]["value"] == 24 * 3600
    backlog = titled(widgets, "Undelivered records")
    assert {dims["domain"] for _, _, dims in widget_metrics(backlog)} == set(DOMAINS)


def test_queues_show_dlq_depths_and_queue_depths_and_ages(monitored: Synthesized) -> None:
    widgets = groups(monitored)[WIDGET_GROUPS[3]]
    dlqs = widget_metrics(titled(widgets, "Dead-letter queues"))
    assert len(dlqs) == 1 + len(DOMAINS)
    assert {metric for _, metric, _ in dlqs} == {"ApproximateNumberOfMessagesVisible"}
    metrics = {metric for widget in widgets for _, metric, _ in widget_metrics(widget)}
    assert {
        "ApproximateNumberOfMessagesVisible",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateAgeOfOldestMessage",
    } <= metrics
    assert len(widget_metrics(titled(widgets, "Ingest queues: exports waiting"))) == len(DOMAINS)
    assert len(widget_metrics(titled(widgets, "Ingest queues: oldest export"))) == len(DOMAINS)


def test_functions_show_errors_throttles_and_durations_of_every_function(monitored: Synthesized) -> None:
    widgets = groups(monitored)[WIDGET_GROUPS[4]]
    functions = len(monitored.by_plan_name("AWS::Lambda::Function"))
    for title, metric in (
        ("Errors", "Errors"),
        ("Throttles", "Throttles"),
        ("Duration p99", "Duration"),
        ("Duration max", "Duration"),
    ):
        lines = widget_metrics(titled(widgets, title))
        assert {m for _, m, _ in lines} == {metric}
        assert len(lines) == functions, title


# -- the saved queries -----------------------------------------------------------------------------


def queries(monitored: Synthesized) -> dict[str, dict[str, Any]]:
    return {
        r["Properties"]["Name"].split("/", 1)[1]: r["Properties"]
        for r in monitored.of_type("AWS::Logs::QueryDefinition").values()
    }


def log_groups_of(monitored: Synthesized, query: dict[str, Any]) -> set[str]:
    names = {}
    for group_id, group in monitored.of_type("AWS::Logs::LogGroup").items():
        if "LogGroupName" in group["Properties"]:
            names[group_id] = group["Properties"]["LogGroupName"]
    return {names[logical_id(ref)] for ref in query["LogGroupNames"]}


def test_five_saved_queries_under_the_stacks_folder(monitored: Synthesized) -> None:
    found = monitored.of_type("AWS::Logs::QueryDefinition").values()
    assert all(q["Properties"]["Name"].startswith(PREFIX + "/") for q in found)
    assert sorted(queries(monitored)) == [
        f"1 One file's story (replace {FILE_KEY_PLACEHOLDER})",
        "2 Rejected rows by error code",
        "3 Ministry refusals by code",
        f"4 A record's journey (replace {RECORD_ID_PLACEHOLDER})",
        "5 Slowest invocations",
    ]


def by_number(monitored: Synthesized, number: str) -> dict[str, Any]:
    [query] = [q for name, q in queries(monitored).items() if name.startswith(number + " ")]
    return query


def test_a_files_story_follows_its_key_through_ingest_push_and_sweep(monitored: Synthesized) -> None:
    query = by_number(monitored, "1")
    assert f'| filter @message like "{FILE_KEY_PLACEHOLDER}"' in query["QueryString"]
    assert "counts.created" in query["QueryString"]
    assert "| sort @timestamp asc" in query["QueryString"]
    groups_ = log_groups_of(monitored, query)
    assert {PLAN.log_group_name(p.function) for p in PLAN.ingest} | {
        "/aws/lambda/sikas-sync-12-09-push",
        "/aws/lambda/sikas-sync-12-09-sweep",
    } == groups_


def test_rejected_rows_and_refusals_are_counted_by_code(monitored: Synthesized) -> None:
    rows = by_number(monitored, "2")
    assert f'filter message = "{t.LOG_ROWS_REJECTED}"' in rows["QueryString"]
    assert re.search(
        r"stats sum\(error_rows\) as rows_rejected.* by domain, error_code, column", rows["QueryString"]
    )
    assert log_groups_of(monitored, rows) == {PLAN.log_group_name(p.function) for p in PLAN.ingest}
    refusals = by_number(monitored, "3")
    assert f'filter message = "{t.LOG_MINISTRY_REFUSAL}"' in refusals["QueryString"]
    assert "by domain, error_code, error_field" in refusals["QueryString"]
    assert log_groups_of(monitored, refusals) == {"/aws/lambda/sikas-sync-12-09-push"}


def test_a_records_journey_and_the_slowest_invocations(monitored: Synthesized) -> None:
    journey = by_number(monitored, "4")
    assert f'filter @message like "{RECORD_ID_PLACEHOLDER}"' in journey["QueryString"]
    assert {"/aws/lambda/sikas-sync-12-09-push", "/aws/lambda/sikas-sync-12-09-sweep"} <= log_groups_of(
        monitored, journey
    )
    slowest = by_number(monitored, "5")
    assert 'filter @type = "REPORT"' in slowest["QueryString"]
    assert "sort @duration desc" in slowest["QueryString"]
    assert len(log_groups_of(monitored, slowest)) == len(monitored.by_plan_name("AWS::Lambda::Function"))


# -- cdk-nag and outputs ---------------------------------------------------------------------------


def test_cdk_nag_finds_nothing_in_monitoring_but_the_alarm_mails_redrive(monitored: Synthesized) -> None:
    suppressed = []
    for plugin in monitored.validation_report()["pluginReports"]:
        assert plugin["conclusion"] == "success", plugin["pluginName"]
        assert plugin["violations"] == [], plugin["pluginName"]
        suppressed += [
            (violation["acknowledgedId"], construct["constructPath"])
            for violation in plugin["suppressedViolations"]
            for construct in violation["violatingConstructs"]
            if "/Monitoring/" in construct["constructPath"]
        ]
    # One acknowledgement per e-mail subscription, with its reason (sikas_constructs/monitoring.py).
    stack = monitored.stack.node.path
    assert sorted(suppressed) == sorted(
        ("Serverless::Serverless-SNSRedrivePolicy", f"{stack}/Monitoring/AlarmTopic/{email}/Resource")
        for email in EMAILS
    )


def test_outputs_name_the_topic_and_the_dashboard(monitored: Synthesized) -> None:
    outputs = monitored.template["Outputs"]
    assert outputs["AlarmTopicArn"]["Value"] == {"Ref": topic_id(monitored)}
    assert outputs["DashboardName"]["Value"] == PREFIX


def test_monitoring_is_part_of_the_stack(monitored: Synthesized) -> None:
    assert isinstance(monitored.stack, Stack)
    assert monitored.stack.node.try_find_child("Monitoring") is not None


def test_every_alarm_starts_green_on_a_fresh_deployment(monitored: Synthesized) -> None:
    # Before anything ran there is no data point at all: an alarm that reads missing data as
    # breaching (or alarms on INSUFFICIENT_DATA) would be red from the start and page the admins.
    found = alarms(monitored)
    assert len(found) > 20
    for name, alarm in found.items():
        assert alarm["TreatMissingData"] == "notBreaching", name
        assert "InsufficientDataActions" not in alarm, name
