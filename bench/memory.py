"""(2) Peak RSS of `sikas-sync validate` on 100,000 and 1,000,000-row exports, CSV and XLSX."""

from __future__ import annotations

from bench.common import CLI, Figure, run_child, sample_file

SECTION = "2 memory"
LIMIT_MIB = 256


def run(quick: bool = False) -> list[Figure]:
    small, large = (10_000, 100_000) if quick else (100_000, 1_000_000)
    figures: list[Figure] = []
    for fmt in ("csv", "xlsx"):
        peaks: dict[int, float] = {}
        for rows in (small, large):
            path = sample_file("pencari_kerja", rows, fmt)
            child = run_child([CLI, "validate", str(path), "--domain", "pencari_kerja", "--json"])
            peaks[rows] = child.max_rss_kib / 1024
            figures.append(
                Figure(
                    SECTION,
                    f"validate {fmt.upper()} {rows:,} rows: peak RSS",
                    peaks[rows],
                    "MiB",
                    reference=LIMIT_MIB,
                    reference_name="256 MiB",
                    ratio=peaks[rows] / LIMIT_MIB,
                    target="< 1",
                    met=peaks[rows] < LIMIT_MIB,
                    note=f"{rows / child.wall_s:,.0f} rows/s ({child.wall_s:.1f} s, start-up included)",
                    details={"wall_s": child.wall_s, "exit": child.returncode, "bytes": path.stat().st_size},
                )
            )
        growth = peaks[large] / peaks[small]
        figures.append(
            Figure(
                SECTION,
                f"{fmt.upper()} peak RSS, {large:,} vs {small:,} rows",
                peaks[large],
                "MiB",
                reference=peaks[small],
                reference_name=f"{small:,} rows",
                ratio=growth,
                target="~1 (flat)",
                met=growth < 1.5,
                note="10x the rows",
            )
        )
    return figures
