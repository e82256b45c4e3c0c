"""`sikas-sync outbox`: write SIKAS's outbox files now, on a deployed or the embedded stack.

The same use case as the daily outbox function (`sikas_sync.outbox.service`), run by the operator
with their own credentials: status and dari_siapkerja files of the chosen domains, and the results
files of the uploads that changed. `--since DATE` writes partial files (`..._sejak_<DATE>.csv`)
beside the day's full ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from ..domains import DOMAINS
from .admin import add_target_arguments, resolve_target


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2025-03-01") from None


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Adds `outbox` to the subcommands of `sikas-sync` (`commands` is add_subparsers' result)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "outbox",
        help="write SIKAS's outbox files now: delivery status, ministry-only records, upload results",
    )
    parser.add_argument(
        "--domain",
        action="append",
        choices=[domain.slug for domain in DOMAINS],
        metavar="SLUG",
        help="a domain (repeat for several; default every domain)",
    )
    parser.add_argument(
        "--since",
        type=_day,
        metavar="DATE",
        help="only records written or delivered from this day (WIB), in separate `_sejak_DATE` files",
    )
    add_target_arguments(parser)
    return parser


def cmd_outbox(args: argparse.Namespace) -> int:
    from ..outbox.service import OutboxRequest, write_outbox
    from ..outbox.wiring import outbox_deps

    target = resolve_target(args)
    deps = outbox_deps(
        dynamodb=target.client("dynamodb"),
        s3=target.client("s3"),
        bucket=target.bucket,
        records_table=target.records_table,
        deliveries_table=target.deliveries_table,
        files_table=target.files_table,
    )
    outcome = write_outbox(OutboxRequest(domains=args.domain, since=args.since), deps)
    if args.json:
        print(json.dumps({"bucket": target.bucket, **outcome.as_json()}, ensure_ascii=False, indent=2))
        return 0
    print(f"outbox of {outcome.day} in s3://{target.bucket}/")
    for slug, result in outcome.domains.items():
        counts = ", ".join(f"{status} {n}" for status, n in sorted(result.by_status.items())) or "no records"
        print(f"{slug}: {result.status_rows} records ({counts}); {result.imported_rows} only at the ministry")
        print(f"  {result.status_key}")
        print(f"  {result.imports_key}")
        if result.results:
            print(f"  {len(result.results)} results files brought up to date")
        if result.results_missing:
            print(f"  {result.results_missing} changed uploads have no results file (older than the outbox)")
    return 0
