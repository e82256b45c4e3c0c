"""The delivery path: push queue (+DLQ) → push function → the ministry's API."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk.aws_lambda_event_sources import SqsEventSource
from constructs import Construct

from sikas_sync.resources import DeliveryPlan

from .function import PlannedFunction, Shared
from .queues import PlannedQueue

MAX_BATCHING_WINDOW = Duration.seconds(5)  # fill ministry batches (≤100) rather than send them thin


def delivery_environment(
    delivery: DeliveryPlan, ministry_url: str, ministry_secret_name: str
) -> dict[str, str]:
    env = {
        "MINISTRY_URL": ministry_url,
        "MINISTRY_SECRET_NAME": ministry_secret_name,
        "MINISTRY_TIMEOUT_S": str(delivery.ministry_timeout_s),
        "BACKOFF_BASE_S": str(delivery.backoff_base_s),
        "BACKOFF_CAP_S": str(delivery.backoff_cap_s),
        "BREAKER_FAILURES": str(delivery.breaker_failures),
        "BREAKER_RECOVERY_S": str(delivery.breaker_recovery_s),
        "SWEEP_STALE_AFTER_S": str(delivery.sweep_stale_after_s),
    }
    if delivery.ministry_rate_limit_per_s is not None:
        env["MINISTRY_RATE_LIMIT_PER_S"] = str(delivery.ministry_rate_limit_per_s)
    return env


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
                **delivery_environment(plan.delivery, ministry_url, plan.ministry_secret_name),
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
            shared.table_read_write(shared.tables["deliveries_table"]),
            shared.key_use(["dynamodb", "secretsmanager"]),
        )
        self.function.add_to_role_policy(shared.read_secret(ministry_secret))
