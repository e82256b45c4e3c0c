"""`sikas-sync run` and `demo`: the whole pipeline on a fresh embedded stack."""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..domains import BY_SLUG, domain_for_name
from ..embedded import EmbeddedStack
from ..ministry.local import Faults
from .progress import Progress

TERMINAL = ("delivered", "rejected_by_ministry")
NOT_PROCESSED = "Berkas belum selesai diproses sebelum batas waktu"


@dataclass(frozen=True)
class Upload:
    path: Path
    domain: str | None

    @property
    def key(self) -> str | None:
        return f"{self.domain}/{self.path.name}" if self.domain else None


def resolve_domain(path: Path, explicit: str | None) -> str | None:
    """cli.md: --domain, else the parent folder when it is a slug, else the longest slug prefix."""
    if explicit:
        return explicit
    if path.parent.name in BY_SLUG:
        return path.parent.name
    found = domain_for_name(path.name)
    return found.slug if found else None


def _rejected_entry(upload: Upload, reason: str) -> dict[str, Any]:
    return {
        "file": upload.path.name,
        "key": upload.key,
        "domain": upload.domain,
        "status": "rejected",
        "reason": reason,
        "rows": 0,
        "valid": 0,
        "rejected": 0,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "warnings": 0,
        "errors": [],
    }


def run_pipeline(
    uploads: list[Upload],
    *,
    region_code: str,
    ministry_url: str | None,
    credentials: tuple[str, str],
    timeout_s: float,
    log: IO[str],
    faults: Faults | None = None,
    ministry_seed: int = 0,
    stack_hook: Any = None,
) -> dict[str, Any]:
    """Upload each file in order, ingest it, then deliver; the cli.md JSON summary."""
    deadline = time.monotonic() + timeout_s
    files: list[dict[str, Any]] = []
    progress = Progress("run")
    with EmbeddedStack(
        region_code=region_code,
        log=log,
        ministry_url=ministry_url,
        ministry_credentials=credentials,
        ministry_faults=faults,
        ministry_seed=ministry_seed,
    ) as stack:
        for upload in uploads:
            if upload.key is None:
                files.append(_rejected_entry(upload, "Domain tidak dapat ditentukan dari nama berkas"))
                continue
            version = stack.upload(upload.path, upload.key)
            # In order: each file is ingested before the next is uploaded, as cli.md promises.
            stack.run_ingest(max(deadline - time.monotonic(), 0.1))
            summary = stack.file_summaries().get((upload.key, version))
            if summary is None:
                files.append(_rejected_entry(upload, NOT_PROCESSED))
            else:
                files.append({k: summary.get(k) for k in _FILE_KEYS})
            progress.update(len(files))
        deliver_until_settled(stack, deadline)
        if stack_hook is not None:
            stack_hook(stack)
        states = stack.delivery_states()
        assert stack.dispatcher is not None
        queued = sum(int(f.get("pushed") or 0) for f in stack.file_summaries().values())
        delivery = {
            "queued": queued,
            "delivered": states.get("delivered", 0),
            "rejected_by_ministry": states.get("rejected_by_ministry", 0),
            "pending": sum(n for state, n in states.items() if state not in TERMINAL),
            "dead_lettered": stack.dead_lettered(),
            "attempts": int(stack.dispatcher.metrics.get("MinistryRequests", 0)),
        }
    progress.done()
    return {"region_code": region_code, "files": files, "delivery": delivery}


def deliver_until_settled(stack: EmbeddedStack, deadline: float) -> None:
    """Push until the queue is empty; then let the scheduled sweep re-queue what was dead-lettered,
    as it would every 15 minutes on AWS, until every record is settled or time runs out."""
    while True:
        stack.run_delivery(max(deadline - time.monotonic(), 0.1))
        states = stack.delivery_states()
        if states.get("pending", 0) == 0 or time.monotonic() >= deadline:
            return
        result = stack.invoke_scheduled("sweep")
        if not result or not result.get("requeued"):
            time.sleep(min(SWEEP_PAUSE_S, max(deadline - time.monotonic(), 0)))  # not stale yet


SWEEP_PAUSE_S = 1.0
_FILE_KEYS = (
    "file",
    "key",
    "domain",
    "status",
    "reason",
    "rows",
    "valid",
    "rejected",
    "created",
    "updated",
    "unchanged",
    "warnings",
    "errors",
)


def all_terminal(summary: dict[str, Any]) -> bool:
    """cli.md's exit 0: every valid record delivered or refused, and every file got that far.

    A message still in a DLQ whose record was delivered after the sweep re-queued it is history,
    not an open case; `dead_lettered` still reports it.
    """
    unfinished = any(entry["reason"] == NOT_PROCESSED for entry in summary["files"])
    return bool(summary["delivery"]["pending"] == 0 and not unfinished)


def credentials_from_env() -> tuple[str, str]:
    return (
        os.environ.get("MINISTRY_CLIENT_ID", "local-client"),
        os.environ.get("MINISTRY_CLIENT_SECRET", "local-secret"),
    )


def log_sink(verbose: bool) -> tuple[IO[str], str | None]:
    """Function logs go to stderr with --verbose, else to a file whose path is shown at the end."""
    if verbose:
        import sys

        return sys.stderr, None
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by the caller after the run
        "w", prefix="sikas-sync-run-", suffix=".log", delete=False, encoding="utf-8"
    )
    return handle, handle.name
