"""The reconcile and report handlers' metrics: service-level counts, one data point per run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from telemetry_support import context, emf_points, load

from sikas_sync.reconcile.service import DomainReconciliation, ReconcileOutcome
from sikas_sync.smdata.service import ReportOutcome, TemplateReport
from sikas_sync.smdata.templates import Period

NOW = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)


def run(
    module: Any, name: str, capsys: pytest.CaptureFixture[str]
) -> dict[str, tuple[float, tuple[Any, ...]]]:
    capsys.readouterr()
    module.lambda_handler({}, context(name, 900))
    return {p.name: (p.value, p.dimension_sets) for p in emf_points(capsys.readouterr().out)}


def test_reconcile_publishes_its_totals(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = load("reconcile", monkeypatch, POWERTOOLS_SERVICE_NAME="reconcile")
    jkp = DomainReconciliation(
        "jkp", "incremental", None, NOW, pulled=5, only_here=["a", "b"], imported=["c"]
    )
    monkeypatch.setattr(
        module, "run_reconcile", lambda settings, request, timeout_s: ReconcileOutcome({"jkp": jkp})
    )

    published = run(module, "reconcile", capsys)

    service = (("service",),)
    assert published["ReconcilePulled"] == (5, service)
    assert published["ReconcileOnlyHere"] == (2, service)
    assert published["ReconcileImported"] == (1, service)
    assert published["ReconcileFailedDomains"] == (0, service)


def test_report_publishes_accepted_and_not_accepted_reports(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = load("report", monkeypatch, POWERTOOLS_SERVICE_NAME="report")
    period = Period(2026, 10)
    reports = [TemplateReport("lowongan", "lowongan", period, status="accepted")]
    monkeypatch.setattr(
        module, "run_smdata_reports", lambda settings, request, timeout_s: ReportOutcome(period, NOW, reports)
    )

    published = run(module, "report", capsys)

    assert published["SmdataReportsAccepted"] == (1, (("service",),))
    assert published["SmdataReportsNotAccepted"] == (0, (("service",),))


@pytest.mark.parametrize(
    ("name", "runner"),
    [("reconcile", "run_reconcile"), ("report", "run_smdata_reports"), ("outbox", "run_outbox")],
)
def test_a_run_that_finds_another_run_holding_the_lease_is_skipped_not_failed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, runner: str
) -> None:
    module = load(name, monkeypatch, POWERTOOLS_SERVICE_NAME=name)
    monkeypatch.setattr(module, runner, lambda settings, request, timeout_s: None)  # the lease was taken
    capsys.readouterr()

    answer = module.lambda_handler({}, context(name, 900))  # no exception: nothing to retry or alarm

    assert answer == {"skipped": "another run holds the lease", "function": name}
    published = {p.name: p.value for p in emf_points(capsys.readouterr().out)}
    assert published == {"RunsSkipped": 1}
