"""`sikas-sync run` and `demo`: the whole pipeline on a fresh embedded stack."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..embedded import EmbeddedStack
from ..ministry.local import Faults
from ..resources import OUTBOX_PREFIX
from .arguments import resolve_domain  # noqa: F401 - imported from here too; `validate` infers alike
from .messages import t
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
        "row_warnings": [],
        **_later_keys(),
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
    outbox_dir: Path | None = None,
) -> dict[str, Any]:
    """Upload each file in order, ingest it, then deliver; the cli.md JSON summary.

    At the end the outbox function writes SIKAS's files under `outbox/`, as its schedule would;
    with `outbox_dir` they are copied out of the emulated bucket into that folder.
    """
    if outbox_dir is not None and outbox_dir.exists() and not outbox_dir.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "--outbox-dir is not a directory", str(outbox_dir))
    deadline = time.monotonic() + timeout_s
    files: list[dict[str, Any]] = []
    progress = Progress(t("progress.run"), unit="files")
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
                files.append(file_entry(summary))
            progress.update(len(files))
        deliver_until_settled(stack, deadline)
        if stack_hook is not None:
            stack_hook(stack)
        invoke_outbox(stack, log)
        if outbox_dir is not None:
            copied = copy_outbox(stack, outbox_dir)
            print(t("out.outbox_copied", count=len(copied), path=outbox_dir), file=sys.stderr)
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


def invoke_outbox(stack: EmbeddedStack, log: IO[str]) -> dict[str, Any] | None:
    """Invoke the outbox function as its schedule does; its summary, or None when it failed (the
    failure is in the functions' log, and the pipeline's own outcome stands)."""
    from ..embedded.dispatcher import InvocationFailed

    try:
        summary: dict[str, Any] = stack.invoke_scheduled("outbox")
    except InvocationFailed as error:
        print(f"outbox: the outbox function failed ({type(error).__name__}); see the function logs", file=log)
        return None
    return summary


def copy_outbox(stack: EmbeddedStack, destination: Path) -> list[Path]:
    """Every object under `outbox/` into `destination`, at its path below `outbox/`."""
    root = destination.resolve()
    root.mkdir(parents=True, exist_ok=True)
    s3 = stack.clients["s3"]
    copied: list[Path] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=stack.bucket, Prefix=OUTBOX_PREFIX):
        for item in page.get("Contents", []):
            key: str = item["Key"]
            target = (root / key[len(OUTBOX_PREFIX) :]).resolve()
            if target == root or not target.is_relative_to(root):
                continue  # never outside the folder, whatever an object is called
            target.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(stack.bucket, key, str(target))
            copied.append(target)
    return copied


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
    "row_warnings",
)


def _later_keys() -> dict[str, Any]:
    """Keys added after cli.md's first version, valued as for a ledger entry written before them."""
    return {"errors_truncated": False, "warnings_truncated": False, "file_warnings": [], "header_line": None}


def file_entry(summary: dict[str, Any]) -> dict[str, Any]:
    """One `files[]` entry of `run --json` from the ledger's summary: cli.md's keys in their order,
    then the later ones (a ledger entry written before row warnings existed has none)."""
    entry = {k: summary.get(k, [] if k == "row_warnings" else None) for k in _FILE_KEYS}
    return entry | {k: summary.get(k, default) for k, default in _later_keys().items()}


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
