"""People with valid NIKs: region prefix, DDMMYY birth date (+40 for women) and a serial.

Every NIK of a run is unique by construction: the serial counts up per encoded birth date and sex,
whatever the region prefix. The counters are bounded by the number of birth dates (tens of
thousands), not by the number of rows.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from .places import Places
from .pools import Pools

DAYS_PER_YEAR = 365.2425
MAX_SERIAL = 9999


@dataclass(frozen=True, slots=True)
class Person:
    nik: str
    nama: str
    sex: str  # "L" or "P"
    birth: dt.date


class People:
    def __init__(self, rng: random.Random, pools: Pools, places: Places) -> None:
        self._rng = rng
        self._pools = pools
        self._places = places
        self._serials: dict[str, int] = {}

    def nik(self, birth: dt.date, sex: str) -> tuple[str, dt.date]:
        """A fresh NIK for this birth date and sex, and the birth date it encodes.

        The date moves one day earlier in the (practically unreachable) case that 9,999 people of
        one sex share a birthday.
        """
        while True:
            day = birth.day + (40 if sex == "P" else 0)
            encoded = f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
            serial = self._serials.get(encoded, 0) + 1
            if serial <= MAX_SERIAL:
                break
            birth -= dt.timedelta(days=1)
        self._serials[encoded] = serial
        return f"{self._prefix()}{encoded}{serial:04d}", birth

    def _prefix(self) -> str:
        # Most people carry a NIK of the region; some one of a kecamatan it lost (issued before the
        # split), of the rest of the province, of the provinces people move from, or of anywhere.
        draw = self._rng.random()
        places = self._places
        if draw < 0.82 or not places.nik_migrant:
            return self._rng.choice(places.nik_home)
        if draw < 0.85 and places.nik_retired:
            return self._rng.choice(places.nik_retired)
        if draw < 0.94:
            return self._rng.choice(places.nik_province)
        if draw < 0.98 or not places.nik_far:
            return self._rng.choice(places.nik_migrant)
        return self._rng.choice(places.nik_far)

    def birth(self, on: dt.date, youngest: int, oldest: int) -> dt.date:
        """A birth date making the person at least `youngest - 1` on `on`, skewed to the young."""
        years = youngest + (oldest - youngest) * self._rng.random() ** 1.6
        return dt.date.fromordinal(on.toordinal() - int(years * DAYS_PER_YEAR))

    def person(self, on: dt.date, youngest: int = 17, oldest: int = 58) -> Person:
        rng, pools = self._rng, self._pools
        sex = "P" if rng.random() < 0.48 else "L"
        nik, birth = self.nik(self.birth(on, youngest, oldest), sex)
        first = rng.choice(pools.female if sex == "P" else pools.male)
        draw = rng.random()
        if draw < 0.6:
            nama = f"{first} {rng.choice(pools.family)}"
        elif draw < 0.8:
            nama = f"{first} {rng.choice(pools.female if sex == 'P' else pools.male)}"
        else:
            nama = first
        if rng.random() < 0.3:
            nama = nama.upper()  # many SIKAS operators type names in capitals, as on the KTP
        return Person(nik, nama, sex, birth)

    def nik_only(self, on: dt.date, youngest: int = 18, oldest: int = 55) -> str:
        sex = "P" if self._rng.random() < 0.45 else "L"
        return self.nik(self.birth(on, youngest, oldest), sex)[0]
