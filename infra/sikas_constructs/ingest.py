"""The ingest path, one slice per domain of the plan: prefix filter → queue (+DLQ) → ingest-<domain>."""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from aws_cdk.aws_lambda_event_sources import SqsEventSource
from constructs import Construct

from sikas_sync.adapters.dynamodb_records import record_pk
from sikas_sync.config import ingest_environment
from sikas_sync.leases import ingest_lease_name
from sikas_sync.resources import OUTBOX_RESULTS_PREFIX, QUARANTINE_PREFIX, REPORTS_PREFIX, IngestPlan

from .function import TABLE_READ_WRITE, PlannedFunction, Shared
from .nag import acknowledge
from .queues import PlannedQueue, QueueNotificationTarget
from .storage import INBOX_BUCKET_LOGICAL_ID


def own_records(domain: str) -> str:
    """The `dynamodb:LeadingKeys` pattern of one domain's records items (`<domain>#<record_id>`)."""
    return record_pk(domain, "*")


class DomainIngest(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, plan: IngestPlan, shared: Shared, push_queue: sqs.IQueue
    ) -> None:
        super().__init__(scope, construct_id)
        self.plan = plan
        self.queue = PlannedQueue(self, "Queue", plan=plan.queue, key=shared.key)
        self.function = PlannedFunction(
            self,
            "Ingest",
            plan=plan.function,
            shared=shared,
            environment={
                **shared.environment(push_queue),
                **ingest_environment(plan, self.queue.queue.queue_url),
            },
        )
        shared.bucket.add_event_notification(
            s3.EventType.OBJECT_CREATED,
            QueueNotificationTarget(self.queue.queue, shared.bucket),
            s3.NotificationKeyFilter(prefix=plan.prefix),
        )
        self.function.function.add_event_source(
            SqsEventSource(
                self.queue.queue,
                batch_size=plan.function.batch_size,
                report_batch_item_failures=True,
                max_concurrency=plan.function.max_concurrency,
            )
        )
        bucket = shared.bucket
        self.function.add_to_role_policy(
            iam.PolicyStatement(
                sid="ReadOwnDomainExports",
                actions=["s3:GetObject", "s3:GetObjectVersion"],
                resources=[bucket.arn_for_objects(f"{plan.prefix}*")],
            ),
            # Telling a deleted export (or version) from a forbidden one: a listing of that key
            # (sikas_sync.adapters.s3_missing), under the domain's own prefix only.
            iam.PolicyStatement(
                sid="TellMissingObjects",
                actions=["s3:ListBucket", "s3:ListBucketVersions"],
                resources=[bucket.bucket_arn],
                conditions={"StringLike": {"s3:prefix": [f"{plan.prefix}*"]}},
            ),
            iam.PolicyStatement(
                sid="WriteOwnReportsAndQuarantine",
                actions=["s3:PutObject", "s3:AbortMultipartUpload"],
                resources=[
                    bucket.arn_for_objects(f"{REPORTS_PREFIX}{plan.prefix}*"),
                    bucket.arn_for_objects(f"{QUARANTINE_PREFIX}{plan.prefix}*"),
                    # Each upload's row-by-row results for SIKAS (sikas_sync.outbox.results).
                    bucket.arn_for_objects(f"{OUTBOX_RESULTS_PREFIX}{plan.prefix}*"),
                ],
            ),
            # Records of its own domain only (every records key starts with `<domain>#`), and the
            # files ledger (keyed bucket/key#version); the deliveries table belongs to push alone.
            iam.PolicyStatement(
                sid="ReadWriteOwnDomainRecords",
                actions=TABLE_READ_WRITE,
                resources=[shared.tables["records_table"].table_arn],
                conditions={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [own_records(plan.domain)]}},
            ),
            shared.table_read_write(shared.tables["files_table"]),
            iam.PolicyStatement(
                sid="QueueChangedRecords", actions=["sqs:SendMessage"], resources=[push_queue.queue_arn]
            ),
            # A file waiting for the domain's lease goes back to this queue, delayed.
            iam.PolicyStatement(
                sid="SendWaitingFileBack", actions=["sqs:SendMessage"], resources=[self.queue.queue.queue_arn]
            ),
            shared.own_lease(ingest_lease_name(plan.domain)),
            shared.key_use(["s3", "sqs", "dynamodb", "secretsmanager"]),
        )
        self.function.add_to_role_policy(shared.read_secret(shared.hmac_secret))
        acknowledge(
            self.function.role,
            {
                f"AwsSolutions-IAM5[Resource::<{INBOX_BUCKET_LOGICAL_ID}.Arn>/{prefix}*]": reason
                for prefix, reason in (
                    (
                        plan.prefix,
                        "S3 object ARNs under the domain's own prefix: exports arrive under new keys",
                    ),
                    (
                        REPORTS_PREFIX + plan.prefix,
                        "the domain's reports, written under keys derived from each export's key",
                    ),
                    (
                        QUARANTINE_PREFIX + plan.prefix,
                        "the domain's quarantined rows, written under keys derived from each export's key",
                    ),
                    (
                        OUTBOX_RESULTS_PREFIX + plan.prefix,
                        "the domain's row-by-row results for SIKAS, keys derived from each export's key",
                    ),
                )
            },
        )


class Ingest(Construct):
    """Everything per domain comes from looping over the plan: nine domains, one definition."""

    def __init__(
        self, scope: Construct, construct_id: str, *, shared: Shared, push_queue: sqs.IQueue
    ) -> None:
        super().__init__(scope, construct_id)
        self.domains = {
            plan.domain: DomainIngest(self, plan.domain, plan=plan, shared=shared, push_queue=push_queue)
            for plan in shared.plan.ingest
        }
