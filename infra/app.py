"""CDK app entry point (cdk.json: `.venv/bin/python infra/app.py`, run from the repository root).

Context: region_code (default 12.09), ministry_url, ministry_rate_limit_per_s (optional).
The Lambda layers come from build/layers, built by `make layers`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from aws_cdk import App

from sikas_constructs.layers import LayersMissing, layer_paths
from sikas_constructs.nag import add_checks
from sikas_stack import DeploymentSettings, SettingsError, SikasSyncStack, stack_id

ROOT = Path(__file__).resolve().parent.parent
LAYERS_ROOT = ROOT / "build" / "layers"


def cdk_json_context() -> dict[str, Any]:
    """cdk.json's context (defaults and feature flags), for apps built outside the CDK CLI (tests)."""
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return context


def build_app(app: App | None = None, *, layers_root: Path = LAYERS_ROOT) -> tuple[App, SikasSyncStack]:
    layer_paths(layers_root)  # before anything else: without the layers there is nothing to deploy
    app = app or App()
    settings = DeploymentSettings.from_context(app.node.try_get_context)
    stack = SikasSyncStack(
        app,
        stack_id(settings.region_code),
        settings=settings,
        layers_root=layers_root,
        description=f"sikas-sync {settings.region_code}: SIKAS labour data to the Ministry of Manpower",
    )
    add_checks(app)  # cdk-nag: any unacknowledged finding fails the synthesis
    return app, stack


def main() -> int:
    try:
        app, _ = build_app(layers_root=LAYERS_ROOT)
    except (LayersMissing, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    app.synth()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
