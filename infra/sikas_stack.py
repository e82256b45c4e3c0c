"""The sikas-sync stack: every resource of the plan, composed from the constructs per concern."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from aws_cdk import CfnOutput, Stack, Tags
from constructs import Construct

from sikas_constructs.audit import AuditTrail
from sikas_constructs.delivery import Delivery
from sikas_constructs.erasure import Erasure
from sikas_constructs.function import Shared
from sikas_constructs.ingest import Ingest
from sikas_constructs.layers import SharedLayers
from sikas_constructs.monitoring import AlarmSettings, AlarmSettingsError, Monitoring
from sikas_constructs.nag import acknowledge
from sikas_constructs.retention import Retention, RetentionError
from sikas_constructs.scheduled import Scheduled
from sikas_constructs.security import DataKey, Secrets
from sikas_constructs.sikas_access import SikasAccess
from sikas_constructs.storage import Inbox, Tables
from sikas_sync.operations import target
from sikas_sync.operations.erase_wiring import ERASE_FUNCTION
from sikas_sync.resources import DEFAULT_REGION_CODE, ResourcePlan, resource_plan

REGION_CODE_PATTERN = re.compile(r"^\d{2}(\.\d{2})?$")  # as sikas_sync.config checks REGION_CODE
# aws-cdk-lib's singleton behind Custom::S3BucketNotifications (fixed id in aws-s3).
BUCKET_NOTIFICATIONS_HANDLER_ID = "BucketNotificationsHandler050a0587b7544547bf325f094a3db834"


class SettingsError(ValueError):
    pass


AUDIT_TRAIL_CHOICES = ("own", "existing")


@dataclass(frozen=True)
class DeploymentSettings:
    """The per-deployment choices, given as CDK context (cdk.json defaults, `-c key=value`)."""

    region_code: str = DEFAULT_REGION_CODE
    ministry_url: str = "https://integration.example.invalid"
    ministry_rate_limit_per_s: float | None = None
    retention: Retention = field(default_factory=Retention)  # context retention_<name>_days
    alarms: AlarmSettings = field(default_factory=AlarmSettings)  # context alarm_*
    # `own`: the stack's own data-event trail; `existing`: the account's trail records the inbox and
    # the erase function instead (its owner adds the selectors the stack outputs).
    audit_trail: str = "own"

    def __post_init__(self) -> None:
        if not REGION_CODE_PATTERN.match(self.region_code):
            raise SettingsError(f"region_code {self.region_code!r} is not a code like 12.09")
        url = urlparse(self.ministry_url)
        if url.scheme != "https" or not url.netloc:
            raise SettingsError(f"ministry_url {self.ministry_url!r} must be an https:// URL")
        if self.ministry_rate_limit_per_s is not None and self.ministry_rate_limit_per_s <= 0:
            raise SettingsError("ministry_rate_limit_per_s must be a positive number")
        if self.audit_trail not in AUDIT_TRAIL_CHOICES:
            raise SettingsError(
                f"audit_trail {self.audit_trail!r} must be one of {', '.join(AUDIT_TRAIL_CHOICES)}"
            )

    @classmethod
    def from_context(cls, get: Any) -> DeploymentSettings:
        """`get` is `app.node.try_get_context`; `-c` values arrive as strings."""
        rate = get("ministry_rate_limit_per_s")
        try:
            rate_value = float(rate) if rate not in (None, "") else None
        except (TypeError, ValueError):
            raise SettingsError(f"ministry_rate_limit_per_s {rate!r} is not a number") from None
        try:
            retention = Retention.from_context(get)
        except RetentionError as error:
            raise SettingsError(str(error)) from None
        try:
            alarms = AlarmSettings.from_context(get)
        except AlarmSettingsError as error:
            raise SettingsError(str(error)) from None
        return cls(
            region_code=str(get("region_code") or DEFAULT_REGION_CODE),
            ministry_url=str(get("ministry_url") or cls.ministry_url),
            ministry_rate_limit_per_s=rate_value,
            retention=retention,
            alarms=alarms,
            audit_trail=str(get("audit_trail") or cls.audit_trail),
        )

    def plan(self) -> ResourcePlan:
        plan = resource_plan(self.region_code)
        if self.ministry_rate_limit_per_s is None:
            return plan
        delivery = dataclasses.replace(
            plan.delivery, ministry_rate_limit_per_s=self.ministry_rate_limit_per_s
        )
        return dataclasses.replace(plan, delivery=delivery)


def stack_id(region_code: str) -> str:
    """`SikasSync-12-09`: one stack per kabupaten/kota."""
    return "SikasSync-" + region_code.replace(".", "-")


class SikasSyncStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: DeploymentSettings,
        layers_root: Path,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.settings = settings
        self.plan = plan = settings.plan()
        Tags.of(self).add("project", "sikas-sync")
        Tags.of(self).add("sikas-sync:region-code", plan.region_code)

        functions = [
            *(ingest.function for ingest in plan.ingest),
            plan.delivery.function,
            *(scheduled.function for scheduled in plan.scheduled),
            ERASE_FUNCTION,
        ]
        self.encryption = DataKey(
            self,
            "Encryption",
            log_group_names=[
                *(plan.log_group_name(f) for f in functions),
                *([plan.trail_log_group_name] if settings.audit_trail == "own" else []),
            ],
        )
        key = self.encryption.key
        self.secrets = Secrets(
            self,
            "Secrets",
            key=key,
            hmac_name=plan.hmac_secret_name,
            ministry_name=plan.ministry_secret_name,
        )
        self.inbox = Inbox(
            self,
            "Inbox",
            key=key,
            retention=settings.retention,
            domain_prefixes=[ingest.prefix for ingest in plan.ingest],
        )
        # SIKAS's principal: PutObject under the domain prefixes, outbox/ to read; nothing else.
        self.sikas_access = SikasAccess(
            self,
            "SikasAccess",
            bucket=self.inbox.bucket,
            key=key,
            domain_prefixes=[ingest.prefix for ingest in plan.ingest],
        )
        self.tables = Tables(self, "Tables", key=key, plan=plan)
        shared = Shared(
            plan=plan,
            key=key,
            layers=SharedLayers(self, "Layers", layers_root=layers_root),
            bucket=self.inbox.bucket,
            tables=self.tables,
            hmac_secret=self.secrets.hmac_key,
        )
        self.delivery = Delivery(
            self,
            "Delivery",
            shared=shared,
            ministry_secret=self.secrets.ministry_client,
            ministry_url=settings.ministry_url,
        )
        self.ingest = Ingest(self, "Ingest", shared=shared, push_queue=self.delivery.queue.queue)
        self.scheduled = Scheduled(
            self,
            "Scheduled",
            shared=shared,
            push_queue=self.delivery.queue.queue,
            ministry_secret=self.secrets.ministry_client,
            ministry_url=settings.ministry_url,
        )
        self.erasure = Erasure(
            self,
            "Erasure",
            shared=shared,
            push_queue=self.delivery.queue.queue,
            ministry_secret=self.secrets.ministry_client,
            ministry_url=settings.ministry_url,
        )
        self.audit = (
            None
            if settings.audit_trail == "existing"
            else AuditTrail(
                self,
                "AuditTrail",
                key=key,
                inbox=self.inbox.bucket,
                access_logs=self.inbox.access_logs,
                audited_functions=[self.erasure.function.function],
                retention=settings.retention,
                log_group_name=plan.trail_log_group_name,
            )
        )
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            plan=plan,
            key=key,
            ingest={domain: (i.queue, i.function) for domain, i in self.ingest.domains.items()},
            push=(self.delivery.queue, self.delivery.function),
            functions={
                **{name: s.function for name, s in self.scheduled.by_name.items()},
                self.erasure.function.plan.name: self.erasure.function,
            },
            settings=settings.alarms,
            scheduled_failures=self.scheduled.failures,
        )
        self._acknowledge_cdk_managed()
        self._outputs()

    def _outputs(self) -> None:
        """What `sikas-sync pending/redrive --stack NAME` reads (sikas_sync.operations.target)."""
        outputs = {
            target.OUTPUT_REGION_CODE: self.plan.region_code,
            target.OUTPUT_BUCKET: self.inbox.bucket.bucket_name,
            target.OUTPUT_RECORDS: self.tables["records_table"].table_name,
            target.OUTPUT_DELIVERIES: self.tables["deliveries_table"].table_name,
            target.OUTPUT_FILES: self.tables["files_table"].table_name,
            target.OUTPUT_PUSH_QUEUE: self.delivery.queue.queue.queue_url,
            target.OUTPUT_PUSH_DLQ: self.delivery.queue.dlq.queue_url,
            target.OUTPUT_ERASE_FUNCTION: self.erasure.function.function.function_name,
        }
        for domain, ingest in self.ingest.domains.items():
            queue_output, dlq_output = target.ingest_output_names(domain)
            outputs[queue_output] = ingest.queue.queue.queue_url
            outputs[dlq_output] = ingest.queue.dlq.queue_url
        outputs["SikasAccessPolicyArn"] = self.sikas_access.policy.managed_policy_arn
        if self.audit is None:
            # What the account's trail must record instead (docs/OPERATIONS.md, "audit trail").
            outputs["AuditInboxObjectsArn"] = self.inbox.bucket.arn_for_objects("")
            outputs["AuditEraseFunctionArn"] = self.erasure.function.function.function_arn
        if self.sikas_access.role is not None:
            outputs["SikasRoleArn"] = self.sikas_access.role.role_arn
        for name, value in outputs.items():
            CfnOutput(self, name, value=value)

    def _acknowledge_cdk_managed(self) -> None:
        handler = self.node.try_find_child(BUCKET_NOTIFICATIONS_HANDLER_ID)
        assert handler is not None, "the bucket notifications add aws-cdk-lib's handler"
        why = (
            "aws-cdk-lib's own handler of Custom::S3BucketNotifications, run by CloudFormation only "
            "at deployment to put the bucket's notification configuration; its code, runtime and role "
            "are fixed by aws-cdk-lib"
        )
        acknowledge(
            handler,
            {
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AWSLambdaBasicExecutionRole]": f"{why} (basic logging policy).",
            },
        )
