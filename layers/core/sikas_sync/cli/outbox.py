"""`sikas-sync outbox`: write SIKAS's outbox files now, on a deployed or the embedded stack.

The same use case as the daily outbox function (`sikas_sync.outbox.service`), run by the operator
with their own credentials: status and dari_siapkerja files of the chosen domains, and the results
files of the uploads that changed. `--since DATE` writes partial files (`..._sejak_<DATE>.csv`)
beside the day's full ones.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from .admin import add_target_arguments, resolve_target
from .arguments import day, domain_slug, slug_list
from .messages import t


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Adds `outbox` to the subcommands of `sikas-sync` (`commands` is add_subparsers' result)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "outbox", help=t("cmd.outbox"), description=t("cmd.outbox")
    )
    parser.add_argument(
        "--domain",
        action="append",
        type=domain_slug,
        metavar="SLUG",
        help=t("help.outbox.domain", slugs=slug_list()),
    )
    parser.add_argument("--since", type=day, metavar="DATE", help=t("help.outbox.since"))
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
    print(t("outbox.head", day=outcome.day, bucket=target.bucket))
    for slug, result in outcome.domains.items():
        counts = ", ".join(f"{status} {n}" for status, n in sorted(result.by_status.items()))
        print(
            t(
                "outbox.domain",
                slug=slug,
                rows=result.status_rows,
                counts=counts or t("outbox.no_records"),
                imported=result.imported_rows,
            )
        )
        print(f"  {result.status_key}")
        print(f"  {result.imports_key}")
        if result.results:
            print(t("outbox.results", count=len(result.results)))
        if result.results_missing:
            print(t("outbox.results_missing", count=result.results_missing))
    return 0
