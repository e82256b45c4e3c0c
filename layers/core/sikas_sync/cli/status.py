"""`sikas-sync status` and `sikas-sync report --file KEY`: what came in, what was rejected and why,
what waits for the ministry and since when, on a deployed stack or the embedded one.

`add_parsers(commands)` adds both commands to the `sikas-sync` parser; HANDLERS maps their names to
the functions that run them. A table on the terminal, `--json` for scripts.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from .admin import add_target_arguments, resolve_target
from .arguments import positive_int
from .messages import t
from .output import status_label

if TYPE_CHECKING:
    from ..operations.status import StackStatus

ISSUES_SHOWN = 50
DEFAULT_DAYS = 7  # = operations.status.DEFAULT_DAYS (a test checks); here for a parser without boto3


def add_parsers(commands: Any) -> None:
    """`commands` is the `add_subparsers()` object of the sikas-sync parser."""
    status = commands.add_parser("status", help=t("cmd.status"), description=t("cmd.status"))
    add_target_arguments(status)
    status.add_argument("--file", metavar="KEY", help=t("help.status.file"))
    status.add_argument(
        "--days", type=positive_int, default=DEFAULT_DAYS, metavar="N", help=t("help.status.days")
    )

    report = commands.add_parser("report", help=t("cmd.report"), description=t("cmd.report"))
    add_target_arguments(report)
    report.add_argument("--file", required=True, metavar="KEY", help=t("help.report.file"))
    report.add_argument(
        "--limit", type=positive_int, default=ISSUES_SHOWN, metavar="N", help=t("help.report.limit")
    )


def cmd_status(args: argparse.Namespace) -> int:
    from ..operations.status import stack_status
    from ..operations.target import TargetError

    target = resolve_target(args)
    try:
        status = stack_status(target, days=args.days, file_key=args.file)
    except TargetError:
        if args.file is None:
            raise
        raise TargetError(t("target.no_ledger_file", key=args.file), code="file_not_in_ledger") from None
    if args.json:
        print(json.dumps(status.as_json(), ensure_ascii=False, indent=2))
    else:
        print(status_text(status))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..operations.status import read_report
    from ..operations.target import TargetError

    target = resolve_target(args)
    try:
        report = read_report(target, args.file)
    except TargetError:
        raise TargetError(t("target.no_report", key=args.file), code="report_not_found") from None
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(report_text(report, args.limit))
    return 0


HANDLERS = {"status": cmd_status, "report": cmd_report}


# -- rendering -----------------------------------------------------------------------------------


def _when(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else "-"


def _age(seconds: int) -> str:
    if seconds < 3600:
        return t("age.minutes", m=seconds // 60)
    if seconds < 48 * 3600:
        return t("age.hours", h=seconds // 3600, m=seconds % 3600 // 60)
    return t("age.days", d=seconds // 86400, h=seconds % 86400 // 3600)


def status_text(status: StackStatus) -> str:
    document = status.as_json()
    if status.file_key:
        scope = t("status.scope_file", key=status.file_key)
    else:
        scope = t("status.scope_days", days=status.days)
    lines = [t("status.head", code=status.region_code, when=_when(document["generated_at"]), scope=scope), ""]
    lines += _files_table(document["files"])
    if status.file_key is not None and status.file_records is not None:
        r = status.file_records
        lines += [
            "",
            t(
                "status.file_records",
                delivered=r["delivered"],
                refused=r["rejected_by_ministry"],
                pending=r["pending"],
                blocked=r["blocked"],
            ),
            t("status.row_issues", key=status.file_key),
        ]
    lines += ["", *_delivery_lines(document["delivery"]), "", *_queue_lines(document["queues"])]
    lines += ["", _breaker_line(document["breaker"])]
    return "\n".join(lines)


def _files_table(files: list[dict[str, Any]]) -> list[str]:
    if not files:
        return [t("status.no_files")]
    header = (
        f"{t('status.col.received'):<16}  {t('out.col.file'):<38} {t('out.col.status'):<15}"
        f" {t('out.col.rows'):>7} {t('out.col.valid'):>7} {t('out.col.rejected'):>5}"
        f" {t('out.col.new'):>6} {t('out.col.updated'):>5} {t('out.col.same'):>6}"
    )
    lines = [header, "-" * len(header)]
    for entry in files:
        lines.append(
            f"{_when(entry['received_at']):<16}  {_short(entry['key'], 38):<38}"
            f" {status_label(entry['status']):<15} {entry['rows']:>7} {entry['valid']:>7}"
            f" {entry['rejected']:>5} {entry['created']:>6} {entry['updated']:>5} {entry['unchanged']:>6}"
        )
        if entry["status"] == "rejected":
            lines.append(f"{'':<18}{t('out.reason', reason=entry['reason'])} ({entry['reason_code']})")
        elif entry["status"] == "processing":
            lines.append(f"{'':<18}{t('status.not_finished', attempts=entry['attempts'])}")
    return lines


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else "…" + text[-(width - 1) :]


def _delivery_lines(delivery: dict[str, Any]) -> list[str]:
    lines = [
        t(
            "status.delivery",
            delivered=delivery["delivered"],
            refused=delivery["rejected_by_ministry"],
            pending=delivery["pending"],
            blocked=delivery["blocked"],
        )
    ]
    if not delivery["by_domain"]:
        return [*lines, t("pending.nothing")]
    lines.append(
        f"{t('pending.col.domain'):<18} {t('status.col.waiting'):>8} {t('pending.col.blocked'):>8}"
        f" {'<1h':>6} {'1-24h':>6} {'>24h':>6}  {t('status.col.oldest')}"
    )
    for domain, c in sorted(delivery["by_domain"].items()):
        lines.append(
            f"{domain:<18} {c.get('pending', 0):>8} {c.get('blocked', 0):>8} {c.get('under_1h', 0):>6}"
            f" {c.get('1h_to_24h', 0):>6} {c.get('over_24h', 0):>6}  {_age(c.get('oldest_age_s', 0))}"
        )
    return lines


def _queue_lines(queues: dict[str, dict[str, int]]) -> list[str]:
    busy = {name: q for name, q in queues.items() if q["queued"] or q["dead_lettered"]}
    if not busy:
        return [t("status.queues_empty")]
    lines = [f"{t('status.col.queue'):<26} {t('status.col.queued'):>7} {t('status.col.dead'):>14}"]
    for name, q in busy.items():
        hint = f"   sikas-sync redrive --queue {name}" if q["dead_lettered"] else ""
        lines.append(f"{name:<26} {q['queued']:>7} {q['dead_lettered']:>14}{hint}")
    return lines


def _breaker_line(breaker: dict[str, Any]) -> str:
    if not breaker["open"]:
        return t("status.breaker_closed")
    return t(
        "status.breaker_open",
        state=breaker["state"],
        when=_when(breaker["opened_at"]),
        age=_age(breaker["open_for_s"]),
    )


def report_text(report: dict[str, Any], limit: int = ISSUES_SHOWN) -> str:
    lines = [
        t(
            "report.head",
            key=report.get("key"),
            version=report.get("version_id") or "-",
            status=status_label(report.get("status")),
        ),
    ]
    if report.get("status") == "rejected":
        lines.append(f"  {t('out.reason', reason=report.get('reason'))} ({report.get('reason_code')})")
    counts = ("rows", "valid", "rejected", "warnings", "created", "updated", "unchanged")
    lines.append("  " + t("report.counts", **{name: report.get(name, 0) for name in counts}))
    for note in report.get("file_warnings") or []:
        lines.append("  " + t("out.file_warning", message=note.get("message"), code=note.get("code")))
    issues: list[dict[str, Any]] = report.get("issues", [])
    if not issues:
        return "\n".join([*lines, "", t("report.no_issues")])
    header = (
        f"{t('out.issue_line'):>7}  {t('report.col.column'):<22} {t('report.col.code'):<26}"
        f" {t('report.col.value'):<18} {t('report.col.message')}"
    )
    lines += ["", header, "-" * len(header)]
    for issue in issues[:limit]:
        kind = "" if issue.get("severity", "error") == "error" else t("report.warning")
        where = issue.get("line") or issue.get("row", "-")
        lines.append(
            f"{where!s:>7}  {issue.get('column') or '-':<22} {issue.get('code', '-'):<26}"
            f" {issue.get('value') or '':<18} {kind}{issue.get('message', '')}"
        )
    if len(issues) > limit:
        lines.append(t("report.more", count=len(issues) - limit))
    return "\n".join(lines)
