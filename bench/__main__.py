"""Run the benchmark sections, print the table, write bench-results/latest.json."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import sys
import time
import traceback
from typing import Any

from bench.common import RESULTS, Figure, machine

SECTIONS = {
    "throughput": "bench.throughput",
    "memory": "bench.memory",
    "ingest": "bench.ingest",
    "delivery": "bench.delivery",
    "coldstart": "bench.coldstart",
    "sizes": "bench.sizes",
    "latency": "bench.latency",
    "local_stack": "bench.local_stack",
    "admin_reads": "bench.admin_reads",
}


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def table(figures: list[Figure]) -> str:
    rows = [("section", "figure", "value", "unit", "reference", "ratio", "target", "met", "note")]
    for f in figures:
        reference = f"{_number(f.reference)} ({f.reference_name})" if f.reference is not None else ""
        met = "" if f.met is None else ("yes" if f.met else "NO")
        rows.append(
            (f.section, f.name, _number(f.value), f.unit, reference, _number(f.ratio), f.target, met, f.note)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", nargs="+", choices=sorted(SECTIONS), help="run these sections only")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, one run each (a smoke test)")
    args = parser.parse_args(argv)
    figures: list[Figure] = []
    failures: dict[str, str] = {}
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    for name, module_name in SECTIONS.items():
        if args.only and name not in args.only:
            continue
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        section_started = time.perf_counter()
        try:
            module: Any = importlib.import_module(module_name)
            figures.extend(module.run(quick=args.quick))
        except Exception:
            failures[name] = traceback.format_exc()
            print(failures[name], file=sys.stderr)
        seconds[name] = time.perf_counter() - section_started
        print(f"[bench] {name} done in {seconds[name]:.0f} s", file=sys.stderr, flush=True)
    document = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        "seconds": {**seconds, "total": time.perf_counter() - started},
        "figures": [figure.as_dict() for figure in figures],
        "failures": failures,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(table(figures))
    print(
        f"\n{len(figures)} figures in {document['seconds']['total']:.0f} s; JSON in bench-results/latest.json"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
