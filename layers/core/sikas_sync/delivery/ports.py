"""What the push use case needs: the stored records, a way to delay a message, and the ministry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..ministry import RecordResult

# The circuit breaker's item in the deliveries table (Powertools' DynamoDB persistence, key `pk`):
# no record key can collide with it, and `sikas-sync status` and the sweep read its `state`.
BREAKER_NAME = "_control#ministry-breaker"


@dataclass(frozen=True, slots=True)
class PushItem:
    """One push-queue message as the push function received it."""

    message_id: str
    receipt_handle: str
    receive_count: int
    domain: str
    record_id: str
    version: int


@dataclass(frozen=True, slots=True)
class DeliveryState:
    """Where a record stands with the ministry; one item per record in the deliveries table."""

    record_id: str
    status: str  # "delivered", "rejected_by_ministry" or "blocked"; no item at all means pending
    delivered_version: int | None = None
    ministry_ref: str | None = None  # kept across versions: the ministry's id for the record
    ministry_result: str | None = None  # accepted / duplicate / stale
    rejected_version: int | None = None
    errors: tuple[dict[str, str], ...] = ()
    blocked_reason: str | None = None
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class PushRecord:
    """A stored record and its delivery state, as the push function sees it."""

    record_id: str
    version: int
    content_hash: str
    data: dict[str, Any]
    state: DeliveryState | None
    source_file: str | None = None  # the ledger's file id (`key#version`) that wrote this version

    @property
    def delivered(self) -> bool:
        return delivery_status(self.version, self.state) == "delivered"

    @property
    def refused(self) -> bool:
        return delivery_status(self.version, self.state) == "rejected_by_ministry"


def delivery_status(version: int, state: DeliveryState | None) -> str:
    """Where one version of a record stands: delivered, rejected_by_ministry, blocked or pending."""
    if state is None:
        return "pending"
    if (state.delivered_version or 0) >= version:
        return "delivered"
    if state.rejected_version == version:
        return "rejected_by_ministry"
    return "blocked" if state.status == "blocked" else "pending"


class DeliveryStore(Protocol):
    def load(self, domain: str, record_ids: list[str]) -> dict[str, PushRecord]: ...
    def save(self, domain: str, states: list[DeliveryState]) -> None: ...


class MessageDelay(Protocol):
    def delay(self, receipt_handle: str, seconds: int) -> None: ...


class Ministry(Protocol):
    def push(self, domain: str, records: list[dict[str, Any]]) -> list[RecordResult]: ...

    @property
    def last_request_id(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What one delivery attempt did with one record version: ids, outcome and codes, no data.

    `outcome` is the ministry's `accepted`, `duplicate` or `stale`, or `refused` (its error codes in
    `errors` as (field, code) pairs), `blocked` (a permanent 400/403) or `retry` (deferred).
    """

    domain: str
    record_id: str
    version: int
    outcome: str
    source_file: str | None = None
    errors: tuple[tuple[str, str], ...] = ()


@dataclass
class DeliveryCounts:
    delivered: int = 0  # accepted + duplicate + stale
    duplicate: int = 0
    rejected: int = 0
    blocked: int = 0
    retried: int = 0
    skipped: int = 0  # superseded, already delivered, or erased: nothing to send
    requests: int = 0
    accepted: int = 0  # `accepted` or `stale` (the ministry holds this version or a newer one)
    breaker_open: bool = False  # some records were held back by the open circuit breaker
    request_id: str | None = None  # the ministry's id of the last request made
    failed_message_ids: set[str] = field(default_factory=set)
    outcomes: list[RecordOutcome] = field(default_factory=list)
    by_domain: dict[str, DeliveryCounts] = field(default_factory=dict)

    @property
    def deferred(self) -> int:
        """Records (not messages) left for a later attempt: the ministry failed, or the breaker is open."""
        return sum(outcome.outcome == "retry" for outcome in self.outcomes)

    def add(self, domain: str, counts: DeliveryCounts) -> None:
        """Add one domain's counts to these totals, and keep them under `by_domain`."""
        self.by_domain[domain] = counts
        for name in ("delivered", "duplicate", "rejected", "blocked", "retried", "skipped", "requests"):
            setattr(self, name, getattr(self, name) + getattr(counts, name))
        self.accepted += counts.accepted
        self.breaker_open = self.breaker_open or counts.breaker_open
        self.request_id = counts.request_id or self.request_id
        self.failed_message_ids |= counts.failed_message_ids
        self.outcomes += counts.outcomes
