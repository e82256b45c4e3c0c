"""The client's own request-rate limit: waits are computed on the injected clock and slept with the
injected sleep, so these tests take no time."""

from __future__ import annotations

import pytest
from ministry_support import FakeClock

from sikas_sync.ministry.client import _RateLimiter


def test_the_first_request_does_not_wait_and_the_next_are_spaced() -> None:
    clock = FakeClock()
    limiter = _RateLimiter(4, clock, clock.sleep)
    waits = [limiter.wait() for _ in range(5)]
    assert waits == pytest.approx([0, 0.25, 0.25, 0.25, 0.25])
    assert clock.sleeps == pytest.approx([0.25] * 4)


def test_time_already_passed_counts() -> None:
    clock = FakeClock()
    limiter = _RateLimiter(2, clock, clock.sleep)
    limiter.wait()
    clock.advance(0.3)
    assert limiter.wait() == pytest.approx(0.2)
    clock.advance(5)
    assert limiter.wait() == 0  # idle time does not build up a burst beyond one request


def test_a_sleep_that_does_not_move_the_clock_keeps_the_schedule() -> None:
    slept: list[float] = []
    limiter = _RateLimiter(10, lambda: 100.0, slept.append)
    for _ in range(4):
        limiter.wait()
    assert slept == pytest.approx([0.1, 0.2, 0.3])


def test_the_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        _RateLimiter(0, FakeClock(), FakeClock().sleep)
