"""A progress line on stderr for long work, shown only on a terminal (scripts get clean output)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from .messages import number, t


class Progress:
    def __init__(
        self, label: str, stream: TextIO | None = None, min_interval: float = 0.2, *, unit: str = "rows"
    ) -> None:
        self.unit = unit  # rows or files
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.label = label
        self.started = time.monotonic()
        self._last = 0.0
        self._min_interval = min_interval

    def line(self, rows: int, now: float) -> str:
        rate = round(rows / max(now - self.started, 1e-9))
        return t(f"progress.{self.unit}", label=self.label, rows=number(rows), rate=number(rate))

    def update(self, rows: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self._min_interval:
            return
        self._last = now
        self.stream.write("\r" + self.line(rows, now))
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()
