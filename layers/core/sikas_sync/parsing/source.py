"""Byte streams the readers pull from: size-capped, peekable, and spooled when seeking is needed."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO, Protocol

from sikas_sync.errors import FileRejected
from sikas_sync.parsing import messages

CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 8 * 1024 * 1024  # larger XLSX uploads spill to /tmp instead of RAM


class Readable(Protocol):
    """The one method every source needs: botocore's StreamingBody, files, gzip streams all have it."""

    def read(self, size: int = -1, /) -> bytes: ...


class CappedReader:
    """Counts the bytes it passes on and refuses to pass more than `limit`."""

    def __init__(self, raw: Readable, limit: int, on_exceed: Callable[[], FileRejected]) -> None:
        self._raw = raw
        self._limit = limit
        self._on_exceed = on_exceed
        self.count = 0

    def read(self, size: int = CHUNK, /) -> bytes:
        data = self._raw.read(size if size > 0 else CHUNK)
        self.count += len(data)
        if self.count > self._limit:
            raise self._on_exceed()
        return data


class Peekable:
    """Lets detection look at the first bytes without losing them for the reader that follows."""

    def __init__(self, raw: Readable) -> None:
        self._raw = raw
        self._buffer = b""
        self._exhausted = False

    def peek(self, size: int) -> bytes:
        """Up to `size` bytes from the current position; fewer only at the end of the stream."""
        parts = [self._buffer]
        have = len(self._buffer)
        while have < size and not self._exhausted:
            chunk = self._raw.read(size - have)
            if not chunk:
                self._exhausted = True
                break
            parts.append(chunk)
            have += len(chunk)
        self._buffer = b"".join(parts)
        return self._buffer[:size]

    def read(self, size: int = CHUNK, /) -> bytes:
        size = size if size > 0 else CHUNK
        if self._buffer:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
            return data
        if self._exhausted:
            return b""
        return self._raw.read(size)

    def skip(self, count: int) -> None:
        """Drop `count` bytes that were already peeked (a byte-order mark)."""
        self._buffer = self._buffer[count:]


def spool(reader: Readable, limit: int) -> IO[bytes]:
    """Copy a stream into a seekable temporary file (in memory up to 8 MiB) for zip access.

    `limit` caps the copy so a stream of unknown size cannot fill /tmp.
    """
    target: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - caller closes
    try:
        total = 0
        while chunk := reader.read(CHUNK):
            total += len(chunk)
            if total > limit:
                raise messages.too_large(limit)
            target.write(chunk)
        target.seek(0)
    except BaseException:
        target.close()
        raise
    return target
