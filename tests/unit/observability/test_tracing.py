"""The tracer with tracing off (no X-Ray SDK loaded) and on, as Lambda runs it with Active tracing.

Each case runs in a fresh interpreter: whether tracing is on is decided when the observability
module is imported, and a module once imported stays so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FUNCTIONS = Path(__file__).resolve().parents[3] / "functions"
HANDLERS = sorted(path.parent.name for path in FUNCTIONS.glob("*/handler.py"))
TRACING = ("POWERTOOLS_TRACE_DISABLED", "LAMBDA_TASK_ROOT", "AWS_SAM_LOCAL", "AWS_CHALICE_CLI_MODE")

LOAD_HANDLERS = """
import importlib.util, json, sys
for path in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location("handler_" + path.split("/")[-2], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(module.lambda_handler)
print(json.dumps(sorted(name for name in sys.modules if name.startswith("aws_xray_sdk"))))
"""

TRACED_CALL = """
import json, sys
if sys.argv[1] == "boto3 first":
    import boto3
from sikas_sync.observability import tracer
import boto3
from aws_xray_sdk.core import xray_recorder
from botocore.stub import Stubber

sent = []

class Emitter:
    def send_entity(self, entity):
        sent.append(entity.to_dict())

    def set_daemon_address(self, address):
        pass

xray_recorder.configure(emitter=Emitter())

@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event, context):
    s3 = boto3.client("s3", aws_access_key_id="test", aws_secret_access_key="test")
    with Stubber(s3) as stub:
        stub.add_response("list_buckets", {"Buckets": []})
        s3.list_buckets()
    return {}

lambda_handler({}, None)
print(json.dumps(sent))
"""


def run(code: str, *args: str, **env: str) -> str:
    environment = {name: value for name, value in os.environ.items() if name not in TRACING}
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        env=environment | env,
    )
    return done.stdout


@pytest.mark.parametrize(
    "env",
    [{"POWERTOOLS_TRACE_DISABLED": "true", "LAMBDA_TASK_ROOT": "/var/task"}, {}],
    ids=["disabled by variable", "outside Lambda"],
)
def test_with_tracing_off_loading_a_handler_loads_no_xray_recorder(env: dict[str, str]) -> None:
    paths = [str(FUNCTIONS / name / "handler.py") for name in HANDLERS]

    loaded = json.loads(run(LOAD_HANDLERS, *paths, **env))

    # Powertools still switches the SDK off through its tiny top package; the recorder never loads.
    assert "aws_xray_sdk.core" not in loaded
    assert set(loaded) <= {"aws_xray_sdk", "aws_xray_sdk.sdk_config"}


@pytest.mark.parametrize("order", ["boto3 first", "boto3 after"])
def test_with_tracing_on_the_handler_and_its_aws_calls_are_recorded(order: str) -> None:
    sent = json.loads(
        run(
            TRACED_CALL,
            order,
            LAMBDA_TASK_ROOT="/var/task",
            AWS_REGION="ap-southeast-3",
            AWS_DEFAULT_REGION="ap-southeast-3",
            _X_AMZN_TRACE_ID="Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        )
    )

    by_name = {entity["name"]: entity for entity in sent}
    assert set(by_name) == {"## lambda_handler", "s3"}
    handler, aws_call = by_name["## lambda_handler"], by_name["s3"]
    assert handler["trace_id"] == "1-5759e988-bd862e3fe1be46a994272793"
    assert handler["annotations"] == {"ColdStart": True, "Service": "sikas-sync-12-09"}
    assert aws_call["parent_id"] == handler["id"]
    assert aws_call["aws"]["operation"] == "ListBuckets"
