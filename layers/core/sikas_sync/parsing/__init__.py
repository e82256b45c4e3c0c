"""Reading SIKAS exports: CSV, TSV, XLSX and JSON Lines, optionally gzipped, as a header and raw rows.

`open_table` detects the format from the content, the encoding and the delimiter, and streams the rows in
bounded memory. Whole-file problems raise `sikas_sync.errors.FileRejected`; row problems come back as
`RawRow.error`. Header mapping and value rules belong to the validation package.
"""

from sikas_sync.parsing.open import open_table
from sikas_sync.parsing.table import Cell, RawRow, ReadLimits, Table

__all__ = ["Cell", "RawRow", "ReadLimits", "Table", "open_table"]
