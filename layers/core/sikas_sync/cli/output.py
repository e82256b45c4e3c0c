"""Human-readable renderings of results, in the operator's language; JSON goes straight through
`json.dumps`. Row messages come from validation in Bahasa Indonesia and are shown as they are."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .messages import number, t

if TYPE_CHECKING:
    from ..validation import FileResult

MAX_ERRORS_SHOWN = 20
RUN_ISSUES_SHOWN = 3


def line_of(issue: dict[str, Any]) -> Any:
    """The row number as Excel or a text editor shows it (`line`), else the data row's number."""
    return issue.get("line") or issue["row"]


def status_label(status: str | None) -> str:
    return t(f"status.{status}") if status in ("processed", "rejected", "processing") else str(status)


def _issue_text(issue: dict[str, Any]) -> str:
    return (
        f"  {t('out.issue_line')} {line_of(issue)!s:>7}  {issue['column'] or '-':<20} {issue['code']:<28}"
        f" {issue['message']}"
    )


def hidden_rejected_rows(rejected: int, shown: list[dict[str, Any]]) -> int:
    """Rejected rows none of whose errors is shown (never below 0: a row may have several errors)."""
    return max(rejected - len({issue["row"] for issue in shown}), 0)


def file_result_text(result: FileResult) -> str:
    """`validate`'s report of one file: counts, notes on the file, the first errors and warnings, and
    how many more there are."""
    document = result.as_json()
    lines = [f"{result.file} [{result.domain or '-'}]: {status_label(result.status)}"]
    if result.status == "rejected":
        lines.append(f"  {t('out.reason', reason=result.reason)} ({result.reason_code})")
        return "\n".join(lines)
    lines.append(
        "  "
        + t(
            "out.counts",
            rows=number(result.rows),
            valid=number(result.valid),
            rejected=number(result.rejected),
            warnings=number(result.warnings),
        )
    )
    if result.ignored_columns:
        lines.append("  " + t("out.ignored_columns", columns=", ".join(result.ignored_columns)))
    for note in document.get("file_warnings") or []:
        lines.append("  " + t("out.file_warning", message=note["message"], code=note["code"]))
    errors: list[dict[str, Any]] = document["errors"]
    shown = errors[:MAX_ERRORS_SHOWN]
    if shown:
        lines.append("  " + t("out.errors"))
    lines += [_issue_text(issue) for issue in shown]
    hidden_rows = hidden_rejected_rows(result.rejected, shown)
    if hidden_rows:
        lines.append("  " + t("out.more_rows_validate", count=number(hidden_rows)))
    elif len(errors) > len(shown):
        lines.append("  " + t("out.more_errors_same_rows", count=number(len(errors) - len(shown))))
    warnings: list[dict[str, Any]] = document["row_warnings"]
    if warnings:
        lines.append("  " + t("out.warnings"))
    lines += [_issue_text(issue) for issue in warnings[:MAX_ERRORS_SHOWN]]
    more = result.warnings - min(len(warnings), MAX_ERRORS_SHOWN)
    if more > 0:
        lines.append("  " + t("out.more_warnings", count=number(more), listed=number(len(warnings))))
    return "\n".join(lines)


def run_summary_text(summary: dict[str, Any]) -> str:
    """The `run`/`demo` summary as a table per file and the delivery totals."""
    lines = [t("out.region", code=summary["region_code"]), ""]
    header = (
        f"{t('out.col.file'):<30} {t('out.col.domain'):<17} {t('out.col.status'):<15}"
        f" {t('out.col.rows'):>6} {t('out.col.valid'):>6} {t('out.col.rejected'):>5}"
        f" {t('out.col.new'):>6} {t('out.col.updated'):>5} {t('out.col.same'):>6}"
    )
    lines += [header, "-" * len(header)]
    pad = " " * 30
    for entry in summary["files"]:
        lines.append(
            f"{entry['file'][:30]:<30} {entry['domain'] or '-':<17} {status_label(entry['status']):<15}"
            f" {entry['rows']:>6} {entry['valid']:>6} {entry['rejected']:>5} {entry['created']:>6}"
            f" {entry['updated']:>5} {entry['unchanged']:>6}"
        )
        if entry["status"] == "rejected":
            lines.append(f"{pad}   {t('out.reason', reason=entry['reason'])}")
        for note in entry.get("file_warnings") or []:
            lines.append(f"{pad}   {t('out.file_warning', message=note['message'], code=note['code'])}")
        errors: list[dict[str, Any]] = entry["errors"]
        shown = errors[:RUN_ISSUES_SHOWN]
        for error in shown:
            where = f"{t('out.issue_line')} {line_of(error)}: {error['column'] or '-'}"
            lines.append(f"{pad}   {where} {error['code']} — {error['message']}")
        hidden_rows = hidden_rejected_rows(entry["rejected"], shown)
        if hidden_rows:
            lines.append(f"{pad}   {t('out.more_rows_run', count=number(hidden_rows))}")
        elif len(errors) > len(shown):
            lines.append(f"{pad}   {t('out.more_errors_same_rows', count=number(len(errors) - len(shown)))}")
        warned: list[dict[str, Any]] = entry.get("row_warnings") or []
        for warning in warned[:RUN_ISSUES_SHOWN]:
            where = f"{t('out.issue_line')} {line_of(warning)}: {warning['column'] or '-'}"
            lines.append(
                f"{pad}   {t('out.warning_prefix')} {where} {warning['code']} — {warning['message']}"
            )
        more = (entry.get("warnings") or 0) - len(warned[:RUN_ISSUES_SHOWN])
        if more > 0:
            lines.append(f"{pad}   {t('out.more_warnings_run', count=number(more))}")
    d = summary["delivery"]
    lines += [
        "",
        t(
            "out.delivery",
            queued=d["queued"],
            delivered=d["delivered"],
            refused=d["rejected_by_ministry"],
            pending=d["pending"],
            dead=d["dead_lettered"],
            attempts=d["attempts"],
        ),
    ]
    return "\n".join(lines)
