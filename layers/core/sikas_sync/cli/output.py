"""Human-readable renderings of results; JSON goes straight through `json.dumps`."""

from __future__ import annotations

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
    for issue in result.warning_list[:MAX_ERRORS_SHOWN]:
        lines.append(f"  row {issue.row:>7}  warning {issue.code}: {issue.message}")
    return "\n".join(lines)
