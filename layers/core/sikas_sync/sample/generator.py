"""Generating rows (valid, or broken in one known way) and streaming them to a file."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import replace
from operator import itemgetter
from pathlib import Path

from ..domains import get_domain
from .breakages import BREAKS, WARNS
from .cells import Styler, placeholder, styler_for
from .context import SampleContext, today_of
from .rows import FACTORIES, capacity
from .spec import Breakage, Cell, Row, SampleResult, SampleSpec
from .writers import WRITERS

PROGRESS_EVERY = 10_000


def _stylers(slug: str) -> list[tuple[str, Styler]]:
    fields = get_domain(slug).model.model_fields
    found = ((name, styler_for(name, info.annotation)) for name, info in fields.items())
    return [(name, styler) for name, styler in found if styler is not None]


def generate_rows(spec: SampleSpec) -> Iterator[tuple[Row, Breakage | None]]:
    """Rows as SIKAS exports them, each with the one error or warning it was given (None for a
    plain valid row; `Breakage.warning` tells which).

    Exactly `round(rows * invalid_ratio)` rows are broken and, in a domain with known warnings,
    `spec.warned_rows` others warned; which ones is decided by the seeded RNG with selection
    sampling, so nothing is held in memory beyond the current row. A bad spec raises here, before
    the first row is asked for.
    """
    get_domain(spec.domain)  # raises UnknownDomain
    ctx = SampleContext(spec)
    limit = capacity(ctx)
    if limit is not None and spec.rows > limit:
        raise ValueError(f"{spec.domain} has only {limit} distinct rows for region {spec.region_code}")
    return _rows(ctx)


def _rows(ctx: SampleContext) -> Iterator[tuple[Row, Breakage | None]]:
    spec, rng = ctx.spec, ctx.rng
    make = FACTORIES[spec.domain]
    breaks = [b for b in BREAKS[spec.domain] if b.applies(ctx)]
    warns = [w for w in WARNS.get(spec.domain, ()) if w.applies(ctx)]
    stylers = _stylers(spec.domain)
    total = spec.rows
    broken_left = spec.broken_rows
    warned_left = spec.warned_rows if warns else 0
    for index in range(total):
        row = make(ctx, index)
        breakage = None
        # Knuth's selection sampling over two kinds: row `index` is broken with probability
        # broken_left / remaining and warned with warned_left / remaining, so both counts are exact.
        if broken_left or warned_left:
            draw = rng.random() * (total - index)
            kinds = breaks if draw < broken_left else warns if draw < broken_left + warned_left else None
            if kinds is not None:
                if kinds is breaks:
                    broken_left -= 1
                else:
                    warned_left -= 1
                chosen = rng.choice(kinds)
                chosen.mutate(ctx, row)
                breakage = Breakage(index + 1, chosen.column, chosen.code, warning=kinds is warns)
        write_as_offices_do(rng, row, stylers)
        yield row, breakage


def write_as_offices_do(rng: random.Random, row: Row, stylers: list[tuple[str, Styler]]) -> None:
    """Rewrite a canonical row's cells in the spellings offices use, blanks as placeholders now and then."""
    for column, style in stylers:
        row[column] = style(rng, row[column])
    for column, value in row.items():
        if value is None:
            row[column] = placeholder(rng)


def write_sample(
    spec: SampleSpec, out: Path, on_progress: Callable[[int], None] | None = None
) -> SampleResult:
    """Write the sample to `out` in `spec.format`; returns what was written and which rows break."""
    # Pin the day once, so the rows and the XLSX timestamps agree even across midnight.
    spec = replace(spec, today=today_of(spec))
    fields = get_domain(spec.domain).fields
    pick = itemgetter(*fields)
    broken: list[Breakage] = []
    warned: list[Breakage] = []
    written = 0

    rows = generate_rows(spec)  # checks the spec before the file is created

    def cells() -> Iterator[tuple[Cell, ...]]:
        nonlocal written
        for row, breakage in rows:
            if breakage is not None:
                (warned if breakage.warning else broken).append(breakage)
            written += 1
            if on_progress is not None and written % PROGRESS_EVERY == 0:
                on_progress(written)
            yield pick(row)

    WRITERS[spec.format](out, fields, cells(), today_of(spec))
    if on_progress is not None:
        on_progress(written)
    return SampleResult(path=out, rows=written, broken=broken, duplicates=0, warned=warned)
