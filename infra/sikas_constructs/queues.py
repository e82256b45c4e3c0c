"""A queue and its dead-letter queue, exactly as a QueuePlan of the resource plan says; S3 → queue."""

from __future__ import annotations

import jsii
from aws_cdk import Aws, Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from aws_cdk.interfaces.aws_s3 import IBucketRef
from constructs import Construct

from sikas_sync.resources import QueuePlan

from .nag import acknowledge
from .naming import tag_plan_name


def dead_end_queue(
    scope: Construct, construct_id: str, *, key: kms.IKey, name: str, retention_s: int, why: str
) -> sqs.Queue:
    """A KMS-encrypted, TLS-only queue at the end of a failure chain (a DLQ, an on-failure
    destination): nothing redrives from it, so cdk-nag's redrive findings are acknowledged with `why`."""
    queue = sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=key,
        enforce_ssl=True,
        retention_period=Duration.seconds(retention_s),
    )
    tag_plan_name(queue, name)
    acknowledge(queue, {"Serverless-SQSRedrivePolicy": why})
    return queue


class PlannedQueue(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, plan: QueuePlan, key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        self.plan = plan
        self.dlq = dead_end_queue(
            self,
            "Dlq",
            key=key,
            name=plan.dlq_name,
            retention_s=plan.dlq_retention_s,
            why=(
                "This is a dead-letter queue, the end of the redrive chain: its messages wait here "
                f"({plan.dlq_retention_s // 86400} days) to be inspected and redriven, not forwarded."
            ),
        )
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            visibility_timeout=Duration.seconds(plan.visibility_timeout_s),
            retention_period=Duration.seconds(plan.retention_s),
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dlq, max_receive_count=plan.max_receive_count),
        )
        tag_plan_name(self.queue, plan.name)


@jsii.implements(s3.IBucketNotificationDestination)
class QueueNotificationTarget:
    """S3 → this queue, allowed by the queue policy for this bucket only.

    Unlike aws_s3_notifications.SqsDestination it grants S3 nothing on the key: that grant names
    the bucket in the key policy, and with the bucket encrypted by the same key that is a circular
    dependency. The key's own policy lets S3 encrypt messages (security.DataKey).
    """

    def __init__(self, queue: sqs.IQueue, bucket: s3.IBucket) -> None:
        self._queue = queue
        self._bucket = bucket

    def bind(self, scope: Construct, bucket: IBucketRef) -> s3.BucketNotificationDestinationConfig:
        self._queue.add_to_resource_policy(
            iam.PolicyStatement(
                sid="S3NotificationsFromTheInbox",
                principals=[iam.ServicePrincipal("s3.amazonaws.com")],
                actions=["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
                resources=[self._queue.queue_arn],
                # S3's documented confused-deputy guard: this bucket, owned by this account.
                conditions={
                    "ArnLike": {"aws:SourceArn": self._bucket.bucket_arn},
                    "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
                },
            )
        )
        policy = self._queue.node.find_child("Policy")  # the sqs.QueuePolicy made just above
        # S3 checks it can send when the notification is configured: the queue policy must exist.
        return s3.BucketNotificationDestinationConfig(
            arn=self._queue.queue_arn,
            type=s3.BucketNotificationDestinationType.QUEUE,
            dependencies=[policy],
        )
