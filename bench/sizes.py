"""(6) Unzipped size of each function and layer against Lambda's 250 MB limit (function + layers)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.common import PYTHON, ROOT, Figure

SECTION = "6 package size"
LIMIT_MB = 250  # Lambda: a function and all its layers, unzipped, 250 MB (262,144,000 bytes)
LIMIT_BYTES = 262_144_000
SKIPPED = {"__pycache__"}


def tree_bytes(folder: Path) -> int:
    return sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file()
        and not SKIPPED.intersection(path.relative_to(folder).parts)
        and path.suffix != ".pyc"
    )


def run(quick: bool = False) -> list[Figure]:
    # `make layers` builds build/layers/{core,deps} (stamped: instant when nothing changed).
    subprocess.run(  # noqa: S603 - the project's own commands, no outside input
        [PYTHON, str(ROOT / "infra" / "build_layers.py")], check=True, cwd=ROOT, capture_output=True
    )
    layers = {name: tree_bytes(ROOT / "build" / "layers" / name) for name in ("core", "deps")}
    figures = [
        Figure(
            SECTION,
            f"layer {name}",
            size / 1e6,
            "MB",
            reference=LIMIT_MB,
            reference_name="250 MB",
            ratio=size / LIMIT_BYTES,
        )
        for name, size in layers.items()
    ]
    for folder in sorted(path for path in (ROOT / "functions").iterdir() if path.is_dir()):
        size = tree_bytes(folder)
        total = size + sum(layers.values())  # every function carries both layers
        figures.append(
            Figure(
                SECTION,
                f"function {folder.name} + layers",
                total / 1e6,
                "MB",
                reference=LIMIT_MB,
                reference_name="250 MB",
                ratio=total / LIMIT_BYTES,
                target="< 1",
                met=total < LIMIT_BYTES,
                note=f"function code {size / 1e3:.1f} kB",
            )
        )
    return figures
