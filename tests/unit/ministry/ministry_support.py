"""Helpers of the ministry unit tests: records, a fake clock, and clients wired to a LocalMinistry
in-process (no socket: `InProcessPool` hands each request to `LocalMinistry.handle`)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import urllib3

from ministry_fakes import FakeClock
from sikas_sync.ministry import Credentials, MinistryClient
from sikas_sync.ministry.local import InProcessPool, LocalMinistry

SECRET = "s3cr3t-Do-Not-Leak"
CLIENT_ID = "sikas-asahan"
BASE_URL = "http://ministry.test"


class CredentialsLog:
    """A credentials source that records each call's refresh flag; `rotated` is returned on refresh."""

    def __init__(self, secret: str = SECRET, rotated: str | None = None) -> None:
        self.secret = secret
        self.rotated = rotated
        self.calls: list[bool] = []

    def __call__(self, refresh: bool) -> Credentials:
        self.calls.append(refresh)
        if refresh and self.rotated is not None:
            return Credentials(CLIENT_ID, self.rotated)
        return Credentials(CLIENT_ID, self.secret)


def ministry(**kwargs: Any) -> LocalMinistry:
    kwargs.setdefault("clients", {CLIENT_ID: SECRET})
    return LocalMinistry(**kwargs)


def sequential_ids(prefix: str = "req") -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"{prefix}-{next(counter)}"


def client_for(
    local: LocalMinistry,
    credentials: Callable[[bool], Credentials] | None = None,
    *,
    pool: urllib3.PoolManager | None = None,
    **kwargs: Any,
) -> MinistryClient:
    return MinistryClient(
        BASE_URL,
        local.region_code,
        credentials or CredentialsLog(),
        pool=pool or InProcessPool(local),
        **kwargs,
    )


class ScriptedPool(InProcessPool):
    """Passes requests to the ministry unless `answer` returns (status, headers, body) for one."""

    def __init__(
        self,
        local: LocalMinistry,
        answer: Callable[[str, str, dict[str, str], bytes], tuple[int, dict[str, str], bytes] | None],
    ) -> None:
        super().__init__(local)
        self.answer = answer
        self.sent: list[tuple[str, str, dict[str, str], bytes]] = []

    def urlopen(  # type: ignore[override]
        self, method: str, url: str, redirect: bool = True, **kw: Any
    ) -> urllib3.BaseHTTPResponse:
        headers = dict(kw.get("headers") or {})
        body = kw.get("body") or b""
        self.sent.append((method, url, headers, body))
        scripted = self.answer(method, url, headers, body)
        if scripted is None:
            return super().urlopen(method, url, redirect, **kw)
        status, answer_headers, answer_body = scripted
        return urllib3.HTTPResponse(
            body=answer_body, headers=answer_headers, status=status, preload_content=True
        )


class NetworkPool(InProcessPool):
    """For record requests the fake clock moves on the way there (`outbound`, one delay per request in
    turn, repeated) and back (`inbound`); `departures` and `arrivals` note the clock of each."""

    def __init__(
        self, local: LocalMinistry, clock: FakeClock, outbound: list[float], inbound: float = 0.0
    ) -> None:
        super().__init__(local)
        self.clock = clock
        self.outbound = itertools.cycle(outbound)
        self.inbound = inbound
        self.departures: list[float] = []
        self.arrivals: list[float] = []

    def urlopen(  # type: ignore[override]
        self, method: str, url: str, redirect: bool = True, **kw: Any
    ) -> urllib3.BaseHTTPResponse:
        if "/v1/records" not in url:
            return super().urlopen(method, url, redirect, **kw)
        self.departures.append(self.clock.now)
        self.clock.advance(next(self.outbound))
        self.arrivals.append(self.clock.now)
        response = super().urlopen(method, url, redirect, **kw)
        self.clock.advance(self.inbound)
        return response
