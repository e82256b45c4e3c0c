"""Helpers of the infrastructure tests: synthesize the app once, read the template by plan name."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from aws_cdk import App
from aws_cdk.assertions import Template

from app import build_app, cdk_json_context
from sikas_stack import SikasSyncStack
from sikas_sync.embedded.iam import plan_name
from sikas_sync.resources import ResourcePlan

ROOT = Path(__file__).resolve().parents[2]
ACKNOWLEDGED = "aws:cdk:acknowledged-rules"
# What the CDK CLI adds to cdk.json's context when it runs the app (cdk.json: versionReporting off).
CLI_CONTEXT = {
    "aws:cdk:enable-path-metadata": True,
    "aws:cdk:enable-asset-metadata": True,
    "aws:cdk:version-reporting": False,
}


@dataclass
class Synthesized:
    app: App
    stack: SikasSyncStack
    outdir: Path
    template: dict[str, Any]
    acknowledged: list[tuple[str, dict[str, str]]]  # (construct path, {rule id: reason})

    @property
    def plan(self) -> ResourcePlan:
        return self.stack.plan

    @cached_property
    def assertions(self) -> Template:
        return Template.from_json(self.template)

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        resources: dict[str, dict[str, Any]] = self.template["Resources"]
        return resources

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {logical_id: r for logical_id, r in self.resources.items() if r["Type"] == kind}

    def by_plan_name(self, kind: str) -> dict[str, tuple[str, dict[str, Any]]]:
        """Resources of `kind` by the plan name they are tagged with: name → (logical id, resource)."""
        found: dict[str, tuple[str, dict[str, Any]]] = {}
        for logical_id, resource in self.of_type(kind).items():
            name = plan_name(resource)
            if name is not None:
                assert name not in found, f"two {kind} resources carry plan name {name}"
                found[name] = (logical_id, resource)
        return found

    def acknowledgments(self) -> dict[str, dict[str, str]]:
        """Construct path → {rule id: reason} of every Validations.acknowledge in the app."""
        found: dict[str, dict[str, str]] = {}
        for path, rules in self.acknowledged:
            found.setdefault(path.lstrip("/"), {}).update(rules)
        return found

    def validation_report(self) -> dict[str, Any]:
        report: dict[str, Any] = json.loads((self.outdir / "validation-report.json").read_text())
        return report


def synthesize(layers_root: Path, outdir: Path, **context: Any) -> Synthesized:
    """Builds the app as infra/app.py does for `cdk synth` (cdk.json context + `context`) and synths."""
    app = App(context={**cdk_json_context(), **CLI_CONTEXT, **context}, outdir=str(outdir))
    _, stack = build_app(app, layers_root=layers_root)
    assembly = app.synth()  # raises when cdk-nag (or any validation) reports a finding
    artifact = assembly.get_stack_artifact(stack.artifact_id)
    return Synthesized(
        app=app,
        stack=stack,
        outdir=outdir,
        template=artifact.template,
        acknowledged=_acknowledged(outdir, stack.artifact_id),
    )


def _acknowledged(outdir: Path, artifact_id: str) -> list[tuple[str, dict[str, str]]]:
    # The stack's metadata file of the cloud assembly (the jsii proxy of find_metadata_by_type
    # cannot serialize asset entries, so read the JSON the CLI would read).
    metadata: dict[str, list[dict[str, Any]]] = json.loads(
        (outdir / f"{artifact_id}.metadata.json").read_text()
    )
    return [
        (path, entry["data"])
        for path, entries in metadata.items()
        for entry in entries
        if entry["type"] == ACKNOWLEDGED
    ]


def logical_id(reference: Any) -> str:
    """The logical id a `{"Ref": ...}` or `{"Fn::GetAtt": [..., ...]}` points at."""
    if "Ref" in reference:
        ref: str = reference["Ref"]
        return ref
    attribute: str = reference["Fn::GetAtt"][0]
    return attribute


def statements(policy_document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    statement = policy_document["Statement"]
    yield from statement if isinstance(statement, list) else [statement]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def role_statements(synthesized: Synthesized, function_name: str) -> list[dict[str, Any]]:
    """Every statement of the identity policies of the function's role (by its plan name)."""
    _, function = synthesized.by_plan_name("AWS::Lambda::Function")[function_name]
    role = {"Ref": logical_id(function["Properties"]["Role"])}
    return [
        statement
        for policy in synthesized.of_type("AWS::IAM::Policy").values()
        if role in policy["Properties"]["Roles"]
        for statement in statements(policy["Properties"]["PolicyDocument"])
    ]
