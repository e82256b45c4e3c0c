"""The ingest use case (plain Python; the Lambda handler and the embedded stack call it).

The service (validation, parsing, every domain model) is imported on first use of its names: the
push, sweep and erase functions need only `ports` and must not pay for it at cold start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .ports import ObjectRef

if TYPE_CHECKING:
    from .service import FileBusy, FileSummary, IngestDeps, IngestSettings, ingest_object

__all__ = ["FileBusy", "FileSummary", "IngestDeps", "IngestSettings", "ObjectRef", "ingest_object"]
_SERVICE = frozenset(__all__) - {"ObjectRef"}


def __getattr__(name: str) -> Any:
    if name in _SERVICE:
        from . import service

        return getattr(service, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
