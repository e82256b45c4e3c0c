"""Loading the real Lambda handlers from the project's functions/ folder, as Lambda would."""

from __future__ import annotations

import importlib.util
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import sikas_sync

Handler = Callable[[dict[str, Any], Any], Any]


class FunctionsNotFound(RuntimeError):
    pass


def functions_dir() -> Path:
    # The package lives at layers/core/sikas_sync; functions/ sits at the repository root.
    root = Path(sikas_sync.__file__).resolve().parents[3]
    folder = root / "functions"
    if not folder.is_dir():
        raise FunctionsNotFound(f"no functions/ folder at {root}; run sikas-sync from a project checkout")
    return folder


@cache
def load_handler(handler_dir: str) -> Handler:
    path = functions_dir() / handler_dir / "handler.py"
    name = f"sikas_function_{handler_dir}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise FunctionsNotFound(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    handler: Handler = module.lambda_handler
    return handler


@dataclass
class LocalLambdaContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int
    timeout_s: int
    region: str
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:123456789012:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "embedded"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_s - (time.monotonic() - self.started)) * 1000))
