"""Parser models for the events the functions receive.

Powertools' S3SqsEventNotificationModel requires fields (userIdentity, requestParameters, bucket
ownerIdentity) that S3's test event and the moto emulator omit; these models keep only what the
pipeline reads, on top of Powertools' SQS record model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from pydantic import BaseModel, ConfigDict, Field, Json, field_validator

if TYPE_CHECKING:
    from .domains import Domain


class S3ObjectInfo(BaseModel):
    key: str
    size: int | None = None
    versionId: str | None = None
    sequencer: str | None = None

    @field_validator("key")
    @classmethod
    def _decode(cls, key: str) -> str:
        # S3 URL-encodes keys in notifications, spaces as "+".
        return unquote_plus(key)


class S3BucketInfo(BaseModel):
    name: str


class S3Entity(BaseModel):
    bucket: S3BucketInfo
    object: S3ObjectInfo


class S3NotificationRecord(BaseModel):
    eventName: str
    s3: S3Entity


class S3Notification(BaseModel):
    Records: list[S3NotificationRecord] = Field(default_factory=list)


class S3TestEvent(BaseModel):
    """Sent once when a notification configuration is created; carries no object."""

    Event: Literal["s3:TestEvent"]
    Bucket: str | None = None


# The message attribute of a file sent back to its ingest queue to wait for its domain's lease:
# how often it waited so far (sikas_sync.adapters.sqs_waiting).
WAITS_ATTRIBUTE = "sikas-waits"


class InboxSqsRecord(SqsRecordModel):
    body: Json[S3TestEvent | S3Notification]


class PushRequest(BaseModel):
    """The push queue's message: which record version to deliver (no personal data)."""

    domain: str
    record_id: str
    version: int = Field(ge=1)


class DomainsRequest(BaseModel):
    """A scheduled invocation carries nothing; a manual one may name the domains to work on."""

    model_config = ConfigDict(extra="ignore")

    domains: list[str] | None = None

    @field_validator("domains")
    @classmethod
    def _known(cls, domains: list[str] | None) -> list[str] | None:
        if domains is None:
            return None
        from .domains import BY_SLUG  # every domain model: only when a request names domains

        unknown = sorted(set(domains) - set(BY_SLUG))
        if unknown:
            raise ValueError(f"unknown domains: {', '.join(unknown)}")
        if not domains:
            raise ValueError("domains must not be empty; leave it out for every domain")
        return list(dict.fromkeys(domains))

    def selected(self) -> list[Domain]:
        from .domains import BY_SLUG, DOMAINS

        return [BY_SLUG[slug] for slug in self.domains] if self.domains else list(DOMAINS)
