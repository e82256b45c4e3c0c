"""Admin commands on a running stack: `local-stack`, `pending`, `redrive`.

The parser parts import nothing heavy; the commands import boto3 and the operations when they run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

from .arguments import DEFAULT_STATE_FILE, add_region_code, positive_int
from .errors import UsageError
from .messages import number, t

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
    AWS_DEFAULT_REGION or profile), or the embedded one of the state file, once its local-stack is
    known to run (operations.target.from_state_file: a stale file is said so at once)."""
    from ..operations import target as stack_target

    if args.stack:
        region = args.aws_region or os.environ.get("AWS_REGION") or None
        return stack_target.from_cloudformation(args.stack, region)
    state: Path = args.embedded or DEFAULT_STATE_FILE
    if state.is_dir():
        raise UsageError("is_a_directory", t("error.is_a_directory", path=state))
    if not state.is_file() and args.embedded is None:
        raise stack_target.TargetError(t("target.no_stack"), code="no_stack")
    try:
        return stack_target.from_state_file(state)
    except stack_target.TargetError as problem:
        raise stack_target.TargetError(_state_problem(problem, state), code=problem.code) from None


def _state_problem(problem: Any, state: Path) -> str:
    """A state file's TargetError (English, operations/target.py) in the operator's language."""
    if problem.code == "local_stack_not_running":
        return t("target.local_stack_not_running", path=state, pid=problem.details.get("pid", "-"))
    if problem.code == "no_stack":
        return t("target.state_missing", path=state)
    return t("target.state_invalid", path=state)


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
    add_region_code(local)
    local.add_argument("--ministry-url", metavar="URL", help=t("help.ministry_url"))
    local.add_argument("--verbose", action="store_true", help=t("help.verbose"))


class _Stop(BaseException):
    """SIGINT, SIGTERM or SIGHUP while the stack dispatches. The signal handler raises it wherever the main
    thread is, inside an invocation too: that invocation is abandoned as Lambda abandons one at its
    timeout (its message comes back after the visibility timeout; the `finally` blocks on the way out
    release the domain's lease). A BaseException: the functions' `except Exception` must not take it
    for a failure of their own and go on."""


class _Signals:
    """SIGINT, SIGTERM and SIGHUP (the terminal closed) for local-stack's lifetime: noted whenever
    they come, raised as _Stop only while armed (the dispatch loop), never during start-up or
    shutdown, which must run to their end. The handlers before are restored on exit."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.armed = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Signals:
        wanted = [signal.SIGINT, signal.SIGTERM]
        if hasattr(signal, "SIGHUP"):  # not on Windows
            wanted.append(signal.SIGHUP)
        for signum in wanted:
            # An ignored SIGINT or SIGHUP stays ignored, as Python leaves it: a background job of a
            # script, `nohup`. SIGTERM is how anything asks a service to stop.
            if signum != signal.SIGTERM and signal.getsignal(signum) is signal.SIG_IGN:
                continue
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *_: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is None:
            self.received = signum
        if self.armed:
            self.armed = False  # once: a second signal must not cut short the unwinding
            raise _Stop


def cmd_local_stack(args: argparse.Namespace) -> int:
    """The embedded stack kept running, dispatching like Lambda and scheduling the sweep, until
    SIGINT, SIGTERM or SIGHUP; says how to reach it, and each uploaded file as it is processed."""
    from ..embedded import EmbeddedStack
    from ..operations.target import StateOwner
    from .run import credentials_from_env

    state: Path = args.state
    if state.is_dir():
        raise UsageError("is_a_directory", t("error.is_a_directory", path=state))
    _refuse_a_running_owner(state)
    owner = StateOwner.current()
    left: tuple[int, int] | None = None
    with _Signals() as signals, contextlib.ExitStack() as resources:
        log = sys.stderr if args.verbose else resources.enter_context(open(os.devnull, "w", encoding="utf-8"))
        with EmbeddedStack(
            region_code=args.region_code,
            log=log,
            ministry_url=args.ministry_url,
            ministry_credentials=credentials_from_env(),
        ) as stack:
            try:
                try:
                    if signals.received is None:  # else stopped during start-up: no stack to offer
                        _offer(stack, state, owner)
                    signals.armed = True
                    _dispatch(stack, signals)
                finally:
                    signals.armed = False
            except _Stop:
                pass  # the way local-stack is meant to end
            finally:
                left = _left_behind(stack)
                _remove_state(state, owner)
    print(t("local.stopped"), file=sys.stderr)
    if left is not None:
        for line in left_behind_text(*left):
            print(line, file=sys.stderr)
    return 0


def _offer(stack: Any, state: Path, owner: Any) -> None:
    """The state file for admin commands, how to reach the stack on stderr, a line per file from now."""
    target = stack.target()
    _write_state(state, target.to_state(owner))
    text = startup_text(target, state=state, ministry_url=stack.ministry_url, pid=owner.pid)
    print(text, file=sys.stderr, flush=True)
    stack.dispatcher.on_batch = FileReporter(stack)


def _dispatch(stack: Any, signals: _Signals) -> None:
    """What Lambda's event source mappings and EventBridge Scheduler do, until a signal comes."""
    # EventBridge Scheduler's part: each scheduled function on its (scaled) period.
    periods = {s.function.name: s.every_s for s in stack.plan.scheduled}
    due = {name: time.monotonic() + every for name, every in periods.items()}
    while signals.received is None:  # a signal during start-up: no loop at all
        ingest_idle = stack.run_ingest(0.5)
        delivery_idle = stack.run_delivery(0.5)
        for name, when in due.items():
            if time.monotonic() >= when:
                stack.run_scheduled(name)  # a failure: in the log and the failures queue
                due[name] = time.monotonic() + periods[name]
        if ingest_idle and delivery_idle:  # a pause only when nothing waits, not between batches
            time.sleep(0.2)


def _refuse_a_running_owner(state: Path) -> None:
    """Two local-stacks on one state file would each take the other's admin commands, and the first
    to stop would remove the file under the other."""
    from ..operations.target import TargetError, owner_running, read_state_file

    if not state.is_file():
        return
    try:
        target, owner = read_state_file(state)
    except TargetError:
        return  # not a state file of ours: overwritten
    if owner is not None and owner_running(target, owner):
        raise UsageError("local_stack_running", t("local.already_running", path=state, pid=owner.pid))


def _write_state(path: Path, document: dict[str, Any]) -> None:
    # Renamed into place: an admin command reading it meanwhile sees the whole file or none.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(document, indent=2), encoding="utf-8")
    os.replace(partial, path)


def _remove_state(path: Path, owner: Any) -> None:
    """The state file, unless another local-stack has written its own there since."""
    from ..operations.target import TargetError, read_state_file

    try:
        _, written_by = read_state_file(path)
    except TargetError:
        return  # gone already, or no longer a state file: not ours to remove
    if written_by == owner:
        path.unlink(missing_ok=True)


def _left_behind(stack: Any) -> tuple[int, int] | None:
    """Messages still in the ingest queues (one uploaded file each) and in the push queue (one record
    each) when the stack stops; None if the emulator does not say (the stop goes on regardless).
    A client of its own, one try and short timeouts: the stack's may have been cut off mid-request."""
    import boto3
    from botocore.config import Config

    if stack.resources is None:
        return None
    config = Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 1})
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    try:
        sqs: Any = boto3.client("sqs", config=config)  # the emulator's endpoint and keys: the stack's env

        def depth(url: str) -> int:
            found = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
            return sum(int(found.get(name, 0)) for name in names)

        files = sum(depth(queue.url) for queue in stack.resources.ingest_queues.values())
        return files, depth(stack.resources.push_queue.url)
    except Exception:  # a summary only; never a reason not to stop
        return None


def left_behind_text(files: int, records: int) -> list[str]:
    """What a stop abandoned. The embedded stack keeps nothing once stopped (the emulator and the
    stand-in ministry live in memory, and the emulator starts empty): nothing is resumed later."""
    if not files and not records:
        return [t("local.left_nothing")]
    lines = [t("local.left_files", count=number(files))] if files else []
    if records:
        lines.append(t("local.left_records", count=number(records)))
    lines.append(t("local.left_not_kept"))
    return lines


# The example upload: a file name as SIKAS exports it, into its domain's folder.
EXAMPLE_FILE, EXAMPLE_DOMAIN = "pencari_kerja_2025-03.csv", "pencari_kerja"


def startup_text(target: StackTarget, *, state: Path, ministry_url: str, pid: int) -> str:
    """How to reach the running stack: endpoint, credentials and region, bucket, state file, and
    commands to copy (an upload with the AWS CLI, then `status` on this stack)."""
    # Without IAM checks the emulator accepts any keys; these are what admin commands sign with.
    key_id = target.access_key_id or "embedded"
    secret = target.secret_access_key or "embedded"
    region = target.aws_region or ""
    endpoint = target.endpoint_url or ""
    environment = " ".join(
        f"{name}={shlex.quote(value)}"
        for name, value in (
            ("AWS_ACCESS_KEY_ID", key_id),
            ("AWS_SECRET_ACCESS_KEY", secret),
            ("AWS_DEFAULT_REGION", region),
        )
    )
    upload = (
        f"{environment} aws --endpoint-url {shlex.quote(endpoint)} s3 cp {EXAMPLE_FILE} "
        f"{shlex.quote(f's3://{target.bucket}/{EXAMPLE_DOMAIN}/')}"
    )
    lines = [
        t("local.up", pid=pid),
        t("local.endpoint", endpoint=endpoint),
        t("local.credentials", key_id=key_id, secret=secret, region=region),
        t("local.bucket", bucket=target.bucket),
        t("local.ministry", url=ministry_url),
        t("local.state", state=state),
        t("local.example_upload"),
        f"  {upload}",
        t("local.example_status"),
        f"  sikas-sync status --embedded {shlex.quote(str(state))}",
        t("local.files_follow"),
    ]
    return "\n".join(lines)


class FileReporter:
    """One line on stderr per uploaded file when its ingest invocation ends (the dispatcher's
    on_batch): counts and reason codes only, never a row (rows are personal data). A processed file
    is reported once, from its ledger entry, however often its event comes; a file waiting for its
    domain's lease, when it is processed; a failed attempt, each time."""

    def __init__(self, stack: Any, out: IO[str] | None = None) -> None:
        assert stack.resources is not None
        self._db = stack.clients["dynamodb"]
        self._table: str = stack.resources.files_table
        # Ingest functions, with the receives after which their queue dead-letters a message.
        self._limits = {plan.function.name: plan.queue.max_receive_count for plan in stack.plan.ingest}
        self._reported: set[str] = set()
        self._out = out

    def __call__(self, mapping: Any, messages: list[dict[str, Any]], failed: set[str]) -> None:
        limit = self._limits.get(mapping.function_name)
        if limit is None:
            return  # the push function: records, not files
        for message in messages:
            for ref in _objects(message.get("Body", "")):
                if message["MessageId"] in failed:
                    attempt = int(message.get("Attributes", {}).get("ApproximateReceiveCount", 1))
                    self._say(file_failed_line(ref.key, attempt, limit))
                elif ref.file_id not in self._reported:
                    summary = self._summary(ref.file_id)
                    if summary is not None:  # else it waits for its domain's lease: reported later
                        self._reported.add(ref.file_id)
                        self._say(file_done_line(ref.key, summary))

    def _summary(self, file_id: str) -> dict[str, Any] | None:
        item = self._db.get_item(
            TableName=self._table, Key={"file_id": {"S": file_id}}, ConsistentRead=True
        ).get("Item", {})
        if item.get("status", {}).get("S") != "done":
            return None
        summary: dict[str, Any] = json.loads(item["summary"]["S"])
        return summary

    def _say(self, line: str) -> None:
        print(line, file=self._out or sys.stderr, flush=True)


def _objects(body: str) -> list[Any]:
    """The objects an S3 notification names (none in S3's test event, or in a body not S3's)."""
    from urllib.parse import unquote_plus

    from ..ingest.ports import ObjectRef

    try:
        records = json.loads(body).get("Records", [])
        return [
            ObjectRef(
                record["s3"]["bucket"]["name"],
                unquote_plus(record["s3"]["object"]["key"]),  # S3 URL-encodes keys in events
                record["s3"]["object"].get("versionId"),
            )
            for record in records
        ]
    except (AttributeError, KeyError, TypeError, ValueError):
        return []


def _printable(key: str) -> str:
    # An object key is any UTF-8: a control character in it must not drive the operator's terminal.
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in key)


def file_done_line(key: str, summary: dict[str, Any]) -> str:
    if summary.get("status") == "rejected":
        return t("local.file_rejected", key=_printable(key), reason=summary.get("reason_code") or "-")
    return t(
        "local.file_processed",
        key=_printable(key),
        rows=number(int(summary.get("rows", 0))),
        valid=number(int(summary.get("valid", 0))),
        rejected=number(int(summary.get("rejected", 0))),
    )


def file_failed_line(key: str, attempt: int, limit: int) -> str:
    if attempt >= limit:  # SQS moves it to the DLQ on its next receive
        return t("local.file_dead", key=_printable(key), attempt=attempt)
    return t("local.file_failed", key=_printable(key), attempt=attempt, limit=limit)
