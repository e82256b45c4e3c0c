"""The Docker-free layer build: what it installs for, what it copies, and when it does nothing."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from aws_cdk import App
from infra_support import Synthesized
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

import build_layers
from app import build_app
from sikas_constructs.layers import ARCHITECTURE, RUNTIME, LayersMissing
from sikas_sync.resources import resource_plan


def test_deps_come_from_pyproject() -> None:
    with build_layers.PYPROJECT.open("rb") as handle:
        declared = tomllib.load(handle)["project"]["dependencies"]
    assert build_layers.runtime_dependencies() == declared
    assert any(d.startswith("aws-lambda-powertools") for d in declared)


def test_wheels_are_chosen_for_the_functions_runtime() -> None:
    args = build_layers.PIP_TARGET_ARGS
    assert RUNTIME.name == f"python{build_layers.LAMBDA_PYTHON_VERSION}"
    assert args[args.index("--python-version") + 1] == build_layers.LAMBDA_PYTHON_VERSION
    assert ARCHITECTURE.name == "arm64"
    assert args[args.index("--platform") + 1].endswith("_aarch64")
    assert "--only-binary=:all:" in args  # never an sdist built for this machine instead


def _package(root: Path) -> Path:
    source = root / "src" / "sikas_sync"
    (source / "reference").mkdir(parents=True)
    (source / "__init__.py").write_text("")
    (source / "reference" / "codes.csv.gz").write_bytes(b"\x1f\x8b data")
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"")
    return source


def test_core_layer_is_the_package_under_python_without_caches(tmp_path: Path) -> None:
    source, layers = _package(tmp_path), tmp_path / "layers"
    assert build_layers.build_core(layers_dir=layers, source=source)
    copied = layers / "core" / "python" / "sikas_sync"
    assert (copied / "__init__.py").is_file()
    assert (copied / "reference" / "codes.csv.gz").is_file()
    assert not list(copied.rglob("__pycache__"))


def test_core_layer_is_rebuilt_only_when_the_package_changes(tmp_path: Path) -> None:
    source, layers = _package(tmp_path), tmp_path / "layers"
    assert build_layers.build_core(layers_dir=layers, source=source)
    assert not build_layers.build_core(layers_dir=layers, source=source)
    (source / "__pycache__" / "y.pyc").write_bytes(b"")  # caches do not count
    assert not build_layers.build_core(layers_dir=layers, source=source)
    (source / "new.py").write_text("X = 1\n")
    assert build_layers.build_core(layers_dir=layers, source=source)
    assert (layers / "core" / "python" / "sikas_sync" / "new.py").is_file()
    (source / "new.py").unlink()
    assert build_layers.build_core(layers_dir=layers, source=source)
    assert not (layers / "core" / "python" / "sikas_sync" / "new.py").exists()


def _lock(path: Path, dependencies: list[str], *pins: str) -> Path:
    from_line = "# from pyproject.toml: " + json.dumps(dependencies)
    path.write_text("\n".join(["# lock", from_line, *pins]) + "\n")
    return path


def test_deps_layer_is_installed_from_the_lock_and_not_again_while_it_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\ndependencies = ["pydantic>=2"]\n')
    lock = _lock(tmp_path / "deps.lock", ["pydantic>=2"], "pydantic==2.14.4 --hash=sha256:" + "a" * 64)
    installs: list[list[str]] = []

    def fake_pip(command: list[str], check: bool) -> None:
        installs.append(command)
        Path(command[command.index("--target") + 1]).mkdir(parents=True)

    monkeypatch.setattr(build_layers.subprocess, "run", fake_pip)
    assert build_layers.build_deps(layers_dir=tmp_path, pyproject=pyproject, lock=lock)
    assert not build_layers.build_deps(layers_dir=tmp_path, pyproject=pyproject, lock=lock)
    assert len(installs) == 1
    assert installs[0][-2:] == ["-r", str(lock)]
    assert {"--require-hashes", "--no-deps"} <= set(installs[0])
    _lock(lock, ["pydantic>=2"], "pydantic==2.14.5 --hash=sha256:" + "b" * 64)  # `make lock` again
    assert build_layers.build_deps(layers_dir=tmp_path, pyproject=pyproject, lock=lock)
    assert len(installs) == 2


def test_a_lock_written_from_other_dependencies_is_refused(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\ndependencies = ["pydantic>=2", "boto3"]\n')
    lock = _lock(tmp_path / "deps.lock", ["pydantic>=2"], "pydantic==2.14.4 --hash=sha256:" + "a" * 64)
    with pytest.raises(build_layers.LockStale, match="run `make lock`"):
        build_layers.build_deps(layers_dir=tmp_path, pyproject=pyproject, lock=lock)
    with pytest.raises(build_layers.LockStale, match="missing"):
        build_layers.build_deps(layers_dir=tmp_path, pyproject=pyproject, lock=tmp_path / "none.lock")


def test_the_committed_lock_pins_every_dependency_with_a_hash() -> None:
    text = build_layers.read_lock()  # raises when written from other dependencies than pyproject's
    pins = [line for line in text.splitlines() if line and not line.startswith("#")]
    locked = {}
    for pin in pins:
        requirement, hash_option = pin.split(" ", 1)
        name, version = requirement.split("==")
        assert re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", hash_option), pin
        locked[canonicalize_name(name)] = Version(version)
    for declared in build_layers.runtime_dependencies():
        requirement = Requirement(declared)
        version = locked[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version, prereleases=True), (declared, version)
    assert {"aws-xray-sdk", "pydantic-core", "botocore"} <= set(locked)  # the extras' and the transitive


def test_synthesis_without_built_layers_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(LayersMissing, match=r"run `make layers`"):
        build_app(App(outdir=str(tmp_path / "out")), layers_root=tmp_path / "nothing")


def test_every_function_uses_both_layers(synthesized: Synthesized) -> None:
    layer_ids = set(synthesized.of_type("AWS::Lambda::LayerVersion"))
    assert len(layer_ids) == 2
    for name, (_, function) in synthesized.by_plan_name("AWS::Lambda::Function").items():
        assert {ref["Ref"] for ref in function["Properties"]["Layers"]} == layer_ids, name
    for layer in synthesized.of_type("AWS::Lambda::LayerVersion").values():
        assert layer["Properties"]["CompatibleRuntimes"] == ["python3.14"]
        assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]
    plan = resource_plan()
    # ingest per domain, push, the scheduled ones, erase
    assert (
        len(synthesized.by_plan_name("AWS::Lambda::Function"))
        == len(plan.ingest) + 1 + len(plan.scheduled) + 1
    )
