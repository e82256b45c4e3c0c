"""A progress line on stderr for long work, shown only on a terminal (scripts get clean output)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, stream: TextIO | None = None, min_interval: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.label = label
        self.started = time.monotonic()
        self._last = 0.0
        self._min_interval = min_interval

    def update(self, rows: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self._min_interval:
            return
        self._last = now
        rate = rows / max(now - self.started, 1e-9)
        self.stream.write(f"\r{self.label}: {rows:,} rows ({rate:,.0f} rows/s)".replace(",", "."))
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()
