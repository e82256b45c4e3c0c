"""Helpers of the loopback tests: the client talks HTTP to a LocalMinistry on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sikas_sync.ministry import Credentials, MinistryClient
from sikas_sync.ministry.local import LocalMinistry
from sikas_sync.validation.canonical import content_hash

CLIENT_ID = "sikas-asahan"
SECRET = "loopback-s3cret-Do-Not-Leak"


def record(number: int, *, version: int = 1, text: str = "isi", pad: int = 0) -> dict[str, Any]:
    data = {"nomor": number, "isi": text, "pad": "x" * pad}
    return {
        "record_id": f"rec-{number:05d}",
        "version": version,
        "content_hash": content_hash(data),
        "data": data,
    }


def credentials(secret: str = SECRET) -> Callable[[bool], Credentials]:
    return lambda refresh: Credentials(CLIENT_ID, secret)


@dataclass
class FakeClock:
    now: float = 50_000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@contextmanager
def served(**kwargs: Any) -> Iterator[LocalMinistry]:
    kwargs.setdefault("clients", {CLIENT_ID: SECRET})
    with LocalMinistry(**kwargs) as local:
        yield local


def client_for(local: LocalMinistry, **kwargs: Any) -> MinistryClient:
    kwargs.setdefault("timeout_s", 5.0)
    secret = kwargs.pop("secret", SECRET)
    region = kwargs.pop("region_code", local.region_code)
    return MinistryClient(local.url, region, credentials(secret), **kwargs)
