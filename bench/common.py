"""What every section shares: paths, cached inputs, timing, subprocess measurements, results."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
DATA = RESULTS / "data"
PYTHON = sys.executable
CLI = str(Path(PYTHON).parent / "sikas-sync")
SEED = 8  # issue 8


@dataclass
class Figure:
    """One line of the table: a measured value next to its reference, and the ratio of the two."""

    section: str
    name: str
    value: float
    unit: str
    reference: float | None = None
    reference_name: str = ""
    ratio: float | None = None  # value / reference unless stated otherwise in `note`
    target: str = ""  # e.g. ">= 0.1"
    met: bool | None = None
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sample_file(domain: str, rows: int, fmt: str = "csv", invalid_ratio: float = 0.02) -> Path:
    """A synthetic export made once by `sikas-sync sample` and kept under bench-results/data/."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"{domain}_{rows}_{int(invalid_ratio * 1000)}_{SEED}.{fmt}"
    if not path.exists():
        partial = path.with_suffix(".partial." + fmt)
        started = time.perf_counter()
        command = [CLI, "sample", "--domain", domain, "--rows", str(rows), "--format", fmt]
        command += ["--invalid-ratio", str(invalid_ratio), "--seed", str(SEED), "--out", str(partial)]
        subprocess.run(command, check=True, stderr=subprocess.DEVNULL)  # noqa: S603 - the project's own commands, no outside input
        partial.rename(path)
        print(f"  generated {path.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def first_niks(path: Path, count: int) -> list[str]:
    """The NIKs of an export's first rows (a sample CSV, `,` or `;`): people to erase in a bench."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as file:
        header = file.readline()
        file.seek(0)
        rows = csv.DictReader(file, delimiter=";" if header.count(";") > header.count(",") else ",")
        return [row["nik"] for _, row in zip(range(count), rows, strict=False)]


def best_of(runs: int, measure: Callable[[], float]) -> float:
    """The smallest of `runs` measurements: on a shared machine the others only add noise."""
    return min(measure() for _ in range(runs))


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


@dataclass
class ChildRun:
    wall_s: float
    max_rss_kib: int
    returncode: int
    stdout: str
    cpu_s: float  # user + system time of the command: what it cost, whatever else the machine ran


def run_child(command: list[str]) -> ChildRun:
    """Run a command in a fresh process (under a small Python parent, so the peak RSS read from
    RUSAGE_CHILDREN is this command's alone) and report its wall time and peak RSS."""
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "cpu = usage.ru_utime + usage.ru_stime\n"
        "print(json.dumps([wall, usage.ru_maxrss, done.returncode, done.stdout, cpu]))\n"
    )
    import json

    out = subprocess.run([PYTHON, "-c", probe, *command], capture_output=True, text=True, check=True).stdout  # noqa: S603 - the project's own commands, no outside input
    wall, rss, code, stdout, cpu = json.loads(out)
    return ChildRun(wall, rss, code, stdout, cpu)


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    try:
        command = ["/usr/bin/free", "-h"]
        free = subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
    except OSError:
        free = ""
    return {
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "free_h": free,
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "max_rss_unit": "KiB (Linux ru_maxrss)",
        "page_size": resource.getpagesize(),
    }
