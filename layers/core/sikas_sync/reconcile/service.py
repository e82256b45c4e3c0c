"""The daily reconcile: compare the ministry's records of the region with the records table.

For each domain the ministry's records are pulled (following cursors) and compared with the records
table by record_id and content_hash. The differences go to a report in the inbox bucket,
`reconciliation/<YYYY-MM-DD>/<domain>.json`, as counts and lists of record ids only (no personal
data). Records only the ministry holds and that did not come from SIKAS (registered directly in
SIAPkerja, Karirhub, ...) are stored in the records table as the MoU's consolidation asks, with their
source, and marked delivered at their version so they are never pushed back. A stored record is
never overwritten.

Incremental pulls: the ministry's index of the domain (record_id → content_hash) is kept between
runs in the bucket, with the latest `updated_at` the ministry reported (the watermark). A run with
an index pulls only what changed since the watermark (less a small overlap) and applies it to the
index, so every report still compares the whole domain. Without an index, once a week, or when
asked, the run pulls everything: that also forgets records the ministry erased, which an
incremental pull cannot see.

Memory: the ministry's index and the set of ids seen locally (two short strings per record), never
the records' data beyond one page of 100.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..delivery.ports import DeliveryState
from ..domains import Domain
from ..domains.values import WIB
from ..events import DomainsRequest
from ..ingest.record_ids import person_key, record_id
from ..privacy import mask_nik_shaped
from ..resources import RECONCILIATION_PREFIX
from .ports import (
    DeliveryStates,
    ImportedRecord,
    JsonObjects,
    LocalRecords,
    MinistryRecords,
    ReconcileControl,
    ReconcileState,
)

log = logging.getLogger(__name__)

SIKAS_SOURCE = "SIKAS"
UNKNOWN_SOURCE = "UNKNOWN"
IMPORTED_RESULT = "imported"  # DeliveryState.ministry_result of a record that came from the ministry
FULL_PULL_EVERY = timedelta(days=7)
# Records the ministry commits out of order (a long transaction) can carry an updated_at a little
# before the latest one already seen; pulling this much again catches them. Re-pulling is harmless.
SINCE_OVERLAP = timedelta(minutes=5)
PAGE = 100  # pulled records looked up in the records table together (BatchGetItem)
INDEX_VERSION = 1


def report_key(day: str, domain: str) -> str:
    return f"{RECONCILIATION_PREFIX}{day}/{domain}.json"


def index_key(domain: str) -> str:
    return f"{RECONCILIATION_PREFIX}_state/{domain}.json.gz"


class ReconcileRequest(DomainsRequest):
    """The scheduled event carries nothing; a manual run may name domains or ask for a full pull."""

    full: bool = False


@dataclass
class ReconcileDeps:
    ministry: MinistryRecords
    records: LocalRecords
    deliveries: DeliveryStates
    control: ReconcileControl
    objects: JsonObjects
    hmac_key: bytes
    region_code: str
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


@dataclass
class DomainReconciliation:
    """One domain's result; `as_json` is the report written to the bucket."""

    domain: str
    mode: str  # "full" or "incremental"
    updated_since: datetime | None
    started_at: datetime
    finished_at: datetime | None = None
    pulled: int = 0  # records the ministry sent in this run
    invalid: int = 0  # pulled records without a usable record_id, version, content_hash or data
    at_ministry: int = 0  # records the ministry holds (its index after this run)
    here: int = 0  # records in the records table (after the imports)
    only_at_ministry: list[str] = field(default_factory=list)  # absent here before this run
    only_here: list[str] = field(default_factory=list)
    hash_differs: list[str] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)  # of only_at_ministry: stored here now
    # Of only_at_ministry: not stored, because a local record has the same natural key under our id.
    natural_key_conflicts: list[dict[str, str]] = field(default_factory=list)
    watermark: datetime | None = None
    key: str = ""

    @property
    def day(self) -> str:
        return self.started_at.astimezone(WIB).date().isoformat()

    def counts(self) -> dict[str, int]:
        return {
            "pulled": self.pulled,
            "invalid": self.invalid,
            "at_ministry": self.at_ministry,
            "here": self.here,
            "in_sync": self.at_ministry - len(self.only_at_ministry) - len(self.hash_differs),
            "only_at_ministry": len(self.only_at_ministry),
            "only_here": len(self.only_here),
            "hash_differs": len(self.hash_differs),
            "imported": len(self.imported),
            "natural_key_conflicts": len(self.natural_key_conflicts),
        }

    def as_json(self, region_code: str) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "region_code": region_code,
            "date": self.day,
            "mode": self.mode,
            "updated_since": _iso(self.updated_since),
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "counts": self.counts(),
            "only_at_ministry": self.only_at_ministry,
            "only_here": self.only_here,
            "hash_differs": self.hash_differs,
            "imported": self.imported,
            "natural_key_conflicts": self.natural_key_conflicts,
        }


class ReconcileFailed(RuntimeError):
    """Some domains could not be reconciled; the others were. The scheduler's retry runs all again
    (cheap: the reconciled ones pull incrementally and write nothing new)."""


@dataclass
class ReconcileOutcome:
    domains: dict[str, DomainReconciliation] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # domain → error type

    def raise_for_failures(self) -> None:
        if self.failed:
            which = ", ".join(f"{domain} ({kind})" for domain, kind in sorted(self.failed.items()))
            raise ReconcileFailed(f"reconcile failed for {len(self.failed)} domain(s): {which}")

    def totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for result in self.domains.values():
            for name, value in result.counts().items():
                totals[name] = totals.get(name, 0) + value
        return totals


def reconcile(request: ReconcileRequest, deps: ReconcileDeps) -> ReconcileOutcome:
    """Reconcile each requested domain; a failing domain does not stop the others."""
    outcome = ReconcileOutcome()
    for domain in request.selected():
        try:
            outcome.domains[domain.slug] = reconcile_domain(domain, deps, full=request.full)
        except Exception as error:  # reported per domain, raised together by raise_for_failures
            outcome.failed[domain.slug] = type(error).__name__
            log.warning(
                "reconcile of %s failed: %s: %s",
                domain.slug,
                type(error).__name__,
                mask_nik_shaped(str(error)),
            )
    return outcome


@dataclass(frozen=True, slots=True)
class _Pulled:
    record_id: str
    version: int
    content_hash: str
    data: dict[str, Any]
    source: str
    ministry_ref: str | None
    updated_at: datetime | None


def reconcile_domain(domain: Domain, deps: ReconcileDeps, *, full: bool = False) -> DomainReconciliation:
    started = deps.clock()
    previous = deps.control.load(domain.slug)
    kept = None if full else _usable_index(domain.slug, previous, started, deps.objects)
    index: dict[str, str] = {} if kept is None else kept
    # An index is usable only with the watermark it was built to (see _usable_index).
    watermark = previous.watermark if kept is not None and previous is not None else None
    result = DomainReconciliation(
        domain=domain.slug,
        mode="full" if watermark is None else "incremental",
        updated_since=None if watermark is None else watermark - SINCE_OVERLAP,
        started_at=started,
        watermark=watermark,
    )

    for page in _pages(deps.ministry.pull(domain.slug, updated_since=result.updated_since)):
        records = _parse_page(page, result)
        for record in records:
            index[record.record_id] = record.content_hash
        _import_absent(domain, records, deps, result)

    seen: set[str] = set()
    for rid, content_hash in deps.records.all_hashes(domain.slug):
        result.here += 1
        at_ministry = index.get(rid)
        if at_ministry is None:
            result.only_here.append(rid)
            continue
        seen.add(rid)
        if at_ministry != content_hash:
            result.hash_differs.append(rid)
    # The records are read through an index, whose reads are eventually consistent: this run's
    # imports are stored here whether or not the read saw them.
    result.here += len(set(result.imported) - seen)
    result.only_at_ministry = sorted({rid for rid in index if rid not in seen} | set(result.imported))
    result.only_here.sort()
    result.hash_differs.sort()
    result.imported.sort()
    result.at_ministry = len(index)
    result.finished_at = deps.clock()
    result.key = report_key(result.day, domain.slug)

    # The index first, the control item last: a run that dies in between is redone from the old
    # watermark, and applying the same changes to the index again changes nothing.
    deps.objects.put(
        index_key(domain.slug),
        {
            "version": INDEX_VERSION,
            "domain": domain.slug,
            "watermark": _iso(result.watermark),
            "records": index,
        },
    )
    deps.objects.put(result.key, result.as_json(deps.region_code))
    deps.control.store(
        domain.slug,
        ReconcileState(
            watermark=result.watermark,
            last_run_at=started,
            last_full_at=started if result.mode == "full" or previous is None else previous.last_full_at,
        ),
    )
    return result


def _usable_index(
    domain: str, previous: ReconcileState | None, now: datetime, objects: JsonObjects
) -> dict[str, str] | None:
    """The ministry's index from the last run, when an incremental pull may build on it."""
    if previous is None or previous.watermark is None or now - previous.last_full_at >= FULL_PULL_EVERY:
        return None
    document = objects.get(index_key(domain))
    if (
        not isinstance(document, dict)
        or document.get("version") != INDEX_VERSION
        or document.get("domain") != domain
        or not isinstance(document.get("records"), dict)
    ):
        return None
    records: dict[str, str] = document["records"]
    return records


def _pages(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    page: list[dict[str, Any]] = []
    for record in records:
        page.append(record)
        if len(page) == PAGE:
            yield page
            page = []
    if page:
        yield page


def _parse_page(page: list[dict[str, Any]], result: DomainReconciliation) -> list[_Pulled]:
    parsed: dict[str, _Pulled] = {}  # by record_id: a record sent twice counts once, the later wins
    for raw in page:
        result.pulled += 1
        record = _parse(raw)
        if record is None:
            result.invalid += 1
            continue
        parsed[record.record_id] = record
        if record.updated_at is not None and (
            result.watermark is None or record.updated_at > result.watermark
        ):
            result.watermark = record.updated_at
    return list(parsed.values())


def _parse(raw: dict[str, Any]) -> _Pulled | None:
    rid, version, content_hash, data = (raw.get(k) for k in ("record_id", "version", "content_hash", "data"))
    if (
        not isinstance(rid, str)
        or not rid
        or isinstance(version, bool)
        or not isinstance(version, int)
        or version < 1
        or not isinstance(content_hash, str)
        or not content_hash
        or not isinstance(data, dict)
    ):
        return None
    source = raw.get("source")
    ref = raw.get("ministry_ref")
    return _Pulled(
        record_id=rid,
        version=version,
        content_hash=content_hash,
        data=data,
        source=source.strip().upper() if isinstance(source, str) and source.strip() else UNKNOWN_SOURCE,
        ministry_ref=ref if isinstance(ref, str) and ref else None,
        updated_at=_parse_time(raw.get("updated_at")),
    )


def natural_key_of(domain: Domain, data: dict[str, Any]) -> tuple[str, ...]:
    """The domain's natural key from a record's data; empty when a key field is missing or empty."""
    values = [data.get(name) for name in domain.natural_key]
    if any(value is None or str(value).strip() == "" for value in values):
        return ()
    return tuple(str(value) for value in values)


def _import_absent(
    domain: Domain, records: list[_Pulled], deps: ReconcileDeps, result: DomainReconciliation
) -> None:
    """Store the page's records that are absent here and came from elsewhere than SIKAS."""
    if not records:
        return
    stored = deps.records.hashes_of(domain.slug, [r.record_id for r in records])
    # A record SIKAS sent that is gone here stays only at the ministry: it is reported, not restored.
    candidates = [r for r in records if r.record_id not in stored and r.source != SIKAS_SOURCE]
    keys = {r.record_id: natural_key_of(domain, r.data) for r in candidates}
    # The id SIKAS would give the same natural key: stored under it, the record is known here
    # already, registered on both sides. Importing it would count one person or vacancy twice.
    ours = {
        r.record_id: record_id(deps.hmac_key, domain.slug, keys[r.record_id])
        for r in candidates
        if keys[r.record_id]
    }
    ours = {rid: own for rid, own in ours.items() if own != rid}
    known = deps.records.hashes_of(domain.slug, sorted(set(ours.values()))) if ours else {}
    states: list[DeliveryState] = []
    for record in candidates:
        own = ours.get(record.record_id)
        if own is not None and own in known:
            result.natural_key_conflicts.append({"ministry_id": record.record_id, "local_id": own})
            continue
        created = deps.records.create(
            ImportedRecord(
                domain=domain.slug,
                record_id=record.record_id,
                version=record.version,
                content_hash=record.content_hash,
                data=record.data,
                natural_key=keys[record.record_id],
                source=record.source,
                person_key=person_key(deps.hmac_key, domain.slug, record.data["nik"])
                if isinstance(record.data.get("nik"), str) and record.data["nik"]
                else None,
            )
        )
        if not created:
            continue  # stored in the meantime (an ingest): never overwritten
        result.imported.append(record.record_id)
        states.append(
            DeliveryState(
                record_id=record.record_id,
                status="delivered",
                delivered_version=record.version,
                ministry_ref=record.ministry_ref,
                ministry_result=IMPORTED_RESULT,
            )
        )
    # Written after the records: a run that dies in between leaves a record pending, which the push
    # then sends once and the ministry answers `duplicate`. The other order could mark a local
    # record delivered that the ministry never had.
    if states:
        deps.deliveries.save(domain.slug, states)


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
