"""Builds the two Lambda layer folders that the CDK app deploys, without Docker.

    build/layers/deps/python/...            the runtime dependencies of pyproject.toml, as wheels
                                            for the Lambda runtime (CPython 3.14 on arm64 Linux)
    build/layers/core/python/sikas_sync/    the project's own package

The deps layer is installed from infra/layer-deps.lock (every package pinned, with the hash of its
wheel for the Lambda platform), so every build holds the same bytes; `make lock` (`--lock`) writes
the lock again from pyproject.toml, and a build refuses a lock written from other dependencies.

Each half keeps a stamp of what it was built from and is skipped when that has not changed, so
`make layers` is fast on a re-run. Run with the project's venv: `python infra/build_layers.py`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
CORE_SOURCE = ROOT / "layers" / "core" / "sikas_sync"
LAYERS_DIR = ROOT / "build" / "layers"
LOCK = ROOT / "infra" / "layer-deps.lock"
_FROM = "# from pyproject.toml: "

# The functions' runtime (sikas_constructs/layers.py: PYTHON_3_14, ARM_64); wheels must match it.
LAMBDA_PYTHON_VERSION = "3.14"
LAMBDA_PLATFORM = "manylinux2014_aarch64"
PIP_TARGET_ARGS = (
    "--platform",
    LAMBDA_PLATFORM,
    "--implementation",
    "cp",
    "--python-version",
    LAMBDA_PYTHON_VERSION,
    "--only-binary=:all:",
)
SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")


def runtime_dependencies(pyproject: Path = PYPROJECT) -> list[str]:
    """`[project] dependencies`: the one list the deps layer is built from."""
    with pyproject.open("rb") as handle:
        dependencies: list[str] = tomllib.load(handle)["project"]["dependencies"]
    return dependencies


class LockStale(Exception):
    """The lock was written from other dependencies than pyproject.toml declares."""


def lock_dependencies(*, pyproject: Path = PYPROJECT, lock: Path = LOCK) -> list[str]:
    """Resolves the runtime dependencies for the Lambda platform and writes the lock; its lines."""
    dependencies = runtime_dependencies(pyproject)
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        command = [
            sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--dry-run", "--ignore-installed", "--report", str(report), *PIP_TARGET_ARGS,
            "--target", str(Path(scratch) / "target"), *dependencies,
        ]  # fmt: skip
        subprocess.run(command, check=True)  # noqa: S603 - our own interpreter, arguments from pyproject
        resolved = json.loads(report.read_text())["install"]
    lines = sorted(
        f"{re.sub(r'[-_.]+', '-', item['metadata']['name']).lower()}=={item['metadata']['version']} "
        f"--hash=sha256:{item['download_info']['archive_info']['hashes']['sha256']}"
        for item in resolved
    )
    header = [
        f"# The deps layer, pinned for {LAMBDA_PLATFORM} CPython {LAMBDA_PYTHON_VERSION}: written by",
        "# `make lock`, read by `make layers` (pip --require-hashes). Do not edit by hand.",
        _FROM + json.dumps(dependencies),
    ]
    lock.write_text("\n".join([*header, *lines]) + "\n")
    return lines


def read_lock(*, pyproject: Path = PYPROJECT, lock: Path = LOCK) -> str:
    """The lock's text, once it is known to be written from pyproject's current dependencies."""
    if not lock.is_file():
        raise LockStale(f"{lock.name} is missing: run `make lock`")
    text = lock.read_text()
    written_from = next((line[len(_FROM) :] for line in text.splitlines() if line.startswith(_FROM)), "null")
    if json.loads(written_from) != runtime_dependencies(pyproject):
        raise LockStale(
            f"pyproject.toml's dependencies changed since {lock.name} was written: run `make lock`"
        )
    return text


def _current(stamp: Path, fingerprint: str, built: Path) -> bool:
    return built.is_dir() and stamp.is_file() and stamp.read_text() == fingerprint


def build_deps(
    force: bool = False, *, layers_dir: Path = LAYERS_DIR, pyproject: Path = PYPROJECT, lock: Path = LOCK
) -> bool:
    """pip-installs the locked dependencies for the Lambda platform; False when already current."""
    locked = read_lock(pyproject=pyproject, lock=lock)
    fingerprint = json.dumps({"lock": locked, "pip": PIP_TARGET_ARGS}, sort_keys=True)
    stamp = layers_dir / "deps.stamp"  # outside the asset folder, or it would change the asset hash
    target = layers_dir / "deps" / "python"
    if not force and _current(stamp, fingerprint, target):
        return False
    shutil.rmtree(target.parent, ignore_errors=True)
    stamp.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        *PIP_TARGET_ARGS,
        "--require-hashes",  # the same wheels every build, or no build
        "--no-deps",  # the lock holds every package
        "--target",
        str(target),
        "-r",
        str(lock),
    ]
    subprocess.run(command, check=True)  # noqa: S603 - our own interpreter, arguments from the lock
    for cache in target.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(target / "bin", ignore_errors=True)  # console scripts pointing at this venv's python
    stamp.write_text(fingerprint)
    return True


def _tree_digest(source: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(source.rglob("*")):
        if "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"} or not path.is_file():
            continue
        digest.update(str(path.relative_to(source)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def build_core(force: bool = False, *, layers_dir: Path = LAYERS_DIR, source: Path = CORE_SOURCE) -> bool:
    """Copies the package under python/ (Lambda's layer layout); False when already current."""
    fingerprint = _tree_digest(source)
    stamp = layers_dir / "core.stamp"
    target = layers_dir / "core" / "python" / source.name
    if not force and _current(stamp, fingerprint, target):
        return False
    shutil.rmtree(layers_dir / "core", ignore_errors=True)
    stamp.unlink(missing_ok=True)
    shutil.copytree(source, target, ignore=SKIPPED)
    stamp.write_text(fingerprint)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("parts", nargs="*", metavar="{deps,core}", help="what to build (default: both)")
    parser.add_argument("--force", action="store_true", help="rebuild even when the stamp matches")
    parser.add_argument(
        "--lock", action="store_true", help="write infra/layer-deps.lock again, build nothing"
    )
    args = parser.parse_args(argv)
    if args.lock:
        print(f"{LOCK.name}: {len(lock_dependencies())} packages")
        return 0
    if unknown := set(args.parts) - {"deps", "core"}:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    LAYERS_DIR.mkdir(parents=True, exist_ok=True)
    for part in args.parts or ["deps", "core"]:
        try:
            built = build_deps(args.force) if part == "deps" else build_core(args.force)
        except LockStale as stale:
            print(f"error: {stale}", file=sys.stderr)
            return 1
        print(f"layer {part}: {'built' if built else 'up to date'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
