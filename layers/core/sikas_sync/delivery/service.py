"""The push use case: deliver the latest version of each queued record to the ministry, once.

Plain Python; the push handler gives it the messages of one SQS batch and returns the ids that
failed (partial batch response). Failures are delayed with exponential backoff and jitter
(ChangeMessageVisibility); after the queue's maxReceiveCount they move to the DLQ, where the sweep
and `sikas-sync redrive` find them. Nothing here loses a record: a message is only let go once its
record is delivered, refused by the ministry, superseded by a newer version, or blocked with a reason.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from ..ministry import AuthenticationError, PermanentError, RecordResult, TransientError
from .ports import (
    DeliveryCounts,
    DeliveryState,
    DeliveryStore,
    MessageDelay,
    Ministry,
    PushItem,
    PushRecord,
    RecordOutcome,
)

T = TypeVar("T")
DELIVERED = frozenset({"accepted", "duplicate", "stale"})


class BreakerOpen(Exception):
    """The ministry is considered down: do not call it until the cool-down has passed."""

    def __init__(self, retry_in_s: float) -> None:
        super().__init__(f"circuit open, retry in {retry_in_s:.0f}s")
        self.retry_in_s = retry_in_s


class Breaker:
    """Calls through unchanged; the AWS wiring replaces it with the DynamoDB-backed breaker."""

    def call(self, action: Callable[[], T]) -> T:
        return action()


@dataclass(frozen=True)
class Backoff:
    base_s: float
    cap_s: float
    max_visibility_s: int = 12 * 3600  # SQS's limit for ChangeMessageVisibility

    def delay(self, receive_count: int, retry_after: float | None, rng: random.Random) -> int:
        """Exponential backoff with jitter; never sooner than the ministry's Retry-After."""
        exponential: float = min(self.cap_s, self.base_s * 2.0 ** min(max(receive_count - 1, 0), 60))
        jittered = exponential / 2 + rng.uniform(0, exponential / 2)  # "equal jitter": spread, not zero
        wanted = max(jittered, retry_after or 0.0)
        return int(max(1, min(round(wanted), self.max_visibility_s)))


@dataclass
class DeliveryDeps:
    store: DeliveryStore
    ministry: Ministry
    visibility: MessageDelay
    backoff: Backoff
    breaker: Breaker
    rng: random.Random


def deliver(items: list[PushItem], deps: DeliveryDeps) -> DeliveryCounts:
    """Deliver one batch of push messages; `failed_message_ids` are to be retried later.

    The totals carry each domain's own counts in `by_domain` (one ministry request per domain).
    """
    counts = DeliveryCounts()
    by_domain: dict[str, list[PushItem]] = defaultdict(list)
    for item in items:
        by_domain[item.domain].append(item)
    for domain, domain_items in by_domain.items():
        domain_counts = DeliveryCounts()
        _deliver_domain(domain, domain_items, deps, domain_counts)
        counts.add(domain, domain_counts)
    return counts


def _deliver_domain(domain: str, items: list[PushItem], deps: DeliveryDeps, counts: DeliveryCounts) -> None:
    stored = deps.store.load(domain, sorted({item.record_id for item in items}))
    to_send: dict[str, tuple[PushRecord, list[PushItem]]] = {}
    for item in items:
        record = stored.get(item.record_id)
        if record is None or not _needs_delivery(record, item):
            counts.skipped += 1
            continue
        to_send.setdefault(record.record_id, (record, []))[1].append(item)
    if not to_send:
        return
    payload = [_payload(record) for record, _ in to_send.values()]
    states: list[DeliveryState] = []

    def request() -> list[RecordResult]:
        counts.requests += 1  # only when the breaker lets the call through
        return deps.ministry.push(domain, payload)

    try:
        results = deps.breaker.call(request)
    except BreakerOpen as open_breaker:
        counts.breaker_open = True
        _retry_later(to_send, deps, counts, retry_after=open_breaker.retry_in_s)
        return
    except (TransientError, AuthenticationError) as error:
        # A refused login is fixed by rotating the secret, which the client re-reads: retry later.
        states = _states(domain, list(error.partial), to_send, deps.ministry.last_request_id, counts)
        done = {result.record_id for result in error.partial}
        retry_after = error.retry_after if isinstance(error, TransientError) else None
        _retry_later(
            {r: e for r, e in to_send.items() if r not in done}, deps, counts, retry_after=retry_after
        )
    except PermanentError as error:
        # 400/403: retrying the same request cannot help; keep its records, visibly blocked.
        states = _states(domain, list(error.partial), to_send, deps.ministry.last_request_id, counts)
        failed = (set(error.record_ids) or set(to_send)) & set(to_send)
        for record_id in sorted(failed):
            record = to_send[record_id][0]
            states.append(_blocked(record, f"http_{error.status}"))
            counts.blocked += 1
            counts.outcomes.append(_outcome(domain, record, "blocked", (("-", f"http_{error.status}"),)))
        done = {result.record_id for result in error.partial} | failed
        _retry_later({r: e for r, e in to_send.items() if r not in done}, deps, counts, retry_after=None)
    else:
        states = _states(domain, results, to_send, deps.ministry.last_request_id, counts)
    counts.request_id = deps.ministry.last_request_id
    if states:
        deps.store.save(domain, states)


def _needs_delivery(record: PushRecord, item: PushItem) -> bool:
    if record.version > item.version:
        return False  # superseded: the newer version has its own message
    # Delivered already (a redelivered message), or refused: wait until the content changes.
    return not (record.delivered or record.refused)


def _payload(record: PushRecord) -> dict[str, Any]:
    return {
        "record_id": record.record_id,
        "version": record.version,
        "content_hash": record.content_hash,
        "data": record.data,
    }


def _states(
    domain: str,
    results: list[RecordResult],
    to_send: dict[str, tuple[PushRecord, list[PushItem]]],
    request_id: str | None,
    counts: DeliveryCounts,
) -> list[DeliveryState]:
    states = []
    for result in results:
        entry = to_send.get(result.record_id)
        if entry is None:
            continue  # the ministry answered for a record we did not send; nothing to mark
        record, _ = entry
        before = record.state or DeliveryState(record.record_id, "pending")
        codes = tuple((str(e.get("field") or "-"), str(e.get("code") or "-")) for e in result.errors)
        outcome = result.status if result.status in DELIVERED else "refused"
        counts.outcomes.append(_outcome(domain, record, outcome, codes))
        if result.status in DELIVERED:
            states.append(
                replace(
                    before,
                    status="delivered",
                    delivered_version=record.version,
                    ministry_ref=result.ministry_ref or before.ministry_ref,
                    ministry_result=result.status,
                    errors=(),
                    blocked_reason=None,
                    request_id=request_id,
                )
            )
            counts.delivered += 1
            counts.duplicate += int(result.status == "duplicate")
            counts.accepted += int(result.status != "duplicate")
        else:
            states.append(
                replace(
                    before,
                    status="rejected_by_ministry",
                    rejected_version=record.version,
                    errors=tuple(result.errors),
                    request_id=request_id,
                )
            )
            counts.rejected += 1
    return states


def _outcome(
    domain: str, record: PushRecord, outcome: str, errors: tuple[tuple[str, str], ...] = ()
) -> RecordOutcome:
    return RecordOutcome(domain, record.record_id, record.version, outcome, record.source_file, errors)


def _blocked(record: PushRecord, reason: str) -> DeliveryState:
    before = record.state or DeliveryState(record.record_id, "pending")
    return replace(before, status="blocked", blocked_reason=reason)


def _retry_later(
    entries: dict[str, tuple[PushRecord, list[PushItem]]],
    deps: DeliveryDeps,
    counts: DeliveryCounts,
    *,
    retry_after: float | None,
) -> None:
    for record, items in entries.values():
        counts.outcomes.append(_outcome(items[0].domain, record, "retry"))
        for item in items:
            seconds = deps.backoff.delay(item.receive_count, retry_after, deps.rng)
            deps.visibility.delay(item.receipt_handle, seconds)
            counts.failed_message_ids.add(item.message_id)
            counts.retried += 1
