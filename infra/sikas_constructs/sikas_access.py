"""What the SIKAS side may do with the inbox bucket: put exports under the domain prefixes, read and
list `outbox/`, use the data key only through S3 for those objects. Nothing else.

A customer-managed policy, always; and, when the context names SIKAS's principal
(`-c sikas_principal_arn=arn:aws:iam::<account>:role/<name>`, optionally with
`-c sikas_external_id=...`), a role that principal assumes, holding only that policy. Without the
context the policy is attached by the account's admins to whatever identity SIKAS uses.

The outbox carries natural keys (NIKs) in clear: no other policy of this app allows reading it
(the sweep's role denies it explicitly, the outbox function only reads `outbox/results/` back).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aws_cdk import Aws, Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from sikas_sync.resources import OUTBOX_PREFIX

from .nag import acknowledge
from .storage import INBOX_BUCKET_LOGICAL_ID

CONTEXT_PRINCIPAL = "sikas_principal_arn"
CONTEXT_EXTERNAL_ID = "sikas_external_id"
PRINCIPAL_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(root|role/[\w+=,.@/-]+|user/[\w+=,.@/-]+)$")
ROLE_SESSION = Duration.hours(1)


class SikasAccessError(ValueError):
    pass


class SikasAccess(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        bucket: s3.IBucket,
        key: kms.IKey,
        domain_prefixes: Sequence[str],
        principal_arn: str | None = None,
        external_id: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        principal_arn = principal_arn or _context(self, CONTEXT_PRINCIPAL)
        external_id = external_id or _context(self, CONTEXT_EXTERNAL_ID)
        if principal_arn is not None and not PRINCIPAL_ARN.match(principal_arn):
            raise SikasAccessError(
                f"{CONTEXT_PRINCIPAL} {principal_arn!r} is not an IAM role, user or account root ARN"
            )
        if not domain_prefixes or any(not p.endswith("/") or p == OUTBOX_PREFIX for p in domain_prefixes):
            raise SikasAccessError("domain_prefixes must be the inbox's domain folders (`<domain>/`)")
        self.policy = iam.ManagedPolicy(
            self,
            "Policy",
            description=(
                "sikas-sync: SIKAS puts exports under the domain prefixes of the inbox and reads outbox/"
            ),
            statements=[
                iam.PolicyStatement(
                    sid="PutExportsUnderDomainPrefixes",
                    actions=["s3:PutObject"],
                    resources=[bucket.arn_for_objects(f"{prefix}*") for prefix in domain_prefixes],
                ),
                iam.PolicyStatement(
                    sid="ReadOutbox",
                    actions=["s3:GetObject"],
                    resources=[bucket.arn_for_objects(f"{OUTBOX_PREFIX}*")],
                ),
                iam.PolicyStatement(
                    sid="ListOutboxOnly",
                    actions=["s3:ListBucket"],
                    resources=[bucket.bucket_arn],
                    conditions={"StringLike": {"s3:prefix": [OUTBOX_PREFIX, f"{OUTBOX_PREFIX}*"]}},
                ),
                # PutObject needs a data key, GetObject (and multipart uploads) its decryption; only
                # as S3 asks for them, for objects of this bucket (its ARN is the context with
                # S3 Bucket Keys, the object's without).
                iam.PolicyStatement(
                    sid="UseDataKeyThroughS3",
                    actions=["kms:GenerateDataKey", "kms:Decrypt"],
                    resources=[key.key_arn],
                    conditions={
                        "StringEquals": {"kms:ViaService": f"s3.{Aws.REGION}.amazonaws.com"},
                        "StringLike": {
                            "kms:EncryptionContext:aws:s3:arn": [
                                bucket.bucket_arn,
                                bucket.arn_for_objects("*"),
                            ]
                        },
                    },
                ),
            ],
        )
        acknowledge(
            self.policy,
            {
                **{
                    f"AwsSolutions-IAM5[Resource::<{INBOX_BUCKET_LOGICAL_ID}.Arn>/{prefix}*]": (
                        "SIKAS puts each export under a new key of the domain's folder; the policy names "
                        "the folder, S3 object ARNs cannot name keys that do not exist yet."
                    )
                    for prefix in domain_prefixes
                },
                f"AwsSolutions-IAM5[Resource::<{INBOX_BUCKET_LOGICAL_ID}.Arn>/{OUTBOX_PREFIX}*]": (
                    "SIKAS reads the outbox files, written under new dated keys every day and a results "
                    "file per upload: only the outbox prefix is known in advance."
                ),
            },
        )
        self.role: iam.Role | None = None
        if principal_arn is not None:
            conditions = {"StringEquals": {"sts:ExternalId": external_id}} if external_id else None
            self.role = iam.Role(
                self,
                "Role",
                assumed_by=iam.ArnPrincipal(principal_arn).with_conditions(conditions or {}),
                description="sikas-sync: SIKAS uploads exports and reads the outbox (nothing else)",
                managed_policies=[self.policy],
                max_session_duration=ROLE_SESSION,
            )


def _context(scope: Construct, name: str) -> str | None:
    value = scope.node.try_get_context(name)
    return str(value).strip() or None if value not in (None, "") else None
