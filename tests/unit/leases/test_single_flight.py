"""single_flight: one run of a function at a time, from its lease (sikas_sync.leases)."""

from __future__ import annotations

import pytest

from fakes import Crash, FakeClock, FakeLeases
from sikas_sync.leases import function_lease_name, lease_for, single_flight


def test_the_work_runs_under_the_lease_and_gives_it_back() -> None:
    leases, clock = FakeLeases(), FakeClock()
    seen: list[float] = []

    def work() -> str:
        seen.append(leases.held[function_lease_name("reconcile")].until)
        return "done"

    assert single_flight(leases, "reconcile", 900, work, clock) == "done"
    assert seen == [clock.now + lease_for(900)]  # held past the invocation's time left
    assert leases.held == {}


def test_a_second_run_while_the_first_holds_the_lease_does_nothing() -> None:
    leases, clock = FakeLeases(), FakeClock()
    ran: list[str] = []

    def first() -> None:
        ran.append("first")
        assert single_flight(leases, "sweep", 300, lambda: ran.append("second"), clock) is None

    single_flight(leases, "sweep", 300, first, clock)
    assert ran == ["first"]
    assert leases.refused == [function_lease_name("sweep")]
    assert single_flight(leases, "outbox", 300, lambda: "other function", clock) == "other function"


def test_a_failed_run_gives_the_lease_back() -> None:
    leases, clock = FakeLeases(), FakeClock()

    def fails() -> None:
        raise Crash("the ministry is down")

    with pytest.raises(Crash):
        single_flight(leases, "report", 900, fails, clock)
    assert leases.held == {}  # the next scheduled run is not held up by a dead one
