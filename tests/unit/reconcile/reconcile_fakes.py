"""In-memory fakes of the reconcile ports (sikas_sync.reconcile.ports) and a world that wires them.

They behave like the adapters where it matters: the local store never overwrites (conditional put),
documents go through JSON (as they do through S3), the ministry filters on `updated_since`
inclusively and answers in (updated_at, record_id) order, as the contract's local implementation does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sikas_sync.delivery.ports import DeliveryState
from sikas_sync.ingest.record_ids import record_id
from sikas_sync.ministry import TransientError
from sikas_sync.reconcile.ports import ImportedRecord, ReconcileState
from sikas_sync.reconcile.service import ReconcileDeps, ReconcileOutcome, ReconcileRequest, reconcile
from sikas_sync.validation.canonical import content_hash

KEY = b"k" * 32
DOMAIN = "pencari_kerja"
START = datetime(2025, 6, 1, 18, 30, tzinfo=UTC)  # 2025-06-02 01:30 WIB


def person(nik: str, nama: str = "Siti Aminah", **extra: Any) -> dict[str, Any]:
    return {"nik": nik, "nama": nama, "tanggal_daftar": "2025-05-02", **extra}


def our_id(nik: str, domain: str = DOMAIN) -> str:
    return record_id(KEY, domain, (nik,))


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class FakeMinistry:
    records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # domain → id → record
    pulls: list[tuple[str, datetime | None]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)

    def put(
        self,
        rid: str,
        data: dict[str, Any],
        *,
        domain: str = DOMAIN,
        version: int = 1,
        source: str = "SIAPKERJA",
        updated_at: datetime = START - timedelta(days=30),
        **extra: Any,
    ) -> dict[str, Any]:
        record = {
            "record_id": rid,
            "version": version,
            "content_hash": content_hash(data),
            "data": data,
            "ministry_ref": f"REF-{rid}",
            "updated_at": updated_at.isoformat().replace("+00:00", "Z"),
            "source": source,
            **extra,
        }
        self.records.setdefault(domain, {})[rid] = record
        return record

    def pull(self, domain: str, *, updated_since: datetime | None = None) -> Iterator[dict[str, Any]]:
        self.pulls.append((domain, updated_since))
        if domain in self.failing:
            raise TransientError(f"pull {domain}: the ministry answered 503", status=503)
        found = [
            r
            for r in self.records.get(domain, {}).values()
            if updated_since is None or datetime.fromisoformat(r["updated_at"]) >= updated_since
        ]
        for record in sorted(found, key=lambda r: (r["updated_at"], r["record_id"])):
            yield json.loads(json.dumps(record))


@dataclass
class FakeLocal:
    items: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    created: list[ImportedRecord] = field(default_factory=list)
    # ids an "ingest" stores between reconcile's lookup and its create (the race create guards)
    stored_meanwhile: set[str] = field(default_factory=set)

    def seed(
        self, nik: str, data: dict[str, Any] | None = None, domain: str = DOMAIN, version: int = 1
    ) -> str:
        data = data or person(nik)
        rid = our_id(nik, domain)
        self.items[(domain, rid)] = {
            "record_id": rid,
            "version": version,
            "content_hash": content_hash(data),
            "data": data,
            "natural_key": (nik,),
            "last_file": "inbox/pencari_kerja/a.csv#v1",
        }
        return rid

    def hashes_of(self, domain: str, record_ids: list[str]) -> dict[str, str]:
        return {
            rid: self.items[(domain, rid)]["content_hash"]
            for rid in record_ids
            if (domain, rid) in self.items
        }

    def all_hashes(self, domain: str) -> Iterator[tuple[str, str]]:
        for (item_domain, rid), item in list(self.items.items()):
            if item_domain == domain:
                yield rid, item["content_hash"]

    def create(self, record: ImportedRecord) -> bool:
        key = (record.domain, record.record_id)
        if record.record_id in self.stored_meanwhile:
            self.items[key] = {"record_id": record.record_id, "version": 1, "content_hash": "from-ingest"}
        if key in self.items:
            return False
        self.created.append(record)
        self.items[key] = {
            "record_id": record.record_id,
            "version": record.version,
            "content_hash": record.content_hash,
            "data": record.data,
            "natural_key": record.natural_key,
            "source": record.source,
        }
        return True


@dataclass
class FakeDeliveries:
    saved: list[tuple[str, DeliveryState]] = field(default_factory=list)

    def save(self, domain: str, states: list[DeliveryState]) -> None:
        self.saved.extend((domain, state) for state in states)


@dataclass
class FakeControl:
    states: dict[str, ReconcileState] = field(default_factory=dict)

    def load(self, domain: str) -> ReconcileState | None:
        return self.states.get(domain)

    def store(self, domain: str, state: ReconcileState) -> None:
        self.states[domain] = state


@dataclass
class FakeObjects:
    documents: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> Any | None:
        text = self.documents.get(key)
        return None if text is None else json.loads(text)

    def put(self, key: str, document: Any) -> None:
        self.documents[key] = json.dumps(document, ensure_ascii=False)


class World:
    def __init__(self) -> None:
        self.clock = Clock()
        self.ministry = FakeMinistry()
        self.local = FakeLocal()
        self.deliveries = FakeDeliveries()
        self.control = FakeControl()
        self.objects = FakeObjects()
        self.deps = ReconcileDeps(
            ministry=self.ministry,
            records=self.local,
            deliveries=self.deliveries,
            control=self.control,
            objects=self.objects,
            hmac_key=KEY,
            region_code="12.09",
            clock=self.clock,
        )

    def run(self, *domains: str, full: bool = False) -> ReconcileOutcome:
        request = ReconcileRequest(domains=list(domains or [DOMAIN]), full=full)
        return reconcile(request, self.deps)

    def report(self, key: str) -> dict[str, Any]:
        document = self.objects.get(key)
        assert document is not None, f"no report at {key}"
        return dict(document)
