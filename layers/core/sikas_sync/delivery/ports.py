"""What the push use case needs: the stored records, a way to delay a message, and the ministry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..ministry import RecordResult


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


@dataclass
class DeliveryCounts:
    delivered: int = 0
    duplicate: int = 0
    rejected: int = 0
    blocked: int = 0
    retried: int = 0
    skipped: int = 0  # superseded, already delivered, or erased: nothing to send
    requests: int = 0
    failed_message_ids: set[str] = field(default_factory=set)
