"""checkov on the synthesized template: every failed check is fixed or justified, with its reason, in
infra/checkov-justifications.yaml, on the resources listed there only; no entry outlives its finding."""

from __future__ import annotations

import json
import subprocess
import sys
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest
import yaml
from infra_support import ROOT, Synthesized

JUSTIFICATIONS = ROOT / "infra" / "checkov-justifications.yaml"
CHECKOV = Path(sys.executable).with_name("checkov")  # installed with the dev extra, beside python


@pytest.fixture(scope="module")
def failed(synthesized: Synthesized) -> dict[str, set[str]]:
    """check id → logical ids of the resources that fail it."""
    template = synthesized.outdir / f"{synthesized.stack.artifact_id}.template.json"
    assert template.is_file()
    command = [str(CHECKOV), "--skip-download", "-f", str(template), "--framework", "cloudformation"]
    completed = subprocess.run(
        [*command, "-o", "json", "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr[-2000:]  # 1: some check failed
    report: Any = json.loads(completed.stdout)
    report = report[0] if isinstance(report, list) else report
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 100  # it did look at the template
    found: dict[str, set[str]] = {}
    for check in report["results"]["failed_checks"]:
        found.setdefault(check["check_id"], set()).add(check["resource"].split(".", 1)[1])
    return found


def _justifications() -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = yaml.safe_load(JUSTIFICATIONS.read_text())
    return entries


def test_every_justification_is_specific_and_gives_a_reason() -> None:
    for check_id, entry in _justifications().items():
        assert set(entry) == {"check", "resources", "reason"}, check_id
        assert entry["resources"], check_id
        assert len(entry["reason"].split()) >= 25, f"{check_id}: say why"


def test_every_failed_check_is_justified_for_the_resources_that_fail_it(failed: dict[str, set[str]]) -> None:
    justified = _justifications()
    unjustified = sorted(set(failed) - set(justified))
    assert not unjustified, f"fix or justify in {JUSTIFICATIONS.name}: {unjustified}"
    for check_id, resources in failed.items():
        patterns = justified[check_id]["resources"]
        stray = sorted(r for r in resources if not any(fnmatchcase(r, p) for p in patterns))
        assert not stray, f"{check_id} fails on resources its justification does not name: {stray}"


def test_no_justification_outlives_its_finding(failed: dict[str, set[str]]) -> None:
    for check_id, entry in _justifications().items():
        assert check_id in failed, f"{check_id} passes now: delete its justification"
        for pattern in entry["resources"]:
            assert any(fnmatchcase(r, pattern) for r in failed[check_id]), (check_id, pattern)


def test_the_fixed_findings_stay_fixed(failed: dict[str, set[str]]) -> None:
    # Encryption, TLS, public access, versioning, PITR, log validation: none of those checks fail.
    for check_id in ("CKV_AWS_19", "CKV_AWS_21", "CKV_AWS_53", "CKV_AWS_145", "CKV_AWS_28", "CKV_AWS_36"):
        assert check_id not in failed, check_id
