"""The outbox run: what SIKAS gets back, as files under `outbox/` in the inbox bucket.

For each requested domain (every domain on the daily schedule):

- `outbox/<domain>/status_<date>.csv` and `.jsonl`: every record SIKAS sent, by natural key, with its
  record_id, version, delivery status (`delivery.ports.delivery_status`), the ministry's reference
  (for `pencari_kerja` and `kartu_ak1` the SIAPkerja job-seeker ID), when it was delivered, and the
  ministry's errors for a refused version (or the reason a version is blocked);
- `outbox/<domain>/dari_siapkerja_<date>.csv`: the records that exist only at the ministry (imported
  by the reconcile, `source` other than SIKAS), in the columns of `domains.md` so SIKAS can import
  them, followed by their record_id, ministry_ref and source (`sumber`);
- `outbox/results/<upload key>.csv` (`outbox.results`) rewritten for every upload whose records'
  delivery changed since the domain's last outbox run, and for every upload processed since.

`<date>` is the run's day in WIB. With `since` (a WIB date) the status and dari_siapkerja files
hold only the records written or delivered from that day on, and are named
`status_<date>_sejak_<since>.csv`, so they never replace the day's full files; the results of the
uploads changed since that day are rewritten, and the domain's watermark is left alone.

One Scan of the records table (the requested domains), the delivery items looked up a page at a
time (BatchGetItem): memory holds one page and the set of changed uploads, never a whole domain.
"""

from __future__ import annotations

import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from ..delivery.ports import DeliveryState, delivery_status
from ..domains import Domain
from ..domains.values import WIB
from ..events import DomainsRequest
from ..ingest.service import domain_of_key
from ..privacy import mask_nik_shaped
from ..resources import OUTBOX_PREFIX
from .ports import DeliveryInfo, OutboxDeliveries, OutboxObjects, OutboxRecord, OutboxRecords, ProcessedFiles
from .results import CONTENT_TYPE as RESULTS_CONTENT_TYPE
from .results import NO_COLUMN, results_key
from .sheets import CSV_CONTENT_TYPE, JSONL_CONTENT_TYPE, CsvSheet, JsonLinesSheet, read_csv

log = logging.getLogger(__name__)

SIKAS_SOURCE = "SIKAS"  # as the reconcile names records SIKAS sent
# Deliveries are written by the push function's clock, the watermark by ours: look a little further
# back than the last run. Rewriting a results file again changes nothing.
WATERMARK_OVERLAP_S = 5 * 60
RESULTS_BATCH = 100  # rows of a results file looked up together (BatchGetItem)
STATUS_COLUMNS = (
    "record_id",
    "version",
    "delivery_status",
    "ministry_ref",
    "delivered_at",
    "ministry_codes",
    "ministry_messages",
)
IMPORT_COLUMNS = ("record_id", "ministry_ref", "sumber")
SUPERSEDED, ERASED = "superseded", "erased"


def status_key(domain: str, day: str, since: date | None = None, suffix: str = "csv") -> str:
    return f"{OUTBOX_PREFIX}{domain}/status_{day}{_since_part(since)}.{suffix}"


def imports_key(domain: str, day: str, since: date | None = None) -> str:
    return f"{OUTBOX_PREFIX}{domain}/dari_siapkerja_{day}{_since_part(since)}.csv"


def _since_part(since: date | None) -> str:
    return f"_sejak_{since.isoformat()}" if since else ""


class OutboxRequest(DomainsRequest):
    """The scheduled event carries nothing; a manual run may name domains and a first day."""

    since: date | None = None


@dataclass
class OutboxDeps:
    records: OutboxRecords
    deliveries: OutboxDeliveries
    files: ProcessedFiles
    objects: OutboxObjects
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


@dataclass
class DomainOutbox:
    """One domain's files of this run; `as_json` is what the function returns (keys and counts)."""

    domain: str
    status_key: str
    status_jsonl_key: str
    imports_key: str
    status_rows: int = 0
    imported_rows: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    results: list[str] = field(default_factory=list)  # results files rewritten
    results_missing: int = 0  # uploads changed, but without a results file (older than the outbox)
    results_raced: int = 0  # results files replaced by a new upload while being rewritten

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status_key,
            "status_jsonl": self.status_jsonl_key,
            "dari_siapkerja": self.imports_key,
            "status_rows": self.status_rows,
            "dari_siapkerja_rows": self.imported_rows,
            "by_status": dict(sorted(self.by_status.items())),
            "results": self.results,
            "results_missing": self.results_missing,
            "results_raced": self.results_raced,
        }


@dataclass
class OutboxOutcome:
    day: str  # the run's day in WIB, in the files' names
    since: date | None
    domains: dict[str, DomainOutbox] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.day,
            "since": self.since.isoformat() if self.since else None,
            "domains": {slug: result.as_json() for slug, result in self.domains.items()},
        }

    def keys(self) -> list[str]:
        """Every object this run wrote."""
        found: list[str] = []
        for result in self.domains.values():
            found += [result.status_key, result.status_jsonl_key, result.imports_key, *result.results]
        return found


def write_outbox(request: OutboxRequest, deps: OutboxDeps) -> OutboxOutcome:
    started = deps.clock()
    day = started.astimezone(WIB).date().isoformat()
    domains = request.selected()
    changed_since = _changed_since(request, domains, deps.files)
    outcome = OutboxOutcome(day=day, since=request.since)
    writers = {domain.slug: _DomainFiles(domain, day, request.since) for domain in domains}
    try:
        changed = _scan_records(writers, changed_since, request, deps)
        for slug, files in writers.items():
            outcome.domains[slug] = files.store(deps.objects)
    finally:
        for files in writers.values():
            files.close()
    _add_processed(changed, changed_since, deps.files)
    for domain in domains:
        result = outcome.domains[domain.slug]
        for key in sorted(changed[domain.slug]):
            done = rewrite_results(key, domain, deps)
            if done == "rewritten":
                result.results.append(results_key(key))
            elif done == "missing":
                result.results_missing += 1
            else:
                result.results_raced += 1
        if request.since is None:
            deps.files.store_watermark(domain.slug, int(started.timestamp()))
    return outcome


def _changed_since(
    request: OutboxRequest, domains: list[Domain], files: ProcessedFiles
) -> dict[str, int | None]:
    """Per domain, what counts as changed for the results files: writes and deliveries since the
    given day, else since the domain's last outbox run (None: everything, the first run)."""
    if request.since is not None:
        return dict.fromkeys((domain.slug for domain in domains), _day_start(request.since))
    found: dict[str, int | None] = {}
    for domain in domains:
        mark = files.watermark(domain.slug)
        found[domain.slug] = None if mark is None else mark - WATERMARK_OVERLAP_S
    return found


def _scan_records(
    writers: dict[str, _DomainFiles],
    changed_since: dict[str, int | None],
    request: OutboxRequest,
    deps: OutboxDeps,
) -> dict[str, set[str]]:
    """Write every record to its domain's files; the uploads whose records changed, by domain."""
    since_s = _day_start(request.since) if request.since else None
    changed: dict[str, set[str]] = defaultdict(set)
    for page in deps.records.scan(list(writers)):
        by_domain: dict[str, list[OutboxRecord]] = defaultdict(list)
        for record in page:
            if record.domain in writers:
                by_domain[record.domain].append(record)
        for slug, records in by_domain.items():
            infos = deps.deliveries.states(slug, [record.record_id for record in records])
            for record in records:
                info = infos.get(record.record_id)
                writers[slug].add(record, info, since_s)
                upload = _upload_key(record.last_file)
                if upload and _newer(changed_since[slug], record.updated_at, info):
                    changed[slug].add(upload)
    return changed


def _add_processed(
    changed: dict[str, set[str]], changed_since: dict[str, int | None], files: ProcessedFiles
) -> None:
    """Uploads processed since: their results were written before their records were delivered."""
    thresholds = list(changed_since.values())
    earliest = None if None in thresholds else min(t for t in thresholds if t is not None)
    for key, finished_at in files.processed(earliest):
        domain = domain_of_key(key)
        if domain is None or domain.slug not in changed_since:
            continue
        threshold = changed_since[domain.slug]
        if threshold is None or finished_at >= threshold:
            changed[domain.slug].add(key)


def _day_start(day: date) -> int:
    return int(datetime.combine(day, time(), WIB).timestamp())


def _newer(threshold: int | None, record_at: int | None, info: DeliveryInfo | None) -> bool:
    if threshold is None:
        return True
    if record_at is not None and record_at >= threshold:
        return True
    return info is not None and info.updated_at is not None and info.updated_at >= threshold


def _upload_key(file_id: str | None) -> str | None:
    """`pencari_kerja/x.csv` of the ledger id `bucket/pencari_kerja/x.csv#version`; None for a
    record the reconcile imported (`ministry:SIAPKERJA`) or an unknown form."""
    if not file_id or "#" not in file_id or "/" not in file_id or file_id.startswith("ministry:"):
        return None
    return file_id.split("/", 1)[1].rsplit("#", 1)[0] or None


def _iso(epoch: int | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, WIB).isoformat(timespec="seconds")


def ministry_errors(state: DeliveryState | None, status: str) -> list[dict[str, str]]:
    """The ministry's errors of a refused version, or the reason a version is blocked."""
    if state is None:
        return []
    if status == "rejected_by_ministry":
        return [
            {
                "field": str(error.get("field") or NO_COLUMN),
                "code": str(error.get("code") or "unknown"),
                "message": str(error.get("message") or ""),
            }
            for error in state.errors
        ]
    if status == "blocked" and state.blocked_reason:
        blocked = "Ditahan: kementerian menolak permintaan ini; operator perlu memeriksanya"
        return [{"field": NO_COLUMN, "code": state.blocked_reason, "message": blocked}]
    return []


def _codes(errors: Sequence[dict[str, str]]) -> str:
    return " ".join(f"{error['field']}:{error['code']}" for error in errors)


def _messages(errors: Sequence[dict[str, str]]) -> str:
    return " | ".join(error["message"] for error in errors if error["message"])


class _DomainFiles:
    """The status (CSV and JSON Lines) and dari_siapkerja files of one domain, being written."""

    def __init__(self, domain: Domain, day: str, since: date | None) -> None:
        self.domain = domain
        self.result = DomainOutbox(
            domain=domain.slug,
            status_key=status_key(domain.slug, day, since),
            status_jsonl_key=status_key(domain.slug, day, since, "jsonl"),
            imports_key=imports_key(domain.slug, day, since),
        )
        self.status = CsvSheet([*domain.natural_key, *STATUS_COLUMNS])
        self.status_jsonl = JsonLinesSheet()
        self.imports = CsvSheet([*domain.fields, *IMPORT_COLUMNS])

    def add(self, record: OutboxRecord, info: DeliveryInfo | None, since: int | None) -> None:
        if record.source not in (None, SIKAS_SOURCE):
            if since is None or (record.updated_at or 0) >= since:
                self._imported(record, info)
            return
        if since is None or _newer(since, record.updated_at, info):
            self._status(record, info)

    def _imported(self, record: OutboxRecord, info: DeliveryInfo | None) -> None:
        ref = info.state.ministry_ref if info else None
        self.imports.row(
            [*(record.data.get(name) for name in self.domain.fields), record.record_id, ref, record.source]
        )
        self.result.imported_rows += 1

    def _status(self, record: OutboxRecord, info: DeliveryInfo | None) -> None:
        state = info.state if info else None
        status = delivery_status(record.version, state)
        errors = ministry_errors(state, status)
        ref = state.ministry_ref if state else None
        # The last write of a delivered state is its delivery (a later write changes the state).
        delivered_at = _iso(info.delivered_at or info.updated_at) if info and status == "delivered" else ""
        key = list(record.natural_key) + [""] * (len(self.domain.natural_key) - len(record.natural_key))
        self.status.row(
            [
                *key,
                record.record_id,
                record.version,
                status,
                ref,
                delivered_at,
                _codes(errors),
                _messages(errors),
            ]
        )
        self.status_jsonl.row(
            {
                "natural_key": dict(zip(self.domain.natural_key, key, strict=True)),
                "record_id": record.record_id,
                "version": record.version,
                "delivery_status": status,
                "ministry_ref": ref,
                "delivered_at": delivered_at or None,
                "errors": errors,
            }
        )
        self.result.status_rows += 1
        self.result.by_status[status] = self.result.by_status.get(status, 0) + 1

    def store(self, objects: OutboxObjects) -> DomainOutbox:
        with self.status.render() as body:
            objects.put(self.result.status_key, body, CSV_CONTENT_TYPE)
        with self.status_jsonl.render() as body:
            objects.put(self.result.status_jsonl_key, body, JSONL_CONTENT_TYPE)
        with self.imports.render() as body:
            objects.put(self.result.imports_key, body, CSV_CONTENT_TYPE)
        return self.result

    def close(self) -> None:
        for sheet in (self.status, self.status_jsonl, self.imports):
            sheet.close()


# -- results files --------------------------------------------------------------------------------


def rewrite_results(upload_key: str, domain: Domain, deps: OutboxDeps) -> str:
    """Fill in the delivery columns of one upload's results file: `rewritten`, `missing` (no such
    file) or `raced` (a new upload of the same key replaced it meanwhile; the next run takes that)."""
    stored = deps.objects.get(results_key(upload_key))
    if stored is None:
        return "missing"
    with contextlib.closing(stored.body):
        rows = iter(read_csv(stored.body))
        header = next(rows, None)
        if header is None:
            return "missing"
        sheet = CsvSheet(header)
        try:
            columns = {name: index for index, name in enumerate(header)}
            for chunk in _chunks(rows, RESULTS_BATCH):
                for cells in _updated(chunk, columns, domain, deps):
                    sheet.row(cells)
            with sheet.render() as body:
                written = deps.objects.put(
                    results_key(upload_key), body, RESULTS_CONTENT_TYPE, if_match=stored.etag
                )
        finally:
            sheet.close()
    if not written:
        log.info("results file of %s replaced while being rewritten", mask_nik_shaped(upload_key))
    return "rewritten" if written else "raced"


def _chunks(rows: Iterator[list[str]], size: int) -> Iterator[list[list[str]]]:
    chunk: list[list[str]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _updated(
    chunk: list[list[str]], columns: dict[str, int], domain: Domain, deps: OutboxDeps
) -> Iterable[list[str]]:
    width = len(columns)
    at_id, at_version = columns["record_id"], columns["version"]
    ids = sorted({cells[at_id] for cells in chunk if len(cells) > at_id and cells[at_id]})
    versions = deps.records.versions(domain.slug, ids) if ids else {}
    infos = deps.deliveries.states(domain.slug, ids) if ids else {}
    for raw in chunk:
        cells = raw + [""] * (width - len(raw))
        rid = cells[at_id]
        if not rid:
            yield cells  # a rejected row: nothing was stored, nothing is delivered
            continue
        current = versions.get(rid)
        if current is None:
            # Erased on request since: the row keeps its outcome, not the person's key.
            for name in domain.natural_key:
                cells[columns[name]] = ""
            _set(cells, columns, ERASED, "", [])
            yield cells
            continue
        version = int(cells[at_version]) if cells[at_version].isdigit() else current
        info = infos.get(rid)
        state = info.state if info else None
        status = delivery_status(version, state)
        if status in ("pending", "blocked") and current > version:
            status = SUPERSEDED  # a later upload's version took its place before it was delivered
        _set(
            cells,
            columns,
            status,
            (state.ministry_ref if state else None) or "",
            ministry_errors(state, status),
        )
        yield cells


def _set(
    cells: list[str], columns: dict[str, int], status: str, ref: str, errors: list[dict[str, str]]
) -> None:
    cells[columns["delivery_status"]] = status
    cells[columns["ministry_ref"]] = ref
    cells[columns["ministry_codes"]] = _codes(errors)
    cells[columns["ministry_messages"]] = _messages(errors)
