"""What a file is, judged by its first bytes; the name only breaks ties."""

from __future__ import annotations

import enum
import re

from sikas_sync.parsing import messages

SAMPLE_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an archive with no members
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Formats people upload by mistake; each would otherwise surface as a confusing text error.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"\x7fELF", "ELF"),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")


class Container(enum.Enum):
    GZIP = "gzip"
    ZIP = "zip"
    TEXT = "text"


def sniff(head: bytes) -> Container:
    """Classify by magic bytes; known non-tabular formats are refused here."""
    if head.startswith(GZIP_MAGIC):
        return Container.GZIP
    if head.startswith(ZIP_MAGICS):
        return Container.ZIP
    if head.startswith(OLE2_MAGIC):
        raise messages.unsupported("XLS lama atau XLSX berkata sandi; simpan ulang sebagai XLSX biasa")
    for magic, label in _BINARY_MAGIC:
        if head.startswith(magic):
            raise messages.unsupported(label)
    if _BZIP2.match(head):
        raise messages.unsupported("bzip2")
    return Container.TEXT


def inner_name(name: str) -> str:
    """The name of what a gzip file holds: `data.csv.gz` → `data.csv`."""
    return name[:-3] if name.lower().endswith(".gz") else name


def extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def looks_like_jsonl(text_sample: str) -> bool:
    return text_sample.lstrip("\ufeff \t\r\n").startswith("{")
