"""The Docker-free layer build: what it installs for, what it copies, and when it does nothing."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from aws_cdk import App
from infra_support import Synthesized

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


def test_deps_layer_is_not_reinstalled_while_the_dependencies_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\ndependencies = ["pydantic>=2"]\n')
    installs: list[list[str]] = []

    def fake_pip(command: list[str], check: bool) -> None:
        installs.append(command)
        Path(command[command.index("--target") + 1]).mkdir(parents=True)

    monkeypatch.setattr(build_layers.subprocess, "run", fake_pip)
    assert build_layers.build_deps(layers_dir=tmp_path, pyproject=pyproject)
    assert not build_layers.build_deps(layers_dir=tmp_path, pyproject=pyproject)
    assert len(installs) == 1
    assert installs[0][-1] == "pydantic>=2"
    pyproject.write_text('[project]\nname = "x"\ndependencies = ["pydantic>=2", "boto3"]\n')
    assert build_layers.build_deps(layers_dir=tmp_path, pyproject=pyproject)
    assert installs[1][-2:] == ["pydantic>=2", "boto3"]


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
