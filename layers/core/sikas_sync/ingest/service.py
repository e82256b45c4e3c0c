"""The ingest use case: one export in the inbox becomes versioned records, push messages and a report.

Plain Python: the Lambda handler gives it an ObjectRef and adapters; tests give it fakes.
Pass 1 validates every row and spools the valid ones to a temporary file (bounded memory); the
duplicates of the file are known only at its end. Pass 2 writes records whose content changed and
queues them for the ministry. Nothing is written before the whole file was read, so a file that
turns out broken half-way writes nothing.
"""

from __future__ import annotations

import json
import posixpath
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import IO, Any

from ..domains import BY_SLUG, Domain
from ..errors import FileRejected, RowIssue
from ..leases import LeaseBusy, Leases, ingest_lease_name, new_holder
from ..outbox.results import DecidedRow, ResultsWriter, results_key
from ..parsing.table import ReadLimits
from ..resources import QUARANTINE_PREFIX, REPORTS_PREFIX
from ..validation import RowOutcome, RulesContext, validate_file
from ..validation.validator import FileResult
from .ports import (
    Claim,
    FileLedger,
    ObjectMissing,
    ObjectRef,
    ObjectStore,
    PushMessage,
    PushQueue,
    RecordStore,
    RecordWrite,
    StoredRecord,
)
from .record_ids import person_key, record_id
from .report import QuarantineWriter, ReportWriter

WRITE_BATCH = 100  # records looked up (BatchGetItem) and decided together
SQS_MAX_DELAY_S = 900


class FileBusy(Exception):
    """The file must wait: another invocation holds its domain's ingest lease (or the file itself).

    `until` is when that lease ends at the latest (Unix seconds). The handler sends the file back to
    its queue, delayed, instead of failing the message: waiting must not use up its receives.
    """

    def __init__(self, file_id: str, until: float | None = None) -> None:
        super().__init__(file_id)
        self.file_id = file_id
        self.until = until


class FilePaused(FileBusy):
    """The invocation ran out of time: the rows stored so far are checkpointed in the ledger, and the
    next invocation stores the rest (never from row 1). The handler sends the file back to its queue."""

    def __init__(self, file_id: str, row: int) -> None:
        super().__init__(file_id)
        self.row = row


def wait_delay_s(waits: int, base_s: int, cap_s: int) -> int:
    """How long a waiting file stays away before it looks again: doubling from `base_s` per wait
    already made, at most `cap_s` and at most SQS's 15-minute message delay."""
    delay: int = base_s * 2 ** min(max(0, waits), 16)
    return max(1, min(cap_s, SQS_MAX_DELAY_S, delay))


@dataclass
class IngestDeps:
    objects: ObjectStore
    records: RecordStore
    ledger: FileLedger
    push: PushQueue
    hmac_key: bytes
    leases: Leases  # one ingest per domain at a time (sikas_sync.leases)
    clock: Callable[[], float] = time.time
    # Seconds this invocation may still spend storing rows (its budget); None: no limit.
    remaining_s: Callable[[], float] | None = None


@dataclass(frozen=True)
class IngestSettings:
    region_code: str
    max_file_bytes: int
    lease_s: int  # a little more than the function timeout


@dataclass
class FileSummary:
    """One `files[]` entry of cli.md's `run` summary, plus what the ledger needs."""

    file: str
    key: str
    domain: str | None
    status: str = "processed"
    reason: str | None = None
    reason_code: str | None = None
    rows: int = 0
    valid: int = 0
    rejected: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    row_warnings: list[dict[str, Any]] = field(default_factory=list)
    errors_truncated: bool = False
    warnings_truncated: bool = False
    file_warnings: list[dict[str, str]] = field(default_factory=list)  # title block, totals rows
    header_line: int | None = None
    version_id: str | None = None
    pushed: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "key": self.key,
            "domain": self.domain,
            "status": self.status,
            "reason": self.reason,
            "rows": self.rows,
            "valid": self.valid,
            "rejected": self.rejected,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "warnings": self.warnings,
            "errors": self.errors,
            "errors_truncated": self.errors_truncated,
            "row_warnings": self.row_warnings,
            "warnings_truncated": self.warnings_truncated,
            "file_warnings": self.file_warnings,
            "header_line": self.header_line,
        }

    def ledger_json(self) -> dict[str, Any]:
        return {
            **self.as_json(),
            "reason_code": self.reason_code,
            "version_id": self.version_id,
            "pushed": self.pushed,
        }

    @classmethod
    def from_ledger(cls, data: dict[str, Any]) -> FileSummary:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def domain_of_key(key: str) -> Domain | None:
    prefix, _, rest = key.partition("/")
    return BY_SLUG.get(prefix) if rest else None


def ingest_object(ref: ObjectRef, deps: IngestDeps, settings: IngestSettings) -> FileSummary:
    """Process one uploaded export exactly once, however often its event is delivered, and never
    at the same time as another export of its domain (both would read and write the same records:
    the later version number would be lost). FileBusy when it has to wait for that."""
    domain = domain_of_key(ref.key)
    if domain is None or _is_unsafe(ref.key):
        return _claim_and_process(ref, deps, settings)  # rejected whole: writes no records
    name = ingest_lease_name(domain.slug)
    try:
        lease = deps.leases.acquire(name, new_holder(ref.file_id), settings.lease_s, deps.clock())
    except LeaseBusy as busy:
        raise FileBusy(ref.file_id, busy.until) from None
    try:
        return _claim_and_process(ref, deps, settings)
    finally:
        deps.leases.release(lease, deps.clock())


def _claim_and_process(ref: ObjectRef, deps: IngestDeps, settings: IngestSettings) -> FileSummary:
    claim = deps.ledger.claim(ref, settings.lease_s, deps.clock())
    if claim.state == "done":
        return FileSummary.from_ledger(claim.summary or {})
    if claim.state == "busy":
        raise FileBusy(ref.file_id)  # an earlier attempt's lease on the file has not ended yet
    summary = _process(ref, deps, settings, claim)
    deps.ledger.complete(ref, summary.ledger_json(), deps.clock())
    return summary


def _process(ref: ObjectRef, deps: IngestDeps, settings: IngestSettings, claim: Claim) -> FileSummary:
    domain = domain_of_key(ref.key)
    summary = FileSummary(
        file=posixpath.basename(ref.key),
        key=ref.key,
        domain=domain.slug if domain else None,
        version_id=ref.version_id,
    )
    report = ReportWriter(domain)
    quarantine = QuarantineWriter()
    # Every row's outcome, for the operator: under `outbox/results/` (domain prefixes only).
    results = ResultsWriter(domain, deps.hmac_key) if domain and not _is_unsafe(ref.key) else None
    try:
        if domain is None or _is_unsafe(ref.key):
            _reject(
                summary,
                FileRejected("prefix_unknown", "Awalan (folder) berkas bukan salah satu domain SIKAS"),
            )
        else:
            _ingest_rows(
                ref,
                domain,
                deps=deps,
                settings=settings,
                summary=summary,
                report=report,
                quarantine=quarantine,
                resumed=claim.state == "resumed",
                results=results,
                checkpoint=claim.checkpoint,
            )
        _store_report(ref, deps, summary, report, quarantine, results=results)
    finally:
        report.close()
        quarantine.close()
        if results is not None:
            results.close()
    return summary


def _is_unsafe(key: str) -> bool:
    parts = key.split("/")
    return any(part in ("", ".", "..") for part in parts) or "\x00" in key


def _reject(summary: FileSummary, problem: FileRejected) -> None:
    summary.status, summary.reason, summary.reason_code = "rejected", problem.message, problem.code
    summary.rows = summary.valid = summary.rejected = summary.warnings = 0
    summary.created = summary.updated = summary.unchanged = 0
    summary.errors, summary.row_warnings, summary.file_warnings = [], [], []
    summary.errors_truncated = summary.warnings_truncated = False


def _ingest_rows(
    ref: ObjectRef,
    domain: Domain,
    *,
    deps: IngestDeps,
    settings: IngestSettings,
    summary: FileSummary,
    report: ReportWriter,
    quarantine: QuarantineWriter,
    resumed: bool,
    results: ResultsWriter | None = None,
    checkpoint: dict[str, int] | None = None,
) -> None:
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as spool:

        def on_outcome(outcome: RowOutcome) -> None:
            if outcome.record is None:
                report.add_rejected(outcome)
                quarantine.add(outcome)
                if results is not None:
                    results.add_rejected(outcome)
                return
            rec = outcome.record
            warned = [[issue.column, issue.code, issue.message] for issue in rec.warnings]
            for issue in rec.warnings:
                report.add_warning(issue)
            spool.write(
                json.dumps([rec.row, rec.natural_key, rec.data, rec.content_hash, warned], ensure_ascii=False)
            )
            spool.write("\n")

        try:
            size = deps.objects.size(ref)
            with deps.objects.open(ref) as body:
                result = validate_file(
                    body,
                    domain,
                    name=summary.file,
                    context=RulesContext(region_code=settings.region_code),
                    limits=ReadLimits(max_file_bytes=settings.max_file_bytes),
                    on_outcome=on_outcome,
                    on_header=quarantine.header,
                    size_hint=size,
                )
        except ObjectMissing:
            _reject(
                summary, FileRejected("file_missing", "Berkas sudah tidak ada di bucket saat akan diproses")
            )
            return
        _copy_counts(result, summary)
        if result.status == "rejected":
            # Refused part-way: the rows read before say nothing about the file as a whole.
            report.discard()
            quarantine.discard()
            _reject(summary, FileRejected(result.reason_code or "file_rejected", result.reason or ""))
            return
        for warning in result.duplicate_warnings:
            report.add_warning(warning)
        superseded = {issue.row for issue in result.duplicate_warnings}
        spool.seek(0)
        if results is not None:
            results.start_decisions(result.duplicate_warnings, result.line_of)
        rows = _spooled(spool, superseded, results.superseded if results is not None else None)
        _write_records(
            rows, ref, domain, deps, summary, resumed=resumed, results=results, checkpoint=checkpoint
        )


def _copy_counts(result: FileResult, summary: FileSummary) -> None:
    summary.rows, summary.valid, summary.rejected = result.rows, result.valid, result.rejected
    summary.warnings = result.warnings
    summary.errors = [issue.as_dict() for issue in result.errors]
    summary.row_warnings = [issue.as_dict() for issue in result.row_warnings]
    summary.errors_truncated, summary.warnings_truncated = result.errors_truncated, result.warnings_truncated
    summary.file_warnings = [warning.as_dict() for warning in result.file_warnings]
    summary.header_line = result.header_line


# A valid row as pass 2 reads it back: row, natural key, record data, content hash, its warnings.
SpooledRow = tuple[int, tuple[str, ...], dict[str, Any], str, tuple[RowIssue, ...]]


def _spooled(
    spool: IO[str],
    superseded: set[int],
    on_superseded: Callable[[int, tuple[str, ...], tuple[RowIssue, ...]], None] | None = None,
) -> Iterator[SpooledRow]:
    for line in spool:
        row, natural_key, data, content_hash, warned = json.loads(line)
        warnings = tuple(RowIssue(row, column, code, message, "warning") for column, code, message in warned)
        if row in superseded:
            if on_superseded is not None:
                on_superseded(row, tuple(natural_key), warnings)
            continue  # a later row of the same file has the same key and wins
        yield row, tuple(natural_key), data, content_hash, warnings


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_records(
    rows: Iterator[SpooledRow],
    ref: ObjectRef,
    domain: Domain,
    deps: IngestDeps,
    summary: FileSummary,
    *,
    resumed: bool,
    results: ResultsWriter | None = None,
    checkpoint: dict[str, int] | None = None,
) -> None:
    done = _restore(checkpoint, summary)
    progressed = False  # every invocation stores a batch at least, or a slow start never ends
    for batch in _batches(rows, WRITE_BATCH):
        pending = {
            record_id(deps.hmac_key, domain.slug, key): (row, key, data, h) for row, key, data, h, _ in batch
        }
        warnings = {row: warned for row, _, _, _, warned in batch}
        if batch[-1][0] <= done:
            # Stored, counted and queued by an earlier invocation of this file: nothing is written
            # or sent again; the results file still gets each row's record.
            if results is not None:
                _decided_before(
                    results, pending, warnings, domain=domain.slug, file_id=ref.file_id, deps=deps
                )
            continue
        if progressed and deps.remaining_s is not None and deps.remaining_s() <= 0:
            deps.ledger.pause(ref, _checkpoint(done, summary), deps.clock())
            raise FilePaused(ref.file_id, done)
        stored = deps.records.get_many(domain.slug, list(pending))
        writes, pushes = _decide(pending, stored, domain.slug, ref.file_id, summary, resumed=resumed)
        if writes:
            deps.records.write([_with_person(write, deps.hmac_key) for write in writes])
        if pushes:
            # Only after the records are stored: a push message must find its version.
            deps.push.send(pushes)
            summary.pushed += len(pushes)
        if results is not None:
            # A row is stored exactly when its record is queued (written now, or by a dead attempt).
            queued = {push.record_id: push.version for push in pushes}
            results.decided(
                DecidedRow(
                    row, key, rid, queued.get(rid) or stored[rid].version, rid in queued, warnings[row]
                )
                for rid, (row, key, _, _) in pending.items()
            )
        done, progressed = batch[-1][0], True


CHECKPOINT_COUNTS = ("created", "updated", "unchanged", "pushed")


def _checkpoint(row: int, summary: FileSummary) -> dict[str, int]:
    return {"row": row, **{name: getattr(summary, name) for name in CHECKPOINT_COUNTS}}


def _restore(checkpoint: dict[str, int] | None, summary: FileSummary) -> int:
    """The last row an earlier invocation stored (0: none), its counts carried over."""
    if not checkpoint:
        return 0
    for name in CHECKPOINT_COUNTS:
        setattr(summary, name, int(checkpoint.get(name, 0)))
    return int(checkpoint.get("row", 0))


def _decided_before(
    results: ResultsWriter,
    pending: dict[str, tuple[int, tuple[str, ...], dict[str, Any], str]],
    warnings: dict[int, tuple[RowIssue, ...]],
    *,
    domain: str,
    file_id: str,
    deps: IngestDeps,
) -> None:
    stored = deps.records.get_many(domain, list(pending))
    results.decided(
        DecidedRow(
            row,
            key,
            rid,
            stored[rid].version,
            stored[rid].last_file == file_id,  # written by this file, or unchanged
            warnings[row],
        )
        for rid, (row, key, _, _) in pending.items()
        if rid in stored
    )


def _decide(
    pending: dict[str, tuple[int, tuple[str, ...], dict[str, Any], str]],
    stored: dict[str, StoredRecord],
    domain: str,
    file_id: str,
    summary: FileSummary,
    *,
    resumed: bool,
) -> tuple[list[RecordWrite], list[PushMessage]]:
    writes: list[RecordWrite] = []
    pushes: list[PushMessage] = []
    for rid, (row, key, data, content_hash) in pending.items():
        current = stored.get(rid)
        if current is None or current.content_hash != content_hash:
            write = RecordWrite(
                domain=domain,
                record_id=rid,
                version=1 if current is None else current.version + 1,
                content_hash=content_hash,
                data=data,
                natural_key=key,
                file_id=file_id,
                row=row,
            )
            writes.append(write)
            pushes.append(PushMessage(domain, rid, write.version))
            if write.created:
                summary.created += 1
            else:
                summary.updated += 1
        elif resumed and current.last_file == file_id:
            # An earlier attempt at this very file wrote it and died: count it as that attempt
            # did, and queue it again in case its push message was never sent.
            if current.version == 1:
                summary.created += 1
            else:
                summary.updated += 1
            pushes.append(PushMessage(domain, rid, current.version))
        else:
            summary.unchanged += 1
    return writes, pushes


def _store_report(
    ref: ObjectRef,
    deps: IngestDeps,
    summary: FileSummary,
    report: ReportWriter,
    quarantine: QuarantineWriter,
    *,
    results: ResultsWriter | None = None,
) -> None:
    document = {**summary.as_json(), "version_id": ref.version_id, "reason_code": summary.reason_code}
    with report.render(document) as body:
        deps.objects.put(ref.bucket, REPORTS_PREFIX + ref.key + ".json", body, "application/json")
    if quarantine.rows:
        with quarantine.render() as body:
            deps.objects.put(
                ref.bucket, QUARANTINE_PREFIX + ref.key + ".csv", body, "text/csv; charset=utf-8"
            )
    if results is not None:
        if summary.status == "rejected":
            results.file_rejected(summary.reason_code or "file_rejected", summary.reason or "")
        with results.render() as body:
            deps.objects.put(ref.bucket, results_key(ref.key), body, "text/csv; charset=utf-8")


def _with_person(write: RecordWrite, key: bytes) -> RecordWrite:
    """A record whose data has a NIK is found by it for erasure (a keyed HMAC, not the NIK)."""
    nik = write.data.get("nik")
    if not isinstance(nik, str) or not nik:
        return write
    return replace(write, person_key=person_key(key, write.domain, nik))
