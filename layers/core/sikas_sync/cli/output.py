"""Human-readable renderings of results; JSON goes straight through `json.dumps`."""

from __future__ import annotations

from typing import Any

from ..validation import FileResult

MAX_ERRORS_SHOWN = 20


def file_result_text(result: FileResult) -> str:
    lines = [f"{result.file} [{result.domain or '-'}]: {result.status}"]
    if result.status == "rejected":
        lines.append(f"  reason: {result.reason} ({result.reason_code})")
        return "\n".join(lines)
    lines.append(
        f"  rows {result.rows}  valid {result.valid}  rejected {result.rejected}  warnings {result.warnings}"
    )
    if result.ignored_columns:
        lines.append("  ignored columns (not part of the domain): " + ", ".join(result.ignored_columns))
    for issue in result.errors[:MAX_ERRORS_SHOWN]:
        lines.append(f"  row {issue.row:>7}  {issue.column or '-':<20} {issue.code:<28} {issue.message}")
    if len(result.errors) > MAX_ERRORS_SHOWN:
        lines.append(f"  … more errors: --json lists the first {result.max_errors}")
    if result.row_warnings:
        lines.append("  peringatan (baris tetap disimpan dan dikirim):")
    for issue in result.row_warnings[:MAX_ERRORS_SHOWN]:
        lines.append(f"  row {issue.row:>7}  {issue.column or '-':<20} {issue.code:<28} {issue.message}")
    if result.warnings > min(len(result.row_warnings), MAX_ERRORS_SHOWN):
        shown = min(len(result.row_warnings), MAX_ERRORS_SHOWN)
        lines.append(
            f"  … {result.warnings - shown} peringatan lagi: --json memuat {result.max_errors} yang pertama"
        )
    return "\n".join(lines)


def run_summary_text(summary: dict[str, Any]) -> str:
    """The `run`/`demo` summary as a table per file and the delivery totals."""
    lines = [f"region {summary['region_code']}", ""]
    header = (
        f"{'file':<30} {'domain':<17} {'status':<9} {'rows':>6} {'valid':>6} {'rej.':>5}"
        f" {'new':>6} {'upd.':>5} {'same':>6}"
    )
    lines += [header, "-" * len(header)]
    for entry in summary["files"]:
        lines.append(
            f"{entry['file'][:30]:<30} {entry['domain'] or '-':<17} {entry['status']:<9} {entry['rows']:>6}"
            f" {entry['valid']:>6} {entry['rejected']:>5} {entry['created']:>6} {entry['updated']:>5}"
            f" {entry['unchanged']:>6}"
        )
        if entry["status"] == "rejected":
            lines.append(f"{'':<30}   reason: {entry['reason']}")
        for error in entry["errors"][:3]:
            where = f"row {error['row']}: {error['column'] or '-'}"
            lines.append(f"{'':<30}   {where} {error['code']} — {error['message']}")
        if len(entry["errors"]) > 3:
            lines.append(
                f"{'':<30}   … {entry['rejected'] - 3} more rejected rows (see --json or the report)"
            )
        warned = entry.get("row_warnings") or []
        for warning in warned[:3]:
            where = f"baris {warning['row']}: {warning['column'] or '-'}"
            lines.append(f"{'':<30}   peringatan {where} {warning['code']} — {warning['message']}")
        more = entry.get("warnings", 0) - len(warned[:3])
        if more > 0:
            lines.append(f"{'':<30}   … {more} peringatan lagi (lihat --json atau laporan)")
    d = summary["delivery"]
    lines += [
        "",
        f"delivery: queued {d['queued']}, delivered {d['delivered']},"
        f" refused by ministry {d['rejected_by_ministry']}, pending {d['pending']},"
        f" dead-lettered {d['dead_lettered']}, ministry requests {d['attempts']}",
    ]
    return "\n".join(lines)
