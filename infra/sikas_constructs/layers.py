"""The two Lambda layers, taken from the folders `make layers` builds (no Docker bundling)."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

# infra/build_layers.py installs wheels for exactly this (LAMBDA_PYTHON_VERSION, LAMBDA_PLATFORM).
RUNTIME = lambda_.Runtime.PYTHON_3_14
ARCHITECTURE = lambda_.Architecture.ARM_64

ASSET_EXCLUDES = ["__pycache__", "*.pyc", "*.pyo"]


class LayersMissing(RuntimeError):
    pass


def layer_paths(layers_root: Path) -> tuple[Path, Path]:
    """The core and deps layer folders; raises LayersMissing when they have not been built."""
    core, deps = layers_root / "core", layers_root / "deps"
    missing = [
        str(path)
        for path in (core / "python" / "sikas_sync" / "__init__.py", deps / "python")
        if not path.exists()
    ]
    if missing:
        raise LayersMissing(
            f"Lambda layer build output not found ({', '.join(missing)}): run `make layers` first"
        )
    return core, deps


class SharedLayers(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, layers_root: Path) -> None:
        super().__init__(scope, construct_id)
        core, deps = layer_paths(layers_root)
        self.core = self._layer(
            "Core", core, "sikas-sync: the sikas_sync package (domains, validation, ingest, delivery)"
        )
        self.deps = self._layer(
            "Deps", deps, "sikas-sync: runtime dependencies of pyproject.toml for python3.14 on arm64"
        )

    def _layer(self, construct_id: str, folder: Path, description: str) -> lambda_.LayerVersion:
        return lambda_.LayerVersion(
            self,
            construct_id,
            code=lambda_.Code.from_asset(str(folder), exclude=ASSET_EXCLUDES),
            description=description,
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
        )

    @property
    def all(self) -> list[lambda_.ILayerVersion]:
        return [self.deps, self.core]
