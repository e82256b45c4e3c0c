"""The resource plan: every queue, table, function and setting, derived once from the domain registry.

Both runtimes read this module: the CDK app (infra/) builds CloudFormation from it, the embedded
stack (sikas_sync.embedded) creates the same resources on the local AWS emulation. A test compares
the synthesized template with the embedded stack, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_REGION_CODE = "12.09"  # Kabupaten Asahan; any kabupaten/kota deploys with its own code
# Every template resource made from a plan entry carries that entry's name in this tag, so tests,
# operators and the embedded stack (its IAM roles) can match the template against the plan.
PLAN_NAME_TAG = "sikas-sync:plan-name"
INBOX_BUCKET_LOGICAL_ID = "InboxBucket"  # pinned: cdk-nag names its ARN <InboxBucket.Arn> in findings

# Prefixes of the inbox bucket that are written by the pipeline itself, never by SIKAS.
REPORTS_PREFIX = "reports/"
QUARANTINE_PREFIX = "quarantine/"
RECONCILIATION_PREFIX = "reconciliation/"
SMDATA_PREFIX = "smdata/"
OUTBOX_PREFIX = "outbox/"  # what goes back to SIKAS: status, ministry-only records, per-upload results
OUTBOX_RESULTS_PREFIX = OUTBOX_PREFIX + "results/"  # + the upload's key + ".csv", written by ingest too
AUDIT_PREFIX = "audit/"  # the project's own audit entries (erasure), kept without expiry
ERASURE_AUDIT_PREFIX = AUDIT_PREFIX + "erasure/"
SYSTEM_PREFIXES = (
    REPORTS_PREFIX, QUARANTINE_PREFIX, RECONCILIATION_PREFIX, SMDATA_PREFIX, OUTBOX_PREFIX, AUDIT_PREFIX,
)  # fmt: skip


def deployment_name(region_code: str) -> str:
    """`sikas-sync-12-09`: what every physical name of one kabupaten/kota's deployment starts with,
    so that several regencies (a province hosting its own) deploy side by side in one account."""
    return "sikas-sync-" + region_code.replace(".", "-")


@dataclass(frozen=True)
class QueuePlan:
    name: str  # logical name; CDK lets CloudFormation pick the physical one
    visibility_timeout_s: int
    max_receive_count: int  # receives before the message moves to the DLQ
    retention_s: int = 4 * 24 * 3600
    dlq_retention_s: int = 14 * 24 * 3600  # the maximum: two weeks to notice and redrive

    @property
    def dlq_name(self) -> str:
        return f"{self.name}-dlq"


@dataclass(frozen=True)
class FunctionPlan:
    name: str
    handler_dir: str  # folder under functions/
    timeout_s: int
    memory_mb: int
    batch_size: int  # SQS messages per invocation
    max_concurrency: int | None  # event source mapping MaximumConcurrency (2..1000); None: not set
    ephemeral_storage_mb: int = 512  # /tmp; Lambda's default and minimum
    # No reserved concurrency anywhere: AWS's SQS poller does not honour it (throttled batches burn
    # receives) and each unit comes out of the account's quota. Single-flight comes from leases
    # (sikas_sync.leases); the event source mapping's MaximumConcurrency caps the queue consumers.


@dataclass(frozen=True)
class IngestPlan:
    """One domain's share of the ingest path: prefix filter → queue (+DLQ) → function."""

    domain: str
    prefix: str
    queue: QueuePlan
    function: FunctionPlan
    # A file that finds its domain's ingest lease taken goes back to its queue as a new message
    # delayed by this much (doubling per wait up to the cap), so waiting costs no receive.
    wait_base_s: int
    wait_cap_s: int
    # Real seconds an invocation may store rows before it checkpoints and hands the rest to the next:
    # the timeout less a margin. Not scaled in the embedded stack, which does not stop functions at
    # their (scaled) timeouts; there a large file is stored in one go, as on AWS.
    budget_s: int = 840


@dataclass(frozen=True)
class IndexPlan:
    """A global secondary index: a string partition key and a number sort key, its items holding
    the table's keys and `projected` (the attributes its queries read)."""

    name: str
    partition_key: str
    sort_key: str
    projected: tuple[str, ...] = ()


@dataclass(frozen=True)
class TablePlan:
    name: str
    partition_key: str
    ttl_attribute: str | None = None
    indexes: tuple[IndexPlan, ...] = ()


# Records whose current version the ministry has neither accepted nor refused: a sparse index, the
# record's `pending_shard` set on every new version and removed when its version is settled. The
# partition is `<domain>#<shard>`: a domain's uploads write thousands of items a second, more than
# one index partition takes (DynamoDB throttles the table when an index partition falls behind).
UNDELIVERED_INDEX = IndexPlan(
    name="undelivered",
    partition_key="pending_shard",
    sort_key="updated_at",
    projected=("domain", "record_id", "version", "pending_blocked"),
)
PENDING_SHARDS = 16
# Every record of a domain, for the runs that read a domain whole (outbox, reconcile, SMData): the
# partition is `<domain>#<shard>` as for the undelivered index, permanently.
RECORDS_BY_DOMAIN_INDEX = IndexPlan(name="by_domain", partition_key="domain_shard", sort_key="updated_at")
# The records an upload wrote (its current versions), for `status --file KEY`: `last_file_key` is
# the bucket and key of the upload, without the object version.
RECORDS_BY_FILE_INDEX = IndexPlan(
    name="by_file", partition_key="last_file_key", sort_key="updated_at", projected=("version",)
)
# A person's records of a domain, for erasure under UU 27/2022: `person_key` is `<domain>#` and a
# keyed HMAC of the NIK (never the NIK), written on records whose data has one.
RECORDS_BY_PERSON_INDEX = IndexPlan(
    name="by_person", partition_key="person_key", sort_key="updated_at", projected=("record_id",)
)
# The files ledger by the day (WIB) an upload was received, for `status --days N`, and by key.
FILES_BY_DAY_INDEX = IndexPlan(name="by_day", partition_key="received_day", sort_key="started_at")
FILES_BY_KEY_INDEX = IndexPlan(name="by_key", partition_key="object_key", sort_key="started_at")


@dataclass(frozen=True)
class DeliveryPlan:
    """The push function and the knobs of delivery (all configurable per deployment)."""

    function: FunctionPlan
    backoff_base_s: int
    backoff_cap_s: int
    breaker_failures: int
    breaker_recovery_s: int
    ministry_timeout_s: int
    ministry_rate_limit_per_s: float | None
    sweep_stale_after_s: int  # a record undelivered this long with no message in flight is re-queued


@dataclass(frozen=True)
class ScheduledPlan:
    """A function EventBridge Scheduler invokes (no queue), on a schedule in the regency's time zone."""

    function: FunctionPlan
    schedule: str  # an EventBridge Scheduler expression, read in `timezone`
    every_s: int  # the same period in seconds, for the embedded stack's own scheduler
    timezone: str = "Asia/Jakarta"  # WIB: reconciliation reports are dated and SMData periods cut in WIB


@dataclass(frozen=True)
class ResourcePlan:
    region_code: str
    ingest: tuple[IngestPlan, ...]
    records_table: TablePlan
    deliveries_table: TablePlan
    files_table: TablePlan
    locks_table: TablePlan  # the leases of single-flight work (sikas_sync.leases)
    push_queue: QueuePlan
    delivery: DeliveryPlan
    hmac_secret_name: str
    ministry_secret_name: str
    max_file_bytes: int
    sweep: ScheduledPlan  # every 15 minutes: the safety net for lost messages and stray files
    reconcile: ScheduledPlan  # daily: the ministry's records against ours
    report: ScheduledPlan  # monthly: SMData aggregates of the month before
    outbox: ScheduledPlan  # daily, after reconcile: the exports back to SIKAS under `outbox/`
    # The scheduled functions' on-failure destination: a run that failed, not retried (alarmed).
    scheduled_failures_queue: str = "scheduled-failures"
    scheduled_failures_retention_s: int = 14 * 24 * 3600

    @property
    def scheduled(self) -> tuple[ScheduledPlan, ...]:
        return (self.sweep, self.reconcile, self.report, self.outbox)

    def ingest_for(self, domain: str) -> IngestPlan:
        return next(plan for plan in self.ingest if plan.domain == domain)

    @property
    def deployment(self) -> str:
        return deployment_name(self.region_code)

    def function_name(self, function: FunctionPlan) -> str:
        """The function's physical name: `sikas-sync-12-09-ingest-jkp`, at most 64 characters."""
        return f"{self.deployment}-{function.name}"

    def log_group_name(self, function: FunctionPlan) -> str:
        return f"/aws/lambda/{self.function_name(function)}"

    @property
    def trail_log_group_name(self) -> str:
        return f"/{self.deployment}/audit-trail"


# Lambda processes one export per message; the visibility timeout is 6x the function timeout as
# AWS recommends for SQS event sources, so a slow retry never overlaps a running invocation.
INGEST_TIMEOUT_S = 900
INGEST_PAUSE_MARGIN_S = 60  # room to checkpoint, report the pause and hand the file back
PUSH_TIMEOUT_S = 60
SCHEDULED_TIMEOUT_S = 900  # a full pull (weekly) or a Scan of the whole records table
INGEST_MEMORY_MB = 1024
MIB = 1024 * 1024
# parsing.table.ReadLimits' defaults, repeated so that importing the plan (every handler does) does
# not load the readers; tests/infra/test_infra_ingest.py keeps the two equal.
MAX_FILE_BYTES = 512 * MIB  # larger uploads are rejected before they are read
MAX_XLSX_UNCOMPRESSED_BYTES = 2048 * MIB
# What ingest may hold in /tmp at once, from the read limits: the spooled export (XLSX and gzip are
# read from a file), an XLSX's shared strings unpacked (up to the uncompressed member limit), and
# the quarantine copy and the spooled error list (each at most about the export's size); above
# Lambda's own 512 MB.
INGEST_TMP_BYTES = 3 * MAX_FILE_BYTES + MAX_XLSX_UNCOMPRESSED_BYTES
INGEST_EPHEMERAL_MB = 512 + INGEST_TMP_BYTES // MIB
VISIBILITY_FACTOR = 6
INGEST_MAX_CONCURRENCY = 2  # the least MaximumConcurrency an SQS event source mapping accepts
# A waiting file looks again after 30 s, then 1, 2, 4 minutes, then every 5 minutes: a quick retry
# after a small file, few wasted invocations while a large one takes its 15 minutes.
INGEST_WAIT_BASE_S = 30
INGEST_WAIT_CAP_S = 300


# 04:00 WIB every day: after the reconcile (02:00) has imported the ministry-only records.
DEFAULT_OUTBOX_SCHEDULE = "cron(0 4 * * ? *)"


def resource_plan(
    region_code: str = DEFAULT_REGION_CODE,
    time_scale: float = 1.0,
    *,
    outbox_schedule: str = DEFAULT_OUTBOX_SCHEDULE,
    outbox_every_s: int = 24 * 3600,
) -> ResourcePlan:
    """The plan for one deployment. `time_scale` < 1 shrinks timeouts for the embedded stack.

    `outbox_schedule` (an EventBridge Scheduler expression in WIB) and `outbox_every_s` (the same
    period in seconds, for the embedded stack) make the outbox run configurable per deployment.
    """

    from .domains import DOMAINS  # every domain model: handlers importing the prefixes need none

    def seconds(value: int) -> int:
        return max(1, round(value * time_scale))

    ingest = tuple(
        IngestPlan(
            domain=domain.slug,
            prefix=f"{domain.slug}/",
            queue=QueuePlan(
                name=f"ingest-{domain.slug}",
                visibility_timeout_s=seconds(INGEST_TIMEOUT_S * VISIBILITY_FACTOR),
                # Failed attempts only (waiting for the domain's lease costs none); Lambda throttled
                # by the account's concurrency still burns receives, so leave room before the DLQ.
                max_receive_count=10,
            ),
            function=FunctionPlan(
                name=f"ingest-{domain.slug}",
                handler_dir="ingest",
                timeout_s=seconds(INGEST_TIMEOUT_S),
                memory_mb=INGEST_MEMORY_MB,
                batch_size=1,  # one export per invocation: the whole 15 minutes go to one file
                # AWS's minimum. One ingest per domain writes at a time anyway (the domain's lease):
                # the second consumer only sends a waiting file back to the queue, delayed.
                max_concurrency=INGEST_MAX_CONCURRENCY,
                ephemeral_storage_mb=INGEST_EPHEMERAL_MB,
            ),
            wait_base_s=seconds(INGEST_WAIT_BASE_S),
            wait_cap_s=seconds(INGEST_WAIT_CAP_S),
            budget_s=INGEST_TIMEOUT_S - INGEST_PAUSE_MARGIN_S,
        )
        for domain in DOMAINS
    )
    return ResourcePlan(
        region_code=region_code,
        ingest=ingest,
        records_table=TablePlan(
            name="records",
            partition_key="pk",
            indexes=(
                UNDELIVERED_INDEX,
                RECORDS_BY_FILE_INDEX,
                RECORDS_BY_DOMAIN_INDEX,
                RECORDS_BY_PERSON_INDEX,
            ),
        ),
        # Delivery state lives apart from the records: ingest writes only records, push only
        # deliveries, so both can use batch writes without overwriting each other.
        deliveries_table=TablePlan(name="deliveries", partition_key="pk"),
        files_table=TablePlan(
            name="files",
            partition_key="file_id",
            ttl_attribute="expires_at",
            indexes=(FILES_BY_DAY_INDEX, FILES_BY_KEY_INDEX),
        ),
        locks_table=TablePlan(name="locks", partition_key="lock", ttl_attribute="expires_at"),
        # 50 receives with backoff from 30 s doubling to a 30 min cap: about a day of retries.
        push_queue=QueuePlan(
            name="push",
            visibility_timeout_s=seconds(PUSH_TIMEOUT_S * VISIBILITY_FACTOR),
            max_receive_count=50,
        ),
        delivery=DeliveryPlan(
            function=FunctionPlan(
                name="push",
                handler_dir="push",
                timeout_s=seconds(PUSH_TIMEOUT_S),
                memory_mb=512,
                batch_size=100,  # ministry batches hold up to 100 records
                max_concurrency=2,  # with the client's rate limit: what the ministry can take
            ),
            backoff_base_s=seconds(30),
            backoff_cap_s=seconds(1800),
            breaker_failures=5,
            breaker_recovery_s=seconds(300),
            ministry_timeout_s=10,
            ministry_rate_limit_per_s=None,
            sweep_stale_after_s=seconds(15 * 60),
        ),
        # Per regency: two deployments in one account must not share (or delete) each other's keys.
        hmac_secret_name=f"sikas-sync/{region_code}/record-id-key",
        ministry_secret_name=f"sikas-sync/{region_code}/ministry-client",
        max_file_bytes=MAX_FILE_BYTES,
        sweep=ScheduledPlan(
            function=FunctionPlan(
                name="sweep",
                handler_dir="sweep",
                timeout_s=seconds(300),
                memory_mb=512,
                batch_size=1,
                max_concurrency=None,
            ),
            schedule="rate(15 minutes)",
            every_s=seconds(15 * 60),
        ),
        reconcile=ScheduledPlan(
            function=FunctionPlan(
                name="reconcile",
                handler_dir="reconcile",
                timeout_s=seconds(SCHEDULED_TIMEOUT_S),
                memory_mb=1024,  # the ministry's index of a domain: two short strings per record
                batch_size=1,
                max_concurrency=None,
            ),
            schedule="cron(0 2 * * ? *)",  # 02:00 WIB every day
            every_s=seconds(24 * 3600),
        ),
        report=ScheduledPlan(
            function=FunctionPlan(
                name="report",
                handler_dir="report",
                timeout_s=seconds(SCHEDULED_TIMEOUT_S),
                memory_mb=512,
                batch_size=1,
                max_concurrency=None,
            ),
            schedule="cron(0 3 1 * ? *)",  # 03:00 WIB on the 1st: the month before is complete
            every_s=seconds(30 * 24 * 3600),
        ),
        outbox=ScheduledPlan(
            function=FunctionPlan(
                name="outbox",
                handler_dir="outbox",
                timeout_s=seconds(SCHEDULED_TIMEOUT_S),  # a Scan of the records table, like reconcile
                memory_mb=1024,
                batch_size=1,
                max_concurrency=None,
            ),
            schedule=outbox_schedule,
            every_s=seconds(outbox_every_s),
        ),
    )
