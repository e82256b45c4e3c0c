"""(1) Validation throughput on a 200,000-row pencari_kerja CSV: the parse limit, a naive peer, ours."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from bench import naive
from bench.common import CLI, Figure, best_of, run_child, sample_file
from sikas_sync.domains import get_domain
from sikas_sync.reference import wilayah
from sikas_sync.validation import RulesContext, validate_file

SECTION = "1 validate throughput"
ROWS = 200_000


def _bare(path: Path) -> float:
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        for _ in csv.reader(handle):
            pass
    return time.perf_counter() - started


def _ours(path: Path, context: RulesContext) -> float:
    started = time.perf_counter()
    result = validate_file(path, get_domain("pencari_kerja"), name=path.name, context=context)
    elapsed = time.perf_counter() - started
    assert result.status == "processed", result.reason
    assert result.rows == ROWS
    return elapsed


def run(quick: bool = False) -> list[Figure]:
    path = sample_file("pencari_kerja", ROWS)
    context = RulesContext()
    wilayah.lookup("12.09")  # the Kemendagri table loads once per process, as on a warm Lambda
    runs = 1 if quick else 3
    bare_s = best_of(runs, lambda: _bare(path))
    result = validate_file(path, get_domain("pencari_kerja"), name=path.name, context=context)
    in_process_s = best_of(runs, lambda: _ours(path, context))
    peer_started = time.perf_counter()
    peer_valid, peer_rejected = naive.validate_csv(path, context.as_context())
    peer_s = time.perf_counter() - peer_started
    # The command itself, each run a fresh process; its start-up (interpreter, imports, the region
    # table) is measured on a one-row file and taken off, so the rate is that of the rows.
    command = [CLI, "validate", str(path), "--domain", "pencari_kerja", "--json"]
    tiny = sample_file("pencari_kerja", 1, invalid_ratio=0.0)
    startup_s = best_of(
        runs, lambda: run_child([CLI, "validate", str(tiny), "--domain", "pencari_kerja"]).wall_s
    )
    cli_s = best_of(runs, lambda: run_child(command).wall_s)
    bare_rate, peer_rate = ROWS / bare_s, ROWS / peer_s
    ours_rate = ROWS / max(cli_s - startup_s, 1e-9)
    in_process_rate = ROWS / in_process_s
    counts = {"valid": result.valid, "rejected": result.rejected, "peer_valid": peer_valid}
    counts["peer_rejected"] = peer_rejected
    return [
        Figure(SECTION, "bare csv.reader (parse limit)", bare_rate, "rows/s", note=f"best of {runs}"),
        Figure(
            SECTION,
            "naive peer (DictReader + pydantic)",
            peer_rate,
            "rows/s",
            details={"valid": peer_valid, "rejected": peer_rejected},
        ),
        Figure(
            SECTION,
            "`sikas-sync validate` vs parse limit",
            ours_rate,
            "rows/s",
            reference=bare_rate,
            reference_name="bare csv.reader",
            ratio=ours_rate / bare_rate,
            target=">= 0.1",
            met=ours_rate / bare_rate >= 0.1,
            note=f"best of {runs}: {cli_s:.2f} s, less {startup_s:.2f} s of start-up (a 1-row file)",
            details={**counts, "wall_s": cli_s, "startup_s": startup_s},
        ),
        Figure(
            SECTION,
            "`sikas-sync validate` vs naive peer",
            ours_rate,
            "rows/s",
            reference=peer_rate,
            reference_name="naive peer",
            ratio=ours_rate / peer_rate,
            target=">= 2",
            met=ours_rate / peer_rate >= 2,
        ),
        Figure(
            SECTION,
            "validate_file in this process",
            in_process_rate,
            "rows/s",
            reference=bare_rate,
            reference_name="bare csv.reader",
            ratio=in_process_rate / bare_rate,
            note=f"best of {runs}, after the other runs of this process",
        ),
    ]
