"""The app's context: defaults from cdk.json, overrides with `-c`, and mistakes caught at synth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from infra_support import Synthesized, synthesize

import app as app_module
from sikas_stack import DeploymentSettings, SettingsError, stack_id
from sikas_sync.resources import DEFAULT_REGION_CODE, resource_plan


def _from(context: dict[str, Any]) -> DeploymentSettings:
    return DeploymentSettings.from_context(context.get)


def test_cdk_json_defaults() -> None:
    settings = _from(app_module.cdk_json_context())
    assert settings.region_code == DEFAULT_REGION_CODE == "12.09"
    assert settings.ministry_url.endswith(".invalid")  # a placeholder that can never resolve
    assert settings.ministry_rate_limit_per_s is None
    assert settings.plan() == resource_plan()
    assert stack_id(settings.region_code) == "SikasSync-12-09"


def test_command_line_context_arrives_as_text() -> None:
    settings = _from({"region_code": "12.71", "ministry_rate_limit_per_s": "2.5"})
    assert settings.region_code == "12.71"
    assert settings.ministry_rate_limit_per_s == 2.5
    plan = settings.plan()
    assert plan.delivery.ministry_rate_limit_per_s == 2.5
    assert plan.region_code == "12.71"
    assert plan.ingest == resource_plan("12.71").ingest


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"region_code": "1209"}, "region_code"),
        ({"region_code": "12.9"}, "region_code"),
        ({"ministry_url": "http://integration.example.invalid"}, "https"),
        ({"ministry_url": "integration.example.invalid"}, "https"),
        ({"ministry_rate_limit_per_s": "fast"}, "not a number"),
        ({"ministry_rate_limit_per_s": "0"}, "positive"),
    ],
)
def test_bad_context_is_refused(context: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        _from(context)


def test_main_reports_missing_layers_and_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(app_module, "LAYERS_ROOT", tmp_path / "no-layers")
    assert app_module.main() == 1
    assert "run `make layers`" in capsys.readouterr().err


def test_another_region_and_a_rate_limit(stub_layers: Path, tmp_path: Path) -> None:
    synthesized = synthesize(
        stub_layers,
        tmp_path,
        region_code="12.71",
        ministry_url="https://api.example.invalid",
        ministry_rate_limit_per_s="3",
    )
    assert synthesized.stack.stack_name == "SikasSync-12-71"
    functions = synthesized.by_plan_name("AWS::Lambda::Function")
    for _, function in functions.values():
        assert function["Properties"]["Environment"]["Variables"]["REGION_CODE"] == "12.71"
    push = functions[resource_plan().delivery.function.name][1]["Properties"]["Environment"]["Variables"]
    assert push["MINISTRY_URL"] == "https://api.example.invalid"
    # The ministry's 3 requests/s shared by the push function's concurrent invocations.
    concurrency = resource_plan().delivery.function.max_concurrency or 1
    assert float(push["MINISTRY_RATE_LIMIT_PER_S"]) * concurrency == 3.0


def test_outputs_name_what_the_admin_commands_read(synthesized: Synthesized) -> None:
    """`sikas-sync pending --stack NAME` resolves the stack from exactly these outputs."""
    from sikas_sync.operations import target

    outputs = synthesized.template["Outputs"]
    expected = {
        target.OUTPUT_REGION_CODE,
        target.OUTPUT_BUCKET,
        target.OUTPUT_RECORDS,
        target.OUTPUT_DELIVERIES,
        target.OUTPUT_FILES,
        target.OUTPUT_PUSH_QUEUE,
        target.OUTPUT_PUSH_DLQ,
        target.OUTPUT_ERASE_FUNCTION,
        "SikasAccessPolicyArn",  # what the admins attach to SIKAS's identity (no role without context)
        *(name for ingest in synthesized.plan.ingest for name in target.ingest_output_names(ingest.domain)),
    }
    # The admin commands' outputs, plus what operators open in the console.
    assert set(outputs) == expected | {"AlarmTopicArn", "DashboardName"}
    assert outputs[target.OUTPUT_REGION_CODE]["Value"] == synthesized.plan.region_code
    queue_ids, _ = synthesized.by_plan_name("AWS::SQS::Queue")["push"]
    assert outputs[target.OUTPUT_PUSH_QUEUE]["Value"] == {"Ref": queue_ids}
    erase_id, _ = synthesized.by_plan_name("AWS::Lambda::Function")["erase"]
    assert outputs[target.OUTPUT_ERASE_FUNCTION]["Value"] == {"Ref": erase_id}
