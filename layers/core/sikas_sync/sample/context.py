"""Everything one sample run shares: the seeded RNG, the day it is, places, people, employers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from stdnum import luhn

from ..domains.values import WIB
from . import catalog
from .people import People
from .places import Places, places_for
from .pools import Pools, email_local, pools_for
from .spec import SampleSpec

EMPLOYERS = 400  # vacancies, placements and reports refer to this many employers of the seed
KPP_KISARAN = "128"  # tax office digits of the old NPWP; any three digits validate


@dataclass(frozen=True, slots=True)
class TrainingBatch:
    """One angkatan of one programme: pelatihan rows come in batches of participants."""

    kode_program: str
    angkatan: str
    nama_program: str
    lembaga: str
    mulai: dt.date
    selesai: dt.date


def today_of(spec: SampleSpec) -> dt.date:
    return spec.today or dt.datetime.now(WIB).date()


class SampleContext:
    def __init__(self, spec: SampleSpec) -> None:
        spec.check()
        self.spec = spec
        self.today = today_of(spec)
        self.rng = random.Random(spec.seed)  # noqa: S311 - reproducible fake data, no secrets
        self.pools: Pools = pools_for(spec.seed)
        self.places: Places = places_for(spec.region_code)
        self.people = People(self.rng, self.pools, self.places)
        self.region_compact = spec.region_code.replace(".", "")
        self.batch: TrainingBatch | None = None
        # NIBs come from an affine bijection of the employer index, keyed by the seed alone, so
        # every domain of one seed refers to the same employers and no two employers share a NIB.
        keys = random.Random(f"nib-{spec.seed}")  # noqa: S311 - as above
        self._nib_step = keys.randrange(1, 10**11 // 10) * 10 + keys.choice((1, 3, 7, 9))
        self._nib_offset = keys.randrange(10**11)

    def day_within(self, days: int, latest: dt.date | None = None) -> dt.date:
        """A day in the `days` before `latest` (default today), both ends included."""
        end = (latest or self.today).toordinal()
        return dt.date.fromordinal(end - self.rng.randrange(days + 1))

    def nib(self, index: int) -> str:
        return f"91{(self._nib_step * index + self._nib_offset) % 10**11:011d}"

    def employer_nib(self) -> str:
        return self.nib(self.rng.randrange(EMPLOYERS))

    def npwp(self, valid: bool = True) -> str:
        """An old-style 15-digit company NPWP, formatted half of the time (01.234.567.8-128.000)."""
        rng = self.rng
        body = f"0{rng.choice('123')}{rng.randrange(10**6):06d}"
        check = int(luhn.calc_check_digit(body))
        digits = f"{body}{check if valid else (check + 1) % 10}{KPP_KISARAN}000"
        if rng.random() < 0.5:
            return digits
        return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}.{digits[8]}-{digits[9:12]}.{digits[12:]}"

    def alamat(self, desa_kode: str, desa_nama: str) -> str:
        # Kemendagri desa numbers start with 1 for a kelurahan and 2 for a desa.
        kind = "Kel." if desa_kode[9] == "1" else "Desa"
        return f"{self.rng.choice(self.pools.streets)}, {kind} {desa_nama}"

    def email(self, name: str) -> str:
        local = email_local(name) or "pencaker"
        return f"{local}{self.rng.randrange(100)}@{self.rng.choice(catalog.EMAIL_DOMAINS)}"
