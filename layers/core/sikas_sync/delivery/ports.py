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
class PushRecord:
    """A stored record as the push function sees it."""

    record_id: str
    version: int
    content_hash: str
    data: dict[str, Any]
    delivery_status: str
    delivered_version: int | None


class DeliveryStore(Protocol):
    def load(self, domain: str, record_ids: list[str]) -> dict[str, PushRecord]: ...
    def mark_delivered(
        self, domain: str, result: RecordResult, version: int, request_id: str | None
    ) -> None: ...
    def mark_rejected(
        self, domain: str, result: RecordResult, version: int, request_id: str | None
    ) -> None: ...
    def mark_blocked(self, domain: str, record_id: str, version: int, reason: str) -> None: ...


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
