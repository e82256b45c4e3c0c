"""(5) Cold start: the import time of each function's handler module against `import boto3` alone.

Each handler is measured in two environments, named in its figure: as Lambda runs it (Active
tracing: `LAMBDA_TASK_ROOT` set, so Powertools' Tracer is on and loads the X-Ray SDK), and with
`POWERTOOLS_TRACE_DISABLED=true` (as the embedded stack and the tests run it). A handler loads its
use case (boto3 clients, the ministry client, domain models, validation) on its first invocation:
that part of a cold start is not in these figures.
"""

from __future__ import annotations

import os
import statistics
import subprocess
from pathlib import Path

from bench.common import PYTHON, ROOT, Figure

SECTION = "5 cold start"
HEAVY = ("openpyxl", "faker", "moto", "http.server", "aws_cdk", "jsii", "pandas", "numpy", "werkzeug")
_LOAD_HANDLER = """
import importlib.util, sys, time
started = time.perf_counter()
spec = importlib.util.spec_from_file_location("handler", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(time.perf_counter() - started)
"""
_IMPORT_BOTO3 = (
    "import time; started = time.perf_counter(); import boto3; print(time.perf_counter() - started)"
)
# Whatever decides whether tracing is on comes from the environments below, not from the caller's.
_TRACING_VARIABLES = (
    "POWERTOOLS_TRACE_DISABLED",
    "LAMBDA_TASK_ROOT",
    "AWS_SAM_LOCAL",
    "AWS_CHALICE_CLI_MODE",
    "AWS_XRAY_SDK_ENABLED",
)
_LAMBDA = {  # what Lambda sets before it imports the handler (the trace header comes per invocation)
    "LAMBDA_TASK_ROOT": "/var/task",
    "AWS_LAMBDA_FUNCTION_NAME": "bench",
    "AWS_REGION": "ap-southeast-3",
    "AWS_DEFAULT_REGION": "ap-southeast-3",
}
ENVIRONMENTS = {
    "as on Lambda, tracing on": _LAMBDA,
    "POWERTOOLS_TRACE_DISABLED": {"POWERTOOLS_TRACE_DISABLED": "true"},
}


def _environment(extra: dict[str, str]) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in _TRACING_VARIABLES}
    return env | extra


def _seconds(code: str, *args: str, runs: int, env: dict[str, str]) -> float:
    """Median over fresh interpreters: each is a cold start of its own."""
    found = []
    for _ in range(runs):
        out = subprocess.run(  # noqa: S603 - the project's own commands, no outside input
            [PYTHON, "-c", code, *args], capture_output=True, text=True, check=True, cwd=ROOT, env=env
        )
        found.append(float(out.stdout))
    return statistics.median(found)


def _heavy_imports(handler: Path, env: dict[str, str]) -> list[str]:
    """Heavy modules that `python -X importtime` shows on the handler's import path."""
    done = subprocess.run(  # noqa: S603 - the project's own commands, no outside input
        [PYTHON, "-X", "importtime", "-c", _LOAD_HANDLER, str(handler)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    modules = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)


def run(quick: bool = False) -> list[Figure]:
    runs = 3 if quick else 7
    boto3_s = _seconds(_IMPORT_BOTO3, runs=runs, env=_environment({}))
    figures = [
        Figure(SECTION, "import boto3", boto3_s * 1000, "ms", note=f"median of {runs} fresh processes")
    ]
    for handler in sorted((ROOT / "functions").glob("*/handler.py")):
        for label, extra in ENVIRONMENTS.items():
            env = _environment(extra)
            seconds = _seconds(_LOAD_HANDLER, str(handler), runs=runs, env=env)
            heavy = _heavy_imports(handler, env)
            figures.append(
                Figure(
                    SECTION,
                    f"import functions/{handler.parent.name}/handler.py ({label})",
                    seconds * 1000,
                    "ms",
                    reference=boto3_s * 1000,
                    reference_name="import boto3",
                    ratio=seconds / boto3_s,
                    target="< 2",
                    met=seconds / boto3_s < 2,
                    note="heavy imports: " + (", ".join(heavy) if heavy else "none"),
                    details={"heavy_imports": heavy, "environment": extra},
                )
            )
    return figures
