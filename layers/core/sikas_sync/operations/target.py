"""Which stack an admin command talks to: a deployed one (CloudFormation outputs) or the embedded one
(the state file `sikas-sync local-stack` writes). Both give the same names, so commands are the same."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

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

    def to_state(self) -> dict[str, Any]:
        return asdict(self)

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


def from_state_file(path: Path) -> StackTarget:
    if not path.is_file():
        raise TargetError(f"{path}: no embedded stack state; start one with `sikas-sync local-stack`")
    try:
        return StackTarget.from_state(json.loads(path.read_text(encoding="utf-8")))
    except (KeyError, TypeError, ValueError) as error:
        raise TargetError(f"{path}: not a state file written by `sikas-sync local-stack` ({error})") from None


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
