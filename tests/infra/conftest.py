"""Fixtures of the infrastructure tests: one in-process synthesis of the CDK app per test session.

The app is built exactly as `infra/app.py` builds it for the CDK CLI (cdk.json's context and feature
flags, cdk-nag plugins), with stub layer folders so these tests need no `make layers`; the real
layers and the real CLI are exercised by test_infra_cli_synth.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
# infra/ holds top-level modules (app, sikas_stack, sikas_constructs), as when cdk.json runs app.py.
if str(INFRA) not in sys.path:
    sys.path.insert(0, str(INFRA))
# Before jsii starts its Node process: this machine's Node 20 makes it print a banner per call.
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from infra_support import Synthesized, synthesize  # noqa: E402 - needs the path above


@pytest.fixture(scope="session")
def stub_layers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layers")
    package = root / "core" / "python" / "sikas_sync"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (root / "deps" / "python").mkdir(parents=True)
    (root / "deps" / "python" / "placeholder.txt").write_text("stub: the real deps come from make layers")
    return root


@pytest.fixture(scope="session")
def synthesized(stub_layers: Path, tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    return synthesize(stub_layers, tmp_path_factory.mktemp("cdk.out"))
