"""Erasure on request (UU 27/2022): a person's records of one domain, here and at the ministry, audited.

Given a domain and a NIK, the use case finds that person's records of the domain:

- the record id SIKAS gives the NIK when the NIK is the domain's natural key (pencari_kerja): a keyed
  HMAC, so the ministry is asked to erase it even when nothing is stored here any more;
- every stored record of the domain whose `nik` is exactly that NIK (a filtered scan of the records
  table, the data checked again after parsing): the domains where the NIK is a field (kartu_ak1,
  penempatan, pelatihan, jkp), and records of any of them that reconciliation imported from the
  ministry under the ministry's own id.

Each record is erased at the ministry first (`DELETE /v1/records/{domain}/{record_id}`, 204 whether
or not it was there), then here (the records item and its deliveries item). That order keeps a
failed erasure repeatable: a record is only gone here once the ministry confirmed it, so a second
run finds it again. The first ministry failure stops the run; the audit entry says what was done.

The audit entry (`audit/erasure/<WIB date>/<uuid>.json` in the inbox bucket) names the domain, the
record ids, the ministry's request ids, the times and the requester. It never holds the NIK: a
masked one (`1209************`) at most. Nothing here logs the NIK or puts it in an exception.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from pydantic_core import PydanticCustomError

from ..domains import BY_SLUG, Domain
from ..domains.values import WIB
from ..domains.values import nik as normalise_nik
from ..ingest.record_ids import record_id
from ..privacy import mask_nik
from ..resources import ERASURE_AUDIT_PREFIX

log = logging.getLogger(__name__)

AUDIT_PREFIX = ERASURE_AUDIT_PREFIX  # the sweep leaves it alone: resources.SYSTEM_PREFIXES
NIK_FIELD = "nik"
MAX_REQUESTER_CHARS = 200
_PRINTABLE = re.compile(r"^[^\x00-\x1f\x7f]+$")

ErasureStatus = Literal["complete", "incomplete"]


class ErasureRefused(ValueError):
    """The request cannot be carried out as given (unknown domain, invalid NIK, no requester).

    The message never repeats the NIK.
    """


class MinistryEraseFailed(Exception):
    """The ministry did not confirm an erasure; `status` and `request_id` as it answered, if it did."""

    def __init__(self, message: str, *, status: int | None = None, request_id: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.request_id = request_id


# -- ports --------------------------------------------------------------------------------------


class PersonRecords(Protocol):
    def with_nik(self, domain: str, nik: str) -> list[str]:
        """Ids of the stored records of `domain` whose data holds exactly this NIK."""
        ...

    def delete(self, domain: str, record_id: str) -> bool:
        """Delete the record and its delivery state; True when a record item was there."""
        ...


class MinistryErasure(Protocol):
    def delete(self, domain: str, record_id: str) -> str | None:
        """Erase one record at the ministry; the request id of the confirmed request.

        Raises MinistryEraseFailed when the ministry did not confirm it.
        """
        ...


class AuditLog(Protocol):
    def put(self, key: str, document: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class ErasureDeps:
    records: PersonRecords
    ministry: MinistryErasure
    audit: AuditLog
    hmac_key: bytes
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    new_id: Callable[[], str] = lambda: str(uuid.uuid4())


# -- the request and its outcome ----------------------------------------------------------------


@dataclass(frozen=True)
class ErasureRequest:
    domain: str
    nik: str = field(repr=False)  # never in a repr, a log line or a traceback's locals summary
    requested_by: str


@dataclass
class ErasedRecord:
    record_id: str
    ministry: Literal["erased", "failed", "not_attempted"] = "not_attempted"
    ministry_request_id: str | None = None
    here: Literal["deleted", "absent", "kept"] = "kept"

    def as_json(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "ministry": self.ministry,
            "ministry_request_id": self.ministry_request_id,
            "here": self.here,
        }


@dataclass
class ErasureResult:
    erasure_id: str
    domain: str
    subject: str  # the masked NIK
    requested_by: str
    requested_at: datetime
    completed_at: datetime | None = None
    records: list[ErasedRecord] = field(default_factory=list)
    error: dict[str, Any] | None = None
    audit_key: str = ""

    @property
    def status(self) -> ErasureStatus:
        return "complete" if self.error is None else "incomplete"

    @property
    def erased_here(self) -> int:
        return sum(1 for record in self.records if record.here == "deleted")

    def as_json(self) -> dict[str, Any]:
        return {
            "erasure_id": self.erasure_id,
            "status": self.status,
            "domain": self.domain,
            "subject": self.subject,
            "requested_by": self.requested_by,
            "requested_at": _iso(self.requested_at),
            "completed_at": _iso(self.completed_at) if self.completed_at else None,
            "records": [record.as_json() for record in self.records],
            "error": self.error,
            "audit_key": self.audit_key,
        }


# -- the use case -------------------------------------------------------------------------------


def request_from_event(event: object) -> ErasureRequest:
    """The erase function's payload `{"domain", "nik", "requested_by"}`; ErasureRefused names the
    missing or mistyped fields only (a pydantic error would repeat the input, NIK and all)."""
    if not isinstance(event, dict):
        raise ErasureRefused("the event must be an object with domain, nik and requested_by")
    wrong = [name for name in ("domain", "nik", "requested_by") if not isinstance(event.get(name), str)]
    if wrong:
        raise ErasureRefused(f"the event lacks text fields: {', '.join(wrong)}")
    return ErasureRequest(domain=event["domain"], nik=event["nik"], requested_by=event["requested_by"])


def checked(request: ErasureRequest) -> tuple[Domain, str, str]:
    """The domain, the normalised NIK and the requester, or ErasureRefused (without the NIK)."""
    domain = BY_SLUG.get(request.domain)
    if domain is None:
        raise ErasureRefused(f"unknown domain {request.domain[:40]!r}")
    if NIK_FIELD not in domain.fields:
        raise ErasureRefused(f"domain {domain.slug} holds no records of persons (it has no NIK field)")
    try:
        nik = normalise_nik(request.nik)
    except PydanticCustomError as problem:
        raise ErasureRefused(f"the NIK is not valid: {problem.message()}") from None
    requester = request.requested_by.strip()
    if not requester or len(requester) > MAX_REQUESTER_CHARS or not _PRINTABLE.match(requester):
        raise ErasureRefused(f"requested_by must be 1 to {MAX_REQUESTER_CHARS} printable characters")
    return domain, nik, requester


def candidate_ids(domain: Domain, nik: str, deps: ErasureDeps) -> list[str]:
    """The record ids to erase: the NIK's own id when the NIK is the natural key, plus every stored
    record of the domain that holds the NIK, in a stable order."""
    ids: list[str] = []
    if domain.natural_key == (NIK_FIELD,):
        ids.append(record_id(deps.hmac_key, domain.slug, (nik,)))
    for found in sorted(deps.records.with_nik(domain.slug, nik)):
        if found not in ids:
            ids.append(found)
    return ids


def erase(request: ErasureRequest, deps: ErasureDeps) -> ErasureResult:
    """Erase the person's records of the domain; the audit entry is written whatever the outcome."""
    domain, nik, requester = checked(request)
    started = deps.clock()
    result = ErasureResult(
        erasure_id=deps.new_id(),
        domain=domain.slug,
        subject=mask_nik(nik),
        requested_by=requester,
        requested_at=started,
    )
    result.audit_key = f"{AUDIT_PREFIX}{started.astimezone(WIB).date().isoformat()}/{result.erasure_id}.json"
    try:
        result.records = [ErasedRecord(rid) for rid in candidate_ids(domain, nik, deps)]
        for record in result.records:
            try:
                record.ministry_request_id = deps.ministry.delete(domain.slug, record.record_id)
            except MinistryEraseFailed as failure:
                record.ministry = "failed"
                result.error = {
                    "record_id": record.record_id,
                    "step": "ministry",
                    "status": failure.status,
                    "request_id": failure.request_id,
                    "message": str(failure),
                }
                break
            record.ministry = "erased"
            record.here = "deleted" if deps.records.delete(domain.slug, record.record_id) else "absent"
    except Exception as error:  # an AWS failure here: audited as incomplete, then raised
        result.error = {"step": "here", "message": type(error).__name__}
        raise
    finally:
        result.completed_at = deps.clock()
        deps.audit.put(result.audit_key, result.as_json())
        log.info(
            "erasure %s: %s, %d records, %d deleted here (%s)",
            result.erasure_id,
            domain.slug,
            len(result.records),
            result.erased_here,
            result.status,
        )
    return result


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
