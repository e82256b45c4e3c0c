"""Physical lines from a byte stream, each at most `max_bytes` long, in bounded memory.

The csv module reads a whole line before it checks any limit; this reader never holds more than
one over-long line's first `max_bytes` plus one chunk, and skips the rest of such a line.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import cast

from sikas_sync.parsing.source import CHUNK, Readable


def physical_lines(reader: Readable, max_bytes: int, chunk_size: int = CHUNK) -> Iterator[bytes | None]:
    """Yield each line with its terminator (`\\r\\n`, `\\n` or `\\r`), or None for a line over `max_bytes`.

    An over-long line is skipped up to its terminator, so the next line starts clean.
    """
    return chain.from_iterable(physical_line_batches(reader, max_bytes, chunk_size))


def physical_line_batches(
    reader: Readable, max_bytes: int, chunk_size: int = CHUNK
) -> Iterator[list[bytes | None]]:
    """`physical_lines`, a list per chunk read: the lines that chunk completes, in order."""
    pending = b""
    skipping = False
    while True:
        chunk = reader.read(chunk_size)
        if not chunk:
            break
        parts: list[bytes] = (pending + chunk if pending else chunk).splitlines(keepends=True)
        last = parts[-1]
        # A trailing `\r` may be the first half of `\r\n` split across chunks: wait for the next one.
        pending = b"" if last.endswith(b"\n") else parts.pop()
        batch: list[bytes | None]
        if not skipping and max(map(len, parts), default=0) <= max_bytes:
            batch = cast(list[bytes | None], parts)  # the common case: every line within the limit
        else:
            batch = []
            for part in parts:
                if skipping:
                    skipping = False
                elif len(part) > max_bytes:
                    batch.append(None)
                else:
                    batch.append(part)
        if skipping:
            pending = pending[-1:] if pending.endswith(b"\r") else b""
        elif len(pending) > max_bytes:
            batch.append(None)
            skipping = True
            pending = pending[-1:] if pending.endswith(b"\r") else b""
        if batch:
            yield batch
    if pending and not skipping:
        yield [pending if len(pending) <= max_bytes else None]
