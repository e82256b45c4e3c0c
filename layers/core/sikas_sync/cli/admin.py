"""Admin commands on a running stack: `local-stack`, `pending`, `redrive`."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from ..operations.pending import pending_report
from ..operations.redrive import redrive
from ..operations.target import (
    DEFAULT_STATE_FILE,
    StackTarget,
    TargetError,
    from_cloudformation,
    from_state_file,
)


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--stack", metavar="NAME", help="a deployed stack (CloudFormation stack name)")
    where.add_argument(
        "--embedded",
        type=Path,
        nargs="?",
        const=DEFAULT_STATE_FILE,
        metavar="STATE",
        help=f"the stack of `sikas-sync local-stack` (default state file {DEFAULT_STATE_FILE})",
    )
    parser.add_argument("--aws-region", metavar="REGION", help="AWS region of a deployed stack")
    parser.add_argument("--json", action="store_true")


def resolve_target(args: argparse.Namespace) -> StackTarget:
    if args.stack:
        return from_cloudformation(args.stack, args.aws_region)
    state = args.embedded or DEFAULT_STATE_FILE
    if args.embedded is None and not state.is_file():
        raise TargetError(
            "no stack given: use --stack NAME for a deployed stack, or start `sikas-sync local-stack`"
        )
    return from_state_file(state)


def cmd_pending(args: argparse.Namespace) -> int:
    target = resolve_target(args)
    report = pending_report(target.client("dynamodb"), target.records_table, target.deliveries_table)
    sqs = target.client("sqs")
    dead = {name: _depth(sqs, pair.dlq_url) for name, pair in target.queues().items()}
    document = {**report.as_json(), "dead_lettered": {k: v for k, v in dead.items() if v}}
    if args.json:
        print(json.dumps(document, indent=2))
        return 0
    print(
        f"undelivered {report.undelivered}  delivered {report.delivered}"
        f"  refused {report.rejected_by_ministry}"
    )
    if report.by_domain:
        print(f"{'domain':<18} {'pending':>8} {'blocked':>8} {'<1h':>6} {'1-24h':>6} {'>24h':>6}")
        for domain, c in sorted(report.by_domain.items()):
            print(
                f"{domain:<18} {c.get('pending', 0):>8} {c.get('blocked', 0):>8} {c.get('under_1h', 0):>6}"
                f" {c.get('1h_to_24h', 0):>6} {c.get('over_24h', 0):>6}"
            )
        print(f"oldest undelivered: {report.oldest_age_s // 60} min")
    for name, count in document["dead_lettered"].items():
        print(f"dead-lettered in {name}: {count} (sikas-sync redrive --queue {name})")
    return 0


def cmd_redrive(args: argparse.Namespace) -> int:
    target = resolve_target(args)
    queues = target.queues()
    chosen = list(queues) if args.queue == "all" else [args.queue]
    unknown = [name for name in chosen if name not in queues]
    if unknown:
        raise TargetError(f"no queue {unknown[0]}; choose from: all, {', '.join(queues)}")
    sqs = target.client("sqs")
    moved = {name: redrive(sqs, queues[name], args.limit) for name in chosen}
    if args.json:
        print(json.dumps({"moved": moved}, indent=2))
    else:
        for name, count in moved.items():
            if count or args.queue != "all":
                print(f"{name}: {count} messages moved back from its DLQ")
    return 0


def _depth(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])[
        "Attributes"
    ]
    return int(attributes["ApproximateNumberOfMessages"])


def cmd_local_stack(args: argparse.Namespace) -> int:
    """The embedded stack kept running, dispatching like Lambda and scheduling the sweep, until Ctrl-C."""
    from ..embedded import EmbeddedStack
    from .run import credentials_from_env

    state: Path = args.state
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
        print(
            f"embedded stack up: AWS endpoint {target.endpoint_url}, bucket {target.bucket}", file=sys.stderr
        )
        print(f"ministry: {stack.ministry_url}; state file: {state}; Ctrl-C stops", file=sys.stderr)
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
    print("embedded stack stopped", file=sys.stderr)
    return 0
