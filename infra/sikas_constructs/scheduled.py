"""The scheduled functions of the plan (sweep, reconcile, report, outbox), each on its EventBridge
Scheduler schedule in WIB, each with only the permissions its use case needs."""

from __future__ import annotations

import jsii
from aws_cdk import Aws, Duration, TimeZone
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from sikas_sync.config import delivery_environment
from sikas_sync.leases import function_lease_name
from sikas_sync.resources import (
    FILES_BY_DAY_INDEX,
    OUTBOX_PREFIX,
    OUTBOX_RESULTS_PREFIX,
    RECONCILIATION_PREFIX,
    RECORDS_BY_DOMAIN_INDEX,
    SMDATA_PREFIX,
    UNDELIVERED_INDEX,
    IndexPlan,
    ScheduledPlan,
)

from .function import PlannedFunction, Shared
from .nag import acknowledge
from .naming import logical_id_of
from .queues import dead_end_queue
from .storage import INBOX_BUCKET_LOGICAL_ID

# A schedule that fires while the previous run still goes is not retried over and over: the next
# run on the schedule does the same idempotent work anyway.
RETRY_ATTEMPTS = 2
MAX_EVENT_AGE = Duration.hours(1)
# Scheduler invokes Lambda asynchronously; Lambda would retry a failed run twice more on its own, a
# 15-minute reconcile or outbox run silently tripled. No Lambda retry: the next scheduled run does
# the same idempotent work, and a failed event goes to the failures queue, whose depth is alarmed.
ASYNC_RETRY_ATTEMPTS = 0


def _query(table: dynamodb.ITable, index: IndexPlan, sid: str) -> iam.PolicyStatement:
    """Query of one index only: the scheduled runs read what the index holds, never the whole table."""
    return iam.PolicyStatement(
        sid=sid, actions=["dynamodb:Query"], resources=[f"{table.table_arn}/index/{index.name}"]
    )


@jsii.implements(lambda_.IDestination)
class QueueDestination:
    """An SQS on-failure destination that grants nothing itself: ScheduledFunction grants exactly
    what Lambda needs to put a failed event into the queue."""

    def __init__(self, queue: sqs.IQueue) -> None:
        self.queue = queue

    def bind(
        self, scope: Construct, fn: lambda_.IFunction, *, type: lambda_.DestinationType | None = None
    ) -> lambda_.DestinationConfig:
        return lambda_.DestinationConfig(destination=self.queue.queue_arn)


class ScheduledFunction(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        plan: ScheduledPlan,
        shared: Shared,
        push_queue: sqs.IQueue,
        ministry_secret: secretsmanager.ISecret,
        ministry_url: str,
        failures: sqs.IQueue,
    ) -> None:
        super().__init__(scope, construct_id)
        self.plan = plan
        self.function = PlannedFunction(
            self,
            "Function",
            plan=plan.function,
            shared=shared,
            environment={
                **shared.environment(push_queue),
                **delivery_environment(
                    shared.plan.delivery,
                    ministry_url,
                    shared.plan.ministry_secret_name,
                    concurrency=1,  # one run at a time: it holds its lease (sikas_sync.leases)
                ),
            },
            invoked_by_schedule=True,
        )
        self.function.add_to_role_policy(shared.own_lease(function_lease_name(plan.function.name)))
        self.function.function.configure_async_invoke(
            retry_attempts=ASYNC_RETRY_ATTEMPTS,
            # An event older than one period is superseded by the next run on the schedule.
            max_event_age=Duration.seconds(max(60, min(plan.every_s, int(MAX_EVENT_AGE.to_seconds())))),
            on_failure=QueueDestination(failures),
        )
        # A failed event encrypted into the failures queue: these two actions only, not the grant
        # SqsDestination makes (Encrypt, ReEncrypt*, GenerateDataKey* on the key).
        self.function.role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="SendFailedRunToFailuresQueue",
                actions=["sqs:SendMessage"],
                resources=[failures.queue_arn],
            )
        )
        self.function.role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="EncryptFailedRunThroughSqs",
                actions=["kms:GenerateDataKey", "kms:Decrypt"],
                resources=[shared.key.key_arn],
                conditions={"StringEquals": {"kms:ViaService": f"sqs.{Aws.REGION}.amazonaws.com"}},
            )
        )
        # Our own role, so only schedules of this account can use it (confused-deputy guard); the
        # target grants it lambda:InvokeFunction on this function.
        self.invoker = iam.Role(
            self,
            "InvokerRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}}
            ),
            description=f"EventBridge Scheduler invokes sikas-sync {plan.function.name}",
        )
        self.schedule = scheduler.Schedule(
            self,
            "Schedule",
            description=f"sikas-sync {plan.function.name}: {plan.schedule} in {plan.timezone}",
            schedule=scheduler.ScheduleExpression.expression(plan.schedule, TimeZone.of(plan.timezone)),
            target=targets.LambdaInvoke(
                self.function.function,
                retry_attempts=RETRY_ATTEMPTS,
                max_event_age=MAX_EVENT_AGE,
                role=self.invoker,
            ),
        )
        function_id = logical_id_of(self.function.function)
        acknowledge(
            self.invoker,
            {
                f"AwsSolutions-IAM5[Resource::<{function_id}.Arn>:*]": (
                    "Lambda's grantInvoke names the function and its versions (`:*`); the schedule "
                    "invokes this one function, no other resource."
                ),
            },
        )


class Scheduled(Construct):
    """Builds every ScheduledPlan and grants each what its use case touches."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        shared: Shared,
        push_queue: sqs.IQueue,
        ministry_secret: secretsmanager.ISecret,
        ministry_url: str,
    ) -> None:
        super().__init__(scope, construct_id)
        plan = shared.plan
        self.failures = dead_end_queue(
            self,
            "Failures",
            key=shared.key,
            name=plan.scheduled_failures_queue,
            retention_s=plan.scheduled_failures_retention_s,
            why=(
                "The on-failure destination of the scheduled functions, the end of their chain: a "
                "failed run waits here to be inspected (alarmed); the next scheduled run redoes it."
            ),
        )
        acknowledge(
            self.failures,
            {
                "AwsSolutions-SQS3": (
                    "This queue is itself the dead end of the scheduled functions' async invocations "
                    "(their on-failure destination), alarmed on depth; it has no queue to fail over to."
                ),
            },
        )
        self.by_name: dict[str, ScheduledFunction] = {}
        for scheduled in plan.scheduled:
            self.by_name[scheduled.function.name] = ScheduledFunction(
                self,
                scheduled.function.name.capitalize(),
                plan=scheduled,
                shared=shared,
                push_queue=push_queue,
                ministry_secret=ministry_secret,
                ministry_url=ministry_url,
                failures=self.failures,
            )
        self._grant_sweep(shared, push_queue)
        self._grant_reconcile(shared, ministry_secret)
        self._grant_report(shared, ministry_secret)
        self._grant_outbox(shared)

    def _grant_sweep(self, shared: Shared, push_queue: sqs.IQueue) -> None:
        function = self.by_name[shared.plan.sweep.function.name]
        bucket, tables = shared.bucket, shared.tables
        function.function.add_to_role_policy(
            _query(tables["records_table"], UNDELIVERED_INDEX, "QueryUndeliveredRecords"),
            # Each undelivered record's delivery state, the breaker's item and the settled counts, by key.
            shared.table_read(tables["deliveries_table"]),
            # A stray export is rejected through the ingest use case: ledger entry and report.
            shared.table_read_write(tables["files_table"]),
            iam.PolicyStatement(
                sid="RequeueUndelivered",
                actions=["sqs:SendMessage", "sqs:GetQueueAttributes"],
                resources=[push_queue.queue_arn],
            ),
            iam.PolicyStatement(
                sid="FindStrayExports", actions=["s3:ListBucket"], resources=[bucket.bucket_arn]
            ),
            iam.PolicyStatement(
                sid="ReadStrayExportsAndReports",
                actions=["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
                resources=[bucket.arn_for_objects("*")],
            ),
            # The outbox is for SIKAS and the admins (natural keys in clear): never for the sweep,
            # which skips the pipeline's own prefixes anyway.
            iam.PolicyStatement(
                sid="NeverTheOutbox",
                effect=iam.Effect.DENY,
                actions=["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
                resources=[bucket.arn_for_objects(f"{OUTBOX_PREFIX}*")],
            ),
            shared.key_use(["s3", "sqs", "dynamodb", "secretsmanager"]),
        )
        function.function.add_to_role_policy(shared.read_secret(shared.hmac_secret))
        acknowledge(
            function.function.role,
            {
                f"AwsSolutions-IAM5[Resource::<{INBOX_BUCKET_LOGICAL_ID}.Arn>/*]": (
                    "The sweep looks for exports under any prefix that is no domain (S3 announces only "
                    "the domain prefixes), reads their head and writes their report next to them."
                ),
            },
        )

    def _grant_reconcile(self, shared: Shared, ministry_secret: secretsmanager.ISecret) -> None:
        function = self.by_name[shared.plan.reconcile.function.name]
        bucket, tables = shared.bucket, shared.tables
        function.function.add_to_role_policy(
            iam.PolicyStatement(
                sid="CompareAndImportRecords",
                # UpdateItem: an imported record, marked delivered, leaves the undelivered index.
                actions=[
                    "dynamodb:GetItem",
                    "dynamodb:BatchGetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                ],
                resources=[tables["records_table"].table_arn],
            ),
            _query(tables["records_table"], RECORDS_BY_DOMAIN_INDEX, "QueryDomainRecords"),
            shared.table_read_write(tables["deliveries_table"], tables["files_table"]),
            iam.PolicyStatement(
                sid="WriteReconciliationReports",
                actions=["s3:GetObject", "s3:PutObject"],
                resources=[bucket.arn_for_objects(f"{RECONCILIATION_PREFIX}*")],
            ),
            shared.key_use(["s3", "dynamodb", "secretsmanager"]),
        )
        function.function.add_to_role_policy(shared.read_secret(ministry_secret))
        function.function.add_to_role_policy(shared.read_secret(shared.hmac_secret))
        acknowledge(
            function.function.role,
            {
                f"AwsSolutions-IAM5[Resource::<{INBOX_BUCKET_LOGICAL_ID}.Arn>/{RECONCILIATION_PREFIX}*]": (
                    "Reconciliation reports are written under a new dated key every day."
                ),
            },
        )

    def _grant_report(self, shared: Shared, ministry_secret: secretsmanager.ISecret) -> None:
        function = self.by_name[shared.plan.report.function.name]
        bucket, tables = shared.bucket, shared.tables
        function.function.add_to_role_policy(
            _query(tables["records_table"], RECORDS_BY_DOMAIN_INDEX, "AggregateRecords"),
            iam.PolicyStatement(
                sid="KeepReportCopies",
                actions=["s3:PutObject"],
                resources=[bucket.arn_for_objects(f"{SMDATA_PREFIX}*")],
            ),
            shared.key_use(["s3", "dynamodb", "secretsmanager"]),
        )
        function.function.add_to_role_policy(shared.read_secret(ministry_secret))
        acknowledge(
            function.function.role,
            {
                f"AwsSolutions-IAM5[Resource::<{INBOX_BUCKET_LOGICAL_ID}.Arn>/{SMDATA_PREFIX}*]": (
                    "SMData report copies are written under a new key per period and template."
                ),
            },
        )

    def _grant_outbox(self, shared: Shared) -> None:
        function = self.by_name[shared.plan.outbox.function.name]
        bucket, tables = shared.bucket, shared.tables
        records, deliveries, files = (
            tables["records_table"],
            tables["deliveries_table"],
            tables["files_table"],
        )
        function.function.add_to_role_policy(
            iam.PolicyStatement(
                sid="ReadRecords",
                actions=["dynamodb:BatchGetItem"],
                resources=[records.table_arn],
            ),
            _query(records, RECORDS_BY_DOMAIN_INDEX, "QueryDomainRecords"),
            iam.PolicyStatement(
                sid="ReadDeliveryStates",
                actions=["dynamodb:BatchGetItem"],
                resources=[deliveries.table_arn],
            ),
            # Uploads processed since the last run (the ledger), and the run's own watermark items.
            iam.PolicyStatement(
                sid="ProcessedUploadsAndWatermarks",
                actions=["dynamodb:GetItem", "dynamodb:PutItem"],
                resources=[files.table_arn],
            ),
            _query(files, FILES_BY_DAY_INDEX, "QueryUploadsByDay"),
            # A results file that does not exist (an upload from before the outbox) must read as
            # missing: a listing of that key (sikas_sync.adapters.s3_missing), results prefix only.
            iam.PolicyStatement(
                sid="TellMissingResults",
                actions=["s3:ListBucket"],
                resources=[bucket.bucket_arn],
                conditions={"StringLike": {"s3:prefix": [f"{OUTBOX_RESULTS_PREFIX}*"]}},
            ),
            iam.PolicyStatement(
                sid="RewriteResultsFiles",
                actions=["s3:GetObject"],
                resources=[bucket.arn_for_objects(f"{OUTBOX_RESULTS_PREFIX}*")],
            ),
            iam.PolicyStatement(
                sid="WriteOutboxFiles",
                actions=["s3:PutObject"],
                resources=[bucket.arn_for_objects(f"{OUTBOX_PREFIX}*")],
            ),
            shared.key_use(["s3", "dynamodb"]),
        )
        acknowledge(
            function.function.role,
            {
                f"AwsSolutions-IAM5[Resource::<{INBOX_BUCKET_LOGICAL_ID}.Arn>/{OUTBOX_PREFIX}*]": (
                    "Outbox files are written under a new dated key per domain every day, and the "
                    "results file of every upload under a key derived from the upload's key."
                ),
                f"AwsSolutions-IAM5[Resource::<{INBOX_BUCKET_LOGICAL_ID}.Arn>/{OUTBOX_RESULTS_PREFIX}*]": (
                    "The results file of each upload is read back to fill in its records' delivery "
                    "status; its key is derived from the upload's key, so only the prefix is known."
                ),
            },
        )
