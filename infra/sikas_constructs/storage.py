"""Stateful storage: the inbox bucket (with its access-log bucket) and the DynamoDB tables."""

from __future__ import annotations

import dataclasses

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from sikas_sync.resources import INBOX_BUCKET_LOGICAL_ID, ResourcePlan, TablePlan

from .naming import pin_logical_id, tag_plan_name
from .retention import Retention, expire_all, inbox_rules

__all__ = ["INBOX_BUCKET_LOGICAL_ID", "Inbox", "Tables", "env_var", "planned_tables"]


class Inbox(Construct):
    """Where SIKAS puts its exports (`<domain>/...`) and ingest writes `reports/` and `quarantine/`.

    Every prefix expires as `retention` says (lifecycle rules); so do the access logs.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        key: kms.IKey,
        retention: Retention,
        domain_prefixes: list[str],
    ) -> None:
        super().__init__(scope, construct_id)
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            # S3 server access logging cannot deliver to a bucket encrypted with SSE-KMS. (cdk-nag
            # raises no finding for it, nor S1 for the log bucket itself: nothing to acknowledge.)
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=expire_all(retention.access_logs_days, retention),
            removal_policy=RemovalPolicy.RETAIN,
        )
        pin_logical_id(self.access_logs, "InboxAccessLogs")
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=key,
            bucket_key_enabled=True,  # one KMS data key per bucket, not one call per object
            enforce_ssl=True,
            versioned=True,  # each export version is its own ledger entry (file_id = key#version)
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="inbox/",
            lifecycle_rules=inbox_rules(retention, domain_prefixes),
            removal_policy=RemovalPolicy.RETAIN,
        )
        pin_logical_id(self.bucket, INBOX_BUCKET_LOGICAL_ID)


def planned_tables(plan: ResourcePlan) -> dict[str, TablePlan]:
    """Every table of the plan by its ResourcePlan field (`records_table`, `files_table`, ...)."""
    return {
        field.name: value
        for field in dataclasses.fields(plan)
        if isinstance(value := getattr(plan, field.name), TablePlan)
    }


def env_var(field_name: str) -> str:
    """`records_table` → `RECORDS_TABLE`, the variable sikas_sync.config reads the name from."""
    return field_name.upper()


class Tables(Construct):
    """Every table of the plan: on demand, PITR, the data key, kept when the stack goes."""

    def __init__(self, scope: Construct, construct_id: str, *, key: kms.IKey, plan: ResourcePlan) -> None:
        super().__init__(scope, construct_id)
        self.by_field = {
            field: self._table(table_plan, key, _logical_id(field))
            for field, table_plan in planned_tables(plan).items()
        }

    def __getitem__(self, field: str) -> dynamodb.Table:
        return self.by_field[field]

    def _table(self, plan: TablePlan, key: kms.IKey, logical_id: str) -> dynamodb.Table:
        table = dynamodb.Table(
            self,
            logical_id,
            partition_key=dynamodb.Attribute(name=plan.partition_key, type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=key,
            time_to_live_attribute=plan.ttl_attribute,
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for index in plan.indexes:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=dynamodb.Attribute(
                    name=index.partition_key, type=dynamodb.AttributeType.STRING
                ),
                sort_key=dynamodb.Attribute(name=index.sort_key, type=dynamodb.AttributeType.NUMBER),
                projection_type=dynamodb.ProjectionType.INCLUDE
                if index.projected
                else dynamodb.ProjectionType.ALL,
                non_key_attributes=list(index.projected) or None,
            )
        pin_logical_id(table, logical_id)
        tag_plan_name(table, plan.name)
        return table


def _logical_id(field: str) -> str:
    return "".join(part.capitalize() for part in field.split("_"))  # records_table → RecordsTable
