"""`sikas-sync status` and `sikas-sync report --file KEY`: what came in, what was rejected and why,
what waits for the ministry and since when, on a deployed stack or the embedded one.

`add_parsers(commands)` adds both commands to the `sikas-sync` parser; HANDLERS maps their names to
the functions that run them. A table on the terminal, `--json` for scripts.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..operations.status import DEFAULT_DAYS, StackStatus, read_report, stack_status
from .admin import add_target_arguments, resolve_target

ISSUES_SHOWN = 50


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def add_parsers(commands: Any) -> None:
    """`commands` is the `add_subparsers()` object of the sikas-sync parser."""
    status = commands.add_parser(
        "status", help="files of the last days, what waits for the ministry, DLQs and the breaker"
    )
    add_target_arguments(status)
    status.add_argument("--file", metavar="KEY", help="one export (e.g. lowongan/2025-03.csv), all versions")
    status.add_argument("--days", type=_positive, default=DEFAULT_DAYS, metavar="N", help="default 7")

    report = commands.add_parser("report", help="one export's report: counts, then every row issue")
    add_target_arguments(report)
    report.add_argument("--file", required=True, metavar="KEY", help="the export's key in the inbox")
    report.add_argument(
        "--limit", type=_positive, default=ISSUES_SHOWN, metavar="N", help="issues in the table (default 50)"
    )


def cmd_status(args: argparse.Namespace) -> int:
    status = stack_status(resolve_target(args), days=args.days, file_key=args.file)
    if args.json:
        print(json.dumps(status.as_json(), ensure_ascii=False, indent=2))
    else:
        print(status_text(status))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    report = read_report(resolve_target(args), args.file)
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
        return f"{seconds // 60} min"
    if seconds < 48 * 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 86400} days {seconds % 86400 // 3600} h"


def status_text(status: StackStatus) -> str:
    document = status.as_json()
    scope = f"file {status.file_key}" if status.file_key else f"files of the last {status.days} days"
    lines = [f"region {status.region_code} — {_when(document['generated_at'])} WIB — {scope}", ""]
    lines += _files_table(document["files"])
    if status.file_key is not None and status.file_records is not None:
        r = status.file_records
        lines += [
            "",
            f"records now from this file: delivered {r['delivered']}, refused by ministry"
            f" {r['rejected_by_ministry']}, waiting {r['pending']}, blocked {r['blocked']}",
            f"row issues: sikas-sync report --file {status.file_key}",
        ]
    lines += ["", *_delivery_lines(document["delivery"]), "", *_queue_lines(document["queues"])]
    lines += ["", _breaker_line(document["breaker"])]
    return "\n".join(lines)


def _files_table(files: list[dict[str, Any]]) -> list[str]:
    if not files:
        return ["no files received in that time"]
    header = (
        f"{'received (WIB)':<16}  {'file':<38} {'status':<10} {'rows':>7} {'valid':>7} {'rej.':>5}"
        f" {'new':>6} {'upd.':>5} {'same':>6}"
    )
    lines = [header, "-" * len(header)]
    for entry in files:
        lines.append(
            f"{_when(entry['received_at']):<16}  {_short(entry['key'], 38):<38} {entry['status']:<10}"
            f" {entry['rows']:>7} {entry['valid']:>7} {entry['rejected']:>5} {entry['created']:>6}"
            f" {entry['updated']:>5} {entry['unchanged']:>6}"
        )
        if entry["status"] == "rejected":
            lines.append(f"{'':<18}reason: {entry['reason']} ({entry['reason_code']})")
        elif entry["status"] == "processing":
            lines.append(f"{'':<18}not finished yet (attempt {entry['attempts']})")
    return lines


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else "…" + text[-(width - 1) :]


def _delivery_lines(delivery: dict[str, Any]) -> list[str]:
    lines = [
        f"delivery: delivered {delivery['delivered']},"
        f" refused by ministry {delivery['rejected_by_ministry']},"
        f" waiting {delivery['pending']}, blocked {delivery['blocked']}"
    ]
    if not delivery["by_domain"]:
        return [*lines, "nothing waits for the ministry"]
    lines.append(f"{'domain':<18} {'waiting':>8} {'blocked':>8} {'<1h':>6} {'1-24h':>6} {'>24h':>6}  oldest")
    for domain, c in sorted(delivery["by_domain"].items()):
        lines.append(
            f"{domain:<18} {c.get('pending', 0):>8} {c.get('blocked', 0):>8} {c.get('under_1h', 0):>6}"
            f" {c.get('1h_to_24h', 0):>6} {c.get('over_24h', 0):>6}  {_age(c.get('oldest_age_s', 0))}"
        )
    return lines


def _queue_lines(queues: dict[str, dict[str, int]]) -> list[str]:
    busy = {name: q for name, q in queues.items() if q["queued"] or q["dead_lettered"]}
    if not busy:
        return ["queues: all empty, no dead-lettered messages"]
    lines = [f"{'queue':<26} {'queued':>7} {'dead-lettered':>14}"]
    for name, q in busy.items():
        hint = f"   sikas-sync redrive --queue {name}" if q["dead_lettered"] else ""
        lines.append(f"{name:<26} {q['queued']:>7} {q['dead_lettered']:>14}{hint}")
    return lines


def _breaker_line(breaker: dict[str, Any]) -> str:
    if not breaker["open"]:
        return "ministry circuit breaker: closed (deliveries go through)"
    return (
        f"ministry circuit breaker: {breaker['state']} since {_when(breaker['opened_at'])} WIB"
        f" ({_age(breaker['open_for_s'])}): deliveries wait and are retried"
    )


def report_text(report: dict[str, Any], limit: int = ISSUES_SHOWN) -> str:
    lines = [
        f"report {report.get('key')} (version {report.get('version_id') or '-'}): {report.get('status')}",
    ]
    if report.get("status") == "rejected":
        lines.append(f"  reason: {report.get('reason')} ({report.get('reason_code')})")
    lines.append(
        "  "
        + "  ".join(
            f"{label} {report.get(name, 0)}"
            for name, label in (
                ("rows", "rows"),
                ("valid", "valid"),
                ("rejected", "rejected"),
                ("warnings", "warnings"),
                ("created", "new"),
                ("updated", "updated"),
                ("unchanged", "unchanged"),
            )
        )
    )
    issues: list[dict[str, Any]] = report.get("issues", [])
    if not issues:
        return "\n".join([*lines, "", "no row issues"])
    header = f"{'row':>7}  {'column':<22} {'code':<26} {'value':<18} message"
    lines += ["", header, "-" * len(header)]
    for issue in issues[:limit]:
        kind = "" if issue.get("severity", "error") == "error" else "(warning) "
        lines.append(
            f"{issue.get('row', '-'):>7}  {issue.get('column') or '-':<22} {issue.get('code', '-'):<26}"
            f" {issue.get('value') or '':<18} {kind}{issue.get('message', '')}"
        )
    if len(issues) > limit:
        lines.append(f"… {len(issues) - limit} more issues (--limit N, or --json for all)")
    return "\n".join(lines)
