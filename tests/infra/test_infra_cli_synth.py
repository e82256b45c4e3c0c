"""The real thing once: `make synth` (layers, the pinned CDK CLI, cdk-nag, cfn-lint) into a temp dir."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from infra_support import ROOT, Synthesized

pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which("npm") is None, reason="the CDK CLI needs Node.js and npm")
def test_make_synth_writes_a_template_that_passes_cfn_lint(tmp_path: Path, synthesized: Synthesized) -> None:
    out = tmp_path / "cdk.out"
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    result = subprocess.run(
        ["make", "--no-print-directory", "synth", f"CDK_OUT={out}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    (template_file,) = out.glob("SikasSync*.template.json")
    assert template_file.name == f"{synthesized.stack.stack_name}.template.json"
    lint = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "cfn-lint"), str(template_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    # The in-process synthesis the other tests read is the one the CLI makes (assets aside).
    cli = json.loads(template_file.read_text())["Resources"]
    assert {k: v["Type"] for k, v in cli.items()} == {k: v["Type"] for k, v in synthesized.resources.items()}
    for logical_id, resource in cli.items():
        assert _without_assets(resource) == _without_assets(synthesized.resources[logical_id]), logical_id
    report = json.loads((out / "validation-report.json").read_text())
    assert {plugin["pluginName"]: plugin["violations"] for plugin in report["pluginReports"]} == {
        "AwsSolutions": [],
        "Serverless": [],
    }


def _without_assets(resource: dict[str, Any]) -> dict[str, Any]:
    """The tests' layers are stubs: only the asset hashes (code, layer content) may differ."""
    properties = {k: v for k, v in resource.get("Properties", {}).items() if k not in {"Code", "Content"}}
    metadata = {k: v for k, v in resource.get("Metadata", {}).items() if not k.startswith("aws:asset:")}
    return {**resource, "Properties": properties, "Metadata": metadata}
