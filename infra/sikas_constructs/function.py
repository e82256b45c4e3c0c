"""The one way this app makes a Lambda function: from a FunctionPlan, with its own role and logs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Aws, Duration, RemovalPolicy, Size
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from sikas_sync.resources import FunctionPlan, ResourcePlan

from .layers import ARCHITECTURE, ASSET_EXCLUDES, RUNTIME, SharedLayers
from .nag import acknowledge
from .naming import tag_plan_name
from .storage import Tables, env_var

FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"
HANDLER = "handler.lambda_handler"  # functions/<name>/handler.py
METRICS_NAMESPACE = "SikasSync"
LOG_RETENTION = logs.RetentionDays.ONE_YEAR

# Item-level reads and writes, as the adapters use them; no scans, queries or deletes.
TABLE_READ = ["dynamodb:GetItem", "dynamodb:BatchGetItem"]
TABLE_READ_WRITE = [*TABLE_READ, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"]


@dataclass(frozen=True)
class Shared:
    """What every function of the stack is built with or may be granted."""

    plan: ResourcePlan
    key: kms.IKey
    layers: SharedLayers
    bucket: s3.IBucket
    tables: Tables
    hmac_secret: secretsmanager.ISecret

    def environment(self, push_queue: sqs.IQueue) -> dict[str, str]:
        """The variables sikas_sync.config.FunctionSettings requires of every function."""
        return {
            "REGION_CODE": self.plan.region_code,
            "INBOX_BUCKET": self.bucket.bucket_name,
            **{env_var(field): table.table_name for field, table in self.tables.by_field.items()},
            "PUSH_QUEUE_URL": push_queue.queue_url,
            "HMAC_SECRET_NAME": self.plan.hmac_secret_name,
            "MAX_FILE_BYTES": str(self.plan.max_file_bytes),
        }

    def key_use(self, services: Sequence[str]) -> iam.PolicyStatement:
        """The data key, only as used through the given services on the function's behalf."""
        return iam.PolicyStatement(
            sid="UseDataKeyThroughServices",
            actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            resources=[self.key.key_arn],
            conditions={
                "StringEquals": {
                    "kms:ViaService": [f"{service}.{Aws.REGION}.amazonaws.com" for service in services]
                }
            },
        )

    @staticmethod
    def read_secret(secret: secretsmanager.ISecret) -> iam.PolicyStatement:
        # Not secret.grant_read: that also names the role in the key policy, this needs key_use only.
        return iam.PolicyStatement(
            sid=f"ReadSecret{secret.node.id}",
            actions=["secretsmanager:GetSecretValue"],
            resources=[secret.secret_arn],
        )

    @staticmethod
    def table_read_write(*tables: dynamodb.ITable) -> iam.PolicyStatement:
        return iam.PolicyStatement(
            sid="ReadWriteTableItems",
            actions=TABLE_READ_WRITE,
            resources=[table.table_arn for table in tables],
        )

    def own_lease(self, lease_name: str) -> iam.PolicyStatement:
        """Its own lease in the locks table only (sikas_sync.leases): take and give back."""
        return iam.PolicyStatement(
            sid="TakeOwnLease",
            actions=["dynamodb:UpdateItem"],
            resources=[self.tables["locks_table"].table_arn],
            conditions={"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [lease_name]}},
        )

    @staticmethod
    def table_read(*tables: dynamodb.ITable) -> iam.PolicyStatement:
        return iam.PolicyStatement(
            sid="ReadTableItems", actions=TABLE_READ, resources=[table.table_arn for table in tables]
        )


class PlannedFunction(Construct):
    """Function + role + KMS-encrypted log group; the role starts with nothing but its own logs."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        plan: FunctionPlan,
        shared: Shared,
        environment: Mapping[str, str],
        invoked_by_schedule: bool = False,
        invoked_by_operator: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        self.plan = plan
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            log_group_name=shared.plan.log_group_name(plan),
            retention=LOG_RETENTION,
            encryption_key=shared.key,
            removal_policy=RemovalPolicy.RETAIN,  # the audit trail outlives a redeployment
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"sikas-sync {plan.name}: only what this function uses",
        )
        # Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): this group only.
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="WriteOwnLogGroup",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],
            )
        )
        self.function = lambda_.Function(
            self,
            "Function",
            function_name=shared.plan.function_name(plan),
            description=f"sikas-sync {plan.name}",
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            code=lambda_.Code.from_asset(str(FUNCTIONS_DIR / plan.handler_dir), exclude=ASSET_EXCLUDES),
            handler=HANDLER,
            layers=shared.layers.all,
            timeout=Duration.seconds(plan.timeout_s),
            memory_size=plan.memory_mb,
            ephemeral_storage_size=Size.mebibytes(plan.ephemeral_storage_mb),
            # No reserved concurrency: single-flight work holds a lease instead (sikas_sync.leases).
            role=self.role,
            log_group=self.log_group,
            tracing=lambda_.Tracing.ACTIVE,
            environment={
                **environment,
                "POWERTOOLS_SERVICE_NAME": plan.name,
                "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
                "POWERTOOLS_LOGGER_LOG_EVENT": "false",  # events carry object keys and record ids
            },
        )
        tag_plan_name(self.function, plan.name)
        acknowledge(
            self.role,
            {
                "AwsSolutions-IAM5[Resource::*]": (
                    "Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no "
                    "resource-level permissions, AWS allows them only on Resource *."
                ),
            },
        )
        if invoked_by_operator:
            acknowledge(
                self.function,
                {
                    "Serverless-LambdaDLQ": (
                        "Only an operator's command invokes this function, synchronously: the operator "
                        "gets the error and runs the request again, an asynchronous DLQ would stay empty."
                    ),
                },
            )
            return
        if invoked_by_schedule:
            acknowledge(
                self.function,
                {
                    "Serverless-LambdaDLQ": (
                        "Only its EventBridge Scheduler schedule invokes this function; its work is "
                        "idempotent and the next scheduled run redoes it, a failed run alarms on the "
                        "function's Errors metric instead of resting in a DLQ nobody replays."
                    ),
                },
            )
            return
        acknowledge(
            self.function,
            {
                "Serverless-LambdaDLQ": (
                    "Only its SQS event source mapping invokes this function (synchronously); failed "
                    "messages go to the source queue's redrive DLQ, an async DLQ would never be used."
                ),
                "Serverless-LambdaEventSourceMappingDestination": (
                    "SQS event source mappings support no on-failure destination; the source queue's "
                    "redrive policy moves a message to its DLQ after maxReceiveCount receives."
                ),
            },
        )

    def add_to_role_policy(self, *statements: iam.PolicyStatement) -> None:
        for statement in statements:
            self.role.add_to_principal_policy(statement)
