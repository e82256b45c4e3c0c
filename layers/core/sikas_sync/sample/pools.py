"""Names, streets and companies drawn once per seed from Faker `id_ID`.

Faker costs tens of microseconds per call; rows pick from these pools with the run's RNG instead,
which keeps a 1,000,000-row export fast and still deterministic for a seed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from faker import Faker

from . import catalog

POOL_SIZE = 600
_EMAIL_UNSAFE = re.compile(r"[^a-z0-9]")
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True, slots=True)
class Pools:
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]  # Javanese/Malay surnames from Faker plus Batak marga
    streets: tuple[str, ...]
    places: tuple[str, ...]  # birth places, mostly local
    companies: tuple[str, ...]


def _draw(make: Callable[[], str], count: int = POOL_SIZE) -> tuple[str, ...]:
    # dict.fromkeys keeps first-seen order, so the pool is the same for the same seed.
    items = dict.fromkeys(s.strip() for s in (make() for _ in range(count)))
    return tuple(s for s in items if s and not s.startswith(_FORMULA_START))


@lru_cache(maxsize=16)
def pools_for(seed: int) -> Pools:
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    surnames = _draw(fake.last_name)
    companies = dict.fromkeys(
        f"{fake.random_element(catalog.COMPANY_FORMS)} {fake.random_element(surnames)} "
        f"{fake.random_element(catalog.COMPANY_WORDS)}"
        for _ in range(POOL_SIZE)
    )
    return Pools(
        male=_draw(fake.first_name_male),
        female=_draw(fake.first_name_female),
        family=surnames + catalog.BATAK_MARGA * 3,
        streets=_draw(fake.street_address),
        places=catalog.LOCAL_PLACES * 4 + _draw(fake.city, 100),
        companies=tuple(companies) + _draw(fake.company, 200),
    )


def email_local(name: str) -> str:
    """A mailbox name derived from a person's name: ascii letters and digits only."""
    return _EMAIL_UNSAFE.sub("", name.lower())
