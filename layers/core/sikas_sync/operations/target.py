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
    """The stack cannot be found or does not describe itself as expected."""


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


def from_cloudformation(stack_name: str, aws_region: str | None = None) -> StackTarget:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        cfn = boto3.client("cloudformation", region_name=aws_region)
        stacks = cfn.describe_stacks(StackName=stack_name)["Stacks"]
    except (ClientError, BotoCoreError) as error:
        raise TargetError(f"stack {stack_name}: {error}") from None
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    try:
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
    except KeyError as missing:
        raise TargetError(f"stack {stack_name} has no output {missing}; is it a sikas-sync stack?") from None
