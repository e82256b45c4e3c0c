"""What the local ministry saw, for tests and operators: every request, every pushed batch."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestSeen:
    method: str
    route: str  # the contract's path template, e.g. /v1/records/{domain}
    path: str  # the path as requested (no query)
    status: int
    request_id: str | None
    region_code: str | None
    bearer: bool  # an Authorization: Bearer header was present


@dataclass(frozen=True)
class BatchSeen:
    """One POST to /v1/records/{domain}; `records` is None when the body was not a records list."""

    domain: str
    records: int | None
    body_bytes: int
    status: int
    request_id: str | None


@dataclass
class ServerStats:
    log: list[RequestSeen] = field(default_factory=list)
    batches: list[BatchSeen] = field(default_factory=list)
    records_received: int = 0  # records of POSTs that were processed (each got a result)
    results: Counter[str] = field(default_factory=Counter)  # accepted / duplicate / stale / rejected
    tokens_issued: int = 0

    @property
    def requests(self) -> Counter[tuple[str, str, int]]:
        """(method, route, status) → number of requests."""
        return Counter((seen.method, seen.route, seen.status) for seen in self.log)

    @property
    def posts(self) -> int:
        return len(self.batches)

    @property
    def request_ids(self) -> list[str | None]:
        return [seen.request_id for seen in self.log]

    def count(self, method: str | None = None, route: str | None = None, status: int | None = None) -> int:
        return sum(
            1
            for seen in self.log
            if (method is None or seen.method == method)
            and (route is None or seen.route == route)
            and (status is None or seen.status == status)
        )

    def copy(self) -> ServerStats:
        return ServerStats(
            log=list(self.log),
            batches=list(self.batches),
            records_received=self.records_received,
            results=Counter(self.results),
            tokens_issued=self.tokens_issued,
        )
