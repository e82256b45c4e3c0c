"""The erase function (UU 27/2022 erasure requests): invoked by an operator, never by an event source.

It may find and delete records items and delete delivery states (no other writes), read the two
secrets it needs (the record-id key, to compute a NIK's record id; the ministry's credentials, to
call DELETE), and write audit entries under `audit/erasure/` only.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from sikas_sync.config import delivery_environment
from sikas_sync.leases import function_lease_name
from sikas_sync.operations.erase import AUDIT_PREFIX
from sikas_sync.operations.erase_wiring import ERASE_FUNCTION
from sikas_sync.resources import RECORDS_BY_PERSON_INDEX

from .function import PlannedFunction, Shared
from .nag import acknowledge
from .storage import INBOX_BUCKET_LOGICAL_ID


class Erasure(Construct):
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
        self.function = PlannedFunction(
            self,
            "Erase",
            plan=ERASE_FUNCTION,
            shared=shared,
            environment={
                # The settings every function loads name the push queue; this one is granted nothing on it.
                **shared.environment(push_queue),
                **delivery_environment(
                    plan.delivery,
                    ministry_url,
                    plan.ministry_secret_name,
                    concurrency=1,  # one erasure at a time: it holds its lease (sikas_sync.leases)
                ),
            },
            invoked_by_operator=True,
        )
        records, deliveries = shared.tables["records_table"], shared.tables["deliveries_table"]
        self.function.add_to_role_policy(
            # A person's records through the by_person index (a keyed HMAC of the NIK), then by key.
            iam.PolicyStatement(
                sid="FindPersonRecords",
                actions=["dynamodb:Query"],
                resources=[f"{records.table_arn}/index/{RECORDS_BY_PERSON_INDEX.name}"],
            ),
            iam.PolicyStatement(
                sid="DeleteRecords", actions=["dynamodb:DeleteItem"], resources=[records.table_arn]
            ),
            iam.PolicyStatement(
                sid="DeleteDeliveryStates", actions=["dynamodb:DeleteItem"], resources=[deliveries.table_arn]
            ),
            iam.PolicyStatement(
                sid="WriteErasureAudit",
                actions=["s3:PutObject"],
                resources=[shared.bucket.arn_for_objects(f"{AUDIT_PREFIX}*")],
            ),
            shared.key_use(["s3", "dynamodb", "secretsmanager"]),
            shared.own_lease(function_lease_name(ERASE_FUNCTION.name)),
        )
        self.function.add_to_role_policy(shared.read_secret(ministry_secret))
        self.function.add_to_role_policy(shared.read_secret(shared.hmac_secret))
        acknowledge(
            self.function.role,
            {
                f"AwsSolutions-IAM5[Resource::<{INBOX_BUCKET_LOGICAL_ID}.Arn>/{AUDIT_PREFIX}*]": (
                    "Each erasure writes a new audit entry under its date and a new id; the role may "
                    "put objects under audit/erasure/ and nowhere else in the bucket."
                ),
            },
        )
