"""cdk-nag 3.x: the rule packs the app is checked against, and acknowledgements with reasons.

cdk-nag 3 is a CDK policy-validation plugin: any finding that is not acknowledged fails synthesis
(and with it `cdk synth`). Each finding is acknowledged one by one, on the narrowest construct,
with the reason written next to it.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, Validations
from cdk_nag import AwsSolutionsChecks, ServerlessChecks
from constructs import IConstruct


def add_checks(app: App) -> None:
    Validations.of(app).add_plugins(
        AwsSolutionsChecks(app, verbose=True), ServerlessChecks(app, verbose=True)
    )


def acknowledge(scope: IConstruct, reasons: dict[str, str]) -> None:
    """Acknowledges each finding (e.g. `AwsSolutions-IAM5[Resource::*]`) on `scope` and below."""
    for finding, reason in reasons.items():
        Validations.of(scope).acknowledge(Acknowledgment(id=acknowledgment_id(finding), reason=reason))


def acknowledgment_id(finding: str) -> str:
    # Qualified with the plugin's name (`AwsSolutions::...`), as synth names it; an unqualified id
    # is taken for an annotation and then missing from validation-report.json's audit trail.
    pack = finding.split("-", 1)[0]
    return f"{pack}::{finding}"
