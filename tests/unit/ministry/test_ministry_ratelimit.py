"""The client's own request-rate limit: waits are computed on the injected clock and slept with the
injected sleep, so these tests take no time.

The ministry counts a request when it arrives, between its departure and its answer. The next request
leaves one interval after the previous answer, or, while that is outstanding or when it came later
than the jitter allowance (5 % of the interval), one interval plus the allowance after the departure.
"""

from __future__ import annotations

import itertools

import pytest

from ministry_fakes import FakeClock
from sikas_sync.ministry.client import RATE_LIMIT_JITTER_SHARE, _RateLimiter


def test_the_allowance_is_five_per_cent_of_the_interval() -> None:
    assert RATE_LIMIT_JITTER_SHARE == 0.05


def test_without_answers_departures_are_an_interval_and_the_allowance_apart() -> None:
    clock = FakeClock()
    limiter = _RateLimiter(4, clock, clock.sleep)
    waits = [limiter.wait()[1] for _ in range(5)]
    assert waits == pytest.approx([0, 0.2625, 0.2625, 0.2625, 0.2625])
    assert clock.sleeps == pytest.approx([0.2625] * 4)


def test_an_immediate_answer_lets_the_next_request_leave_one_interval_later() -> None:
    clock = FakeClock()
    limiter = _RateLimiter(4, clock, clock.sleep)
    departures = []
    for _ in range(5):
        ticket, _ = limiter.wait()
        departures.append(clock.now)
        limiter.answered(ticket)
    assert [b - a for a, b in itertools.pairwise(departures)] == pytest.approx([0.25] * 4)


def test_a_quick_answer_counts_from_the_answer_a_slow_one_from_the_departure() -> None:
    clock = FakeClock()
    limiter = _RateLimiter(1, clock, clock.sleep)
    ticket, _ = limiter.wait()
    left = clock.now
    clock.advance(0.03)  # answered within the 50 ms allowance: the ministry counted it by then
    limiter.answered(ticket)
    ticket, waited = limiter.wait()
    assert waited == pytest.approx(1.0)
    assert clock.now - left == pytest.approx(1.03)
    left = clock.now
    clock.advance(0.4)  # answered after the allowance: it arrived within 50 ms of leaving
    limiter.answered(ticket)
    _, waited = limiter.wait()
    assert clock.now - left == pytest.approx(1.05)
    assert waited == pytest.approx(0.65)


def test_an_earlier_requests_answer_does_not_advance_a_later_reservation() -> None:
    slept: list[float] = []
    limiter = _RateLimiter(10, lambda: 100.0, slept.append)
    first, _ = limiter.wait()
    second, _ = limiter.wait()  # booked 0.105 s after the first, not answered yet
    limiter.answered(first)
    limiter.wait()
    assert slept == pytest.approx([0.105, 0.21])
    limiter.answered(second)  # the latest reservation is the third: nothing moves
    limiter.wait()
    assert slept == pytest.approx([0.105, 0.21, 0.315])


def test_time_already_passed_counts() -> None:
    clock = FakeClock()
    limiter = _RateLimiter(2, clock, clock.sleep)
    ticket, _ = limiter.wait()
    limiter.answered(ticket)
    clock.advance(0.3)
    assert limiter.wait()[1] == pytest.approx(0.2)
    clock.advance(5)
    assert limiter.wait()[1] == 0  # idle time does not build up a burst beyond one request


def test_a_sleep_that_does_not_move_the_clock_keeps_the_schedule() -> None:
    slept: list[float] = []
    limiter = _RateLimiter(10, lambda: 100.0, slept.append)
    for _ in range(4):
        ticket, _ = limiter.wait()
        limiter.answered(ticket)
    assert slept == pytest.approx([0.1, 0.2, 0.3])


def test_the_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        _RateLimiter(0, FakeClock(), FakeClock().sleep)
