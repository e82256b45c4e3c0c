"""Helpers of the loopback tests: the client talks HTTP to a LocalMinistry on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sikas_sync.ministry import Credentials, MinistryClient
from sikas_sync.ministry.local import LocalMinistry

CLIENT_ID = "sikas-asahan"
SECRET = "loopback-s3cret-Do-Not-Leak"


def credentials(secret: str = SECRET) -> Callable[[bool], Credentials]:
    return lambda refresh: Credentials(CLIENT_ID, secret)


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
