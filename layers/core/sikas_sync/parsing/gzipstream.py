"""Streaming gunzip that cannot be turned into a memory or disk bomb."""

from __future__ import annotations

import zlib

from sikas_sync.parsing import messages
from sikas_sync.parsing.source import CHUNK, Readable

GZIP_MAGIC = b"\x1f\x8b"
RATIO_CHECK_AFTER = 1024 * 1024  # small outputs cannot do harm, so the ratio is judged only past 1 MiB
MAX_RATIO = 1000  # deflate peaks near 1032:1, reached only by runs of one byte value: never real data
_GZIP_WBITS = 16 + zlib.MAX_WBITS


class GunzipReader:
    """Decompresses one or more concatenated gzip members, `size` bytes of output at a time.

    Output is capped at `max_output` bytes (file_too_large); a ratio above 1000:1 after 1 MiB of
    output, a corrupt stream or a truncated one is gzip_invalid.
    """

    def __init__(self, raw: Readable, max_output: int) -> None:
        self._raw = raw
        self._max_output = max_output
        self._inflater = zlib.decompressobj(_GZIP_WBITS)
        self._tail = b""  # compressed input not yet accepted by the inflater
        self._bytes_in = 0  # compressed bytes the inflater has consumed, not merely pulled
        self._bytes_out = 0
        self._done = False

    def read(self, size: int = CHUNK, /) -> bytes:
        size = size if size > 0 else CHUNK
        while not self._done:
            data = self._next_output(size)
            if data:
                self._account(len(data))
                return data
        return b""

    def _next_output(self, size: int) -> bytes:
        if self._inflater.eof:
            self._start_next_member()
            return b""
        if not self._tail:
            self._tail = self._pull()
            if not self._tail:
                # Input ended: whatever zlib still holds comes out now, or the stream was cut short.
                data = self._inflate(b"", size)
                if not data:
                    raise messages.gzip_invalid()
                return data
        data = self._inflate(self._tail, size)
        self._tail = self._inflater.unconsumed_tail
        return data

    def _inflate(self, data: bytes, size: int) -> bytes:
        try:
            output = self._inflater.decompress(data, size)
        except zlib.error:
            raise messages.gzip_invalid() from None
        # Counting consumed input (not pulled chunks) lets the ratio check fire after ~1 MiB of a bomb.
        self._bytes_in += len(data) - len(self._inflater.unconsumed_tail) - len(self._inflater.unused_data)
        return output

    def _pull(self) -> bytes:
        return self._raw.read(CHUNK)

    def _start_next_member(self) -> None:
        rest = self._inflater.unused_data or self._pull()
        while rest and not rest.strip(b"\x00"):
            # Some tools pad gzip files with zero bytes; they carry nothing.
            rest = self._pull()
        if not rest:
            self._done = True
            return
        if not rest.startswith(GZIP_MAGIC[: len(rest)]):
            raise messages.gzip_invalid()
        self._inflater = zlib.decompressobj(_GZIP_WBITS)
        self._tail = rest

    def _account(self, produced: int) -> None:
        self._bytes_out += produced
        if self._bytes_out > self._max_output:
            raise messages.too_large(self._max_output)
        if self._bytes_out > RATIO_CHECK_AFTER and self._bytes_out > MAX_RATIO * max(self._bytes_in, 1):
            raise messages.gzip_invalid("rasio kompresi tidak wajar (kemungkinan bom zip)")
