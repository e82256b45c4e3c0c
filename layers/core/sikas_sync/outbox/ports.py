"""What the outbox run needs from the outside world, as small protocols.

`sikas_sync.outbox.storage` implements them over DynamoDB and S3; tests use in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import IO, Any, Protocol

from ..delivery.ports import DeliveryState


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    """A records-table item as the outbox reads it (the layout of `adapters.dynamodb_records`)."""

    domain: str
    record_id: str
    version: int
    natural_key: tuple[str, ...]
    data: dict[str, Any]
    source: str | None  # None or SIKAS: ingested; SIAPKERJA, KARIRHUB, ...: imported by reconcile
    last_file: str | None  # the files ledger's id (`bucket/key#version`) of the upload that wrote it
    updated_at: int | None  # epoch seconds of the last write


@dataclass(frozen=True, slots=True)
class DeliveryInfo:
    """A deliveries-table item: the record's state with the ministry and when it was last written."""

    state: DeliveryState
    updated_at: int | None  # epoch seconds of the item's last write
    delivered_at: int | None = None  # where the item keeps one; else `updated_at` of a delivered state


class OutboxRecords(Protocol):
    def scan(self, domains: Collection[str]) -> Iterator[list[OutboxRecord]]:
        """Every record of these domains, a page at a time (bounded memory)."""
        ...

    def versions(self, domain: str, record_ids: list[str]) -> dict[str, int]:
        """The current version of those of the records that are stored."""
        ...


class OutboxDeliveries(Protocol):
    def states(self, domain: str, record_ids: list[str]) -> dict[str, DeliveryInfo]:
        """The delivery items of those of the records that have one (none: pending)."""
        ...


class ProcessedFiles(Protocol):
    """The files ledger, and the outbox's own watermark per domain beside it."""

    def processed(self, since: int | None) -> Iterator[tuple[str, int]]:
        """(object key, finished_at) of every upload processed at or after `since` (None: all)."""
        ...

    def watermark(self, domain: str) -> int | None:
        """When the last outbox run that covered this domain started (epoch seconds)."""
        ...

    def store_watermark(self, domain: str, at: int) -> None: ...


@dataclass(frozen=True, slots=True)
class StoredObject:
    body: IO[bytes]  # the caller closes it
    etag: str


class OutboxObjects(Protocol):
    def get(self, key: str) -> StoredObject | None:
        """The object, or None when there is none."""
        ...

    def put(self, key: str, body: IO[bytes], content_type: str, *, if_match: str | None = None) -> bool:
        """Store the object; with `if_match`, only over that very version (False when it changed)."""
        ...
