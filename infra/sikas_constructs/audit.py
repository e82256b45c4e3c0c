"""The audit trail an auditor can read: CloudTrail data events of the inbox bucket (who put or read
which export, with the caller's identity) and of the erase function (who asked for an erasure).

Data events only, in this region only: the account's own trail already records management events
(who changed a key, a policy, a role) for every region, and a second copy of them would be paid for
again in every regency's stack (and a region holds at most 5 trails). With context
`audit_trail=existing` the stack makes no trail at all and the account's trail takes the two data
event selectors (docs/OPERATIONS.md).

Log files are encrypted with the data key and signed (log file validation: a changed or deleted file
is detected by `aws cloudtrail validate-logs`), kept in their own bucket, and also delivered to an
encrypted log group, where Logs Insights answers questions during a breach investigation.
"Which records went to the ministry when, under which request id" is in the deliveries table
(`status`, `delivered_version`, `ministry_ref`, `request_id`, `updated_at` per record).
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Aws, RemovalPolicy, Stack
from aws_cdk import aws_cloudtrail as cloudtrail
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from .naming import pin_logical_id
from .retention import Retention, expire_all

TRAIL_LOGS_RETENTION = logs.RetentionDays.ONE_YEAR


def trail_name(stack: Stack) -> str:
    # A fixed name: the key policy names the trail's ARN, which must not depend on the trail itself.
    return f"{stack.stack_name}-audit"


class AuditTrail(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        key: kms.IKey,
        inbox: s3.IBucket,
        access_logs: s3.IBucket,
        audited_functions: Sequence[lambda_.IFunction],
        retention: Retention,
        log_group_name: str,  # ResourcePlan.trail_log_group_name: one per regency
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        name = trail_name(stack)
        trail_arn = stack.format_arn(service="cloudtrail", resource="trail", resource_name=name)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=key,
            bucket_key_enabled=True,
            enforce_ssl=True,
            versioned=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="audit-trail/",
            lifecycle_rules=expire_all(retention.audit_trail_days, retention),
            removal_policy=RemovalPolicy.RETAIN,
        )
        pin_logical_id(self.bucket, "AuditTrailBucket")
        self._let_cloudtrail_use(key, trail_arn)
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            log_group_name=log_group_name,
            retention=TRAIL_LOGS_RETENTION,
            encryption_key=key,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.trail = cloudtrail.Trail(
            self,
            "Trail",
            trail_name=name,
            bucket=self.bucket,
            encryption_key=key,
            enable_file_validation=True,
            is_multi_region_trail=False,  # the inbox and the function live in this region
            include_global_service_events=False,  # management events: the account's trail
            management_events=cloudtrail.ReadWriteType.NONE,
            send_to_cloud_watch_logs=True,
            cloud_watch_log_group=self.log_group,
        )
        self.trail.node.add_dependency(key)
        pin_logical_id(self.trail, "AuditTrail")
        self.trail.add_s3_event_selector(
            [cloudtrail.S3EventSelector(bucket=inbox)],
            read_write_type=cloudtrail.ReadWriteType.ALL,  # reads too: an export read by whom?
            include_management_events=False,
        )
        if audited_functions:
            self.trail.add_lambda_event_selector(
                list(audited_functions),
                read_write_type=cloudtrail.ReadWriteType.ALL,
                include_management_events=False,
            )

    def _let_cloudtrail_use(self, key: kms.IKey, trail_arn: str) -> None:
        """The key policy statements AWS documents for a trail encrypted with a customer key."""
        source = {"StringEquals": {"aws:SourceArn": trail_arn}}
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudTrailEncryptsItsLogFiles",
                principals=[iam.ServicePrincipal("cloudtrail.amazonaws.com")],
                actions=["kms:GenerateDataKey*"],
                resources=["*"],  # in a key policy "*" is this key
                conditions={
                    **source,
                    "StringLike": {
                        "kms:EncryptionContext:aws:cloudtrail:arn": (
                            f"arn:{Aws.PARTITION}:cloudtrail:*:{Aws.ACCOUNT_ID}:trail/*"
                        )
                    },
                },
            )
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudTrailDescribesTheKey",
                principals=[iam.ServicePrincipal("cloudtrail.amazonaws.com")],
                actions=["kms:DescribeKey"],
                resources=["*"],
                conditions=source,
            )
        )
