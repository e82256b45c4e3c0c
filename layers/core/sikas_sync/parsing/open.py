"""`open_table`: from a path or a byte stream to a Table, whatever the format, in bounded memory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from itertools import chain
from typing import IO, BinaryIO, TypeVar, cast

from sikas_sync.errors import FileRejected
from sikas_sync.parsing import messages
from sikas_sync.parsing.delimited import DelimitedReader, choose_delimiter
from sikas_sync.parsing.detect import SAMPLE_BYTES, Container, extension, inner_name, looks_like_jsonl, sniff
from sikas_sync.parsing.encoding import LineDecoder, Utf16ToUtf8, detect
from sikas_sync.parsing.gzipstream import GunzipReader
from sikas_sync.parsing.jsonl import JsonLinesReader
from sikas_sync.parsing.lines import physical_line_batches
from sikas_sync.parsing.source import CappedReader, Peekable, Readable, spool
from sikas_sync.parsing.table import HeaderScore, ReadLimits, Table
from sikas_sync.parsing.xlsx import XlsxReader, inspect_package

T = TypeVar("T")
XLSX_EXTENSIONS = frozenset({"xlsx", "xlsm"})
GZIP_EXPANSION = 10  # decompressed text may be at most this many times max_file_bytes

Source = str | os.PathLike[str] | BinaryIO | Readable


@contextmanager
def open_table(
    source: Source,
    *,
    name: str,
    limits: ReadLimits = ReadLimits(),  # noqa: B008 - frozen dataclass, safe as a default
    size: int | None = None,
    header_score: HeaderScore | None = None,
) -> Iterator[Table]:
    """Open an export and read its header; `Table.rows` then streams the data rows once.

    `source` is a path or a binary stream (read from its current position, never closed here);
    `name` is the file name, used only as a hint; `size` is the byte size when known. With
    `header_score`, the header of a CSV/TSV/XLSX is looked for below a title block (see table.py).

    Raises FileRejected (code, Indonesian message) when the whole file is refused, here or, for faults
    found only further on (a truncated gzip, a stream longer than the limit, a damaged XLSX sheet),
    while `Table.rows` is being iterated. Rows that cannot be read on their own come as RawRow errors.
    Iterate the rows inside the `with` block: leaving it closes the files and spools opened here.
    """
    with ExitStack() as stack:
        try:
            table = _open(source, name=name, limits=limits, size=size, stack=stack, score=header_score)
        except (FileRejected, ImportError):
            raise
        except Exception as exc:
            raise messages.unreadable(type(exc).__name__) from None
        yield table


def _open(
    source: Source,
    *,
    name: str,
    limits: ReadLimits,
    size: int | None,
    stack: ExitStack,
    score: HeaderScore | None,
) -> Table:
    stream, rewindable, known_size = _open_source(source, stack)
    size = known_size if size is None else size
    if size is not None and size > limits.max_file_bytes:
        raise messages.too_large(limits.max_file_bytes)
    capped = CappedReader(stream, limits.max_file_bytes, lambda: messages.too_large(limits.max_file_bytes))
    reader = Peekable(capped)
    head = reader.peek(SAMPLE_BYTES)
    if not head:
        raise messages.empty()
    ext = extension(name)
    with _xlsx_hint(ext):
        container = sniff(head)
    compressed = container is Container.GZIP
    details: dict[str, object] = {}
    if compressed:
        name = inner_name(name)
        ext = extension(name)
        details["inner_name"] = name
        reader = Peekable(GunzipReader(reader, max_output=GZIP_EXPANSION * limits.max_file_bytes))
        head = reader.peek(SAMPLE_BYTES)
        if not head:
            raise messages.empty()
        with _xlsx_hint(ext):
            container = sniff(head)
        if container is Container.GZIP:
            raise messages.unsupported("gzip di dalam gzip")
    if container is Container.ZIP:
        if rewindable is not None and not compressed:
            rewindable.seek(0)
            package = rewindable
        else:
            package = spool(reader, limits.max_file_bytes)
            stack.callback(package.close)
        return _open_xlsx(
            package, limits=limits, compressed=compressed, details=details, stack=stack, score=score
        )
    return _open_text(
        reader, head, ext=ext, limits=limits, compressed=compressed, details=details, score=score
    )


def _open_source(source: Source, stack: ExitStack) -> tuple[Readable, IO[bytes] | None, int | None]:
    """The stream to read, the same stream when it can be rewound to offset 0, and the size if known."""
    if isinstance(source, str | os.PathLike):
        file = stack.enter_context(open(source, "rb"))  # noqa: SIM115 - closed by the stack
        return file, file, os.fstat(file.fileno()).st_size
    seekable = getattr(source, "seekable", None)
    tell = getattr(source, "tell", None)
    try:
        rewindable = bool(callable(seekable) and seekable() and callable(tell) and tell() == 0)
    except (OSError, ValueError):
        rewindable = False
    if not rewindable:
        return source, None, None
    seekable_stream = cast(IO[bytes], source)
    size = seekable_stream.seek(0, os.SEEK_END)
    seekable_stream.seek(0)
    return seekable_stream, seekable_stream, size


@contextmanager
def _xlsx_hint(ext: str) -> Iterator[None]:
    """A file named .xlsx whose bytes are neither zip nor text is a damaged XLSX, not an unknown type."""
    try:
        yield
    except FileRejected as exc:
        if exc.code == messages.FILE_TYPE_UNSUPPORTED and ext in XLSX_EXTENSIONS:
            raise messages.xlsx_invalid() from None
        raise


def _open_xlsx(
    package: IO[bytes],
    *,
    limits: ReadLimits,
    compressed: bool,
    details: dict[str, object],
    stack: ExitStack,
    score: HeaderScore | None,
) -> Table:
    inspect_package(package, limits)
    package.seek(0)
    reader = XlsxReader(
        package,
        limits.max_columns,
        strings_memory_bytes=limits.xlsx_strings_memory_bytes,
        header_score=score,
    )
    stack.callback(reader.close)
    details.update(sheet=reader.sheet_name, sheet_count=reader.sheet_count)
    return Table(
        format="xlsx",
        header=reader.header,
        rows=_guarded(reader.rows()),
        compressed=compressed,
        details=details,
        header_line=reader.header_line,
        title_rows=reader.title_rows,
        line_of=reader.line_of,
    )


def _open_text(
    reader: Peekable,
    head: bytes,
    *,
    ext: str,
    limits: ReadLimits,
    compressed: bool,
    details: dict[str, object],
    score: HeaderScore | None,
) -> Table:
    complete = len(head) < SAMPLE_BYTES
    with _xlsx_hint(ext):
        encoding, sample_text = detect(head, complete)
    if complete and not sample_text.strip("\ufeff \t\r\n\v\f"):
        raise messages.empty()
    reader.skip(encoding.bom_bytes)
    stream: Readable = Utf16ToUtf8(reader) if encoding.utf16 else reader
    line_batches = physical_line_batches(stream, limits.max_record_bytes)
    decoder = LineDecoder(encoding)
    table: Table
    if looks_like_jsonl(sample_text):
        jsonl = JsonLinesReader(
            chain.from_iterable(line_batches),
            decoder=decoder,
            max_record_bytes=limits.max_record_bytes,
            max_columns=limits.max_columns,
        )
        table = Table(
            format="jsonl",
            header=jsonl.header,
            rows=_guarded(jsonl.rows()),
            header_line=0,  # no header line: the first object's keys name the columns
            line_of=jsonl.line_of,
        )
    else:
        delimiter = choose_delimiter(sample_text, ext)
        delimited = DelimitedReader(
            line_batches,
            delimiter=delimiter,
            decoder=decoder,
            max_record_bytes=limits.max_record_bytes,
            max_columns=limits.max_columns,
            header_score=score,
        )
        batches = _guarded(delimited.row_batches())
        table = Table(
            format="tsv" if delimiter == "\t" else "csv",
            header=delimited.header,
            rows=chain.from_iterable(batches),
            delimiter=delimiter,
            row_batches=batches,
            header_line=delimited.header_line,
            title_rows=delimited.title_rows,
            line_of=delimited.line_of,
        )
    table.encoding = decoder.name
    table.compressed = compressed
    table.details = details

    def settle(codec: str) -> None:
        table.encoding = codec

    decoder.on_settle = settle
    return table


def _guarded(rows: Iterator[T]) -> Iterator[T]:
    """Bad input must end as FileRejected, never as a traceback that could carry row contents."""
    try:
        yield from rows
    except (FileRejected, ImportError):
        raise
    except Exception as exc:
        raise messages.unreadable(type(exc).__name__) from None
