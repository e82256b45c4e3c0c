"""Stable rejection codes and their Bahasa Indonesia messages.

Messages name row numbers, column names, sizes and counts only: cell contents may be personal data.
"""

from __future__ import annotations

from sikas_sync.errors import FileRejected

FILE_EMPTY = "file_empty"
FILE_TYPE_UNSUPPORTED = "file_type_unsupported"
FILE_TOO_LARGE = "file_too_large"
FILE_UNDECODABLE = "file_undecodable"
FILE_UNREADABLE = "file_unreadable"
HEADER_INVALID = "header_invalid"
RECORD_TOO_LONG = "record_too_long"
ROW_TOO_MANY_COLUMNS = "row_too_many_columns"
ROW_INVALID_JSON = "row_invalid_json"
ROW_UNKNOWN_COLUMNS = "row_unknown_columns"
XLSX_INVALID = "xlsx_invalid"
GZIP_INVALID = "gzip_invalid"
ENCODING_INVALID = "encoding_invalid"

UNSUPPORTED_TYPE = "Jenis berkas tidak didukung; gunakan CSV, TSV, XLSX atau JSON Lines"


def size_text(n_bytes: int) -> str:
    """A byte count as operators read it: `1 MiB`, `512 KiB`, `300 byte`."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n_bytes >= factor:
            value = n_bytes / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n_bytes} byte"


def reject(code: str, message: str) -> FileRejected:
    return FileRejected(code, message)


def empty() -> FileRejected:
    return reject(FILE_EMPTY, "Berkas kosong")


def unsupported(detail: str | None = None) -> FileRejected:
    return reject(FILE_TYPE_UNSUPPORTED, f"{UNSUPPORTED_TYPE} ({detail})" if detail else UNSUPPORTED_TYPE)


def too_large(limit: int) -> FileRejected:
    return reject(FILE_TOO_LARGE, f"Berkas melebihi batas {size_text(limit)}")


def undecodable() -> FileRejected:
    return reject(
        FILE_UNDECODABLE,
        "Pengodean karakter berkas tidak dikenali; simpan sebagai UTF-8, UTF-16 atau Windows-1252",
    )


def unreadable(kind: str) -> FileRejected:
    # The exception class name helps operators and developers; its message could echo data, so it is dropped.
    return reject(FILE_UNREADABLE, f"Berkas tidak dapat dibaca ({kind})")


def header_too_wide(count: int, limit: int) -> FileRejected:
    return reject(HEADER_INVALID, f"Baris judul memiliki {count} kolom, melebihi batas {limit} kolom")


def header_too_long(limit: int) -> FileRejected:
    return reject(RECORD_TOO_LONG, f"Baris judul melebihi batas {size_text(limit)}")


def header_unterminated() -> FileRejected:
    return reject(HEADER_INVALID, "Tanda kutip pada baris judul tidak ditutup")


def header_undecodable() -> FileRejected:
    return reject(FILE_UNDECODABLE, "Baris judul memuat karakter yang tidak valid untuk pengodean berkas")


# Row messages name no row number: every issue carries its `row` and `line` beside the message.
def record_too_long(limit: int) -> tuple[str, str]:
    return RECORD_TOO_LONG, f"Baris melebihi batas {size_text(limit)}"


def record_unterminated() -> tuple[str, str]:
    return RECORD_TOO_LONG, "Tanda kutip tidak ditutup sebelum akhir baris data"


def cell_too_long() -> tuple[str, str]:
    return RECORD_TOO_LONG, "Isi sel terlalu panjang"


def encoding_invalid(encoding: str) -> tuple[str, str]:
    return ENCODING_INVALID, f"Baris memuat karakter yang tidak valid untuk pengodean {encoding}"


def too_many_columns(last_filled: int, columns: int) -> tuple[str, str]:
    return (
        ROW_TOO_MANY_COLUMNS,
        f"Baris berisi data di kolom ke-{last_filled}, sedangkan baris judul hanya memiliki {columns} kolom",
    )


def invalid_json() -> tuple[str, str]:
    return ROW_INVALID_JSON, "Baris bukan objek JSON yang valid"


def unknown_columns(keys: list[str]) -> tuple[str, str]:
    # Keys are column names, but a hostile file could make them long: cap their number and length.
    shown = ", ".join(key[:40] for key in keys[:5])
    more = f" dan {len(keys) - 5} lainnya" if len(keys) > 5 else ""
    return ROW_UNKNOWN_COLUMNS, f"Baris memuat kolom di luar baris pertama: {shown}{more}"


def xlsx_invalid(reason: str = "berkas rusak atau bukan XLSX yang valid") -> FileRejected:
    return reject(XLSX_INVALID, f"Berkas XLSX ditolak: {reason}")


def gzip_invalid(reason: str = "berkas gzip rusak atau terpotong") -> FileRejected:
    return reject(GZIP_INVALID, f"Berkas gzip ditolak: {reason}")
