"""Generating rows (valid, or broken in one known way) and streaming them to a file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from operator import itemgetter
from pathlib import Path

from ..domains import get_domain
from .breakages import BREAKS
from .cells import Styler, styler_for
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
    """Rows as SIKAS exports them, each with the one error it was given (None for a valid row).

    Exactly `round(rows * invalid_ratio)` rows are broken; which ones is decided by the seeded RNG
    with selection sampling, so nothing is held in memory beyond the current row. A bad spec
    raises here, before the first row is asked for.
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
    stylers = _stylers(spec.domain)
    total, wanted, chosen = spec.rows, spec.broken_rows, 0
    for index in range(total):
        row = make(ctx, index)
        breakage = None
        # Knuth's selection sampling: row `index` is picked with probability left / remaining.
        if chosen < wanted and rng.random() * (total - index) < wanted - chosen:
            chosen += 1
            broken = rng.choice(breaks)
            broken.mutate(ctx, row)
            breakage = Breakage(index + 1, broken.column, broken.code)
        for column, style in stylers:
            row[column] = style(rng, row[column])
        yield row, breakage


def write_sample(
    spec: SampleSpec, out: Path, on_progress: Callable[[int], None] | None = None
) -> SampleResult:
    """Write the sample to `out` in `spec.format`; returns what was written and which rows break."""
    # Pin the day once, so the rows and the XLSX timestamps agree even across midnight.
    spec = replace(spec, today=today_of(spec))
    fields = get_domain(spec.domain).fields
    pick = itemgetter(*fields)
    broken: list[Breakage] = []
    written = 0

    rows = generate_rows(spec)  # checks the spec before the file is created

    def cells() -> Iterator[tuple[Cell, ...]]:
        nonlocal written
        for row, breakage in rows:
            if breakage is not None:
                broken.append(breakage)
            written += 1
            if on_progress is not None and written % PROGRESS_EVERY == 0:
                on_progress(written)
            yield pick(row)

    WRITERS[spec.format](out, fields, cells(), today_of(spec))
    if on_progress is not None:
        on_progress(written)
    return SampleResult(path=out, rows=written, broken=broken, duplicates=0)
