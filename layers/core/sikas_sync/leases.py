"""Single-flight work without reserved concurrency: a named lease that one invocation holds at a time.

AWS does not honour reserved concurrency on an SQS event source (the poller keeps sending batches
and the throttled ones burn a receive each), and every reserved unit comes out of the account's
quota. So the functions that must not run twice at once (one ingest per domain, each scheduled
function, erase) take a lease instead: an item in the locks table, given to one holder until a
time. A holder that dies loses its lease when that time passes; nobody has to clean up.

The AWS adapter is sikas_sync.adapters.dynamodb_leases; tests use tests/fakes.py's FakeLeases.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Lease:
    name: str  # what is held: `ingest#pencari_kerja`, `function#sweep`
    holder: str  # unique per acquisition, so a holder never releases another's lease
    until: float  # Unix seconds; after this anyone may take the lease over


class LeaseBusy(Exception):
    """Another holder has the lease until `until` (Unix seconds)."""

    def __init__(self, name: str, until: float) -> None:
        super().__init__(f"lease {name} is held until {int(until)}")
        self.name = name
        self.until = until


class Leases(Protocol):
    def acquire(self, name: str, holder: str, lease_s: int, now: float) -> Lease:
        """The lease, when nobody holds it or its holder's time is over; else raises LeaseBusy."""
        ...

    def release(self, lease: Lease, now: float) -> bool:
        """Gives the lease back; False when it had expired and someone else took it meanwhile."""
        ...


def ingest_lease_name(domain_prefix: str) -> str:
    """One ingest per domain at a time: two uploads of a domain never write its records together."""
    return f"ingest#{domain_prefix}"


def function_lease_name(function: str) -> str:
    """One run of a scheduled or operator function at a time (a manual run and the scheduled one)."""
    return f"function#{function}"


MAX_LEASE_MARGIN_S = 60


def lease_for(timeout_s: int) -> int:
    """A lease for an invocation with `timeout_s` left: longer than the invocation, so a live
    invocation keeps it, and over well before an SQS message is visible again (visibility = 6 x
    timeout), so the redelivery after a crash can take it over."""
    return timeout_s + min(MAX_LEASE_MARGIN_S, max(1, timeout_s // 2))


def new_holder(what: str) -> str:
    return f"{what}@{uuid.uuid4().hex[:12]}"


def single_flight(
    leases: Leases,
    function: str,
    timeout_s: int,
    work: Callable[[], T],
    clock: Callable[[], float] = time.time,
) -> T | None:
    """`work()` while holding the function's lease; None, without running it, when another run of
    the function holds the lease (a manual run during the scheduled one, a schedule that fired while
    the previous run still goes). The lease is given back however `work` ends."""
    try:
        lease = leases.acquire(
            function_lease_name(function), new_holder(function), lease_for(timeout_s), clock()
        )
    except LeaseBusy:
        return None
    try:
        return work()
    finally:
        leases.release(lease, clock())
