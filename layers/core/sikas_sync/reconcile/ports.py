"""What the reconcile use case needs from the outside world, as small protocols.

`sikas_sync.reconcile.storage` implements them over DynamoDB and S3; the ministry port is the
`MinistryClient` itself. Tests use in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from ..delivery.ports import DeliveryState


@dataclass(frozen=True, slots=True)
class ImportedRecord:
    """A record only the ministry held, stored in the records table as it came (with its source)."""

    domain: str
    record_id: str  # as the ministry gave it
    version: int
    content_hash: str
    data: dict[str, Any]
    natural_key: tuple[str, ...]  # empty when the data lacks one of the domain's key fields
    source: str  # SIAPKERJA, KARIRHUB, ...
    person_key: str | None = None  # record_ids.person_key of the data's NIK, for erasure


@dataclass(frozen=True, slots=True)
class ReconcileState:
    """The last successful reconcile of one domain (the `_control#reconcile#<domain>` item)."""

    watermark: datetime | None  # the latest `updated_at` the ministry reported (its clock)
    last_run_at: datetime
    last_full_at: datetime  # the last run that pulled everything


class MinistryRecords(Protocol):
    """`MinistryClient.pull`: the ministry's records of one domain, following cursors."""

    def pull(self, domain: str, *, updated_since: datetime | None = None) -> Iterator[dict[str, Any]]: ...


class LocalRecords(Protocol):
    """The records table as reconcile sees it: ids and content hashes, and imports."""

    def hashes_of(self, domain: str, record_ids: list[str]) -> dict[str, str]:
        """record_id → content_hash of those of the ids that are stored (read consistently)."""
        ...

    def all_hashes(self, domain: str) -> Iterator[tuple[str, str]]:
        """(record_id, content_hash) of every stored record of the domain, streamed, consistent."""
        ...

    def create(self, record: ImportedRecord) -> bool:
        """Store a new record; False (and nothing written) when the record_id is already stored."""
        ...


class DeliveryStates(Protocol):
    """The deliveries table (`DynamoDeliveryStore.save`)."""

    def save(self, domain: str, states: list[DeliveryState]) -> None: ...


class ReconcileControl(Protocol):
    def load(self, domain: str) -> ReconcileState | None: ...
    def store(self, domain: str, state: ReconcileState) -> None: ...


class JsonObjects(Protocol):
    """JSON documents in the inbox bucket (reports, the ministry index between runs)."""

    def get(self, key: str) -> Any | None:
        """The document, or None when there is no such object."""
        ...

    def put(self, key: str, document: Any) -> None: ...
