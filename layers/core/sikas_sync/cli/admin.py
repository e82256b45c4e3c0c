"""Admin commands on a running stack: `local-stack`, `pending`, `redrive`.

The parser parts import nothing heavy; the commands import boto3 and the operations when they run.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from .arguments import DEFAULT_REGION_CODE, DEFAULT_STATE_FILE, positive_int, region_code
from .errors import UsageError
from .messages import t

if TYPE_CHECKING:
    from ..operations.target import StackTarget


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--stack", metavar="NAME", help=t("help.stack"))
    where.add_argument(
        "--embedded",
        type=Path,
        nargs="?",
        const=DEFAULT_STATE_FILE,
        metavar="STATE",
        help=t("help.embedded", path=DEFAULT_STATE_FILE),
    )
    parser.add_argument("--aws-region", metavar="REGION", help=t("help.aws_region"))
    parser.add_argument("--json", action="store_true", help=t("help.json"))


def add_parsers(commands: Any) -> None:
    """`pending` and `redrive` (`commands` is the `add_subparsers()` object of `sikas-sync`)."""
    pending = commands.add_parser("pending", help=t("cmd.pending"), description=t("cmd.pending"))
    add_target_arguments(pending)

    redrive = commands.add_parser("redrive", help=t("cmd.redrive"), description=t("cmd.redrive"))
    add_target_arguments(redrive)
    redrive.add_argument("--queue", default="push", metavar="NAME", help=t("help.redrive.queue"))
    redrive.add_argument("--limit", type=positive_int, metavar="N", help=t("help.redrive.limit"))


def resolve_target(args: argparse.Namespace) -> StackTarget:
    """The deployed stack of `--stack` (region: --aws-region, else AWS_REGION, else boto3's own
    AWS_DEFAULT_REGION or profile), or the embedded one of the state file."""
    from ..operations import target as stack_target

    if args.stack:
        region = args.aws_region or os.environ.get("AWS_REGION") or None
        return stack_target.from_cloudformation(args.stack, region)
    state: Path = args.embedded or DEFAULT_STATE_FILE
    if state.is_dir():
        raise UsageError("is_a_directory", t("error.is_a_directory", path=state))
    if not state.is_file():
        if args.embedded is None:
            raise stack_target.TargetError(t("target.no_stack"), code="no_stack")
        raise stack_target.TargetError(t("target.state_missing", path=state), code="no_stack")
    try:
        return stack_target.from_state_file(state)
    except stack_target.TargetError:
        raise stack_target.TargetError(
            t("target.state_invalid", path=state), code="state_file_invalid"
        ) from None


def cmd_pending(args: argparse.Namespace) -> int:
    from ..operations.pending import pending_report

    target = resolve_target(args)
    report = pending_report(target.client("dynamodb"), target.records_table, target.deliveries_table)
    sqs = target.client("sqs")
    dead = {name: _depth(sqs, pair.dlq_url) for name, pair in target.queues().items()}
    document = {**report.as_json(), "dead_lettered": {k: v for k, v in dead.items() if v}}
    if args.json:
        print(json.dumps(document, indent=2))
        return 0
    print(
        t(
            "pending.totals",
            undelivered=report.undelivered,
            delivered=report.delivered,
            refused=report.rejected_by_ministry,
        )
    )
    if report.by_domain:
        print(
            f"{t('pending.col.domain'):<18} {t('pending.col.pending'):>8} {t('pending.col.blocked'):>8}"
            f" {'<1h':>6} {'1-24h':>6} {'>24h':>6}"
        )
        for domain, c in sorted(report.by_domain.items()):
            print(
                f"{domain:<18} {c.get('pending', 0):>8} {c.get('blocked', 0):>8} {c.get('under_1h', 0):>6}"
                f" {c.get('1h_to_24h', 0):>6} {c.get('over_24h', 0):>6}"
            )
        print(t("pending.oldest", minutes=report.oldest_age_s // 60))
    else:
        print(t("pending.nothing"))
    for name, count in document["dead_lettered"].items():
        print(t("pending.dead", name=name, count=count))
    return 0


def cmd_redrive(args: argparse.Namespace) -> int:
    """Each chosen queue's DLQ back into it; says how many moved from each, none included."""
    from ..operations.redrive import redrive
    from ..operations.target import TargetError

    target = resolve_target(args)
    queues = target.queues()
    chosen = list(queues) if args.queue == "all" else [args.queue]
    unknown = [name for name in chosen if name not in queues]
    if unknown:
        raise TargetError(
            t("target.unknown_queue", name=unknown[0], queues=", ".join(queues)), code="unknown_queue"
        )
    sqs = target.client("sqs")
    moved = {name: redrive(sqs, queues[name], args.limit) for name in chosen}
    total = sum(moved.values())
    if args.json:
        limited = [name for name, count in moved.items() if args.limit and count >= args.limit]
        print(json.dumps({"moved": moved, "total": total, "limit_reached": limited}, indent=2))
        return 0
    for name, count in moved.items():
        print(t("redrive.moved", name=name, count=count) if count else t("redrive.empty", name=name))
        if args.limit and count >= args.limit:
            print(t("redrive.limited", name=name, limit=args.limit))
    if len(moved) > 1:
        print(t("redrive.total", count=total, queues=len(moved)))
    return 0


def _depth(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])[
        "Attributes"
    ]
    return int(attributes["ApproximateNumberOfMessages"])


def add_local_stack_parser(commands: Any) -> None:
    local = commands.add_parser("local-stack", help=t("cmd.local_stack"), description=t("cmd.local_stack"))
    local.add_argument(
        "--state", type=Path, default=DEFAULT_STATE_FILE, metavar="FILE", help=t("help.local_stack.state")
    )
    local.add_argument(
        "--region-code",
        type=region_code,
        default=DEFAULT_REGION_CODE,
        metavar="CODE",
        help=t("help.region_code"),
    )
    local.add_argument("--ministry-url", metavar="URL", help=t("help.ministry_url"))
    local.add_argument("--verbose", action="store_true", help=t("help.verbose"))


def cmd_local_stack(args: argparse.Namespace) -> int:
    """The embedded stack kept running, dispatching like Lambda and scheduling the sweep, until Ctrl-C."""
    from ..embedded import EmbeddedStack
    from .run import credentials_from_env

    state: Path = args.state
    if state.is_dir():
        raise UsageError("is_a_directory", t("error.is_a_directory", path=state))
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    log = sys.stderr if args.verbose else open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    with EmbeddedStack(
        region_code=args.region_code,
        log=log,
        ministry_url=args.ministry_url,
        ministry_credentials=credentials_from_env(),
    ) as stack:
        target = stack.target()
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text(json.dumps(target.to_state(), indent=2), encoding="utf-8")
        print(t("local.up", endpoint=target.endpoint_url, bucket=target.bucket), file=sys.stderr)
        print(t("local.ministry", url=stack.ministry_url, state=state), file=sys.stderr)
        # EventBridge Scheduler's part: each scheduled function on its (scaled) period.
        periods = {s.function.name: s.every_s for s in stack.plan.scheduled}
        due = {name: time.monotonic() + every for name, every in periods.items()}
        try:
            while not stopping:
                busy = stack.run_ingest(0.5) is False
                stack.run_delivery(0.5)
                for name, when in due.items():
                    if time.monotonic() >= when:
                        stack.run_scheduled(name)  # a failure: in the log and the failures queue
                        due[name] = time.monotonic() + periods[name]
                if not busy:
                    time.sleep(0.2)
        except KeyboardInterrupt:
            pass
        finally:
            state.unlink(missing_ok=True)
    print(t("local.stopped"), file=sys.stderr)
    return 0
