"""How long each kind of object is kept (UU 27/2022: personal data no longer than its purpose needs).

Every period is CDK context (`retention_<field>` in cdk.json, `-c retention_uploads_days=60`); the
defaults and their reasons:

uploads_days 90            SIKAS exports under `<domain>/`. The records live on in DynamoDB; the export
                           is needed only to re-run or investigate an ingest, and a quarter covers a
                           monthly export cycle, its corrections and the daily reconciliation.
noncurrent_days 30         Replaced, deleted or expired versions (the buckets are versioned): a month to
                           undo a mistaken overwrite or delete, then they are gone for good.
reports_days 180           `reports/`: row issues with masked values, for operators who fix exports.
quarantine_days 180        `quarantine/`: rejected rows as uploaded, personal data included, so that
                           operators can fix and re-upload them; half a year, then nobody will.
reconciliation_days 365    `reconciliation/`: record ids and counts of the daily comparison, a year of
                           evidence for audits of the data exchange (MoU Pasal 6).
smdata_days 730            `smdata/`: copies of SMData aggregate reports (no personal data); two
                           reporting years, for the ministry's corrections of earlier periods.
outbox_days 30             `outbox/`: the files SIKAS collects (status with NIKs, ministry-only
                           records, per-upload results). SIKAS fetches them daily; a month covers an
                           outage on its side. Each rewrite of a results file starts its month anew.
access_logs_days 365       S3 server access logs of the inbox: who put or read which export.
audit_trail_days 365       CloudTrail log files of the inbox and the erase function (data events):
                           the breach investigation's evidence.
incomplete_upload_days 3   Parts of multipart uploads never completed: unreadable, but still data.

`audit/` (erasure audit entries) never expires: the proof that an erasure was done must outlive it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_s3 as s3

from sikas_sync.resources import (
    OUTBOX_PREFIX,
    QUARANTINE_PREFIX,
    RECONCILIATION_PREFIX,
    REPORTS_PREFIX,
    SMDATA_PREFIX,
)

CONTEXT_PREFIX = "retention_"


class RetentionError(ValueError):
    pass


@dataclass(frozen=True)
class Retention:
    uploads_days: int = 90
    noncurrent_days: int = 30
    reports_days: int = 180
    quarantine_days: int = 180
    reconciliation_days: int = 365
    smdata_days: int = 730
    outbox_days: int = 30
    access_logs_days: int = 365
    audit_trail_days: int = 365
    incomplete_upload_days: int = 3

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise RetentionError(f"{CONTEXT_PREFIX}{field.name} must be a whole number of days >= 1")

    @classmethod
    def from_context(cls, get: Any) -> Retention:
        """`get` is `app.node.try_get_context`; a key left out keeps its default."""
        values: dict[str, int] = {}
        for field in dataclasses.fields(cls):
            raw = get(CONTEXT_PREFIX + field.name)
            if raw in (None, ""):
                continue
            try:
                values[field.name] = int(str(raw))
            except ValueError:
                message = f"{CONTEXT_PREFIX}{field.name} {raw!r} is not a number of days"
                raise RetentionError(message) from None
        return cls(**values)

    def system_prefixes(self) -> dict[str, int]:
        """The pipeline's own prefixes of the inbox and their periods."""
        return {
            REPORTS_PREFIX: self.reports_days,
            QUARANTINE_PREFIX: self.quarantine_days,
            RECONCILIATION_PREFIX: self.reconciliation_days,
            SMDATA_PREFIX: self.smdata_days,
            OUTBOX_PREFIX: self.outbox_days,
        }


def _rule_id(prefix: str) -> str:
    return "Expire-" + prefix.strip("/").replace("_", "-")


def expire_all(days: int, retention: Retention) -> list[s3.LifecycleRule]:
    """A log bucket: every object after `days`, noncurrent versions and incomplete uploads too."""
    return [
        s3.LifecycleRule(
            id="ExpireLogs",
            expiration=Duration.days(days),
            noncurrent_version_expiration=Duration.days(retention.noncurrent_days),
            abort_incomplete_multipart_upload_after=Duration.days(retention.incomplete_upload_days),
        ),
        _delete_markers(),
    ]


def inbox_rules(retention: Retention, domain_prefixes: list[str]) -> list[s3.LifecycleRule]:
    """Uploads per domain prefix, the pipeline's prefixes, incomplete uploads everywhere."""
    periods = dict.fromkeys(domain_prefixes, retention.uploads_days) | retention.system_prefixes()
    rules = [
        s3.LifecycleRule(
            id=_rule_id(prefix),
            prefix=prefix,
            expiration=Duration.days(days),
            noncurrent_version_expiration=Duration.days(retention.noncurrent_days),
        )
        for prefix, days in periods.items()
    ]
    rules.append(
        s3.LifecycleRule(
            id="AbortIncompleteUploads",
            abort_incomplete_multipart_upload_after=Duration.days(retention.incomplete_upload_days),
        )
    )
    rules.append(_delete_markers())
    return rules


def _delete_markers() -> s3.LifecycleRule:
    # An expired current version leaves a delete marker; once its noncurrent versions are gone the
    # marker is cleaned up too (S3 allows no expiration days in the same rule).
    return s3.LifecycleRule(id="RemoveExpiredDeleteMarkers", expired_object_delete_marker=True)
