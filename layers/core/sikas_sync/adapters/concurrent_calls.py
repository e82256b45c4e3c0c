"""Independent AWS calls of one batch made at once: each DynamoDB or SQS call waits ~10 ms on the
network on AWS, and a 1,000,000-row export makes some 150,000 of them. The calls only wait, so a few
threads overlap the waiting; the work between them stays on one core as before."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
CALLS_AT_ONCE = 8  # well inside boto3's 10 pooled connections per client


@cache
def _pool() -> ThreadPoolExecutor:
    # One pool per process (a Lambda execution environment), made on first use.
    return ThreadPoolExecutor(max_workers=CALLS_AT_ONCE, thread_name_prefix="aws-call")


def each_at_once(call: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`call` for every item, at most CALLS_AT_ONCE at a time; the results in the items' order, and
    the first failure raised (after every call has ended, so none is left running unseen)."""
    chunks = list(items)
    if len(chunks) <= 1:
        return [call(chunk) for chunk in chunks]
    return list(_pool().map(call, chunks))
