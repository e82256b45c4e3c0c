"""SMData templates: a reporting period and one aggregator per template.

Each aggregator is fed the `data` of the records of its domain one at a time and keeps counts only,
so memory grows with the number of distinct dimension values, never with the records. Rows are
plain dicts of dimension values (None where a record has none) and counts; no personal data.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Protocol, TypeVar

from ..domains.values import WIB
from ..ministry import contract

K = TypeVar("K", bound=tuple[Any, ...])
Added = Literal["counted", "outside", "unusable"]  # unusable: a field the template needs is missing/bad


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        if not contract.PERIOD.match(text):
            raise ValueError("period must be YYYY-MM")
        year, month = text.split("-")
        return cls(int(year), int(month))

    @classmethod
    def before(cls, moment: dt.datetime) -> Period:
        """The month before the one `moment` falls in, on the WIB calendar."""
        local = moment.astimezone(WIB)
        return cls(local.year - 1, 12) if local.month == 1 else cls(local.year, local.month - 1)

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __contains__(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class Template(Protocol):
    name: ClassVar[str]
    domain: ClassVar[str]

    def add(self, data: Mapping[str, Any]) -> Added: ...
    def rows(self) -> list[dict[str, Any]]: ...


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _value(value: Any) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value)


def kbji_major_group(kbji: Any) -> str | None:
    """The KBJI 2014 major group (golongan pokok): the code's first digit."""
    text = str(kbji).strip() if kbji is not None else ""
    return text[0] if text[:1].isdigit() else None


def _sorted(counts: Counter[K]) -> list[tuple[K, int]]:
    """The counts in the order of their keys, None after every value."""
    return sorted(counts.items(), key=lambda entry: tuple((v is None, str(v or "")) for v in entry[0]))


class PencariKerjaTerdaftar:
    """Job seekers registered in the period (tanggal_daftar), by jenis_kelamin and pendidikan.

    A registration with status DIHAPUS (deleted) is not counted."""

    name: ClassVar[str] = "pencari_kerja_terdaftar"
    domain: ClassVar[str] = "pencari_kerja"

    def __init__(self, period: Period) -> None:
        self._period = period
        self._counts: Counter[tuple[str | None, str | None]] = Counter()

    def add(self, data: Mapping[str, Any]) -> Added:
        day = _date(data.get("tanggal_daftar"))
        if day is None:
            return "unusable"
        if day not in self._period or data.get("status") == "DIHAPUS":
            return "outside"
        self._counts[(_value(data.get("jenis_kelamin")), _value(data.get("pendidikan")))] += 1
        return "counted"

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"jenis_kelamin": sex, "pendidikan": education, "jumlah": count}
            for (sex, education), count in _sorted(self._counts)
        ]


class Lowongan:
    """Vacancies open in the period (tanggal_mulai ≤ its last day and tanggal_berakhir ≥ its first),
    by KBJI major group: how many, and jumlah_kebutuhan summed. A vacancy with status BATAL
    (cancelled) is not counted."""

    name: ClassVar[str] = "lowongan"
    domain: ClassVar[str] = "lowongan"

    def __init__(self, period: Period) -> None:
        self._period = period
        self._vacancies: Counter[tuple[str | None]] = Counter()
        self._needed: Counter[tuple[str | None]] = Counter()

    def add(self, data: Mapping[str, Any]) -> Added:
        start, end = _date(data.get("tanggal_mulai")), _date(data.get("tanggal_berakhir"))
        needed = data.get("jumlah_kebutuhan")
        if start is None or end is None or isinstance(needed, bool) or not isinstance(needed, int):
            return "unusable"
        if start > self._period.last or end < self._period.first or data.get("status") == "BATAL":
            return "outside"
        key = (kbji_major_group(data.get("kbji")),)
        self._vacancies[key] += 1
        self._needed[key] += needed
        return "counted"

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"kbji_golongan_pokok": key[0], "jumlah_lowongan": count, "jumlah_kebutuhan": self._needed[key]}
            for key, count in _sorted(self._vacancies)
        ]


class Penempatan:
    """Placements accepted in the period (tanggal_diterima), by jenis_penempatan and KBJI major
    group (None where the placement has no kbji)."""

    name: ClassVar[str] = "penempatan"
    domain: ClassVar[str] = "penempatan"

    def __init__(self, period: Period) -> None:
        self._period = period
        self._counts: Counter[tuple[str | None, str | None]] = Counter()

    def add(self, data: Mapping[str, Any]) -> Added:
        day = _date(data.get("tanggal_diterima"))
        if day is None:
            return "unusable"
        if day not in self._period:
            return "outside"
        self._counts[(_value(data.get("jenis_penempatan")), kbji_major_group(data.get("kbji")))] += 1
        return "counted"

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"jenis_penempatan": kind, "kbji_golongan_pokok": group, "jumlah": count}
            for (kind, group), count in _sorted(self._counts)
        ]


TEMPLATES: dict[str, Callable[[Period], Template]] = {
    template.name: template for template in (PencariKerjaTerdaftar, Lowongan, Penempatan)
}
