"""The delivery path: push queue (+DLQ) → push function → the ministry's API."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk.aws_lambda_event_sources import SqsEventSource
from constructs import Construct

from sikas_sync.config import delivery_environment

from .function import PlannedFunction, Shared
from .queues import PlannedQueue

MAX_BATCHING_WINDOW = Duration.seconds(5)  # fill ministry batches (≤100) rather than send them thin


class Delivery(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        shared: Shared,
        ministry_secret: secretsmanager.ISecret,
        ministry_url: str,
    ) -> None:
        super().__init__(scope, construct_id)
        plan = shared.plan
        self.queue = PlannedQueue(self, "Queue", plan=plan.push_queue, key=shared.key)
        self.function = PlannedFunction(
            self,
            "Push",
            plan=plan.delivery.function,
            shared=shared,
            environment={
                **shared.environment(self.queue.queue),
                **delivery_environment(
                    plan.delivery,
                    ministry_url,
                    plan.ministry_secret_name,
                    concurrency=plan.delivery.function.max_concurrency or 1,
                ),
            },
        )
        # Consuming the queue (incl. ChangeMessageVisibility for backoff) is granted by the mapping.
        self.function.function.add_event_source(
            SqsEventSource(
                self.queue.queue,
                batch_size=plan.delivery.function.batch_size,
                max_batching_window=MAX_BATCHING_WINDOW,
                report_batch_item_failures=True,
                max_concurrency=plan.delivery.function.max_concurrency,
            )
        )
        # Reads the records ingest wrote; writes delivery states and the circuit breaker's item.
        self.function.add_to_role_policy(
            shared.table_read(shared.tables["records_table"]),
            # A settled version leaves the undelivered index (a conditional REMOVE of its marker).
            iam.PolicyStatement(
                sid="SettleRecords",
                actions=["dynamodb:UpdateItem"],
                resources=[shared.tables["records_table"].table_arn],
            ),
            shared.table_read_write(shared.tables["deliveries_table"]),
            shared.key_use(["dynamodb", "secretsmanager"]),
        )
        self.function.add_to_role_policy(shared.read_secret(ministry_secret))
