"""`sikas-sync erase` without a stack: the Lambda invocation of a deployed stack, refusals, output."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sikas_sync.cli.erase import (
    PERSON_DOMAINS,
    ErasureFailed,
    add_parser,
    cmd_erase,
    invoke_erase_function,
    summary_text,
)
from sikas_sync.cli.messages import speaking
from sikas_sync.operations.erase import ErasureRequest
from sikas_sync.operations.target import QueuePair, StackTarget

NIK = "1209015001900001"
RESULT = {
    "erasure_id": "e-1",
    "status": "complete",
    "domain": "kartu_ak1",
    "subject": "1209************",
    "records": [{"record_id": "r-1", "ministry": "erased", "ministry_request_id": "q-1", "here": "deleted"}],
    "error": None,
    "audit_key": "audit/erasure/2025-04-01/e-1.json",
}


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    """The command line's default language, whatever the locale of the machine running the tests."""
    with speaking("id"):
        yield


class FakeLambda:
    def __init__(self, answer: Any, function_error: bool = False) -> None:
        self.answer = answer
        self.function_error = function_error
        self.calls: list[dict[str, Any]] = []

    def invoke(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        response: dict[str, Any] = {
            "StatusCode": 200,
            "Payload": io.BytesIO(json.dumps(self.answer).encode()),
        }
        if self.function_error:
            response["FunctionError"] = "Unhandled"
        return response


class FakeSts:
    def get_caller_identity(self) -> dict[str, str]:
        return {"Arn": "arn:aws:sts::123456789012:assumed-role/DPO/budi"}


def test_only_domains_with_persons_can_be_erased() -> None:
    assert PERSON_DOMAINS == ["pencari_kerja", "kartu_ak1", "penempatan", "pelatihan", "jkp"]


def test_a_deployed_stack_s_erase_function_is_invoked_synchronously() -> None:
    client = FakeLambda(RESULT)
    request = ErasureRequest("kartu_ak1", NIK, "dpo")
    assert invoke_erase_function(client, "erase", request) == RESULT
    (call,) = client.calls
    assert call["FunctionName"] == "erase"
    assert call["InvocationType"] == "RequestResponse"
    assert json.loads(call["Payload"]) == {"domain": "kartu_ak1", "nik": NIK, "requested_by": "dpo"}


def test_a_failed_invocation_says_why() -> None:
    client = FakeLambda(
        {"errorMessage": "erasure e-1 incomplete: ...", "errorType": "ErasureIncomplete"}, True
    )
    with pytest.raises(ErasureFailed, match="erasure e-1 incomplete"):
        invoke_erase_function(client, "erase", ErasureRequest("kartu_ak1", NIK, "dpo"))


def _target(**changes: Any) -> StackTarget:
    values: dict[str, Any] = {
        "region_code": "12.09",
        "bucket": "b",
        "records_table": "r",
        "deliveries_table": "d",
        "files_table": "f",
        "push": QueuePair("q", "dlq"),
        "erase_function": "sikas-erase",
        **changes,
    }
    return StackTarget(**values)


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="sikas-sync")
    add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["erase", *argv])


def test_deployed_the_requester_defaults_to_the_caller_s_aws_identity(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    client = FakeLambda(RESULT)
    clients = {"lambda": client, "sts": FakeSts()}
    monkeypatch.setattr(StackTarget, "client", lambda self, service: clients[service])
    monkeypatch.setattr("sikas_sync.operations.target.from_cloudformation", lambda name, region: _target())
    assert cmd_erase(_args("--domain", "kartu_ak1", "--nik", NIK, "--stack", "SikasSync-12-09")) == 0
    payload = json.loads(client.calls[0]["Payload"])
    assert payload["requested_by"] == "arn:aws:sts::123456789012:assumed-role/DPO/budi"
    out = capsys.readouterr().out
    assert "penghapusan e-1: selesai pada kartu_ak1 untuk 1209************" in out
    assert NIK not in out


def test_a_refused_request_is_a_usage_error_and_calls_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    client = FakeLambda(RESULT)
    monkeypatch.setattr(StackTarget, "client", lambda self, service: client)
    monkeypatch.setattr("sikas_sync.operations.target.from_cloudformation", lambda name, region: _target())
    args = _args("--domain", "jkp", "--nik", NIK[:-1], "--stack", "S", "--requested-by", "dpo")
    assert cmd_erase(args) == 2
    assert not client.calls
    err = capsys.readouterr().err
    assert "sikas-sync erase: kesalahan: NIK tidak sah: " in err
    assert NIK[:-1] not in err


def test_a_refused_request_with_json_is_one_error_document_in_english_on_request(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(StackTarget, "client", lambda self, service: FakeLambda(RESULT))
    monkeypatch.setattr("sikas_sync.operations.target.from_cloudformation", lambda name, region: _target())
    args = _args("--domain", "jkp", "--nik", NIK, "--stack", "S", "--requested-by", "\x07", "--json")
    with speaking("en"):
        assert cmd_erase(args) == 2
    out = capsys.readouterr().out
    assert json.loads(out) == {
        "error": {
            "code": "erasure_refused",
            "message": "--requested-by must be 1 to 200 printable characters",
        }
    }


def test_an_embedded_state_without_a_ministry_needs_one(tmp_path: Path) -> None:
    from sikas_sync.operations.target import TargetError

    state = tmp_path / "state.json"
    state.write_text(json.dumps(_target(endpoint_url="http://127.0.0.1:1", erase_function=None).to_state()))
    args = _args("--domain", "jkp", "--nik", NIK, "--embedded", str(state), "--requested-by", "dpo")
    with pytest.raises(TargetError, match="--ministry-url"):
        cmd_erase(args)


def test_the_summary_lists_each_record_and_the_audit_entry() -> None:
    incomplete = {
        **RESULT,
        "status": "incomplete",
        "error": {"message": "erase in kartu_ak1: the ministry answered 503 (request q-2)"},
    }
    text = summary_text(incomplete)
    assert text.startswith("penghapusan e-1: belum selesai pada kartu_ak1 untuk 1209************")
    assert "1 dari 1 rekaman dihapus di sini, 1 dihapus di kementerian" in text
    assert "r-1  kementerian erased (permintaan q-1)  di sini deleted" in text
    assert "terhenti: erase in kartu_ak1: the ministry answered 503" in text
    assert text.endswith("audit: audit/erasure/2025-04-01/e-1.json")
    with speaking("en"):
        text = summary_text(incomplete)
    assert text.startswith("erasure e-1: incomplete in kartu_ak1 for 1209************")
    assert "1 of 1 records deleted here, 1 erased at the ministry" in text
    assert "r-1  ministry erased (request q-1)  here deleted" in text
    assert "stopped: erase in kartu_ak1: the ministry answered 503" in text
