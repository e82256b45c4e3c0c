"""The customer-managed key every store is encrypted with, and the two secrets."""

from __future__ import annotations

import json
from collections.abc import Sequence

from aws_cdk import ArnFormat, Aws, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from .nag import acknowledge
from .naming import pin_logical_id, tag_plan_name

MINISTRY_CLIENT_ID_PLACEHOLDER = "replace-with-the-ministry-issued-client-id"
HMAC_KEY_LENGTH = 64  # alphanumeric characters: valid base64 of a 48-byte key (config needs >= 32 bytes)


class DataKey(Construct):
    """One CMK (rotated yearly by KMS) for the bucket, tables, queues, DLQs, secrets and log groups."""

    def __init__(self, scope: Construct, construct_id: str, *, log_group_names: Sequence[str]) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.key = kms.Key(
            self,
            "Key",
            description="sikas-sync: encrypts the inbox, tables, queues, secrets and function logs",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,  # without it nothing encrypted with it can be read
        )
        pin_logical_id(self.key, "DataKey")
        # CloudWatch Logs encrypts with the key itself, only for the functions' own log groups.
        log_group_arns = [
            stack.format_arn(
                service="logs",
                resource="log-group",
                resource_name=name,
                arn_format=ArnFormat.COLON_RESOURCE_NAME,
            )
            for name in log_group_names
        ]
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchLogsForTheFunctionLogGroups",
                principals=[iam.ServicePrincipal(f"logs.{Aws.REGION}.amazonaws.com")],
                actions=[
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncryptFrom",
                    "kms:ReEncryptTo",
                    "kms:GenerateDataKey",
                    "kms:GenerateDataKeyWithoutPlaintext",
                    "kms:DescribeKey",
                ],
                resources=["*"],  # in a key policy "*" is this key
                conditions={"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group_arns}},
            )
        )
        # S3 event notifications into the KMS-encrypted ingest queues, as AWS documents it, for
        # buckets of this account only (S3 calls KMS as its service principal on the bucket owner's
        # behalf, with aws:SourceAccount in the request: the confused-deputy guard). The bucket's
        # ARN cannot be named here: the bucket is encrypted with this key (a dependency cycle).
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="S3NotificationsIntoEncryptedQueues",
                principals=[iam.ServicePrincipal("s3.amazonaws.com")],
                actions=["kms:GenerateDataKey", "kms:Decrypt"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
            )
        )


class Secrets(Construct):
    """The record-id HMAC key and the ministry's client credentials, KMS-encrypted."""

    def __init__(
        self, scope: Construct, construct_id: str, *, key: kms.IKey, hmac_name: str, ministry_name: str
    ) -> None:
        super().__init__(scope, construct_id)
        self.hmac_key = secretsmanager.Secret(
            self,
            "RecordIdKey",
            secret_name=hmac_name,
            description="sikas-sync: HMAC key of the pseudonymous record ids (base64)",
            encryption_key=key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=HMAC_KEY_LENGTH,
                exclude_punctuation=True,  # letters and digits only: a valid base64 text
                include_space=False,
            ),
            removal_policy=RemovalPolicy.RETAIN,  # losing it would re-key every record id
        )
        pin_logical_id(self.hmac_key, "RecordIdKeySecret")
        tag_plan_name(self.hmac_key, hmac_name)
        acknowledge(
            self.hmac_key,
            {
                "AwsSolutions-SMG4": (
                    "The record-id HMAC key is not rotated automatically: a new key changes every "
                    "pseudonymous record_id, so it is replaced only by the documented re-keying procedure."
                )
            },
        )
        self.ministry_client = secretsmanager.Secret(
            self,
            "MinistryClient",
            secret_name=ministry_name,
            description=(
                "sikas-sync: OAuth2 client credentials issued by the Ministry of Manpower "
                '({"client_id": ..., "client_secret": ...}); the generated value is a placeholder'
            ),
            encryption_key=key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=json.dumps({"client_id": MINISTRY_CLIENT_ID_PLACEHOLDER}),
                generate_string_key="client_secret",
                exclude_punctuation=True,
                include_space=False,
            ),
            removal_policy=RemovalPolicy.RETAIN,  # holds the real credentials once operators set them
        )
        pin_logical_id(self.ministry_client, "MinistryClientSecret")
        tag_plan_name(self.ministry_client, ministry_name)
        acknowledge(
            self.ministry_client,
            {
                "AwsSolutions-SMG4": (
                    "The ministry issues these client credentials; rotation is the manual documented "
                    "procedure of putting the newly issued pair into the secret (no rotation Lambda can "
                    "obtain one)."
                )
            },
        )
