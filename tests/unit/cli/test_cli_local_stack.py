"""`local-stack` as a service, without starting one: what it prints on start (how to reach the stack,
commands to copy), one line per processed file with counts only, and a state file left behind by a
local-stack that has ended, which every admin command explains at once (exit 2) instead of letting
botocore retry a dead endpoint."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from sikas_sync.cli import admin
from sikas_sync.cli.main import main
from sikas_sync.cli.messages import speaking
from sikas_sync.operations import target as stack_target
from sikas_sync.operations.target import QueuePair, StackTarget, StateOwner

NIK = "1209015001900001"


def _target(endpoint_url: str = "http://127.0.0.1:40969", **changes: Any) -> StackTarget:
    fields: dict[str, Any] = {
        "region_code": "12.09",
        "bucket": "sikas-sync-inbox",
        "records_table": "records",
        "deliveries_table": "deliveries",
        "files_table": "files",
        "push": QueuePair(f"{endpoint_url}/1/push", f"{endpoint_url}/1/push-dlq"),
        "ingest": {"pelatihan": QueuePair(f"{endpoint_url}/1/ingest", f"{endpoint_url}/1/ingest-dlq")},
        "endpoint_url": endpoint_url,
        "aws_region": "ap-southeast-3",
        "ministry_url": "http://127.0.0.1:36881",
    }
    return StackTarget(**{**fields, **changes})


# -- what it prints on start ----------------------------------------------------------------------


def test_the_startup_lines_say_how_to_reach_the_stack_and_what_to_copy() -> None:
    state = Path(".sikas-sync/embedded.json")
    text = admin.startup_text(_target(), state=state, ministry_url="http://127.0.0.1:36881", pid=4242)
    lines = text.splitlines()
    assert lines[0] == "local-stack berjalan (PID 4242); Ctrl-C atau SIGTERM menghentikannya"
    assert "  endpoint AWS:   http://127.0.0.1:40969" in lines
    assert (
        "  kredensial:     AWS_ACCESS_KEY_ID=embedded AWS_SECRET_ACCESS_KEY=embedded, region ap-southeast-3"
    ) in lines
    assert "  bucket inbox:   sikas-sync-inbox (satu folder per domain, mis. pencari_kerja/)" in lines
    assert "  kementerian:    http://127.0.0.1:36881" in lines
    assert "  berkas keadaan: .sikas-sync/embedded.json" in lines
    assert (
        "  AWS_ACCESS_KEY_ID=embedded AWS_SECRET_ACCESS_KEY=embedded AWS_DEFAULT_REGION=ap-southeast-3 "
        "aws --endpoint-url http://127.0.0.1:40969 s3 cp pencari_kerja_2025-03.csv "
        "s3://sikas-sync-inbox/pencari_kerja/"
    ) in lines
    assert "  sikas-sync status --embedded .sikas-sync/embedded.json" in lines


def test_the_startup_lines_in_english_with_the_operator_keys_and_a_quoted_state_path() -> None:
    target = _target(access_key_id="AKIALOCAL", secret_access_key="s3cr3t")
    with speaking("en"):
        text = admin.startup_text(target, state=Path("my state.json"), ministry_url="http://m", pid=7)
    assert text.startswith("local-stack is running (PID 7); Ctrl-C or SIGTERM stops it\n")
    assert "  AWS endpoint:   http://127.0.0.1:40969" in text
    assert "AWS_ACCESS_KEY_ID=AKIALOCAL AWS_SECRET_ACCESS_KEY=s3cr3t, region ap-southeast-3" in text
    assert (
        "AWS_ACCESS_KEY_ID=AKIALOCAL AWS_SECRET_ACCESS_KEY=s3cr3t AWS_DEFAULT_REGION=ap-southeast-3 aws"
        in text
    )
    assert "  sikas-sync status --embedded 'my state.json'" in text  # copy-pasteable as it is


# -- one line per file ----------------------------------------------------------------------------


class FakeLedger:
    """The files table as the reporter reads it (get_item), counting the reads."""

    def __init__(self, entries: dict[str, dict[str, Any]]) -> None:
        self.entries = entries
        self.reads: list[str] = []

    def get_item(self, TableName: str, Key: dict[str, Any], ConsistentRead: bool) -> dict[str, Any]:
        assert TableName == "files"
        assert ConsistentRead
        file_id = Key["file_id"]["S"]
        self.reads.append(file_id)
        entry = self.entries.get(file_id)
        if entry is None:
            return {}
        item: dict[str, Any] = {"file_id": {"S": file_id}, "status": {"S": entry["status"]}}
        if "summary" in entry:
            item["summary"] = {"S": json.dumps(entry["summary"])}
        return {"Item": item}


def fake_stack(ledger: FakeLedger) -> Any:
    """What the reporter reads of an EmbeddedStack: one ingest function, dead-lettering at 3 receives."""
    ingest = SimpleNamespace(
        function=SimpleNamespace(name="ingest-pelatihan"), queue=SimpleNamespace(max_receive_count=3)
    )
    return SimpleNamespace(
        clients={"dynamodb": ledger},
        resources=SimpleNamespace(files_table="files"),
        plan=SimpleNamespace(ingest=[ingest]),
    )


def mapping(function_name: str) -> Any:
    """What the reporter reads of an EventSourceMapping."""
    return SimpleNamespace(function_name=function_name)


def _message(message_id: str, key: str, version: str | None = "v1", receives: int = 1) -> dict[str, Any]:
    obj: dict[str, Any] = {"key": key}
    if version is not None:
        obj["versionId"] = version
    body = {
        "Records": [{"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "inbox"}, "object": obj}}]
    }
    return {
        "MessageId": message_id,
        "Body": json.dumps(body),
        "Attributes": {"ApproximateReceiveCount": str(receives)},
    }


def _summary(key: str, **counts: Any) -> dict[str, Any]:
    return {"key": key, "status": "processed", "rows": 0, "valid": 0, "rejected": 0, **counts}


@pytest.fixture
def reported() -> tuple[FakeLedger, admin.FileReporter]:
    ledger = FakeLedger({})
    return ledger, admin.FileReporter(fake_stack(ledger))


def test_a_processed_file_is_one_line_of_counts_and_is_reported_once(
    reported: tuple[FakeLedger, admin.FileReporter], capsys: pytest.CaptureFixture[str]
) -> None:
    ledger, reporter = reported
    ledger.entries["inbox/pelatihan/maret 2025.csv#v1"] = {
        "status": "done",
        "summary": _summary("pelatihan/maret 2025.csv", rows=3900, valid=3894, rejected=6),
    }
    # S3 URL-encodes the key in its event; the ledger has it decoded.
    message = _message("m-1", "pelatihan/maret+2025.csv")
    reporter(mapping("ingest-pelatihan"), [message], set())
    reporter(mapping("ingest-pelatihan"), [_message("m-2", "pelatihan/maret+2025.csv")], set())  # redelivered
    assert (
        capsys.readouterr().err == "pelatihan/maret 2025.csv: diproses, 3.900 baris, 3.894 sah, 6 ditolak\n"
    )


def test_a_file_rejected_whole_gives_its_reason_code(
    reported: tuple[FakeLedger, admin.FileReporter], capsys: pytest.CaptureFixture[str]
) -> None:
    ledger, reporter = reported
    ledger.entries["inbox/pelatihan/x.csv#null"] = {
        "status": "done",
        "summary": {
            **_summary("pelatihan/x.csv"),
            "status": "rejected",
            "reason_code": "header_missing_columns",
        },
    }
    with speaking("en"):
        reporter(mapping("ingest-pelatihan"), [_message("m-1", "pelatihan/x.csv", version=None)], set())
    assert capsys.readouterr().err == "pelatihan/x.csv: rejected: header_missing_columns\n"


def test_a_waiting_file_is_reported_when_it_is_processed_and_a_failure_each_time(
    reported: tuple[FakeLedger, admin.FileReporter], capsys: pytest.CaptureFixture[str]
) -> None:
    ledger, reporter = reported
    ingest = mapping("ingest-pelatihan")
    reporter(ingest, [_message("m-1", "pelatihan/a.csv")], set())  # waited for its domain's lease
    assert capsys.readouterr().err == ""
    reporter(ingest, [_message("m-2", "pelatihan/a.csv", receives=1)], {"m-2"})
    reporter(ingest, [_message("m-2", "pelatihan/a.csv", receives=3)], {"m-2"})
    assert capsys.readouterr().err.splitlines() == [
        "pelatihan/a.csv: gagal diproses (percobaan ke-1 dari 3); akan dicoba lagi",
        "pelatihan/a.csv: gagal diproses 3 kali; pesannya dipindahkan ke DLQ (lihat `sikas-sync status`, "
        "lalu `sikas-sync redrive`)",
    ]
    ledger.entries["inbox/pelatihan/a.csv#v1"] = {
        "status": "done",
        "summary": _summary("pelatihan/a.csv", rows=1),
    }
    reporter(ingest, [_message("m-3", "pelatihan/a.csv")], set())
    assert capsys.readouterr().err == "pelatihan/a.csv: diproses, 1 baris, 0 sah, 0 ditolak\n"


def test_push_batches_and_s3_test_events_report_nothing(
    reported: tuple[FakeLedger, admin.FileReporter], capsys: pytest.CaptureFixture[str]
) -> None:
    ledger, reporter = reported
    reporter(mapping("push"), [{"MessageId": "p", "Body": '{"domain": "pelatihan"}'}], set())
    test_event = {"MessageId": "t", "Body": json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"})}
    reporter(mapping("ingest-pelatihan"), [test_event, {"MessageId": "b", "Body": "not json"}], set())
    assert capsys.readouterr().err == ""
    assert ledger.reads == []


def test_a_control_character_in_a_key_does_not_reach_the_terminal() -> None:
    line = admin.file_done_line("pelatihan/\x1b[2Jx.csv", _summary("k"))
    assert "\x1b" not in line
    assert line.startswith("pelatihan/\\x1b[2Jx.csv: ")


def test_what_a_stop_left_behind() -> None:
    assert admin.left_behind_text(0, 0) == ["tidak ada pekerjaan yang tertinggal"]
    assert admin.left_behind_text(1, 2720) == [
        "1 berkas belum selesai diproses dan ditinggalkan",
        "2.720 rekaman belum terkirim ke kementerian dan ditinggalkan",
        "stack tertanam tidak menyimpan apa pun setelah berhenti: unggah lagi berkas yang bersangkutan "
        "setelah local-stack dijalankan lagi",
    ]


# -- a state file left behind ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The PID of a process that has ended and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, float | None]]:
    """Every TCP connection the command tries (none gets through), and no AWS client at all."""
    attempts: list[tuple[Any, float | None]] = []

    def connect(address: Any, timeout: float | None = None, *args: Any, **kwargs: Any) -> socket.socket:
        attempts.append((address, timeout))
        raise ConnectionRefusedError(111, "refused")

    def no_client(self: StackTarget, service: str) -> Any:
        raise AssertionError(f"an AWS client ({service}) for a stack that is not running")

    monkeypatch.setattr(stack_target.socket, "create_connection", connect)
    monkeypatch.setattr(StackTarget, "client", no_client)
    return attempts


ADMIN_COMMANDS = [
    ["pending"],
    ["status"],
    ["report", "--file", "pelatihan/x.csv"],
    ["redrive"],
    ["outbox"],
    ["erase", "--domain", "kartu_ak1", "--nik", NIK, "--requested-by", "dpo"],
]


def _stale(tmp_path: Path, owner: StateOwner, endpoint_url: str = "http://127.0.0.1:40969") -> Path:
    state = tmp_path / "embedded.json"
    state.write_text(json.dumps(_target(endpoint_url).to_state(owner)), encoding="utf-8")
    return state


@pytest.mark.parametrize("command", ADMIN_COMMANDS, ids=lambda argv: argv[0])
def test_every_admin_command_says_at_once_that_local_stack_is_not_running(
    command: list[str],
    tmp_path: Path,
    dead_pid: int,
    no_network: list[tuple[Any, float | None]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    state = _stale(tmp_path, StateOwner(dead_pid))
    assert main([*command, "--embedded", str(state), "--json"]) == 2
    assert json.loads(capsys.readouterr().out) == {
        "error": {
            "code": "local_stack_not_running",
            "message": f"local-stack tidak berjalan: {state} tertinggal dari local-stack yang sudah berhenti "
            f"(PID {dead_pid}); jalankan lagi `sikas-sync local-stack`",
        }
    }
    assert no_network == []  # a dead owner is known from the process table: no connection tried

    assert main([*command, "--embedded", str(state), "--lang", "en"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"sikas-sync {command[0]}: error: local-stack is not running: {state} was left behind by a "
        f"local-stack that has ended (PID {dead_pid}); start `sikas-sync local-stack` again\n"
    )


def test_the_default_state_file_left_behind_is_explained_too(
    tmp_path: Path,
    dead_pid: int,
    no_network: list[tuple[Any, float | None]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    state = Path(".sikas-sync/embedded.json")
    state.parent.mkdir()
    state.write_text(json.dumps(_target().to_state(StateOwner(dead_pid))), encoding="utf-8")
    assert main(["status", "--json"]) == 2  # neither --stack nor --embedded: the default file
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "local_stack_not_running"


def test_a_live_pid_whose_endpoint_refuses_is_one_quick_connection_attempt(
    tmp_path: Path, no_network: list[tuple[Any, float | None]], capsys: pytest.CaptureFixture[str]
) -> None:
    # This test's own process stands for a PID that was reused by another program.
    state = _stale(tmp_path, StateOwner.current(), "http://127.0.0.1:40969")
    assert main(["pending", "--embedded", str(state), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "local_stack_not_running"
    assert len(no_network) == 1
    address, timeout = no_network[0]
    assert address == ("127.0.0.1", 40969)
    assert timeout is not None
    assert timeout <= 0.5


def test_a_reused_pid_is_told_by_its_start_time(
    tmp_path: Path, no_network: list[tuple[Any, float | None]]
) -> None:
    me = StateOwner.current()
    if me.started is None:
        pytest.skip("no /proc: the start time is unknown here")
    assert me.alive()
    assert not StateOwner(me.pid, me.started + 1).alive()
    with pytest.raises(stack_target.TargetError) as stale:
        stack_target.from_state_file(_stale(tmp_path, StateOwner(me.pid, me.started + 1)))
    assert stale.value.code == "local_stack_not_running"
    assert no_network == []


def test_a_running_local_stack_s_state_file_is_used(tmp_path: Path) -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        state = _stale(tmp_path, StateOwner.current(), f"http://127.0.0.1:{port}")
        assert stack_target.from_state_file(state) == _target(f"http://127.0.0.1:{port}")


def test_a_state_file_naming_no_owner_is_taken_as_it_is(
    tmp_path: Path, no_network: list[tuple[Any, float | None]]
) -> None:
    # Written by a test or an older local-stack: nothing to check it against.
    state = tmp_path / "embedded.json"
    state.write_text(json.dumps(_target().to_state()), encoding="utf-8")
    assert stack_target.from_state_file(state) == _target()
    assert no_network == []


@pytest.mark.parametrize("owner", [{"pid": 0}, {"pid": -1}, {"pid": True}, {"pid": "12"}, {"started": 1}, []])
def test_an_owner_that_is_no_process_makes_the_state_file_invalid(
    owner: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "embedded.json"
    state.write_text(json.dumps({**_target().to_state(), "owner": owner}), encoding="utf-8")
    assert main(["pending", "--embedded", str(state), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"] == {
        "code": "state_file_invalid",
        "message": f"{state}: bukan berkas keadaan yang ditulis `sikas-sync local-stack`",
    }


def test_local_stack_will_not_start_on_the_state_file_of_one_that_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        me = StateOwner.current()
        state = _stale(tmp_path, me, f"http://127.0.0.1:{port}")
        assert main(["local-stack", "--state", str(state), "--lang", "en"]) == 2
    assert capsys.readouterr().err == (
        f"sikas-sync local-stack: error: local-stack is already running with the state file {state} "
        f"(PID {me.pid}); stop it first, or give another --state\n"
    )
    assert json.loads(state.read_text())["owner"]["pid"] == os.getpid()  # left alone
