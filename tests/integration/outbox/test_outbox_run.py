"""Issue 7 end to end: `run` on the embedded stack writes SIKAS's outbox, and `--outbox-dir` copies it.

Three uploads (job seekers with rejected rows and a duplicate, a second export with unchanged and one
changed job seeker, AK/1 cards), a ministry that refuses some records, and job seekers registered
directly in SIAPkerja that the reconcile imports. Expectations come from the run's JSON summary, the
exports themselves and what the local ministry holds, never from the outbox code.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from exports import Export, sample_export
from sikas_sync.cli.outbox import add_parser, cmd_outbox
from sikas_sync.cli.run import Upload, resolve_domain, run_pipeline
from sikas_sync.domains import BY_SLUG
from sikas_sync.domains.values import WIB
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.ministry.local import NIK_UNKNOWN, Faults, LocalMinistry

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")

PK, AK1 = "pencari_kerja", "kartu_ak1"
SIAP = {
    "SIAP-1": {
        "nik": "1209015506900001",
        "nama": '=HYPERLINK("http://contoh.invalid","Rina")',  # the ministry's text, never validated here
        "tanggal_lahir": "1990-06-15",
        "jenis_kelamin": "P",
        "pendidikan": "SMA",
        "kode_wilayah": "12.09.01.2001",
        "tanggal_daftar": "2026-01-05",
        "status": "TERDAFTAR",
    },
    "SIAP-2": {
        "nik": "1209016707910002",
        "nama": "Dewi Lestari",
        "tanggal_lahir": "1991-07-27",
        "jenis_kelamin": "P",
        "pendidikan": "S1",
        "kode_wilayah": "12.09.01.2001",
        "tanggal_daftar": "2026-02-01",
        "no_hp": "+6281234567890",
    },
}


@dataclass
class Run:
    summary: dict[str, Any]
    outbox: Path
    ministry: LocalMinistry
    exports: dict[str, Export]
    days: set[str]
    on_demand: dict[str, Any] = field(default_factory=dict)

    def csv_rows(self, relative: str) -> list[dict[str, str]]:
        raw = (self.outbox / relative).read_bytes()
        assert raw.startswith("\ufeff".encode())  # UTF-8 with BOM, `;`: Excel in an Indonesian locale
        header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
        return [dict(zip(header, row, strict=True)) for row in rows]

    def dated(self, domain: str, name: str, suffix: str = "csv") -> str:
        (found,) = [
            f"{domain}/{name}_{day}.{suffix}"
            for day in self.days
            if (self.outbox / domain / f"{name}_{day}.{suffix}").exists()
        ]
        return found

    def file(self, name: str) -> dict[str, Any]:
        (entry,) = [f for f in self.summary["files"] if f["file"] == name]
        return entry


def _on_demand(stack: EmbeddedStack, folder: Path) -> dict[str, Any]:
    """`sikas-sync outbox --domain pencari_kerja --since <today> --embedded STATE --json` on this stack."""
    state = folder / "embedded.json"
    state.write_text(json.dumps(stack.target().to_state()), encoding="utf-8")
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    today = dt.datetime.now(WIB).date().isoformat()
    args = parser.parse_args(["outbox", "--domain", PK, "--since", today, "--embedded", str(state), "--json"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cmd_outbox(args) == 0
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("outbox-run")
    first = sample_export(folder, 40, seed=301, invalid_ratio=0.1)
    broken = {b.row for b in first.broken}
    valid = [n for n in range(1, 41) if n not in broken]
    earlier, later = valid[5], valid[-2]
    first.rows[later - 1] = list(first.rows[earlier - 1])  # the later row wins, the earlier is warned
    second = first.slice(0, 12)
    second.broken = [b for b in first.broken if b.row <= 12]  # rejected again
    changed = next(n for n in range(1, 13) if n in valid and n != earlier)
    second.set(
        changed,
        "status",
        "SUDAH_BEKERJA" if second.cell(changed, "status") != "SUDAH_BEKERJA" else "TERDAFTAR",
    )
    cards = sample_export(folder, 12, seed=303, domain=AK1)
    paths = [
        first.write(folder / "pencari_kerja_2025-03.csv"),
        second.write(folder / "pencari_kerja_2025-04.csv"),
        cards.write(folder / "kartu_ak1_2025-03.csv"),
    ]
    seen: dict[str, Any] = {}

    def hook(stack: EmbeddedStack) -> None:
        # Registered directly in SIAPkerja: the daily reconcile brings them here, then the outbox runs.
        assert stack.local_ministry is not None
        seen["ministry"] = stack.local_ministry
        stack.local_ministry.seed_records(
            PK, [{"record_id": rid, "data": data} for rid, data in SIAP.items()], source="SIAPKERJA"
        )
        result = stack.invoke_scheduled("reconcile", {"domains": [PK, AK1]})
        assert result["domains"][PK]["imported"] == 2
        seen["on_demand"] = _on_demand(stack, folder)

    before = dt.datetime.now(WIB).date().isoformat()
    with open(os.devnull, "w") as log:
        summary = run_pipeline(
            [Upload(path, resolve_domain(path, None)) for path in paths],
            region_code="12.09",
            ministry_url=None,
            credentials=("local-client", "local-secret"),
            timeout_s=60,
            log=log,
            faults=Faults(refuse_rate=0.15),
            stack_hook=hook,
            outbox_dir=folder / "outbox",
        )
    after = dt.datetime.now(WIB).date().isoformat()
    return Run(
        summary=summary,
        outbox=folder / "outbox",
        ministry=seen["ministry"],
        exports={
            "pencari_kerja_2025-03.csv": first,
            "pencari_kerja_2025-04.csv": second,
            "kartu_ak1_2025-03.csv": cards,
        },
        days={before, after},
        on_demand=seen["on_demand"],
    )


def _ministry_sikas(run: Run, domain: str) -> dict[str, dict[str, Any]]:
    return {rid: r for rid, r in run.ministry.records(domain).items() if r["source"] == "SIKAS"}


def test_the_run_settles_with_refusals_and_the_outbox_folder_holds_every_file(run: Run) -> None:
    assert run.summary["delivery"]["pending"] == 0
    assert run.summary["delivery"]["rejected_by_ministry"] >= 1
    assert [f["status"] for f in run.summary["files"]] == ["processed"] * 3
    names = {p.relative_to(run.outbox).as_posix() for p in run.outbox.rglob("*") if p.is_file()}
    for domain in BY_SLUG:
        assert {
            run.dated(domain, "status"),
            run.dated(domain, "status", "jsonl"),
            run.dated(domain, "dari_siapkerja"),
        } <= names
    uploads = {f"results/{f['key']}.csv" for f in run.summary["files"]}
    assert uploads <= names
    assert len([n for n in names if "_sejak_" in n]) == 3  # of `outbox --since` (the last test)
    assert len(names) == 3 * len(BY_SLUG) + len(uploads) + 3


@pytest.mark.parametrize("domain", [PK, AK1])
def test_status_has_every_record_sikas_sent_with_the_ministrys_outcome(run: Run, domain: str) -> None:
    rows = {r["record_id"]: r for r in run.csv_rows(run.dated(domain, "status"))}
    at_ministry = _ministry_sikas(run, domain)
    key = BY_SLUG[domain].natural_key[0]
    sent_keys = {
        export.cell(n, key)
        for name, export in run.exports.items()
        if name.startswith(domain)
        for n in range(1, len(export.rows) + 1)
        if n not in {b.row for b in export.broken}
    }
    assert {r[key] for r in rows.values()} == sent_keys  # exactly one row per record, none other
    for rid, row in rows.items():
        if rid in at_ministry:
            held = at_ministry[rid]
            assert (row["delivery_status"], row["version"]) == ("delivered", str(held["version"]))
            assert row["ministry_ref"] == held["ministry_ref"]  # for job seekers: the SIAPkerja ID
            assert row["delivered_at"]
            assert row["ministry_codes"] == ""
        else:
            assert row["delivery_status"] == "rejected_by_ministry"
            assert (row["ministry_codes"], row["ministry_messages"]) == (
                f"{NIK_UNKNOWN['field']}:{NIK_UNKNOWN['code']}",
                NIK_UNKNOWN["message"],
            )
            assert row["ministry_ref"] == row["delivered_at"] == ""


def test_every_delivered_job_seekers_siapkerja_id_is_in_the_status_file(run: Run) -> None:
    rows = {r["nik"]: r["ministry_ref"] for r in run.csv_rows(run.dated(PK, "status"))}
    delivered = _ministry_sikas(run, PK)
    assert delivered
    for record in delivered.values():
        assert rows[record["data"]["nik"]] == record["ministry_ref"]
        assert record["ministry_ref"].startswith("PK-1209-")


def test_the_json_lines_status_agrees_with_the_csv(run: Run) -> None:
    csv_rows = {r["record_id"]: r for r in run.csv_rows(run.dated(PK, "status"))}
    lines = [
        json.loads(line) for line in (run.outbox / run.dated(PK, "status", "jsonl")).read_text().splitlines()
    ]
    assert {line["record_id"] for line in lines} == set(csv_rows)
    for line in lines:
        row = csv_rows[line["record_id"]]
        assert (line["natural_key"]["nik"], line["delivery_status"], line["ministry_ref"] or "") == (
            row["nik"],
            row["delivery_status"],
            row["ministry_ref"],
        )


def test_dari_siapkerja_has_exactly_the_ministry_only_job_seekers(run: Run) -> None:
    rows = {r["record_id"]: r for r in run.csv_rows(run.dated(PK, "dari_siapkerja"))}
    assert set(rows) == set(SIAP)
    held = run.ministry.records(PK)
    fields = BY_SLUG[PK].fields
    for rid, data in SIAP.items():
        row = rows[rid]
        assert list(row)[: len(fields)] == list(fields)  # the columns of domains.md, in order
        assert (row["ministry_ref"], row["sumber"]) == (held[rid]["ministry_ref"], "SIAPKERJA")
        for name in fields:
            value = data.get(name, "")
            assert row[name] == ("'" + value if value[:1] in ("=", "+") else value)
    assert run.csv_rows(run.dated(AK1, "dari_siapkerja")) == []


def _expected_delivery(run: Run, domain: str) -> dict[str, str]:
    return {r["record_id"]: r["delivery_status"] for r in run.csv_rows(run.dated(domain, "status"))}


@pytest.mark.parametrize(
    "name", ["pencari_kerja_2025-03.csv", "pencari_kerja_2025-04.csv", "kartu_ak1_2025-03.csv"]
)
def test_each_uploads_results_match_the_runs_summary_row_for_row(run: Run, name: str) -> None:
    entry = run.file(name)
    rows = run.csv_rows(f"results/{entry['key']}.csv")
    assert [int(r["row"]) for r in rows] == list(range(1, entry["rows"] + 1))
    counts = Counter(r["status"] for r in rows)
    assert counts["stored"] == entry["created"] + entry["updated"]
    assert counts["unchanged"] == entry["unchanged"]
    assert counts["rejected"] == entry["rejected"]
    assert counts["warning"] == entry["warnings"]
    assert sum(counts.values()) == entry["rows"]
    by_row = {int(r["row"]): r for r in rows}
    for error in entry["errors"]:
        row = by_row[error["row"]]
        assert row["status"] == "rejected"
        assert f"{error['column']}:{error['code']}" in row["codes"].split()
        assert error["message"] in row["messages"].split(" | ")
    current = _expected_delivery(run, entry["domain"])
    export = run.exports[name]
    key = BY_SLUG[entry["domain"]].natural_key[0]
    for n, row in by_row.items():
        if row["status"] == "rejected":
            assert row["delivery_status"] == row["record_id"] == ""
            continue
        assert row[key] == export.cell(n, key)
        latest = current[row["record_id"]]
        if row["status"] == "stored" and row["version"] != _version(run, entry["domain"], row["record_id"]):
            # Replaced by the second export's version: delivered with it, or superseded if it was refused.
            assert row["delivery_status"] == ("delivered" if latest == "delivered" else "superseded")
        else:
            assert row["delivery_status"] == latest
        if row["delivery_status"] == "delivered":
            assert row["ministry_ref"]


def _version(run: Run, domain: str, rid: str) -> str:
    return next(r["version"] for r in run.csv_rows(run.dated(domain, "status")) if r["record_id"] == rid)


def test_the_second_export_has_unchanged_rows_and_one_update(run: Run) -> None:
    entry = run.file("pencari_kerja_2025-04.csv")
    assert entry["updated"] == 1
    assert entry["created"] == 0
    assert entry["unchanged"] >= 8
    first = run.file("pencari_kerja_2025-03.csv")
    assert first["warnings"] == 1


def test_the_on_demand_outbox_writes_partial_files_beside_the_full_ones(run: Run) -> None:
    document = run.on_demand
    (day,) = {document["date"]} & run.days
    result = document["domains"][PK]
    assert list(document["domains"]) == [PK]
    assert result["status"] == f"outbox/{PK}/status_{day}_sejak_{document['since']}.csv"
    assert result["dari_siapkerja_rows"] == 2  # imported today
    assert result["status_rows"] == len(run.csv_rows(run.dated(PK, "status")))  # all written today
    partial = run.outbox / PK / f"status_{day}_sejak_{document['since']}.csv"
    assert partial.is_file()
