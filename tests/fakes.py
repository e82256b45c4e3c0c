"""In-memory fakes of the ingest ports (sikas_sync.ingest.ports), for unit tests without AWS.

They follow the contracts of the ports and the behaviour of the real adapters where it matters:
the object store is versioned and hands out a stream that cannot be rewound (like S3's body),
the record store replaces items unconditionally (like BatchWriteItem), the ledger leases files
(like DynamoFileLedger), a lease is taken over only once its time is over (like DynamoLeases).
Each fake counts its calls and can be told to fail, so tests can crash an ingest part-way and
retry it.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

from sikas_sync.ingest.ports import (
    Claim,
    ObjectMissing,
    ObjectRef,
    PushMessage,
    RecordWrite,
    StoredRecord,
)
from sikas_sync.leases import Lease, LeaseBusy


class Crash(RuntimeError):
    """What a fake raises when told to fail: stands for a killed or failing invocation."""


# ---------------------------------------------------------------------------------------------
# Clock


@dataclass
class FakeClock:
    now: float = 1_795_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# ---------------------------------------------------------------------------------------------
# ObjectStore


class _Unseekable(io.RawIOBase):
    """A read-only stream that cannot seek, like botocore's StreamingBody."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


@dataclass
class StoredObject:
    version_id: str
    body: bytes
    content_type: str


class FakeObjectStore:
    """A versioned bucket (or several) in a dict: {(bucket, key): [versions, oldest first]}."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], list[StoredObject]] = {}
        self.opened: list[ObjectRef] = []
        self.puts: list[tuple[str, str]] = []
        self._versions = itertools.count(1)

    # -- test helpers ----------------------------------------------------------------------------

    def upload(self, bucket: str, key: str, body: bytes, content_type: str = "text/csv") -> ObjectRef:
        """PutObject as SIKAS does; the ref an S3 event would carry."""
        version = f"v{next(self._versions)}"
        self.objects.setdefault((bucket, key), []).append(StoredObject(version, body, content_type))
        return ObjectRef(bucket, key, version)

    def delete_version(self, ref: ObjectRef) -> None:
        versions = self.objects.get((ref.bucket, ref.key), [])
        self.objects[(ref.bucket, ref.key)] = [v for v in versions if v.version_id != ref.version_id]

    def body(self, bucket: str, key: str) -> bytes:
        """The latest version's bytes (for reports and quarantine files)."""
        return self._find(ObjectRef(bucket, key, None)).body

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        found = (k for (b, k), versions in self.objects.items() if b == bucket and versions)
        return sorted(k for k in found if k.startswith(prefix))

    # -- the port ----------------------------------------------------------------------------------

    def _find(self, ref: ObjectRef) -> StoredObject:
        versions = self.objects.get((ref.bucket, ref.key)) or []
        if not versions:
            raise ObjectMissing("NoSuchKey")
        if ref.version_id is None:
            return versions[-1]
        for version in versions:
            if version.version_id == ref.version_id:
                return version
        raise ObjectMissing("NoSuchVersion")

    @contextmanager
    def open(self, ref: ObjectRef) -> Iterator[BinaryIO]:
        stored = self._find(ref)
        self.opened.append(ref)
        stream = io.BufferedReader(_Unseekable(stored.body))
        try:
            yield stream  # type: ignore[misc]
        finally:
            stream.close()

    def size(self, ref: ObjectRef) -> int:
        return len(self._find(ref).body)

    def current_version(self, bucket: str, key: str) -> str | None:
        return self._find(ObjectRef(bucket, key, None)).version_id

    def put(self, bucket: str, key: str, body: IO[bytes], content_type: str) -> None:
        self.puts.append((bucket, key))
        self.upload(bucket, key, body.read(), content_type)


# ---------------------------------------------------------------------------------------------
# RecordStore


@dataclass
class FakeItem:
    """What the records table holds for one record (the DynamoDB item, as plain values)."""

    domain: str
    record_id: str
    version: int
    content_hash: str
    data: dict[str, object]
    natural_key: tuple[str, ...]
    last_file: str
    last_row: int
    writes: int = 1  # how many times this item was put


class FakeRecordStore:
    """Records by (domain, record_id). `crash_on_write=N` makes the N-th write() call apply its first
    `crash_after_items` writes and then raise Crash (a BatchWriteItem that died half-way)."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], FakeItem] = {}
        self.write_calls = 0
        self.item_writes = 0
        self.history: list[RecordWrite] = []
        self.crash_on_write: int | None = None
        self.crash_after_items = 0

    def get_many(self, domain: str, record_ids: list[str]) -> dict[str, StoredRecord]:
        found: dict[str, StoredRecord] = {}
        for rid in record_ids:
            item = self.items.get((domain, rid))
            if item is not None:
                found[rid] = StoredRecord(
                    record_id=rid,
                    version=item.version,
                    content_hash=item.content_hash,
                    last_file=item.last_file,
                )
        return found

    def write(self, writes: list[RecordWrite]) -> None:
        self.write_calls += 1
        crash = self.crash_on_write == self.write_calls
        for index, write in enumerate(writes):
            if crash and index >= self.crash_after_items:
                raise Crash(f"record store failed on write call {self.write_calls}")
            self._put(write)
        if crash:
            raise Crash(f"record store failed on write call {self.write_calls}")

    def _put(self, write: RecordWrite) -> None:
        previous = self.items.get((write.domain, write.record_id))
        self.items[(write.domain, write.record_id)] = FakeItem(
            domain=write.domain,
            record_id=write.record_id,
            version=write.version,
            content_hash=write.content_hash,
            data=dict(write.data),
            natural_key=tuple(write.natural_key),
            last_file=write.file_id,
            last_row=write.row,
            writes=(previous.writes + 1) if previous else 1,
        )
        self.item_writes += 1
        self.history.append(write)

    # -- test helpers ----------------------------------------------------------------------------

    def by_key(self, domain: str) -> dict[tuple[str, ...], FakeItem]:
        """The domain's items by natural key (what the NIKs of a test file map to)."""
        return {item.natural_key: item for item in self.items.values() if item.domain == domain}

    def seed(self, item: FakeItem) -> None:
        self.items[(item.domain, item.record_id)] = item


# ---------------------------------------------------------------------------------------------
# PushQueue


class FakePushQueue:
    """Collects messages. `crash_on_send=N` makes the N-th send() call raise before queueing."""

    def __init__(self) -> None:
        self.messages: list[PushMessage] = []
        self.send_calls = 0
        self.crash_on_send: int | None = None

    def send(self, messages: list[PushMessage]) -> None:
        self.send_calls += 1
        if self.crash_on_send == self.send_calls:
            raise Crash(f"push queue failed on send call {self.send_calls}")
        self.messages.extend(messages)


# ---------------------------------------------------------------------------------------------
# FileLedger


@dataclass
class LedgerEntry:
    file_id: str
    object_key: str
    status: str  # processing | done
    attempt: int
    lease_until: float | None
    summary: dict[str, object] | None = None
    checkpoint: dict[str, int] | None = None


class FakeFileLedger:
    """One entry per bucket/key/version, claimed with a lease (the semantics of DynamoFileLedger)."""

    def __init__(self) -> None:
        self.items: dict[str, LedgerEntry] = {}
        self.claims: list[tuple[str, str]] = []  # (file_id, claim state), in order

    def claim(self, ref: ObjectRef, lease_s: int, now: float) -> Claim:
        claim = self._claim(ref, lease_s, now)
        self.claims.append((ref.file_id, claim.state))
        return claim

    def _claim(self, ref: ObjectRef, lease_s: int, now: float) -> Claim:
        entry = self.items.get(ref.file_id)
        if entry is None:
            self.items[ref.file_id] = LedgerEntry(ref.file_id, ref.key, "processing", 1, now + lease_s)
            return Claim("new", 1)
        if entry.status == "done":
            return Claim("done", entry.attempt, dict(entry.summary or {}))
        if entry.lease_until is not None and entry.lease_until > now:
            return Claim("busy", entry.attempt)
        entry.attempt += 1
        entry.lease_until = now + lease_s
        checkpoint = dict(entry.checkpoint) if entry.checkpoint else None
        return Claim("resumed", entry.attempt, checkpoint=checkpoint)

    def pause(self, ref: ObjectRef, checkpoint: dict[str, int], now: float) -> None:
        entry = self.items[ref.file_id]
        assert entry.status == "processing"
        entry.checkpoint, entry.lease_until = dict(checkpoint), now

    def complete(self, ref: ObjectRef, summary: dict[str, object], now: float) -> None:
        entry = self.items[ref.file_id]
        entry.status, entry.summary, entry.lease_until = "done", dict(summary), None

    def entries(self) -> Iterator[dict[str, object]]:
        for entry in self.items.values():
            found: dict[str, object] = {"file_id": entry.file_id, "status": entry.status}
            if entry.summary is not None:
                found["summary"] = entry.summary
            yield found


# ---------------------------------------------------------------------------------------------
# Leases


class FakeLeases:
    """Named leases with DynamoLeases' semantics: free, or taken over once the holder's time is over;
    a release by anyone but the current holder changes nothing."""

    def __init__(self) -> None:
        self.held: dict[str, Lease] = {}
        self.acquired: list[str] = []  # lease names, in the order they were taken
        self.refused: list[str] = []  # lease names asked for while someone else held them

    def acquire(self, name: str, holder: str, lease_s: int, now: float) -> Lease:
        current = self.held.get(name)
        if current is not None and current.until >= now:
            self.refused.append(name)
            raise LeaseBusy(name, current.until)
        lease = Lease(name, holder, now + lease_s)
        self.held[name] = lease
        self.acquired.append(name)
        return lease

    def release(self, lease: Lease, now: float) -> bool:
        if self.held.get(lease.name) != lease:
            return False
        del self.held[lease.name]
        return True
