"""The ingest use case (plain Python; the Lambda handler and the embedded stack call it)."""

from .ports import ObjectRef
from .service import FileBusy, FileSummary, IngestDeps, IngestSettings, ingest_object

__all__ = ["FileBusy", "FileSummary", "IngestDeps", "IngestSettings", "ObjectRef", "ingest_object"]
