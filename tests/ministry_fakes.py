"""Records and a clock for the tests of the ministry client and the local ministry (unit and contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sikas_sync.validation.canonical import content_hash


def record(number: int, *, version: int = 1, text: str = "isi", pad: int = 0) -> dict[str, Any]:
    """A record as the push function sends it; `pad` makes its data that many characters larger."""
    data = {"nomor": number, "isi": text, "pad": "x" * pad}
    return {
        "record_id": f"rec-{number:05d}",
        "version": version,
        "content_hash": content_hash(data),
        "data": data,
    }


@dataclass
class FakeClock:
    """Time that moves only when told: `advance`, or `sleep` (which also records the sleeps)."""

    now: float = 10_000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
