"""The monthly SMData reports: aggregate the stored records per template and period, send each
report to the ministry (`PUT /v1/reports/{template}/{period}`, which replaces an earlier one) and
keep a copy in the inbox bucket at `smdata/<period>/<template>.json`.

One Scan of the records table feeds every template (each sees its own domain's records); only the
aggregates are kept in memory. Every report's copy records what the ministry answered; a refusal
(422, with the ministry's errors in the copy) or a failure is raised once all templates were tried,
so the scheduler's retry sends them all again (harmless: the ministry replaces a report).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from ..ministry import MinistryError, contract
from ..resources import SMDATA_PREFIX
from .ports import RecordSource, ReportCopies, ReportMinistry
from .templates import TEMPLATES, Period, Template


def copy_key(period: Period, template: str) -> str:
    return f"{SMDATA_PREFIX}{period}/{template}.json"


class ReportRequest(BaseModel):
    """The scheduled event carries nothing: the previous month (WIB), every template. A manual run
    may name the period and the templates."""

    model_config = ConfigDict(extra="ignore")

    period: str | None = None
    templates: list[str] | None = None

    @field_validator("period")
    @classmethod
    def _period(cls, period: str | None) -> str | None:
        if period is not None and not contract.PERIOD.match(period):
            raise ValueError("period must be YYYY-MM")
        return period

    @field_validator("templates")
    @classmethod
    def _known(cls, templates: list[str] | None) -> list[str] | None:
        if templates is None:
            return None
        unknown = sorted(set(templates) - set(TEMPLATES))
        if unknown:
            raise ValueError(f"unknown templates: {', '.join(unknown)}")
        if not templates:
            raise ValueError("templates must not be empty; leave it out for every template")
        return list(dict.fromkeys(templates))


@dataclass
class ReportDeps:
    records: RecordSource
    ministry: ReportMinistry
    copies: ReportCopies
    region_code: str
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


@dataclass
class TemplateReport:
    template: str
    domain: str
    period: Period
    rows: list[dict[str, Any]] = field(default_factory=list)
    read: int = 0  # records of the domain read
    counted: int = 0  # of those, in the period and counted
    unusable: int = 0  # of those, lacking a date or number the template needs (not counted)
    status: str = "pending"  # accepted, rejected (the ministry's 422) or failed (try again)
    http_status: int | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    request_id: str | None = None

    @property
    def key(self) -> str:
        return copy_key(self.period, self.template)

    def as_json(self, region_code: str, generated_at: datetime) -> dict[str, Any]:
        return {
            "template": self.template,
            "period": str(self.period),
            "region_code": region_code,
            "generated_at": _iso(generated_at),
            "period_start": self.period.first.isoformat(),
            "period_end": self.period.last.isoformat(),
            "domain": self.domain,
            "records": {"read": self.read, "counted": self.counted, "unusable": self.unusable},
            "rows": self.rows,
            "ministry": {
                "status": self.status,
                "http_status": self.http_status,
                "request_id": self.request_id,
                "errors": self.errors,
            },
        }


class ReportRejected(RuntimeError):
    """The ministry refused a report (422) or could not take it; the copies hold the details."""


@dataclass
class ReportOutcome:
    period: Period
    generated_at: datetime
    reports: list[TemplateReport]

    def raise_for_failures(self) -> None:
        bad = [report for report in self.reports if report.status != "accepted"]
        if not bad:
            return
        details = "; ".join(
            f"{r.template}: {r.status} (HTTP {r.http_status or '-'}, {len(r.errors)} errors,"
            f" request {r.request_id or '-'}, copy {r.key})"
            for r in bad
        )
        raise ReportRejected(f"SMData reports for {self.period} not accepted: {details}")


def run_reports(request: ReportRequest, deps: ReportDeps) -> ReportOutcome:
    period = Period.parse(request.period) if request.period else Period.before(deps.clock())
    names = request.templates or list(TEMPLATES)
    aggregators: list[Template] = [TEMPLATES[name](period) for name in names]
    reports = {a.name: TemplateReport(a.name, a.domain, period) for a in aggregators}
    by_domain: dict[str, list[Template]] = {}
    for aggregator in aggregators:
        by_domain.setdefault(aggregator.domain, []).append(aggregator)

    for domain, data in deps.records.records(sorted(by_domain)):
        for aggregator in by_domain.get(domain, ()):
            report = reports[aggregator.name]
            report.read += 1
            added = aggregator.add(data)
            report.counted += added == "counted"
            report.unusable += added == "unusable"

    generated_at = deps.clock()
    for aggregator in aggregators:
        report = reports[aggregator.name]
        report.rows = aggregator.rows()
        _send(report, generated_at, deps)
        deps.copies.put(report.key, report.as_json(deps.region_code, generated_at))
    return ReportOutcome(period, generated_at, list(reports.values()))


def _send(report: TemplateReport, generated_at: datetime, deps: ReportDeps) -> None:
    try:
        deps.ministry.put_report(report.template, str(report.period), report.rows, generated_at)
    except MinistryError as error:
        report.status = "rejected" if error.status == 422 else "failed"
        report.http_status = error.status
        report.errors = [dict(e) for e in error.errors]
        report.request_id = error.request_id
        return
    report.status = "accepted"
    report.http_status = 200
    report.request_id = deps.ministry.last_request_id


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
