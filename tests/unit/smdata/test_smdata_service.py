"""The SMData report use case with fakes, and with the real ministry client on a local ministry."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
import urllib3
from pydantic import ValidationError
from smdata_support import DATASET, EXPECTED_ROWS, EXPECTED_TALLY, PERIOD

from sikas_sync.ministry import Credentials, MinistryClient, PermanentError, TransientError
from sikas_sync.ministry.local import InProcessPool, LocalMinistry
from sikas_sync.smdata.service import ReportDeps, ReportRejected, ReportRequest, run_reports

NOW = dt.datetime(2025, 4, 1, 2, 0, tzinfo=dt.UTC)  # 09:00 WIB on 1 April: the default period is March
ERRORS = [{"field": "rows[0].pendidikan", "code": "UNKNOWN_CODE", "message": "kode tidak dikenal"}]


@dataclass
class FakeRecords:
    asked: list[list[str]] = field(default_factory=list)

    def records(self, domains: Any) -> Any:
        self.asked.append(list(domains))
        for domain in domains:
            for data in DATASET.get(domain, []):
                yield domain, json.loads(json.dumps(data))


@dataclass
class FakeMinistry:
    refuse: dict[str, Exception] = field(default_factory=dict)
    received: dict[tuple[str, str], tuple[list[dict[str, Any]], dt.datetime]] = field(default_factory=dict)

    def put_report(
        self, template: str, period: str, rows: list[dict[str, Any]], generated_at: dt.datetime
    ) -> None:
        if template in self.refuse:
            raise self.refuse[template]
        self.received[(template, period)] = (json.loads(json.dumps(rows)), generated_at)

    @property
    def last_request_id(self) -> str | None:
        return "req-ok"


@dataclass
class FakeCopies:
    documents: dict[str, Any] = field(default_factory=dict)

    def put(self, key: str, document: Any) -> None:
        self.documents[key] = json.loads(json.dumps(document))


class World:
    def __init__(self, ministry: Any = None) -> None:
        self.records = FakeRecords()
        self.ministry = ministry or FakeMinistry()
        self.copies = FakeCopies()
        self.deps = ReportDeps(
            self.records, self.ministry, self.copies, region_code="12.09", clock=lambda: NOW
        )


def test_every_template_of_the_previous_month_goes_to_the_ministry_and_the_bucket() -> None:
    world = World()

    outcome = run_reports(ReportRequest(), world.deps)

    outcome.raise_for_failures()
    assert str(outcome.period) == PERIOD
    assert world.records.asked == [["lowongan", "pencari_kerja", "penempatan"]]
    assert world.ministry.received == {(name, PERIOD): (rows, NOW) for name, rows in EXPECTED_ROWS.items()}
    for name, rows in EXPECTED_ROWS.items():
        copy = world.copies.documents[f"smdata/{PERIOD}/{name}.json"]
        assert copy["rows"] == rows
        assert (copy["template"], copy["period"], copy["region_code"]) == (name, PERIOD, "12.09")
        assert copy["generated_at"] == "2025-04-01T02:00:00Z"
        assert (copy["period_start"], copy["period_end"]) == ("2025-03-01", "2025-03-31")
        read, counted, unusable = EXPECTED_TALLY[name]
        assert copy["records"] == {"read": read, "counted": counted, "unusable": unusable}
        assert copy["ministry"] == {
            "status": "accepted",
            "http_status": 200,
            "request_id": "req-ok",
            "errors": [],
        }


def test_manual_run_names_the_period_and_templates() -> None:
    world = World()

    outcome = run_reports(ReportRequest(period="2025-04", templates=["penempatan"]), world.deps)

    assert world.records.asked == [["penempatan"]]
    assert [r.template for r in outcome.reports] == ["penempatan"]
    expected = [{"jenis_penempatan": "LOKAL", "kbji_golongan_pokok": "2", "jumlah": 1}]
    assert world.ministry.received == {("penempatan", "2025-04"): (expected, NOW)}


def test_a_refused_report_is_kept_with_the_ministrys_errors_and_raised() -> None:
    refusal = PermanentError("report lowongan 2025-03: 422", status=422, request_id="req-422", errors=ERRORS)
    world = World(FakeMinistry(refuse={"lowongan": refusal}))

    outcome = run_reports(ReportRequest(), world.deps)

    copy = world.copies.documents["smdata/2025-03/lowongan.json"]
    assert copy["rows"] == EXPECTED_ROWS["lowongan"]
    assert copy["ministry"] == {
        "status": "rejected",
        "http_status": 422,
        "request_id": "req-422",
        "errors": ERRORS,
    }
    # the other templates were still sent
    assert set(world.ministry.received) == {("pencari_kerja_terdaftar", PERIOD), ("penempatan", PERIOD)}
    with pytest.raises(ReportRejected) as raised:
        outcome.raise_for_failures()
    message = str(raised.value)
    assert (
        "lowongan: rejected (HTTP 422, 1 errors, request req-422, copy smdata/2025-03/lowongan.json)"
        in message
    )
    assert "penempatan" not in message


def test_a_report_the_ministry_could_not_take_is_failed() -> None:
    world = World(FakeMinistry(refuse={"penempatan": TransientError("down", status=503, request_id="r-5")}))

    outcome = run_reports(ReportRequest(), world.deps)

    assert world.copies.documents["smdata/2025-03/penempatan.json"]["ministry"]["status"] == "failed"
    with pytest.raises(ReportRejected, match="penempatan: failed \\(HTTP 503"):
        outcome.raise_for_failures()


def test_request_validation() -> None:
    assert ReportRequest.model_validate({"source": "aws.scheduler"}) == ReportRequest()
    with pytest.raises(ValidationError, match="YYYY-MM"):
        ReportRequest(period="2025-3")
    with pytest.raises(ValidationError, match="unknown templates: nope"):
        ReportRequest(templates=["nope"])
    with pytest.raises(ValidationError, match="must not be empty"):
        ReportRequest(templates=[])


# -- the real client on the contract's local implementation (no socket) ---------------------------


class Refusing(InProcessPool):
    """Answers 422 with an errors list to the report PUT of one template; the rest goes through."""

    def __init__(self, local: LocalMinistry, template: str) -> None:
        super().__init__(local)
        self.template = template

    def urlopen(  # type: ignore[override]
        self, method: str, url: str, redirect: bool = True, **kw: Any
    ) -> urllib3.BaseHTTPResponse:
        if method == "PUT" and f"/v1/reports/{self.template}/" in url:
            body = json.dumps({"error": "REPORT_REJECTED", "message": "report rejected", "errors": ERRORS})
            return urllib3.HTTPResponse(
                body=body.encode(),
                headers={"Content-Type": "application/json"},
                status=422,
                preload_content=True,
            )
        return super().urlopen(method, url, redirect, **kw)


def real_client(local: LocalMinistry, pool: urllib3.PoolManager) -> MinistryClient:
    return MinistryClient(
        "http://ministry.test",
        "12.09",
        lambda refresh: Credentials("local-client", "local-secret"),
        pool=pool,
    )


def test_the_ministry_receives_exactly_the_rows() -> None:
    local = LocalMinistry()
    world = World(real_client(local, InProcessPool(local)))

    run_reports(ReportRequest(), world.deps).raise_for_failures()

    for name, rows in EXPECTED_ROWS.items():
        stored = local.reports[(name, PERIOD)]
        assert stored.rows == rows
        assert stored.generated_at == "2025-04-01T02:00:00Z"
        copy = world.copies.documents[f"smdata/{PERIOD}/{name}.json"]
        assert copy["ministry"]["request_id"] == stored.request_id


def test_the_ministrys_422_errors_reach_the_copy() -> None:
    local = LocalMinistry()
    world = World(real_client(local, Refusing(local, "pencari_kerja_terdaftar")))

    outcome = run_reports(ReportRequest(), world.deps)

    copy = world.copies.documents[f"smdata/{PERIOD}/pencari_kerja_terdaftar.json"]
    assert copy["ministry"]["status"] == "rejected"
    assert copy["ministry"]["http_status"] == 422
    assert copy["ministry"]["errors"] == ERRORS
    assert ("pencari_kerja_terdaftar", PERIOD) not in local.reports
    assert ("lowongan", PERIOD) in local.reports
    with pytest.raises(ReportRejected, match="pencari_kerja_terdaftar: rejected \\(HTTP 422, 1 errors"):
        outcome.raise_for_failures()
