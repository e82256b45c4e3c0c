"""cdk-nag 3.x: the synthesis is clean, every acknowledgement is used, narrow and reasoned."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from aws_cdk import App
from aws_cdk import aws_sqs as sqs
from infra_support import Synthesized

from app import build_app, cdk_json_context
from sikas_sync.resources import OUTBOX_RESULTS_PREFIX, QUARANTINE_PREFIX, REPORTS_PREFIX, resource_plan

PLAN = resource_plan()
PACKS = {"AwsSolutions", "Serverless"}
FUNCTIONS = len(PLAN.ingest) + 1
SCHEDULED = len(PLAN.scheduled)  # sweep, reconcile, report: invoked by EventBridge Scheduler
INVOKED = 1  # erase: invoked by an operator


def test_both_rule_packs_ran_and_found_nothing_unacknowledged(synthesized: Synthesized) -> None:
    reports = {report["pluginName"]: report for report in synthesized.validation_report()["pluginReports"]}
    assert set(reports) == PACKS
    for name, report in reports.items():
        assert report["conclusion"] == "success", name
        assert report["violations"] == [], name


def _suppressed(synthesized: Synthesized) -> list[tuple[str, str, str]]:
    """(acknowledged id, where acknowledged, violating construct) of every suppressed finding."""
    return [
        (violation["acknowledgedId"], violation["acknowledgedAt"], construct["constructPath"])
        for report in synthesized.validation_report()["pluginReports"]
        for violation in report["suppressedViolations"]
        for construct in violation["violatingConstructs"]
    ]


def test_every_acknowledgement_suppresses_a_finding_on_its_own_construct(synthesized: Synthesized) -> None:
    used = {(rule, at) for rule, at, _ in _suppressed(synthesized)}
    for path, rules in synthesized.acknowledgments().items():
        for rule in rules:
            assert (rule, path) in used, f"stale acknowledgement {rule} at {path}"
    for rule, at, construct in _suppressed(synthesized):
        assert construct.startswith(at + "/"), (rule, at, construct)


def test_acknowledgements_are_narrow_and_give_reasons(synthesized: Synthesized) -> None:
    stack = synthesized.stack.node.path
    for path, rules in synthesized.acknowledgments().items():
        assert path.startswith(stack + "/"), f"{path}: acknowledge on the construct, not the stack or app"
        for rule, reason in rules.items():
            assert rule.split("::", 1)[0] in PACKS, rule
            assert len(reason.split()) >= 10, f"{rule} at {path}: say why"


def _inventory(synthesized: Synthesized) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rules in synthesized.acknowledgments().values():
        for rule in rules:
            generic = rule
            for plan in PLAN.ingest:  # one entry per kind of finding, not per domain
                generic = generic.replace(f"/{plan.prefix}", "/<domain>/")
            counts[generic] = counts.get(generic, 0) + 1
    return counts


def test_the_acknowledgement_inventory(synthesized: Synthesized) -> None:
    bucket_objects = "AwsSolutions::AwsSolutions-IAM5[Resource::<InboxBucket.Arn>/{}<domain>/*]"
    assert _inventory(synthesized) == {
        "AwsSolutions::AwsSolutions-SMG4": 2,  # the two secrets
        "AwsSolutions::AwsSolutions-IAM5[Resource::*]": FUNCTIONS + SCHEDULED + INVOKED,  # X-Ray per role
        bucket_objects.format(""): 2 * len(PLAN.ingest),  # the ingest roles and the SIKAS policy
        bucket_objects.format(REPORTS_PREFIX): len(PLAN.ingest),
        bucket_objects.format(QUARANTINE_PREFIX): len(PLAN.ingest),
        bucket_objects.format(OUTBOX_RESULTS_PREFIX): len(PLAN.ingest),
        "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
        "AWSLambdaBasicExecutionRole]": 1,  # aws-cdk-lib's BucketNotificationsHandler
        "Serverless::Serverless-LambdaDLQ": FUNCTIONS + SCHEDULED + INVOKED,
        "Serverless::Serverless-LambdaEventSourceMappingDestination": FUNCTIONS,
        # One DLQ per function's queue, and the scheduled functions' failures queue (itself a dead end).
        "Serverless::Serverless-SQSRedrivePolicy": FUNCTIONS + 1,
        "AwsSolutions::AwsSolutions-SQS3": 1,
        # The scheduled functions: the sweep reads any stray key, reconcile and report write dated keys,
        # and each schedule's invoker role may invoke its own function.
        "AwsSolutions::AwsSolutions-IAM5[Resource::<InboxBucket.Arn>/*]": 1,
        "AwsSolutions::AwsSolutions-IAM5[Resource::<InboxBucket.Arn>/reconciliation/*]": 1,
        "AwsSolutions::AwsSolutions-IAM5[Resource::<InboxBucket.Arn>/smdata/*]": 1,
        # The outbox function writes dated files under outbox/ and reads the results files back.
        "AwsSolutions::AwsSolutions-IAM5[Resource::<InboxBucket.Arn>/outbox/*]": 2,  # and SIKAS reads it
        "AwsSolutions::AwsSolutions-IAM5[Resource::<InboxBucket.Arn>/outbox/results/*]": 1,
        # The erase function writes a new audit entry per erasure.
        "AwsSolutions::AwsSolutions-IAM5[Resource::<InboxBucket.Arn>/audit/erasure/*]": 1,
        **{
            f"AwsSolutions::AwsSolutions-IAM5[Resource::<{fid}.Arn>:*]": 1
            for fid in _scheduled_function_ids(synthesized)
        },
    }


def _scheduled_function_ids(synthesized: Synthesized) -> list[str]:
    by_name = synthesized.by_plan_name("AWS::Lambda::Function")
    return [by_name[s.function.name][0] for s in PLAN.scheduled]


def test_wildcard_bucket_acknowledgements_stay_with_their_domain(synthesized: Synthesized) -> None:
    pattern = re.compile(
        r"<InboxBucket\.Arn>/(?:reports/|quarantine/|outbox/results/)?((?!reconciliation/|smdata/|outbox/)[a-z0-9_]+)/\*"
    )
    for path, rules in synthesized.acknowledgments().items():
        for rule in rules:
            if match := pattern.search(rule):
                own = path.endswith(f"/Ingest/{match.group(1)}/Ingest/Role")
                assert own or path.endswith("/SikasAccess/Policy"), (rule, path)


def test_an_unacknowledged_finding_fails_the_synthesis(stub_layers: Path, tmp_path: Path) -> None:
    app = App(context=cdk_json_context(), outdir=str(tmp_path))
    _, stack = build_app(app, layers_root=stub_layers)
    sqs.Queue(stack, "Careless")  # no TLS-only policy, no DLQ: what the packs exist to catch
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    failed = {
        violation["ruleName"]
        for plugin in report["pluginReports"]
        for violation in plugin["violations"]
        if all("/Careless/" in c["constructPath"] for c in violation["violatingConstructs"])
    }
    assert {"AwsSolutions-SQS3", "AwsSolutions-SQS4", "Serverless-SQSRedrivePolicy"} <= failed
    assert all(
        "/Careless/" in c["constructPath"]
        for plugin in report["pluginReports"]
        for violation in plugin["violations"]
        for c in violation["violatingConstructs"]
    ), "nothing but the careless queue fails"
