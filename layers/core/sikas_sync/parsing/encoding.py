"""Character encodings: detection from a sample, UTF-16 transcoding, and per-line decoding.

Lines are split on bytes, so everything is turned into an ASCII-compatible byte stream first (UTF-16 is
transcoded to UTF-8). Each line is then decoded on its own: a bad byte spoils one row, not the file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat

from sikas_sync.parsing import messages
from sikas_sync.parsing.source import CHUNK, Readable

UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Binary files decode as cp1252 without complaint; a real export has almost no C0 control characters.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
_MIN_CONTROL_COUNT = 8

_INVALID_MARK = "invalid-utf16-as-lone-surrogate"


def _mark_invalid(error: UnicodeError) -> tuple[str, int]:
    # A lone surrogate survives transcoding (surrogatepass) and fails the strict per-line UTF-8 decode,
    # so a bad UTF-16 sequence becomes an encoding_invalid row instead of a traceback.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "\udcff", error.end


codecs.register_error(_INVALID_MARK, _mark_invalid)


@dataclass(frozen=True, slots=True)
class TextEncoding:
    name: str  # what Table.encoding reports: utf-8, utf-8-sig, utf-16, cp1252
    line_codec: str  # what each line is decoded with: utf-8 or cp1252
    bom_bytes: int = 0  # bytes to drop at the start (the UTF-8 BOM)
    utf16: bool = False  # the stream is transcoded to UTF-8 before lines are split
    settled: bool = True  # False when the sample was pure ASCII: the first non-ASCII line decides


def detect(sample: bytes, complete: bool) -> tuple[TextEncoding, str]:
    """The encoding of a text file from its first bytes, and the sample decoded with it.

    `complete` says the sample is the whole file, so a multi-byte character cut at its end is an error.
    """
    if sample.startswith(UTF16_BOMS):
        decoder = codecs.getincrementaldecoder("utf-16")(errors=_INVALID_MARK)
        encoding = TextEncoding("utf-16", "utf-8", utf16=True)
        text = decoder.decode(sample, final=complete)
    elif b"\x00" in sample:
        raise messages.unsupported("berisi data biner")
    else:
        bom = len(UTF8_BOM) if sample.startswith(UTF8_BOM) else 0
        try:
            text = codecs.getincrementaldecoder("utf-8")().decode(sample[bom:], final=complete)
            name = "utf-8-sig" if bom else "utf-8"
            # Only non-ASCII text that decoded proves UTF-8; a byte held back at the cut proves nothing.
            encoding = TextEncoding(name, "utf-8", bom_bytes=bom, settled=bool(bom) or not text.isascii())
        except UnicodeDecodeError:
            if bom:
                raise messages.undecodable() from None
            try:
                text = sample.decode("cp1252")
            except UnicodeDecodeError:
                raise messages.undecodable() from None
            encoding = TextEncoding("cp1252", "cp1252")
    _refuse_binary(text)
    return encoding, text


def _refuse_binary(text: str) -> None:
    if "\x00" in text:
        raise messages.unsupported("berisi data biner")
    controls = len(_CONTROL.findall(text))
    if controls >= _MIN_CONTROL_COUNT and controls > _MAX_CONTROL_SHARE * len(text):
        raise messages.unsupported("berisi data biner")


class Utf16ToUtf8:
    """Transcodes a UTF-16 byte stream (with BOM) to UTF-8, chunk by chunk."""

    def __init__(self, raw: Readable) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder("utf-16")(errors=_INVALID_MARK)
        self._done = False

    def read(self, size: int = CHUNK, /) -> bytes:
        while not self._done:
            data = self._raw.read(size if size > 0 else CHUNK)
            text = self._decoder.decode(data, final=not data)
            self._done = not data
            if text:
                return text.encode("utf-8", "surrogatepass")
        return b""


class LineDecoder:
    """Decodes one line at a time; settles between UTF-8 and cp1252 at the first non-ASCII line.

    A file whose first 64 KiB are pure ASCII says nothing about its encoding, so it is read as ASCII
    until a line with other bytes arrives: valid UTF-8 settles on UTF-8, otherwise on cp1252.
    """

    def __init__(self, encoding: TextEncoding) -> None:
        self.name = encoding.name
        self._codec = encoding.line_codec
        self._settled = encoding.settled
        self.on_settle: Callable[[str], None] | None = None

    def decode(self, raw: bytes) -> str | None:
        """The line's text, or None when it is not valid in the file's encoding."""
        if self._settled or raw.isascii():
            try:
                return raw.decode(self._codec)
            except UnicodeDecodeError:
                return None
        for codec in ("utf-8", "cp1252"):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            self._settle(codec)
            return text
        return None

    def decode_all(self, raws: list[bytes]) -> list[str] | None:
        """`decode` of each line, when every line decodes the same way on its own (None otherwise:
        then decode them one by one, as some line is invalid or settles the encoding)."""
        if not self._settled and not all(map(bytes.isascii, raws)):
            return None
        try:
            return list(map(bytes.decode, raws, repeat(self._codec)))
        except UnicodeDecodeError:
            return None

    def _settle(self, codec: str) -> None:
        self._settled = True
        self._codec = codec
        self.name = codec
        if self.on_settle is not None:
            self.on_settle(codec)
