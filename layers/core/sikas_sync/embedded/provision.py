"""Creates on the emulator exactly what the CDK app defines, read from the same resource plan."""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from ..resources import QueuePlan, ResourcePlan, TablePlan

BUCKET_NAME = "sikas-sync-inbox"


@dataclass
class QueueHandle:
    plan: QueuePlan
    url: str
    arn: str
    dlq_url: str
    dlq_arn: str


@dataclass
class Provisioned:
    bucket: str
    records_table: str
    deliveries_table: str
    files_table: str
    locks_table: str
    push_queue: QueueHandle
    ingest_queues: dict[str, QueueHandle] = field(default_factory=dict)  # by domain
    hmac_secret_name: str = ""
    scheduled_failures_url: str = ""


def _queue(sqs: Any, plan: QueuePlan) -> QueueHandle:
    dlq_url = sqs.create_queue(
        QueueName=plan.dlq_name, Attributes={"MessageRetentionPeriod": str(plan.dlq_retention_s)}
    )["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    url = sqs.create_queue(
        QueueName=plan.name,
        Attributes={
            "VisibilityTimeout": str(plan.visibility_timeout_s),
            "MessageRetentionPeriod": str(plan.retention_s),
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": plan.max_receive_count}
            ),
        },
    )["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return QueueHandle(plan, url, arn, dlq_url, dlq_arn)


def _table(dynamodb: Any, plan: TablePlan) -> str:
    attributes = {plan.partition_key: "S"}
    indexes: list[dict[str, Any]] = []
    for index in plan.indexes:
        attributes |= {index.partition_key: "S", index.sort_key: "N"}
        indexes.append(
            {
                "IndexName": index.name,
                "KeySchema": [
                    {"AttributeName": index.partition_key, "KeyType": "HASH"},
                    {"AttributeName": index.sort_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(index.projected)}
                if index.projected
                else {"ProjectionType": "ALL"},
            }
        )
    dynamodb.create_table(
        TableName=plan.name,
        KeySchema=[{"AttributeName": plan.partition_key, "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": kind} for name, kind in attributes.items()
        ],
        BillingMode="PAY_PER_REQUEST",
        **({"GlobalSecondaryIndexes": indexes} if indexes else {}),
    )
    if plan.ttl_attribute:
        dynamodb.update_time_to_live(
            TableName=plan.name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": plan.ttl_attribute},
        )
    return plan.name


def provision(
    plan: ResourcePlan, clients: dict[str, Any], region: str, ministry_credentials: tuple[str, str]
) -> Provisioned:
    s3, sqs, dynamodb, secretsmanager = (
        clients["s3"],
        clients["sqs"],
        clients["dynamodb"],
        clients["secretsmanager"],
    )
    s3.create_bucket(Bucket=BUCKET_NAME, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_versioning(Bucket=BUCKET_NAME, VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(
        Bucket=BUCKET_NAME,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    done = Provisioned(
        bucket=BUCKET_NAME,
        records_table=_table(dynamodb, plan.records_table),
        deliveries_table=_table(dynamodb, plan.deliveries_table),
        files_table=_table(dynamodb, plan.files_table),
        locks_table=_table(dynamodb, plan.locks_table),
        push_queue=_queue(sqs, plan.push_queue),
        scheduled_failures_url=sqs.create_queue(
            QueueName=plan.scheduled_failures_queue,
            Attributes={"MessageRetentionPeriod": str(plan.scheduled_failures_retention_s)},
        )["QueueUrl"],
    )
    notifications = []
    for ingest in plan.ingest:
        handle = _queue(sqs, ingest.queue)
        done.ingest_queues[ingest.domain] = handle
        notifications.append(
            {
                "Id": ingest.function.name,
                "QueueArn": handle.arn,
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": ingest.prefix}]}},
            }
        )
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET_NAME, NotificationConfiguration={"QueueConfigurations": notifications}
    )
    key = base64.b64encode(secrets.token_bytes(32)).decode()  # a fresh record-id key per embedded stack
    secretsmanager.create_secret(Name=plan.hmac_secret_name, SecretString=key)
    done.hmac_secret_name = plan.hmac_secret_name
    client_id, client_secret = ministry_credentials
    secretsmanager.create_secret(
        Name=plan.ministry_secret_name,
        SecretString=json.dumps({"client_id": client_id, "client_secret": client_secret}),
    )
    return done
