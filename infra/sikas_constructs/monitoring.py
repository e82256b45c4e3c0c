"""What the operators look at: a CloudWatch dashboard, alarms to an encrypted SNS topic, and saved
Logs Insights queries, all built from the metric and log names the functions emit
(sikas_sync.telemetry) and from the resource plan.

Alarms (names `sikas-sync-<region>-...`, each to the topic, also when it clears), with the reason of
each threshold next to it below and what to do in docs/OPERATIONS.md:
  dlq-<queue>            a message in a dead-letter queue (ten queues: push and one per domain)
  breaker-open           the ministry circuit breaker held records back for `alarm_breaker_minutes`
  undelivered-age        a record undelivered for `alarm_undelivered_hours`
  ingest-errors-<domain> the ingest function failed on exports (error rate)
  push-failures          records not delivered because the ministry failed or refused the request
  no-upload-<domain>     no export of a domain for `alarm_no_upload_days` days
  errors-<function>      the push function crashed, or a scheduled/operator function failed

CDK context: `alarm_email` (one address or several, comma-separated; none: no subscription),
`alarm_undelivered_hours`, `alarm_breaker_minutes`, `alarm_no_upload_days`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import Aws, CfnOutput, Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from sikas_sync import telemetry as t
from sikas_sync.resources import ResourcePlan, deployment_name

from .function import PlannedFunction
from .nag import acknowledge
from .queues import PlannedQueue

# -- thresholds ------------------------------------------------------------------------------------

# Any message in a DLQ: each one is an export or a record version the pipeline gave up retrying
# (about 15 hours of ingest retries, about a day of push retries). Nothing is lost yet, but nothing
# happens to it either until someone looks (`sikas-sync redrive`; the sweep re-queues records).
DLQ_MESSAGES = 1
DLQ_PERIOD = Duration.minutes(5)
# The sweep reports the breaker every 15 minutes, so one period holds at least one report.
BREAKER_PERIOD = Duration.minutes(15)
# Records normally reach the ministry within minutes; retries with backoff run about a day before
# the DLQ. A day without delivery means the data the MoU wants current is a day behind.
UNDELIVERED_HOURS = 24.0
UNDELIVERED_PERIOD = Duration.minutes(15)  # the sweep's period: one data point each
# The breaker opens after 5 failed requests in a row and probes again every 5 minutes: half an hour
# open is six failed probes, an outage rather than a hiccup.
BREAKER_MINUTES = 30
# Ingest failures are not rejected files (those are data problems, reported to SIKAS): an error
# means the pipeline could not process an export at all (a bug, throttling, a permission). Retries
# come 90 minutes apart, so one failing hour is already worth a look; 10% leaves room for a one-off
# transient error among many uploads.
INGEST_ERROR_PERCENT = 10.0
INGEST_ERROR_PERIOD = Duration.hours(1)
# Push failures (ministry errors, throttling, an open breaker, 400/403) are retried with backoff;
# the local ministry of the demo fails 10% of requests and that is noise. A quarter of the records
# failing for half an hour means the ministry, the network or our credentials are in trouble.
PUSH_FAILURE_PERCENT = 25.0
PUSH_FAILURE_PERIOD = Duration.minutes(15)
PUSH_FAILURE_PERIODS = 2
# SIKAS is expected to upload every domain at least weekly (re-uploading an unchanged export costs
# nothing: identical records are not written or pushed). CloudWatch evaluates at most 7 days.
NO_UPLOAD_DAYS = 7
MAX_EVALUATION_DAYS = 7
# The push function crashing (not a failed delivery: those are partial batch failures) for 15
# minutes: its messages return and would end in the DLQ.
PUSH_ERROR_PERIOD = Duration.minutes(5)
PUSH_ERROR_PERIODS = 3
# Scheduled and operator functions: the sweep runs every 15 minutes and two failed runs in a row
# are a pattern; reconcile (daily), report (monthly) and erase (on demand) alarm on any failure.
SWEEP_FUNCTION = "sweep"
SWEEP_ERROR_PERIODS = 2
FUNCTION_ERROR_PERIOD = Duration.hours(1)

DASHBOARD_RANGE = Duration.days(7)
WIDE, HALF, THIRD = 24, 12, 8
GRAPH_HEIGHT = 6
AT_LEAST = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")
FILE_KEY_PLACEHOLDER = "REPLACE-WITH-FILE-KEY"
RECORD_ID_PLACEHOLDER = "REPLACE-WITH-RECORD-ID"


class AlarmSettingsError(ValueError):
    pass


@dataclass(frozen=True)
class AlarmSettings:
    """The per-deployment alarm choices, given as CDK context (`-c alarm_email=...`)."""

    emails: tuple[str, ...] = ()
    undelivered_hours: float = UNDELIVERED_HOURS
    breaker_minutes: int = BREAKER_MINUTES
    no_upload_days: int = NO_UPLOAD_DAYS

    def __post_init__(self) -> None:
        for email in self.emails:
            if not EMAIL.match(email):
                raise AlarmSettingsError(f"alarm_email {email!r} is not an e-mail address")
        if not 0 < self.undelivered_hours <= 24 * MAX_EVALUATION_DAYS:
            raise AlarmSettingsError("alarm_undelivered_hours must be more than 0 and at most 168")
        # Periods under an hour: CloudWatch evaluates at most one day of them.
        if not 15 <= self.breaker_minutes <= 24 * 60:
            raise AlarmSettingsError("alarm_breaker_minutes must be between 15 and 1440")
        if not 1 <= self.no_upload_days <= MAX_EVALUATION_DAYS:
            raise AlarmSettingsError("alarm_no_upload_days must be between 1 and 7 (CloudWatch's limit)")

    @classmethod
    def from_context(cls, get: Callable[[str], Any]) -> AlarmSettings:
        """`get` is `node.try_get_context`; `-c` values arrive as strings."""

        def number(name: str, default: float, kind: Callable[[str], float]) -> Any:
            value = get(name)
            if value in (None, ""):
                return default
            try:
                return kind(str(value))
            except ValueError:
                raise AlarmSettingsError(f"{name} {value!r} is not a number") from None

        raw = get("alarm_email")
        emails = tuple(e.strip() for e in str(raw).split(",") if e.strip()) if raw else ()
        return cls(
            emails=emails,
            undelivered_hours=number("alarm_undelivered_hours", UNDELIVERED_HOURS, float),
            breaker_minutes=number("alarm_breaker_minutes", BREAKER_MINUTES, int),
            no_upload_days=number("alarm_no_upload_days", NO_UPLOAD_DAYS, int),
        )


def app_metric(
    name: str,
    *,
    service: str,
    domain: str | None = None,
    statistic: str = "Sum",
    label: str | None = None,
    period: Duration | None = None,
) -> cloudwatch.Metric:
    """One of the functions' metrics (sikas_sync.telemetry), of one domain or over all domains, as
    one regency's functions publish it (`service` is telemetry.service_name of its region code)."""
    dimensions = {t.DIMENSION_SERVICE: service}
    if domain is not None:
        dimensions[t.DIMENSION_DOMAIN] = domain
    return cloudwatch.Metric(
        namespace=t.NAMESPACE,
        metric_name=name,
        dimensions_map=dimensions,
        statistic=statistic,
        label=label,
        period=period,
    )


class Monitoring(Construct):
    """Dashboard, alarms, alarm topic and saved queries for one stack.

    `ingest` maps each domain to its queue and function, `push` is the push queue and function,
    `functions` every other function by its plan name (sweep, reconcile, report, erase, ...).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        plan: ResourcePlan,
        key: kms.IKey,
        ingest: Mapping[str, tuple[PlannedQueue, PlannedFunction]],
        push: tuple[PlannedQueue, PlannedFunction],
        functions: Mapping[str, PlannedFunction],
        settings: AlarmSettings,
        scheduled_failures: sqs.IQueue,
    ) -> None:
        super().__init__(scope, construct_id)
        self.plan, self.settings = plan, settings
        self.scheduled_failures = scheduled_failures
        self.prefix = plan.deployment  # `sikas-sync-12-09`: alarms, dashboard and queries
        self.service = t.service_name(plan.region_code)  # this regency's metrics only
        self.domains = list(ingest)
        self.ingest, self.push, self.functions = ingest, push, functions
        self.topic = self._topic(key)
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        self._alarms()
        self.dashboard = self._dashboard()
        self.queries = self._queries()
        CfnOutput(self, "AlarmTopicArn", key="AlarmTopicArn", value=self.topic.topic_arn)
        CfnOutput(self, "DashboardNameOutput", key="DashboardName", value=self.prefix)

    # -- topic -----------------------------------------------------------------------------------

    def _topic(self, key: kms.IKey) -> sns.Topic:
        topic = sns.Topic(
            self,
            "AlarmTopic",
            display_name=f"sikas-sync {self.plan.region_code} alarms",
            master_key=key,
            enforce_ssl=True,
        )
        for email in self.settings.emails:
            subscription = topic.add_subscription(subscriptions.EmailSubscription(email))
            acknowledge(
                subscription,
                {
                    "Serverless-SNSRedrivePolicy": (
                        "An alarm e-mail SNS could not deliver loses no information: the alarm's state and "
                        "history stay in CloudWatch and on the dashboard. A dead-letter queue for it would "
                        "need an alarm of its own, which could only notify through this same topic."
                    ),
                },
            )
        # CloudWatch publishes as its service principal, only for this stack's alarms (by name) in
        # this account and region: the confused-deputy guard on the topic and on the key.
        alarms_of_this_stack = {
            "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
            "ArnLike": {
                "aws:SourceArn": f"arn:{Aws.PARTITION}:cloudwatch:{Aws.REGION}:{Aws.ACCOUNT_ID}"
                f":alarm:{self.prefix}-*"
            },
        }
        cloudwatch_service = iam.ServicePrincipal("cloudwatch.amazonaws.com")
        topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsOfThisStack",
                principals=[cloudwatch_service],
                actions=["sns:Publish"],
                resources=[topic.topic_arn],
                conditions=alarms_of_this_stack,
            )
        )
        # An encrypted topic takes messages only from publishers that may use its key.
        added = key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsToTheEncryptedTopic",
                principals=[cloudwatch_service],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],  # in a key policy "*" is this key
                conditions=alarms_of_this_stack,
            )
        )
        assert added.statement_added, "the data key's policy must let CloudWatch use it for the topic"
        return topic

    # -- alarms ----------------------------------------------------------------------------------

    def _alarm(
        self,
        name: str,
        metric: cloudwatch.IMetric,
        *,
        threshold: float,
        description: str,
        periods: int = 1,
        comparison: cloudwatch.ComparisonOperator = AT_LEAST,
        missing: cloudwatch.TreatMissingData = cloudwatch.TreatMissingData.NOT_BREACHING,
    ) -> cloudwatch.Alarm:
        """`name` is `<kind>` or `<kind>--<queue, domain or function>`; docs/OPERATIONS.md has a
        section per kind."""
        kind, _, _ = name.partition("--")
        alarm = cloudwatch.Alarm(
            self,
            "Alarm-" + name,
            alarm_name=f"{self.prefix}-{name.replace('--', '-')}",
            alarm_description=f"{description} What to do: docs/OPERATIONS.md, alarm {kind}.",
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            datapoints_to_alarm=periods,
            comparison_operator=comparison,
            treat_missing_data=missing,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))  # operators learn that it cleared
        self.alarms[name.replace("--", "-")] = alarm
        return alarm

    def _alarms(self) -> None:
        settings = self.settings
        push_queue, push_function = self.push
        queues = {push_queue.plan.name: push_queue} | {q.plan.name: q for q, _ in self.ingest.values()}
        for name, queue in queues.items():
            self._alarm(
                f"dlq--{name}",
                queue.dlq.metric_approximate_number_of_messages_visible(
                    period=DLQ_PERIOD, statistic="Maximum"
                ),
                threshold=DLQ_MESSAGES,
                description=(
                    f"Messages rest in the dead-letter queue of {name}: the pipeline gave up retrying them. "
                    f"/ Ada pesan di DLQ {name}."
                ),
            )
        self._alarm(
            "scheduled-failures",
            self.scheduled_failures.metric_approximate_number_of_messages_visible(
                period=DLQ_PERIOD, statistic="Maximum"
            ),
            threshold=DLQ_MESSAGES,
            description=(
                "A scheduled run (sweep, reconcile, report, outbox) failed and was not retried; the "
                "next run on its schedule redoes the work. Read the function's logs. / Ada jadwal "
                "yang gagal dijalankan."
            ),
        )
        breaker_periods = math.ceil(settings.breaker_minutes * 60 / BREAKER_PERIOD.to_seconds())
        self._alarm(
            "breaker-open",
            self._metric(t.BREAKER_OPEN, statistic="Maximum", period=BREAKER_PERIOD),
            threshold=1,
            periods=breaker_periods,
            description=(
                "The ministry circuit breaker has held deliveries back for"
                f" {settings.breaker_minutes} minutes: the ministry's API keeps failing."
                " / Pengiriman ke Kemnaker tertahan."
            ),
        )
        self._alarm(
            "undelivered-age",
            self._metric(t.OLDEST_UNDELIVERED_AGE, statistic="Maximum", period=UNDELIVERED_PERIOD),
            threshold=settings.undelivered_hours * 3600,
            description=(
                f"A record has waited {settings.undelivered_hours:g} hours or more for the ministry"
                " (pending or blocked). / Ada data belum terkirim lebih dari batas waktu."
            ),
        )
        for domain, (_, function) in self.ingest.items():
            self._alarm(
                f"ingest-errors--{domain}",
                cloudwatch.MathExpression(
                    expression="IF(invocations > 0, 100 * FILL(errors, 0) / invocations, 0)",
                    using_metrics={
                        "errors": function.function.metric_errors(period=INGEST_ERROR_PERIOD),
                        "invocations": function.function.metric_invocations(period=INGEST_ERROR_PERIOD),
                    },
                    label=f"ingest-{domain} error rate (%)",
                    period=INGEST_ERROR_PERIOD,
                ),
                threshold=INGEST_ERROR_PERCENT,
                description=(
                    f"The ingest function of {domain} failed on exports (not rejected files: it could not"
                    " process them). / Fungsi ingest gagal memproses berkas."
                ),
            )
        outcomes = {
            letter: self._metric(name, period=PUSH_FAILURE_PERIOD)
            for letter, name in zip("adrfb", t.PUSH_METRICS, strict=True)
        }
        self._alarm(
            "push-failures",
            cloudwatch.MathExpression(
                expression="IF((a + d + r + f + b) > 0, 100 * (f + b) / (a + d + r + f + b), 0)",
                using_metrics=outcomes,
                label="records not delivered (%)",
                period=PUSH_FAILURE_PERIOD,
            ),
            threshold=PUSH_FAILURE_PERCENT,
            periods=PUSH_FAILURE_PERIODS,
            description=(
                f"{PUSH_FAILURE_PERCENT:g}% or more of the records sent to the ministry failed (errors,"
                " throttling, open breaker, 400/403) for half an hour. / Banyak pengiriman gagal."
            ),
        )
        for domain in self.domains:
            self._alarm(
                f"no-upload--{domain}",
                self._metric(t.FILES_RECEIVED, domain=domain, period=Duration.days(1)),
                threshold=1,
                periods=settings.no_upload_days,
                comparison=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
                # The sweep publishes a zero for every domain every 15 minutes: a day without uploads
                # has data (0). Missing data is no upload's fault (no sweep yet, as on a fresh
                # deployment, or a failed sweep, alarmed by itself): the alarm starts and stays OK.
                description=(
                    f"No {domain} export arrived for {settings.no_upload_days} days. / Tidak ada unggahan"
                    f" {domain} selama {settings.no_upload_days} hari."
                ),
            )
        self._alarm(
            f"errors--{push_function.plan.name}",
            push_function.function.metric_errors(period=PUSH_ERROR_PERIOD),
            threshold=1,
            periods=PUSH_ERROR_PERIODS,
            description="The push function itself fails (not failed deliveries). / Fungsi push error.",
        )
        for name, function in self.functions.items():
            sweep = name == SWEEP_FUNCTION
            self._alarm(
                f"errors--{name}",
                function.function.metric_errors(period=BREAKER_PERIOD if sweep else FUNCTION_ERROR_PERIOD),
                threshold=1,
                periods=SWEEP_ERROR_PERIODS if sweep else 1,
                description=f"The {name} function failed. / Fungsi {name} gagal.",
            )

    # -- dashboard -------------------------------------------------------------------------------

    def _per_domain(self, name: str, statistic: str = "Sum") -> list[cloudwatch.IMetric]:
        return [self._metric(name, domain=d, statistic=statistic, label=d) for d in self.domains]

    def _metric(self, name: str, **options: Any) -> cloudwatch.Metric:
        return app_metric(name, service=self.service, **options)

    def _graph(
        self, title: str, metrics: Sequence[cloudwatch.IMetric], width: int = THIRD, **props: Any
    ) -> cloudwatch.GraphWidget:
        return cloudwatch.GraphWidget(
            title=title, left=list(metrics), width=width, height=GRAPH_HEIGHT, **props
        )

    def _dashboard(self) -> cloudwatch.Dashboard:
        dashboard = cloudwatch.Dashboard(
            self,
            "Dashboard",
            dashboard_name=self.prefix,
            default_interval=DASHBOARD_RANGE,
            period_override=cloudwatch.PeriodOverride.AUTO,
        )
        push_queue, push_function = self.push
        all_functions = {
            **{f.plan.name: f for _, f in self.ingest.values()},
            push_function.plan.name: push_function,
            **self.functions,
        }
        dashboard.add_widgets(
            cloudwatch.TextWidget(markdown=_intro(self.plan.region_code), width=WIDE, height=4),
        )
        dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(
                title="Alarms (red: see docs/OPERATIONS.md)",
                alarms=list(self.alarms.values()),
                width=WIDE,
                height=6,
                sort_by=cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
            )
        )
        dashboard.add_widgets(_heading(UPLOADS))
        dashboard.add_widgets(
            cloudwatch.SingleValueWidget(
                title="Files received in the selected time range, per domain",
                metrics=self._per_domain(t.FILES_RECEIVED),
                set_period_to_time_range=True,
                width=WIDE,
                height=4,
            )
        )
        dashboard.add_widgets(
            self._graph("Files received", self._per_domain(t.FILES_RECEIVED), stacked=True),
            self._graph(
                "Files rejected (whole file refused)", self._per_domain(t.FILES_REJECTED), stacked=True
            ),
            self._graph("Rows valid", self._per_domain(t.ROWS_VALID), stacked=True),
            self._graph(
                "Rows rejected (see the file's report)", self._per_domain(t.ROWS_REJECTED), stacked=True
            ),
            self._graph("Records created (new)", self._per_domain(t.RECORDS_CREATED), stacked=True),
            self._graph("Records updated (changed)", self._per_domain(t.RECORDS_UPDATED), stacked=True),
            self._graph(
                "Records unchanged (nothing to send)", self._per_domain(t.RECORDS_UNCHANGED), stacked=True
            ),
        )
        dashboard.add_widgets(_heading(DELIVERY))
        dashboard.add_widgets(
            self._graph(
                "All domains: what the ministry answered",
                [self._metric(name, label=name.removeprefix("Push")) for name in t.PUSH_METRICS],
                stacked=True,
            ),
            self._graph("Accepted by the ministry", self._per_domain(t.PUSH_ACCEPTED), stacked=True),
            self._graph("Duplicates (already there)", self._per_domain(t.PUSH_DUPLICATE), stacked=True),
            self._graph(
                "Refused by the ministry (fix and re-upload)", self._per_domain(t.PUSH_REFUSED), stacked=True
            ),
            self._graph("Failed this time (retried)", self._per_domain(t.PUSH_FAILED), stacked=True),
            self._graph(
                "Blocked (400/403: needs an operator)", self._per_domain(t.PUSH_BLOCKED), stacked=True
            ),
            self._graph("Requests to the ministry", [self._metric(t.MINISTRY_REQUESTS, label="requests")]),
            cloudwatch.AlarmWidget(
                title="Ministry circuit breaker (1: deliveries held back)",
                alarm=self.alarms["breaker-open"],
                width=THIRD,
                height=GRAPH_HEIGHT,
            ),
            cloudwatch.AlarmWidget(
                title="Records not delivered (%)",
                alarm=self.alarms["push-failures"],
                width=THIRD,
                height=GRAPH_HEIGHT,
            ),
        )
        dashboard.add_widgets(_heading(WAITING))
        hours = self.settings.undelivered_hours * 3600
        dashboard.add_widgets(
            self._graph(
                "Oldest undelivered record (seconds), per domain",
                self._per_domain(t.OLDEST_UNDELIVERED_AGE, statistic="Maximum"),
                left_annotations=[
                    cloudwatch.HorizontalAnnotation(value=hours, label="alarm", color=cloudwatch.Color.RED)
                ],
            ),
            self._graph(
                "Undelivered records, per domain",
                self._per_domain(t.UNDELIVERED_RECORDS, statistic="Maximum"),
                stacked=True,
            ),
            self._graph(
                "Sweep: records re-queued, stray files rejected",
                [
                    self._metric(t.RECORDS_REQUEUED, label="re-queued"),
                    self._metric(t.STRAY_FILES_REJECTED, label="stray files"),
                ],
            ),
        )
        dashboard.add_widgets(_heading(QUEUES))
        ingest_queues = [q for q, _ in self.ingest.values()]
        dashboard.add_widgets(
            self._graph(
                "Dead-letter queues: messages (must be 0)",
                [
                    q.dlq.metric_approximate_number_of_messages_visible(
                        statistic="Maximum", label=q.plan.dlq_name
                    )
                    for q in (push_queue, *ingest_queues)
                ],
                left_annotations=[
                    cloudwatch.HorizontalAnnotation(value=1, label="alarm", color=cloudwatch.Color.RED)
                ],
            ),
            self._graph(
                "Push queue: waiting, in flight, oldest (s, right)",
                [
                    push_queue.queue.metric_approximate_number_of_messages_visible(
                        statistic="Maximum", label="waiting"
                    ),
                    push_queue.queue.metric_approximate_number_of_messages_not_visible(
                        statistic="Maximum", label="in flight / backing off"
                    ),
                ],
                right=[
                    push_queue.queue.metric_approximate_age_of_oldest_message(
                        statistic="Maximum", label="oldest"
                    )
                ],
            ),
            self._graph(
                "Ingest queues: exports waiting, per domain",
                [
                    q.queue.metric_approximate_number_of_messages_visible(
                        statistic="Maximum", label=q.plan.name.removeprefix("ingest-")
                    )
                    for q in ingest_queues
                ],
            ),
            self._graph(
                "Ingest queues: oldest export waiting (s)",
                [
                    q.queue.metric_approximate_age_of_oldest_message(
                        statistic="Maximum", label=q.plan.name.removeprefix("ingest-")
                    )
                    for q in ingest_queues
                ],
            ),
        )
        dashboard.add_widgets(_heading(FUNCTIONS))
        dashboard.add_widgets(
            self._graph(
                "Errors", [f.function.metric_errors(label=n) for n, f in all_functions.items()], width=HALF
            ),
            self._graph(
                "Throttles (ingest: one file per domain at a time, expected)",
                [f.function.metric_throttles(label=n) for n, f in all_functions.items()],
                width=HALF,
            ),
            self._graph(
                "Duration p99 (ms)",
                [f.function.metric_duration(statistic="p99", label=n) for n, f in all_functions.items()],
                width=HALF,
            ),
            self._graph(
                "Duration max (ms)",
                [f.function.metric_duration(statistic="Maximum", label=n) for n, f in all_functions.items()],
                width=HALF,
            ),
        )
        return dashboard

    # -- saved Logs Insights queries -------------------------------------------------------------

    def _queries(self) -> dict[str, logs.QueryDefinition]:
        _, push_function = self.push
        ingest = [f.log_group for _, f in self.ingest.values()]
        push = [push_function.log_group]
        others = [f.log_group for f in self.functions.values()]
        sweep = [self.functions[SWEEP_FUNCTION].log_group] if SWEEP_FUNCTION in self.functions else []
        definitions = {
            "FileStory": (
                f"1 One file's story (replace {FILE_KEY_PLACEHOLDER})",
                [*ingest, *push, *sweep],
                logs.QueryString(
                    fields=[
                        "@timestamp",
                        "function_name",
                        "message",
                        "file_status",
                        "reason_code",
                        "counts.rows",
                        "counts.valid",
                        "counts.rejected",
                        "counts.created",
                        "counts.updated",
                        "error_code",
                        "column",
                        "error_rows",
                        "accepted",
                        "refused",
                        "failed",
                    ],
                    filter_statements=[f'@message like "{FILE_KEY_PLACEHOLDER}"'],
                    sort="@timestamp asc",
                    limit=1000,
                ),
            ),
            "RejectedRowsByCode": (
                "2 Rejected rows by error code",
                ingest,
                logs.QueryString(
                    filter_statements=[f'message = "{t.LOG_ROWS_REJECTED}"'],
                    stats_statements=[
                        "sum(error_rows) as rows_rejected, count_distinct(object_key) as files"
                        " by domain, error_code, column"
                    ],
                    sort="rows_rejected desc",
                ),
            ),
            "MinistryRefusalsByCode": (
                "3 Ministry refusals by code",
                push,
                logs.QueryString(
                    filter_statements=[f'message = "{t.LOG_MINISTRY_REFUSAL}"'],
                    stats_statements=[
                        "count(*) as refusals, count_distinct(record_id) as records"
                        " by domain, error_code, error_field"
                    ],
                    sort="refusals desc",
                ),
            ),
            "RecordJourney": (
                f"4 A record's journey (replace {RECORD_ID_PLACEHOLDER})",
                [*push, *others],
                logs.QueryString(
                    fields=[
                        "@timestamp",
                        "function_name",
                        "message",
                        "domain",
                        "ministry_request_id",
                        "@message",
                    ],
                    filter_statements=[f'@message like "{RECORD_ID_PLACEHOLDER}"'],
                    sort="@timestamp asc",
                    limit=1000,
                ),
            ),
            "SlowestInvocations": (
                "5 Slowest invocations",
                [*ingest, *push, *others],
                logs.QueryString(
                    fields=[
                        "@timestamp",
                        "@log",
                        "@requestId",
                        "@duration",
                        "@billedDuration",
                        "@maxMemoryUsed / 1048576 as max_memory_mb",
                        "@memorySize / 1048576 as memory_mb",
                    ],
                    filter_statements=['@type = "REPORT"'],
                    sort="@duration desc",
                    limit=50,
                ),
            ),
        }
        return {
            construct_id: logs.QueryDefinition(
                self,
                construct_id,
                query_definition_name=f"{self.prefix}/{title}",
                log_groups=log_groups,
                query_string=query,
            )
            for construct_id, (title, log_groups, query) in definitions.items()
        }


UPLOADS = "Uploads from SIKAS (ingest), per domain"
DELIVERY = "Delivery to the ministry (push), per domain"
WAITING = "Waiting for the ministry (the sweep, every 15 minutes)"
QUEUES = "Queues and dead-letter queues"
FUNCTIONS = "Functions: errors, throttles, durations"
WIDGET_GROUPS = (UPLOADS, DELIVERY, WAITING, QUEUES, FUNCTIONS)


def _heading(title: str) -> cloudwatch.TextWidget:
    return cloudwatch.TextWidget(markdown=f"## {title}", width=WIDE, height=1)


def _intro(region_code: str) -> str:
    return (
        f"# sikas-sync {region_code}: SIKAS → Kemnaker\n"
        "Top to bottom: the alarms; what SIKAS uploaded and what was rejected; what the ministry"
        " accepted, refused or could not take; what still waits and since when; the queues; the"
        " functions. No personal data is shown here. Details per file: `sikas-sync status`,"
        " `sikas-sync report --file KEY`, and the saved Logs Insights queries"
        f" (`{deployment_name(region_code)}/...`). What each alarm means: docs/OPERATIONS.md."
    )
