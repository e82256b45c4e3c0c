"""The names the functions emit and the monitoring reads: one place for both sides.

The handlers publish these metrics (CloudWatch embedded metric format, through Powertools) and write
these log messages and fields; infra/sikas_constructs/monitoring.py builds the dashboard, alarms and
saved Logs Insights queries from the same names, so a renamed metric cannot leave an alarm watching
nothing. Plain constants: the CDK app imports this module without Powertools' side effects.
"""

from __future__ import annotations

from .resources import deployment_name

NAMESPACE = "SikasSync"


def service_name(region_code: str) -> str:
    """The `service` dimension of one regency's metrics (`sikas-sync-12-09`, its deployment's name),
    so the alarms of two regencies deployed in one account never watch each other's data points."""
    return deployment_name(region_code)


# Dimensions. Every metric carries `service` (its regency); the per-domain ones also `domain`. Push
# outcomes are published under both sets, so an alarm reads the total without summing nine series.
DIMENSION_SERVICE = "service"
DIMENSION_DOMAIN = "domain"

# ingest-<domain>: one data point per processed export, dimension domain. (FilesReceived also gets a
# zero per domain from every sweep, so the no-upload alarm has data on days without uploads.)
FILES_RECEIVED = "FilesReceived"
FILES_REJECTED = "FilesRejected"
ROWS_VALID = "RowsValid"
ROWS_REJECTED = "RowsRejected"
RECORDS_CREATED = "RecordsCreated"
RECORDS_UPDATED = "RecordsUpdated"
RECORDS_UNCHANGED = "RecordsUnchanged"
INGEST_METRICS = (
    FILES_RECEIVED,
    FILES_REJECTED,
    ROWS_VALID,
    ROWS_REJECTED,
    RECORDS_CREATED,
    RECORDS_UPDATED,
    RECORDS_UNCHANGED,
)

# ingest-<domain>: a file sent back to its queue to wait for the domain's ingest lease (dimension domain).
FILES_WAITING = "FilesWaiting"

# sweep, reconcile, report, outbox, erase: a run that found another run of the same function holding
# its lease and did nothing (dimension service only).
RUNS_SKIPPED = "RunsSkipped"

# push: per domain of the batch (and their total, dimension service only).
PUSH_ACCEPTED = "PushAccepted"  # accepted, or stale: the ministry already holds a newer version
PUSH_DUPLICATE = "PushDuplicate"  # the ministry had this very version already
PUSH_REFUSED = "PushRefused"  # refused with error codes: waits for a corrected upload
PUSH_FAILED = "PushFailed"  # not delivered this time (ministry down/throttling, breaker open): retried
PUSH_BLOCKED = "PushBlocked"  # a permanent 400/403: waits for an operator
PUSH_METRICS = (PUSH_ACCEPTED, PUSH_DUPLICATE, PUSH_REFUSED, PUSH_FAILED, PUSH_BLOCKED)
# push, per invocation (dimension service only).
MINISTRY_REQUESTS = "MinistryRequests"
# 1 when records were held back by the open circuit breaker, else 0: the push function publishes
# it per invocation, the sweep every 15 minutes while records wait (so the series has no gaps).
BREAKER_OPEN = "BreakerOpen"

# sweep, every 15 minutes: totals (dimension service) and per domain.
UNDELIVERED_RECORDS = "UndeliveredRecords"
OLDEST_UNDELIVERED_AGE = "OldestUndeliveredAge"  # seconds
RECORDS_REQUEUED = "RecordsRequeued"
STRAY_FILES_REJECTED = "StrayFilesRejected"

# Log messages the saved queries look for (Powertools JSON logs: the text is in `message`).
LOG_FILE_PROCESSED = "file processed"
LOG_ROWS_REJECTED = "rows rejected"
LOG_PUSH_RESULTS = "push results"
LOG_MINISTRY_REFUSAL = "ministry refusal"
LOG_RECORDS_REQUEUED = "records requeued"
LOG_FILE_WAITING = "file waits for its domain"
LOG_RUN_SKIPPED = "run skipped: another run holds the lease"
