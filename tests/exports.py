"""Sample SIKAS exports as editable rows, shared by the unit and integration tests.

`sample_export` writes a sample with the project's generator and reads it back as a header and rows
of cells (strings), which tests edit (a changed address, a broken NIK) and serialise again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from sikas_sync.domains.nik import nik_birth_date, nik_sex
from sikas_sync.domains.values import WIB
from sikas_sync.sample import Breakage, SampleSpec, write_sample

# The ingest service validates against today's date in WIB; samples are generated for the same day.
TODAY = dt.datetime.now(WIB).date()
# Not inside a longer run of hex digits: record ids are 32-hex HMACs, and about one in a hundred holds
# 16 decimal digits in a row (a flaky match that is no NIK).
WHOLE_NIK = re.compile(rb"(?<![0-9a-f])\d{16}(?![0-9a-f])")


@dataclass
class Export:
    header: list[str]
    rows: list[list[str]]
    broken: list[Breakage] = field(default_factory=list)

    def column(self, name: str) -> int:
        return self.header.index(name)

    def cell(self, row: int, name: str) -> str:
        """The cell of 1-based data row `row`."""
        return self.rows[row - 1][self.column(name)]

    def set(self, row: int, name: str, value: str) -> None:
        self.rows[row - 1][self.column(name)] = value

    def niks(self, rows: list[int] | None = None) -> list[str]:
        numbers = rows if rows is not None else range(1, len(self.rows) + 1)
        return [self.cell(n, "nik") for n in numbers]

    def valid_niks(self) -> list[str]:
        bad = {b.row for b in self.broken}
        return [nik for n, nik in enumerate(self.niks(), start=1) if n not in bad]

    def slice(self, start: int, stop: int) -> Export:
        """Data rows start..stop-1 (0-based, like a list slice) as a new export."""
        return Export(list(self.header), [list(r) for r in self.rows[start:stop]])

    def without_warnings(self) -> Export:
        """A pencari_kerja copy with nothing to warn about (domains.md v2): every desa in Asahan,
        every birth date and sex as the NIK encodes them (the date read in the 1900s)."""
        copy = self.copy()
        for number in range(1, len(copy.rows) + 1):
            nik = copy.cell(number, "nik")
            born = nik_birth_date(nik)
            if born is None:
                continue  # a broken NIK stays broken
            copy.set(number, "tanggal_lahir", born.isoformat())
            copy.set(number, "jenis_kelamin", nik_sex(nik))
            copy.set(number, "kode_wilayah", "12.09.19.1001")
        return copy

    def copy(self) -> Export:
        return Export(list(self.header), [list(r) for r in self.rows], list(self.broken))

    def to_csv(self, delimiter: str = ",") -> bytes:
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return out.getvalue().encode()

    def write(self, path: Path) -> Path:
        path.write_bytes(self.to_csv())
        return path


def sample_export(
    tmp_path: Path, rows: int, *, seed: int, invalid_ratio: float = 0.0, domain: str = "pencari_kerja"
) -> Export:
    path = tmp_path / f"{domain}_{seed}_{rows}_{invalid_ratio}.csv"
    result = write_sample(
        SampleSpec(domain=domain, rows=rows, seed=seed, invalid_ratio=invalid_ratio, today=TODAY), path
    )
    with path.open(encoding="utf-8", newline="") as stream:
        header, *data = list(csv.reader(stream))
    # The generator ends a CSV with the empty rows Excel keeps; tests edit and count data rows only.
    data = [row for row in data if any(row)]
    return Export(header, data, list(result.broken))
