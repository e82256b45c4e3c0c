"""What the ingest use case needs from the outside world, as small protocols.

The AWS adapters (sikas_sync.adapters) implement them over S3, DynamoDB and SQS; tests use the
in-memory fakes of tests/fakes.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import IO, BinaryIO, Literal, Protocol


@dataclass(frozen=True, slots=True)
class ObjectRef:
    bucket: str
    key: str
    version_id: str | None  # None when the bucket is not versioned

    @property
    def file_id(self) -> str:
        """The ledger key: one entry per bucket/key/version, so a redelivered event is recognised."""
        return f"{self.bucket}/{self.key}#{self.version_id or 'null'}"


class ObjectMissing(Exception):
    """The object (or that version of it) is no longer in the bucket."""


class ObjectStore(Protocol):
    def open(self, ref: ObjectRef) -> AbstractContextManager[BinaryIO]: ...
    def size(self, ref: ObjectRef) -> int: ...
    def current_version(self, bucket: str, key: str) -> str | None: ...
    def put(self, bucket: str, key: str, body: IO[bytes], content_type: str) -> None: ...


@dataclass(frozen=True, slots=True)
class StoredRecord:
    record_id: str
    version: int
    content_hash: str
    last_file: str | None


@dataclass(frozen=True, slots=True)
class RecordWrite:
    domain: str
    record_id: str
    version: int  # the new version; 1 for a new record
    content_hash: str
    data: dict[str, object]
    natural_key: tuple[str, ...]
    file_id: str
    row: int
    person_key: str | None = None  # records_ids.person_key of the NIK in the data, if it has one

    @property
    def created(self) -> bool:
        return self.version == 1


class RecordStore(Protocol):
    def get_many(self, domain: str, record_ids: list[str]) -> dict[str, StoredRecord]: ...

    def write(self, writes: list[RecordWrite]) -> None:
        """Store every write (a new version replaces the item). One ingest per domain runs at a time
        (it holds the domain's lease, sikas_sync.leases), so no other upload changes these records
        between the read and this write."""
        ...


@dataclass(frozen=True, slots=True)
class PushMessage:
    """What the push function needs to find the record: no personal data travels in the queue."""

    domain: str
    record_id: str
    version: int


class PushQueue(Protocol):
    def send(self, messages: list[PushMessage]) -> None: ...


ClaimState = Literal["new", "resumed", "done", "busy"]


@dataclass(frozen=True, slots=True)
class Claim:
    state: ClaimState
    attempt: int
    summary: dict[str, object] | None = None  # for "done": what the first processing reported
    # For "resumed": where an earlier invocation paused (its last stored row and counts so far).
    checkpoint: dict[str, int] | None = None


class FileLedger(Protocol):
    def claim(self, ref: ObjectRef, lease_s: int, now: float) -> Claim: ...
    def complete(self, ref: ObjectRef, summary: dict[str, object], now: float) -> None: ...
    def pause(self, ref: ObjectRef, checkpoint: dict[str, int], now: float) -> None:
        """Keep where this invocation stopped and end its lease: the next one goes on from there."""
        ...

    def entries(self) -> Iterator[dict[str, object]]: ...
