"""Physical lines from a byte stream, each at most `max_bytes` long, in bounded memory.

The csv module reads a whole line before it checks any limit; this reader never holds more than
one over-long line's first `max_bytes` plus one chunk, and skips the rest of such a line.
"""

from __future__ import annotations

from collections.abc import Iterator

from sikas_sync.parsing.source import CHUNK, Readable


def physical_lines(reader: Readable, max_bytes: int, chunk_size: int = CHUNK) -> Iterator[bytes | None]:
    """Yield each line with its terminator (`\\r\\n`, `\\n` or `\\r`), or None for a line over `max_bytes`.

    An over-long line is skipped up to its terminator, so the next line starts clean.
    """
    pending = b""
    skipping = False
    while True:
        chunk = reader.read(chunk_size)
        if not chunk:
            break
        parts = (pending + chunk if pending else chunk).splitlines(keepends=True)
        last = parts[-1]
        # A trailing `\r` may be the first half of `\r\n` split across chunks: wait for the next one.
        pending = b"" if last.endswith(b"\n") else parts.pop()
        for part in parts:
            if skipping:
                skipping = False
            elif len(part) > max_bytes:
                yield None
            else:
                yield part
        if skipping:
            pending = pending[-1:] if pending.endswith(b"\r") else b""
        elif len(pending) > max_bytes:
            yield None
            skipping = True
            pending = pending[-1:] if pending.endswith(b"\r") else b""
    if pending and not skipping:
        yield pending if len(pending) <= max_bytes else None
