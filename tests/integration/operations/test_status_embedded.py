"""`sikas-sync status` and `report` against the embedded stack after a `run` with rejected rows,
ministry refusals and a dead-lettered message: they show what the run's JSON summary says."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from sikas_sync.cli.messages import speaking
from sikas_sync.cli.run import Upload, run_pipeline
from sikas_sync.cli.status import HANDLERS, add_parsers
from sikas_sync.delivery.ports import BREAKER_NAME
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.ministry import TransientError
from sikas_sync.ministry.local import Faults
from sikas_sync.operations.breaker import read_breaker
from sikas_sync.operations.status import stack_status
from sikas_sync.operations.target import TargetError
from sikas_sync.sample import SampleSpec, write_sample

COUNTS = ("status", "rows", "valid", "rejected", "created", "updated", "unchanged", "warnings")
STRAY_PUSH_MESSAGE = json.dumps({"domain": "jkp", "record_id": "0" * 32, "version": 1})


def cli(*argv: str) -> int:
    """The commands as `sikas-sync` registers them (main.py: add_parsers + HANDLERS), in the
    command line's default language whatever the machine's locale."""
    with speaking("id"):
        parser = argparse.ArgumentParser(prog="sikas-sync")
        add_parsers(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(argv)
        return HANDLERS[args.command](args)


@pytest.fixture(scope="module")
def uploads(tmp_path_factory: pytest.TempPathFactory) -> list[Upload]:
    folder = tmp_path_factory.mktemp("status")
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    files = []
    for index, (domain, fmt) in enumerate((("pelatihan", "csv"), ("lowongan", "jsonl"))):
        spec = SampleSpec(domain=domain, rows=40, seed=70 + index, invalid_ratio=0.1, format=fmt, today=today)
        files.append(Upload(write_sample(spec, folder / f"{domain}_status.{fmt}").path, domain))
    broken = folder / "lowongan_rusak.csv"
    broken.write_text("id_lowongan;jabatan\nL-1;Operator\n", encoding="utf-8")  # required columns missing
    return [*files, Upload(broken, "lowongan")]


@pytest.fixture(scope="module")
def observed(uploads: list[Upload], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run; while its stack still runs: a dead-lettered message, then status and report."""
    state = tmp_path_factory.mktemp("state") / "embedded.json"
    seen: dict[str, Any] = {}

    def hook(stack: EmbeddedStack) -> None:
        target = stack.target()
        stack.clients["sqs"].send_message(QueueUrl=target.push.dlq_url, MessageBody=STRAY_PUSH_MESSAGE)
        state.write_text(json.dumps(target.to_state()))
        seen["status"] = stack_status(target).as_json()
        for name, argv in {
            "status_json": ("status", "--embedded", str(state), "--json"),
            "status_text": ("status", "--embedded", str(state)),
            "file_json": (
                "status",
                "--embedded",
                str(state),
                "--file",
                "pelatihan/pelatihan_status.csv",
                "--json",
            ),
            "report_json": (
                "report",
                "--embedded",
                str(state),
                "--file",
                "pelatihan/pelatihan_status.csv",
                "--json",
            ),
            "report_text": ("report", "--embedded", str(state), "--file", "lowongan/lowongan_status.jsonl"),
            "rejected_report": ("report", "--embedded", str(state), "--file", "lowongan/lowongan_rusak.csv"),
        }.items():
            out = io.StringIO()
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr("sys.stdout", out)
                assert cli(*argv) == 0
            seen[name] = out.getvalue()
        for name, argv in {
            "missing_report": ("report", "--embedded", str(state), "--file", "lowongan/belum-ada.csv"),
            "missing_file": ("status", "--embedded", str(state), "--file", "lowongan/belum-ada.csv"),
        }.items():
            with pytest.raises(TargetError) as error:
                cli(*argv)
            seen[name] = str(error.value)

    seen["summary"] = run_pipeline(
        uploads,
        region_code="12.09",
        ministry_url=None,
        credentials=("local-client", "local-secret"),
        timeout_s=120,
        log=io.StringIO(),
        faults=Faults(refuse_rate=0.2),
        ministry_seed=3,
        stack_hook=hook,
    )
    return seen


def test_the_run_had_what_status_must_show(observed: dict[str, Any]) -> None:
    summary = observed["summary"]
    assert summary["delivery"]["rejected_by_ministry"] > 0
    assert summary["delivery"]["dead_lettered"] == 1
    assert all(entry["rejected"] > 0 for entry in summary["files"][:2])
    assert summary["files"][2]["status"] == "rejected"


def test_status_shows_each_files_counts_as_the_run_summary(observed: dict[str, Any]) -> None:
    status, summary = observed["status"], observed["summary"]
    by_key = {entry["key"]: entry for entry in status["files"]}
    assert set(by_key) == {entry["key"] for entry in summary["files"]}
    for entry in summary["files"]:
        assert {name: by_key[entry["key"]][name] for name in COUNTS} == {name: entry[name] for name in COUNTS}
        assert by_key[entry["key"]]["reason"] == entry["reason"]
    assert status["totals"]["files"] == 3
    assert status["totals"]["rejected_files"] == 1
    assert status["totals"]["valid"] == sum(entry["valid"] for entry in summary["files"])


def test_status_shows_the_delivery_counts_and_dead_letters_of_the_run_summary(
    observed: dict[str, Any],
) -> None:
    status, delivery = observed["status"], observed["summary"]["delivery"]
    assert status["delivery"]["delivered"] == delivery["delivered"]
    assert status["delivery"]["rejected_by_ministry"] == delivery["rejected_by_ministry"]
    assert status["delivery"]["undelivered"] == delivery["pending"] == 0
    assert status["dead_lettered"] == delivery["dead_lettered"] == 1
    assert status["queues"]["push"] == {"queued": 0, "dead_lettered": 1}
    assert status["breaker"]["state"] == "CLOSED"


def test_the_json_command_prints_the_same_document(observed: dict[str, Any]) -> None:
    printed = json.loads(observed["status_json"])
    assert printed["files"] == observed["status"]["files"]
    assert printed["delivery"] == observed["status"]["delivery"]
    assert printed["queues"] == observed["status"]["queues"]


def test_status_of_one_file_follows_its_records_to_the_ministry(observed: dict[str, Any]) -> None:
    document = json.loads(observed["file_json"])
    [entry] = document["files"]
    [from_run] = [e for e in observed["summary"]["files"] if e["key"] == "pelatihan/pelatihan_status.csv"]
    assert entry["valid"] == from_run["valid"]
    records = document["file"]["records"]
    assert sum(records.values()) == from_run["created"] + from_run["updated"]
    assert records["pending"] == records["blocked"] == 0
    assert records["delivered"] + records["rejected_by_ministry"] == from_run["created"]
    assert document["file"]["report"] == "reports/pelatihan/pelatihan_status.csv.json"


def test_the_terminal_table_names_files_dead_letters_and_the_redrive(observed: dict[str, Any]) -> None:
    text = observed["status_text"]
    assert "pelatihan/pelatihan_status.csv" in text
    assert "lowongan/lowongan_rusak.csv" in text
    assert "alasan: " in text
    assert "sikas-sync redrive --queue push" in text
    assert "tidak ada yang menunggu kementerian" in text
    assert "pemutus sirkuit kementerian: tertutup" in text


def test_report_prints_a_files_counts_and_every_row_issue_masked(observed: dict[str, Any]) -> None:
    report = json.loads(observed["report_json"])
    [from_run] = [e for e in observed["summary"]["files"] if e["key"] == "pelatihan/pelatihan_status.csv"]
    assert {name: report[name] for name in COUNTS} == {name: from_run[name] for name in COUNTS}
    errors = [(i["row"], i["column"], i["code"]) for i in report["issues"] if i["severity"] == "error"]
    assert errors[: len(from_run["errors"])] == [
        (e["row"], e["column"], e["code"]) for e in from_run["errors"]
    ]

    text = observed["report_text"]
    assert text.startswith("laporan lowongan/lowongan_status.jsonl")
    assert re.search(r"^\s+\d+\s+\S+\s+\S+", text, re.MULTILINE)  # a row of the issue table
    for output in (observed["report_json"], text):
        assert not re.search(r"(?<!\d)\d{16}(?!\d)", output)  # NIKs are masked in reports
    assert "alasan: " in observed["rejected_report"]
    assert "tidak ada masalah baris" in observed["rejected_report"]


def test_no_stack_or_no_such_file_is_a_usage_error_saying_what_to_do(
    observed: dict[str, Any], tmp_path: Path
) -> None:
    # main() turns TargetError into exit status 2 with this message on stderr.
    with pytest.raises(TargetError, match="local-stack"):
        cli("status", "--embedded", str(tmp_path / "none.json"))
    assert (
        observed["missing_report"]
        == "tidak ada laporan untuk 'lowongan/belum-ada.csv': belum diunggah, atau belum selesai diproses"
    )
    assert observed["missing_file"].startswith("tidak ada berkas 'lowongan/belum-ada.csv' di ledger")


def test_status_and_the_sweep_see_the_open_breaker_while_records_wait(tmp_path: Path) -> None:
    from sikas_sync.delivery.wiring import DynamoBreaker

    export = write_sample(SampleSpec(domain="jkp", rows=5, seed=4), tmp_path / "jkp.csv").path
    with EmbeddedStack(log=io.StringIO()) as stack:
        stack.upload(export, "jkp/jkp.csv")
        assert stack.run_ingest(60)  # five records wait in the push queue
        target = stack.target()
        # The push function's own breaker (Powertools, in the deliveries table), tripped for real.
        breaker = DynamoBreaker(target.deliveries_table, failures=1, recovery_s=300)

        def ministry_down() -> None:
            raise TransientError("503", status=503, retry_after=None)

        with pytest.raises(TransientError):
            breaker.call(ministry_down)
        status = stack_status(target).as_json()
        assert status["breaker"]["state"] == "OPEN"
        assert status["breaker"]["open"] is True
        assert status["delivery"]["pending"] == 5
        assert read_breaker(target.client("dynamodb"), target.deliveries_table).failure_count >= 1

        assert stack.dispatcher is not None
        stack.invoke_scheduled("sweep")
        assert stack.dispatcher.metrics["BreakerOpen"] == 1
        item = stack.clients["dynamodb"].get_item(
            TableName=target.deliveries_table, Key={"pk": {"S": BREAKER_NAME}}
        )["Item"]
        assert item["state"]["S"] == "OPEN"
