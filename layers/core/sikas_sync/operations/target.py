"""Which stack an admin command talks to: a deployed one (CloudFormation outputs) or the embedded one
(the state file `sikas-sync local-stack` writes). Both give the same names, so commands are the same."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3

from ..domains import DOMAINS

DEFAULT_STATE_FILE = Path(".sikas-sync/embedded.json")


class TargetError(RuntimeError):
    """The stack cannot be found or does not describe itself as expected.

    `code` is the stable error code the command line reports (`--json`); `key` names the message
    (`target.<key>` in cli/messages.py) and `details` its fields, for the operator's language. The
    exception's own text is the English message.
    """

    def __init__(
        self, message: str, *, code: str = "stack_error", key: str | None = None, **details: str
    ) -> None:
        super().__init__(message)
        self.code = code
        self.key = key
        self.details = details


@dataclass(frozen=True)
class QueuePair:
    url: str
    dlq_url: str


@dataclass(frozen=True)
class StackTarget:
    region_code: str
    bucket: str
    records_table: str
    deliveries_table: str
    files_table: str
    push: QueuePair
    ingest: dict[str, QueuePair] = field(default_factory=dict)
    endpoint_url: str | None = None  # the emulator's, for the embedded stack
    aws_region: str | None = None
    erase_function: str | None = None  # a deployed stack's erase function (older stacks have none)
    ministry_url: str | None = None  # the embedded stack's ministry, which `erase --embedded` calls
    # The emulator's operator keys when it checks IAM (EmbeddedStack(iam_template=...)); else any do.
    access_key_id: str | None = None
    secret_access_key: str | None = None

    def client(self, service: str) -> Any:
        if self.endpoint_url:  # the emulator's own keys: an operator's shell may have none
            return boto3.client(  # type: ignore[call-overload]
                service,
                endpoint_url=self.endpoint_url,
                region_name=self.aws_region,
                aws_access_key_id=self.access_key_id or "embedded",
                aws_secret_access_key=self.secret_access_key or "embedded",
            )
        return boto3.client(service, region_name=self.aws_region)  # type: ignore[call-overload]

    def queues(self) -> dict[str, QueuePair]:
        return {"push": self.push, **{f"ingest-{domain}": pair for domain, pair in self.ingest.items()}}

    def to_state(self, owner: StateOwner | None = None) -> dict[str, Any]:
        """The state file's document; `owner`, the local-stack process serving the stack, lets a
        reader tell a file left behind by a process that has ended (from_state_file)."""
        state = asdict(self)
        if owner is not None:
            state["owner"] = owner.as_json()
        return state

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> StackTarget:
        return cls(
            region_code=data["region_code"],
            bucket=data["bucket"],
            records_table=data["records_table"],
            deliveries_table=data["deliveries_table"],
            files_table=data["files_table"],
            push=QueuePair(**data["push"]),
            ingest={domain: QueuePair(**pair) for domain, pair in data["ingest"].items()},
            endpoint_url=data.get("endpoint_url"),
            aws_region=data.get("aws_region"),
            erase_function=data.get("erase_function"),
            ministry_url=data.get("ministry_url"),
            access_key_id=data.get("access_key_id"),
            secret_access_key=data.get("secret_access_key"),
        )


@dataclass(frozen=True)
class StateOwner:
    """The `local-stack` process that wrote a state file. The file outlives it when that process is
    killed (SIGKILL, a closed terminal, a reboot): a reader checks the owner instead of letting
    botocore retry a dead endpoint for half a minute."""

    pid: int
    # The process's start (Linux: clock ticks since boot, /proc/<pid>/stat); None where unknown.
    # A PID is reused after its process ends; the same PID with another start is another process.
    started: int | None = None

    @classmethod
    def current(cls) -> StateOwner:
        pid = os.getpid()
        found = _proc_stat(pid)
        return cls(pid, found[1] if found else None)

    @classmethod
    def from_json(cls, data: Any) -> StateOwner:
        pid, started = data["pid"], data.get("started")
        # pid 0 and negative pids name process groups to os.kill: never a state file's owner.
        if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
            raise ValueError("owner.pid must be a positive integer")
        if started is not None and (not isinstance(started, int) or isinstance(started, bool)):
            raise ValueError("owner.started must be an integer")
        return cls(pid, started)

    def as_json(self) -> dict[str, Any]:
        return {"pid": self.pid, "started": self.started}

    def alive(self) -> bool:
        """Whether the owner still runs; answers from the process table alone, at once."""
        if os.name == "nt":
            return True  # os.kill(pid, 0) terminates there; the endpoint check decides alone
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # it exists, as another user's process: the start time below tells whose
        except (OSError, OverflowError):
            return False
        found = _proc_stat(self.pid)
        if found is None:
            return True  # no /proc (macOS): the PID is all there is to go on
        state, started = found
        if state == "Z":
            return False  # ended, not yet reaped by its parent
        return self.started is None or started == self.started


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """A process's state letter and start time from /proc/<pid>/stat; None without /proc."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # Field 2, the command name, is in parentheses and may itself hold spaces and parentheses:
    # the fields after its last ")" are fixed, field 3 (state) first and field 22 (starttime) 20th.
    try:
        fields = text[text.rindex(")") + 2 :].split()
        return fields[0], int(fields[19])
    except (IndexError, ValueError):
        return None


# Long enough for a loaded machine to accept a connection on loopback, short enough that an admin
# command on a stale state file answers at once.
ENDPOINT_CHECK_S = 0.5


def endpoint_answers(url: str, timeout_s: float = ENDPOINT_CHECK_S) -> bool:
    """Whether something accepts a TCP connection at the URL's host and port (one try, no retries)."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    if not parts.hostname:
        return False
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def read_state_file(path: Path) -> tuple[StackTarget, StateOwner | None]:
    """The stack a state file names and the process that wrote it (None in a file that names none:
    one written by a test, or by an older local-stack). Nothing is checked against the world."""
    if not path.is_file():
        raise TargetError(
            f"{path}: no embedded stack state; start one with `sikas-sync local-stack`",
            code="no_stack",
            path=str(path),
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        target = StackTarget.from_state(data)
        owner = StateOwner.from_json(data["owner"]) if data.get("owner") is not None else None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise TargetError(
            f"{path}: not a state file written by `sikas-sync local-stack` ({error})",
            code="state_file_invalid",
            path=str(path),
        ) from None
    return target, owner


def owner_running(target: StackTarget, owner: StateOwner) -> bool:
    """The owner process is alive (at once, from the process table) and, when it is, its endpoint
    accepts a connection (a PID reused by another program, or a stack that is shutting down)."""
    if not owner.alive():
        return False
    return target.endpoint_url is None or endpoint_answers(target.endpoint_url)


def from_state_file(path: Path) -> StackTarget:
    """The embedded stack of a state file, once its local-stack is known to run: a file left behind
    by one that has ended is `local_stack_not_running`, said at once, without a network retry.

    The errors' codes are `no_stack`, `state_file_invalid` and `local_stack_not_running`, with the
    path (and the PID) as details; the command line words them (cli/admin.resolve_target)."""
    target, owner = read_state_file(path)
    if owner is not None and not owner_running(target, owner):
        raise TargetError(
            f"local-stack is not running: {path} was left behind by a local-stack that has ended "
            f"(PID {owner.pid}); start `sikas-sync local-stack` again",
            code="local_stack_not_running",
            path=str(path),
            pid=str(owner.pid),
        )
    return target


# CloudFormation output names the CDK app declares (infra/): one place for both sides.
OUTPUT_BUCKET = "InboxBucketName"
OUTPUT_RECORDS = "RecordsTableName"
OUTPUT_DELIVERIES = "DeliveriesTableName"
OUTPUT_FILES = "FilesTableName"
OUTPUT_PUSH_QUEUE = "PushQueueUrl"
OUTPUT_PUSH_DLQ = "PushDlqUrl"
OUTPUT_REGION_CODE = "RegionCode"
OUTPUT_ERASE_FUNCTION = "EraseFunctionName"


def ingest_output_names(domain: str) -> tuple[str, str]:
    camel = "".join(part.capitalize() for part in domain.split("_"))
    return f"IngestQueueUrl{camel}", f"IngestDlqUrl{camel}"


def required_outputs() -> list[str]:
    """Every output `from_cloudformation` reads (the erase function's is optional)."""
    names = [
        OUTPUT_REGION_CODE,
        OUTPUT_BUCKET,
        OUTPUT_RECORDS,
        OUTPUT_DELIVERIES,
        OUTPUT_FILES,
        OUTPUT_PUSH_QUEUE,
        OUTPUT_PUSH_DLQ,
    ]
    return names + [name for domain in DOMAINS for name in ingest_output_names(domain.slug)]


def from_cloudformation(stack_name: str, aws_region: str | None = None) -> StackTarget:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        cfn = boto3.client("cloudformation", region_name=aws_region)
    except (ClientError, BotoCoreError) as error:
        raise aws_problem(error, stack_name=stack_name, region=aws_region) from None
    try:
        stacks = cfn.describe_stacks(StackName=stack_name)["Stacks"]
    except (ClientError, BotoCoreError) as error:
        raise aws_problem(error, stack_name=stack_name, region=cfn.meta.region_name) from None
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    missing = [name for name in required_outputs() if name not in outputs]
    if missing:
        listed = ", ".join(missing)
        raise TargetError(
            f"stack {stack_name!r} lacks the outputs {listed}: is it a sikas-sync stack, deployed from "
            "this version?",
            code="stack_outputs_missing",
            key="stack_outputs_missing",
            stack=stack_name,
            outputs=listed,
        )
    ingest = {}
    for domain in DOMAINS:
        queue, dlq = ingest_output_names(domain.slug)
        ingest[domain.slug] = QueuePair(outputs[queue], outputs[dlq])
    return StackTarget(
        region_code=outputs[OUTPUT_REGION_CODE],
        bucket=outputs[OUTPUT_BUCKET],
        records_table=outputs[OUTPUT_RECORDS],
        deliveries_table=outputs[OUTPUT_DELIVERIES],
        files_table=outputs[OUTPUT_FILES],
        push=QueuePair(outputs[OUTPUT_PUSH_QUEUE], outputs[OUTPUT_PUSH_DLQ]),
        ingest=ingest,
        aws_region=aws_region,
        erase_function=outputs.get(OUTPUT_ERASE_FUNCTION),
    )


# AWS error codes that mean the credentials themselves were refused (expired, unknown, mis-signed).
_REFUSED_CREDENTIALS = frozenset(
    {
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
        "RequestExpired",
    }
)
_ACCESS_DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})


def aws_problem(error: Exception, *, stack_name: str | None = None, region: str | None = None) -> TargetError:
    """A botocore error as a TargetError that names the fix: the region, the credentials or profile,
    the stack name. Never with a traceback: these are the operator's configuration, not bugs."""
    from botocore.exceptions import ClientError

    if isinstance(error, ClientError):
        return _refused(error, stack_name, region)
    return _not_configured(error)


def _not_configured(error: Exception) -> TargetError:
    from botocore.exceptions import (
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        PartialCredentialsError,
        ProfileNotFound,
    )

    if isinstance(error, NoRegionError):
        return TargetError(
            "no AWS region: give --aws-region REGION, or set AWS_REGION (e.g. ap-southeast-3, Jakarta)",
            code="aws_config",
            key="aws_no_region",
        )
    if isinstance(error, PartialCredentialsError):
        provider, missing = str(error.kwargs.get("provider", "-")), str(error.kwargs.get("cred_var", "-"))
        return TargetError(
            f"incomplete AWS credentials: {provider} lacks {missing}; complete them, or use AWS_PROFILE",
            code="aws_config",
            key="aws_partial_credentials",
            provider=provider,
            missing=missing,
        )
    if isinstance(error, NoCredentialsError):
        return TargetError(
            "no AWS credentials: set AWS_PROFILE (then `aws sso login --profile NAME`), or "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            code="aws_config",
            key="aws_no_credentials",
        )
    if isinstance(error, ProfileNotFound):
        profile = str(error.kwargs.get("profile", "-"))
        return TargetError(
            f"AWS profile {profile!r} not found: check AWS_PROFILE "
            "(list them: `aws configure list-profiles`)",
            code="aws_config",
            key="aws_profile_not_found",
            profile=profile,
        )
    if isinstance(error, EndpointConnectionError):
        endpoint = str(error.kwargs.get("endpoint_url", "-"))
        return TargetError(
            f"cannot reach {endpoint}: check the network, or for --embedded whether "
            "`sikas-sync local-stack` still runs",
            code="aws_unreachable",
            key="aws_unreachable",
            endpoint=endpoint,
        )
    name = type(error).__name__
    return TargetError(
        f"AWS error ({name}): {error}",
        code="aws_error",
        key="aws_error",
        aws_code=name,
        aws_message=str(error),
    )


def _refused(error: Any, stack_name: str | None, region: str | None) -> TargetError:
    """A ClientError: the stack not found, the credentials or the access refused, or another error."""
    details = error.response.get("Error", {})
    aws_code, aws_message = str(details.get("Code", "-")), str(details.get("Message", ""))
    if stack_name is not None and aws_code == "ValidationError" and "does not exist" in aws_message:
        return TargetError(
            f"stack {stack_name!r} does not exist in region {region or '-'}: check the stack name "
            "(--stack) and the region (--aws-region or AWS_REGION)",
            code="stack_not_found",
            key="stack_not_found",
            stack=stack_name,
            region=region or "-",
        )
    if aws_code in _REFUSED_CREDENTIALS:
        return TargetError(
            f"AWS refused the credentials ({aws_code}): renew them (e.g. `aws sso login`) or check "
            "AWS_PROFILE",
            code="aws_config",
            key="aws_credentials_refused",
            aws_code=aws_code,
        )
    if aws_code in _ACCESS_DENIED:
        return TargetError(
            f"AWS denied access ({aws_code}): this identity may not do it; use the sikas-sync admin "
            f"profile (AWS_PROFILE). AWS said: {aws_message}",
            code="aws_access_denied",
            key="aws_access_denied",
            aws_code=aws_code,
            aws_message=aws_message,
        )
    return TargetError(
        f"AWS error ({aws_code}): {aws_message}",
        code="aws_error",
        key="aws_error",
        aws_code=aws_code,
        aws_message=aws_message,
    )
