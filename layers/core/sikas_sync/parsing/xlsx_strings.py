"""A workbook's shared-string table in bounded memory.

Excel numbers shared strings in the order it first meets them, so the repeated values of an export
(headers, sexes, statuses, region codes) sit at the front and the distinct ones (names, addresses)
fill the rest. The front stays in memory; past a budget the strings go to a temporary file and are
read back with `os.pread`, so a million-row export costs a few pages of memory, not its text.
"""

from __future__ import annotations

import os
import struct
import sys
import tempfile
from array import array
from typing import IO

_STR_OVERHEAD = 64  # a small str object and its list slot
_OFFSET = struct.Struct("<Q")
_OFFSET_PAIR = struct.Struct("<QQ")
_FLUSH_OFFSETS = 8192  # offsets are written to their file in runs of this many


class SharedStrings:
    """An append-then-read sequence of strings. Call `close()` to drop the temporary files."""

    def __init__(self, memory_budget_bytes: int) -> None:
        self._in_memory: list[str] = []
        self._budget = memory_budget_bytes
        self._used = 0
        self._data: IO[bytes] | None = None
        self._offsets: IO[bytes] | None = None
        self._pending = array("Q")  # end offsets not yet written to the offsets file
        self._spilled = 0
        self._data_end = 0
        self._readable = False

    def __len__(self) -> int:
        return len(self._in_memory) + self._spilled

    @property
    def spilled(self) -> int:
        """How many strings live in the temporary file (for tests and the benchmark)."""
        return self._spilled

    def append(self, text: str) -> None:
        if self._data is None:
            self._used += _STR_OVERHEAD + len(text)
            if self._used <= self._budget:
                self._in_memory.append(text)
                return
            self._data = tempfile.TemporaryFile(prefix="sikas-sst-")  # noqa: SIM115 - closed in close()
            self._offsets = tempfile.TemporaryFile(prefix="sikas-sst-")  # noqa: SIM115 - closed in close()
        encoded = text.encode("utf-8", "surrogatepass")
        self._data.write(encoded)
        self._data_end += len(encoded)
        self._pending.append(self._data_end)
        self._spilled += 1
        if len(self._pending) >= _FLUSH_OFFSETS:
            self._write_offsets()

    def _write_offsets(self) -> None:
        assert self._offsets is not None
        if sys.byteorder == "big":
            self._pending.byteswap()  # the file holds little-endian offsets, as _OFFSET reads them
        self._offsets.write(self._pending.tobytes())
        del self._pending[:]

    def finish(self) -> None:
        """No more appends: flush what is buffered so reads see every string."""
        if self._data is not None and self._offsets is not None:
            self._write_offsets()
            self._data.flush()
            self._offsets.flush()
        self._readable = True

    def __getitem__(self, index: int) -> str:
        if 0 <= index < len(self._in_memory):
            return self._in_memory[index]
        spilled = index - len(self._in_memory)
        if not 0 <= spilled < self._spilled or self._data is None or self._offsets is None:
            raise IndexError(index)
        if not self._readable:
            raise RuntimeError("SharedStrings.finish() was not called")
        if spilled == 0:
            start = 0
            (end,) = _OFFSET.unpack(os.pread(self._offsets.fileno(), 8, 0))
        else:
            start, end = _OFFSET_PAIR.unpack(os.pread(self._offsets.fileno(), 16, (spilled - 1) * 8))
        return os.pread(self._data.fileno(), end - start, start).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        for part in (self._data, self._offsets):
            if part is not None:
                part.close()
        self._data = self._offsets = None
        self._in_memory = []
        self._spilled = 0
