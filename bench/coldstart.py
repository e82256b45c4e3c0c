"""(5) Cold start: the import time of each function's handler module against `import boto3` alone."""

from __future__ import annotations

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


def _seconds(code: str, *args: str, runs: int) -> float:
    """Median over fresh interpreters: each is a cold start of its own."""
    found = []
    for _ in range(runs):
        out = subprocess.run(  # noqa: S603 - the project's own commands, no outside input
            [PYTHON, "-c", code, *args], capture_output=True, text=True, check=True, cwd=ROOT
        )
        found.append(float(out.stdout))
    return statistics.median(found)


def _heavy_imports(handler: Path) -> list[str]:
    """Heavy modules that `python -X importtime` shows on the handler's import path."""
    done = subprocess.run(  # noqa: S603 - the project's own commands, no outside input
        [PYTHON, "-X", "importtime", "-c", _LOAD_HANDLER, str(handler)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    modules = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)


def run(quick: bool = False) -> list[Figure]:
    runs = 3 if quick else 7
    boto3_s = _seconds(_IMPORT_BOTO3, runs=runs)
    figures = [
        Figure(SECTION, "import boto3", boto3_s * 1000, "ms", note=f"median of {runs} fresh processes")
    ]
    for handler in sorted((ROOT / "functions").glob("*/handler.py")):
        seconds = _seconds(_LOAD_HANDLER, str(handler), runs=runs)
        heavy = _heavy_imports(handler)
        figures.append(
            Figure(
                SECTION,
                f"import functions/{handler.parent.name}/handler.py",
                seconds * 1000,
                "ms",
                reference=boto3_s * 1000,
                reference_name="import boto3",
                ratio=seconds / boto3_s,
                target="< 2",
                met=seconds / boto3_s < 2,
                note="heavy imports: " + (", ".join(heavy) if heavy else "none"),
                details={"heavy_imports": heavy},
            )
        )
    return figures
