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


# Rates are rows per second of CPU time (user + system), best of several runs: on a shared machine the
# wall clock also counts what other processes took, and it moved the ratio by a tenth between runs.


def _bare(path: Path) -> float:
    started = time.process_time()
    with path.open(newline="", encoding="utf-8") as handle:
        for _ in csv.reader(handle):
            pass
    return time.process_time() - started


def _ours(path: Path, context: RulesContext) -> float:
    started = time.process_time()
    result = validate_file(path, get_domain("pencari_kerja"), name=path.name, context=context)
    elapsed = time.process_time() - started
    assert result.status == "processed", result.reason
    assert result.rows == ROWS
    return elapsed


def run(quick: bool = False) -> list[Figure]:
    path = sample_file("pencari_kerja", ROWS)
    context = RulesContext()
    wilayah.lookup("12.09")  # the Kemendagri table loads once per process, as on a warm Lambda
    runs = 1 if quick else 5
    bare_s = best_of(runs, lambda: _bare(path))
    result = validate_file(path, get_domain("pencari_kerja"), name=path.name, context=context)
    in_process_s = best_of(runs, lambda: _ours(path, context))
    peer_started = time.process_time()
    peer_valid, peer_rejected = naive.validate_csv(path, context.as_context())
    peer_s = time.process_time() - peer_started
    # The command itself, each run a fresh process; its start-up (interpreter, imports, the region
    # table) is measured on a one-row file and taken off, so the rate is that of the rows.
    command = [CLI, "validate", str(path), "--domain", "pencari_kerja", "--json"]
    tiny = sample_file("pencari_kerja", 1, invalid_ratio=0.0)
    startup_s = best_of(
        runs, lambda: run_child([CLI, "validate", str(tiny), "--domain", "pencari_kerja"]).cpu_s
    )
    cli_runs = [run_child(command) for _ in range(runs)]
    cli_s, cli_wall_s = min(run.cpu_s for run in cli_runs), min(run.wall_s for run in cli_runs)
    bare_rate, peer_rate = ROWS / bare_s, ROWS / peer_s
    ours_rate = ROWS / max(cli_s - startup_s, 1e-9)
    in_process_rate = ROWS / in_process_s
    counts = {"valid": result.valid, "rejected": result.rejected, "peer_valid": peer_valid}
    counts["peer_rejected"] = peer_rejected
    return [
        Figure(
            SECTION, "bare csv.reader (parse limit)", bare_rate, "rows/s", note=f"CPU time, best of {runs}"
        ),
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
            note=(
                f"CPU time, best of {runs}: {cli_s:.2f} s, less {startup_s:.2f} s of start-up (a 1-row file);"
                f" wall {cli_wall_s:.2f} s"
            ),
            details={**counts, "cpu_s": cli_s, "wall_s": cli_wall_s, "startup_cpu_s": startup_s},
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
            note=f"CPU time, best of {runs}, after the other runs of this process",
        ),
    ]
