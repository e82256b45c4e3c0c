"""In-memory fakes of the outbox ports (sikas_sync.outbox.ports), with the adapters' semantics:
a paginated scan, batch lookups that return only what exists, conditional puts by ETag."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from sikas_sync.delivery.ports import DeliveryState
from sikas_sync.outbox.ports import DeliveryInfo, OutboxRecord, StoredObject
from sikas_sync.outbox.service import OutboxDeps

NOW = datetime(2025, 3, 20, 1, 30, tzinfo=UTC)  # 08:30 WIB on 20 March
T0 = int(NOW.timestamp())
BUCKET = "inbox"


class FakeRecords:
    def __init__(self, page_size: int = 2) -> None:
        self.items: dict[tuple[str, str], OutboxRecord] = {}
        self.page_size = page_size
        self.scans = 0

    def add(self, record: OutboxRecord) -> None:
        self.items[(record.domain, record.record_id)] = record

    def scan(self, domains: Collection[str]) -> Iterator[list[OutboxRecord]]:
        self.scans += 1
        found = [r for r in self.items.values() if r.domain in domains]
        for start in range(0, len(found), self.page_size):
            yield found[start : start + self.page_size]

    def versions(self, domain: str, record_ids: list[str]) -> dict[str, int]:
        return {rid: self.items[(domain, rid)].version for rid in record_ids if (domain, rid) in self.items}


class FakeDeliveries:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], DeliveryInfo] = {}

    def set(self, domain: str, state: DeliveryState, at: int, delivered_at: int | None = None) -> None:
        self.items[(domain, state.record_id)] = DeliveryInfo(state, at, delivered_at)

    def states(self, domain: str, record_ids: list[str]) -> dict[str, DeliveryInfo]:
        return {rid: self.items[(domain, rid)] for rid in record_ids if (domain, rid) in self.items}


@dataclass
class FakeFiles:
    done: list[tuple[str, int]] = field(default_factory=list)  # (object key, finished_at)
    watermarks: dict[str, int] = field(default_factory=dict)

    def processed(self, since: int | None) -> Iterator[tuple[str, int]]:
        for key, at in self.done:
            if since is None or at >= since:
                yield key, at

    def watermark(self, domain: str) -> int | None:
        return self.watermarks.get(domain)

    def store_watermark(self, domain: str, at: int) -> None:
        self.watermarks[domain] = at


class FakeObjects:
    """A bucket of keys → bytes; ETags are content hashes. `on_get` runs after a get (a race)."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.types: dict[str, str] = {}
        self.puts: list[str] = []
        self.on_get: Any = None

    @staticmethod
    def etag(body: bytes) -> str:
        return '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'

    def get(self, key: str) -> StoredObject | None:
        body = self.objects.get(key)
        if body is None:
            return None
        if self.on_get is not None:
            self.on_get(key)
        return StoredObject(io.BytesIO(body), self.etag(body))

    def put(self, key: str, body: IO[bytes], content_type: str, *, if_match: str | None = None) -> bool:
        data = body.read()
        if if_match is not None and (key not in self.objects or self.etag(self.objects[key]) != if_match):
            return False
        self.objects[key] = data
        self.types[key] = content_type
        self.puts.append(key)
        return True

    def text(self, key: str) -> str:
        data = self.objects[key]
        assert data.startswith("\ufeff".encode()) or key.endswith(".jsonl")
        return data.decode("utf-8-sig")

    def rows(self, key: str) -> list[dict[str, str]]:
        reader = csv.reader(io.StringIO(self.text(key), newline=""), delimiter=";")
        header, *data = list(reader)
        return [dict(zip(header, row, strict=True)) for row in data]

    def header(self, key: str) -> list[str]:
        return next(csv.reader(io.StringIO(self.text(key), newline=""), delimiter=";"))


@dataclass
class OutboxWorld:
    records: FakeRecords = field(default_factory=FakeRecords)
    deliveries: FakeDeliveries = field(default_factory=FakeDeliveries)
    files: FakeFiles = field(default_factory=FakeFiles)
    objects: FakeObjects = field(default_factory=FakeObjects)
    now: datetime = NOW

    @property
    def deps(self) -> OutboxDeps:
        return OutboxDeps(
            records=self.records,
            deliveries=self.deliveries,
            files=self.files,
            objects=self.objects,
            clock=lambda: self.now,
        )


def file_id(key: str, version: str = "v1") -> str:
    return f"{BUCKET}/{key}#{version}"


def record(
    rid: str,
    key: tuple[str, ...],
    *,
    domain: str = "pencari_kerja",
    version: int = 1,
    data: dict[str, Any] | None = None,
    source: str | None = None,
    last_file: str | None = None,
    updated_at: int = T0 - 3600,
) -> OutboxRecord:
    return OutboxRecord(
        domain=domain,
        record_id=rid,
        version=version,
        natural_key=key,
        data=data or {},
        source=source,
        last_file=last_file,
        updated_at=updated_at,
    )
