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
    ours_s = best_of(runs, lambda: _ours(path, context))
    result = validate_file(path, get_domain("pencari_kerja"), name=path.name, context=context)
    peer_started = time.perf_counter()
    peer_valid, peer_rejected = naive.validate_csv(path, context.as_context())
    peer_s = time.perf_counter() - peer_started
    # The command itself, in a fresh process: start-up (imports, the region table) included.
    command = [CLI, "validate", str(path), "--domain", "pencari_kerja", "--json"]
    cli = run_child(command)
    tiny = sample_file("pencari_kerja", 1, invalid_ratio=0.0)
    startup = run_child([CLI, "validate", str(tiny), "--domain", "pencari_kerja", "--json"])
    bare_rate, ours_rate, peer_rate = ROWS / bare_s, ROWS / ours_s, ROWS / peer_s
    cli_net_rate = ROWS / max(cli.wall_s - startup.wall_s, 1e-9)
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
            "validate vs parse limit",
            ours_rate,
            "rows/s",
            reference=bare_rate,
            reference_name="bare csv.reader",
            ratio=ours_rate / bare_rate,
            target=">= 0.1",
            met=ours_rate / bare_rate >= 0.1,
            note=f"validate_file, best of {runs}",
            details=counts,
        ),
        Figure(
            SECTION,
            "validate vs naive peer",
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
            "`sikas-sync validate` command, net of start-up",
            cli_net_rate,
            "rows/s",
            reference=bare_rate,
            reference_name="bare csv.reader",
            ratio=cli_net_rate / bare_rate,
            note=f"wall {cli.wall_s:.2f} s, of which start-up {startup.wall_s:.2f} s (a 1-row file)",
            details={"wall_s": cli.wall_s, "startup_s": startup.wall_s, "exit": cli.returncode},
        ),
    ]
