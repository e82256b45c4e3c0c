"""Delivery to the ministry: the one client for `api/ministry.yaml` and its local double.

The local implementation is imported on first use only, keeping `http.server` off the Lambda
cold-start path of functions that need just the client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .client import (
    AuthenticationError,
    ClientStats,
    Credentials,
    CredentialsSource,
    MinistryClient,
    MinistryError,
    PermanentError,
    RecordResult,
    TransientError,
)

if TYPE_CHECKING:
    from .local import Faults, InProcessPool, LocalMinistry

__all__ = [
    "AuthenticationError",
    "ClientStats",
    "Credentials",
    "CredentialsSource",
    "Faults",
    "InProcessPool",
    "LocalMinistry",
    "MinistryClient",
    "MinistryError",
    "PermanentError",
    "RecordResult",
    "TransientError",
]

_LOCAL = frozenset({"Faults", "InProcessPool", "LocalMinistry"})


def __getattr__(name: str) -> Any:
    if name in _LOCAL:
        from . import local

        return getattr(local, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
