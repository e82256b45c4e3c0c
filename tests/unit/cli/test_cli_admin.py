"""Admin commands in-process: every AWS configuration problem of `--stack` names its fix (exit 2,
no traceback, one JSON document with `--json`), and `redrive` says what it moved from each queue."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from sikas_sync.cli import admin
from sikas_sync.cli.main import main, target_message
from sikas_sync.cli.messages import CATALOG, speaking
from sikas_sync.operations import target as stack_target
from sikas_sync.operations.target import QueuePair, StackTarget, aws_problem

AWS_ENV = (
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No AWS configuration at all: no region, no credentials, no profile files, no instance metadata."""
    for name in AWS_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # boto3 keeps the first session it made
    return monkeypatch


def pending(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, Any]]:
    code = main(["pending", "--stack", "SikasSync-12-09", "--json", *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    document: dict[str, Any] = json.loads(out)
    return code, document


def test_no_region(aws: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert pending(capsys) == (
        2,
        {
            "error": {
                "code": "aws_config",
                "message": "region AWS belum ditentukan: beri --aws-region REGION, atau set AWS_REGION "
                "(mis. ap-southeast-3 untuk Jakarta)",
            }
        },
    )


def test_no_region_in_text_and_english(aws: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pending", "--stack", "S", "--lang", "en"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "sikas-sync pending: error: no AWS region: give --aws-region REGION, or set AWS_REGION "
        "(e.g. ap-southeast-3, Jakarta)\n"
    )


def test_no_credentials(aws: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    aws.setenv("AWS_REGION", "ap-southeast-3")  # the region comes from AWS_REGION too
    code, document = pending(capsys)
    assert code == 2
    assert document["error"]["code"] == "aws_config"
    assert document["error"]["message"].startswith("tidak ada kredensial AWS: set AWS_PROFILE")


def test_incomplete_credentials(aws: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    aws.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    code, document = pending(capsys, "--aws-region", "ap-southeast-3")
    assert code == 2
    assert document["error"] == {
        "code": "aws_config",
        "message": "kredensial AWS tidak lengkap: AWS_SECRET_ACCESS_KEY tidak ada di env; lengkapi, "
        "atau gunakan AWS_PROFILE",
    }


def test_an_unknown_profile(aws: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    aws.setenv("AWS_PROFILE", "disnaker-asahan")
    code, document = pending(capsys, "--aws-region", "ap-southeast-3")
    assert code == 2
    assert document["error"]["code"] == "aws_config"
    assert document["error"]["message"].startswith("profil AWS 'disnaker-asahan' tidak ditemukan")


@pytest.fixture
def moto(aws: pytest.MonkeyPatch) -> Any:
    aws.setenv("AWS_ACCESS_KEY_ID", "testing")
    aws.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield boto3.client("cloudformation", region_name="ap-southeast-3")


def test_a_stack_that_does_not_exist(moto: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, document = pending(capsys, "--aws-region", "ap-southeast-3")
    assert (code, document["error"]["code"]) == (2, "stack_not_found")
    assert document["error"]["message"] == (
        "stack 'SikasSync-12-09' tidak ada di region ap-southeast-3: periksa nama stack (--stack) dan "
        "region (--aws-region atau AWS_REGION)"
    )


def test_a_stack_without_the_outputs_names_them(moto: Any, capsys: pytest.CaptureFixture[str]) -> None:
    template = {
        "Resources": {"Inbox": {"Type": "AWS::S3::Bucket"}},
        "Outputs": {"InboxBucketName": {"Value": {"Ref": "Inbox"}}},
    }
    moto.create_stack(StackName="SikasSync-12-09", TemplateBody=json.dumps(template))
    code, document = pending(capsys, "--aws-region", "ap-southeast-3")
    assert (code, document["error"]["code"]) == (2, "stack_outputs_missing")
    message = document["error"]["message"]
    assert message.startswith("stack 'SikasSync-12-09' tidak memiliki output RegionCode, RecordsTableName,")
    assert "IngestDlqUrlPencariKerja" in message
    assert "InboxBucketName" not in message  # only what is missing
    assert message.endswith("apakah itu stack sikas-sync, dan sudah di-deploy dari versi ini?")


@pytest.mark.parametrize(
    ("aws_code", "code", "key"),
    [
        ("ExpiredToken", "aws_config", "aws_credentials_refused"),
        ("InvalidClientTokenId", "aws_config", "aws_credentials_refused"),
        ("AccessDenied", "aws_access_denied", "aws_access_denied"),
        ("Throttling", "aws_error", "aws_error"),
    ],
)
def test_refusals_of_aws(aws_code: str, code: str, key: str) -> None:
    error = ClientError({"Error": {"Code": aws_code, "Message": "nope"}}, "DescribeStacks")
    problem = aws_problem(error, stack_name="S", region="ap-southeast-3")
    assert (problem.code, problem.key) == (code, key)


def test_every_aws_problem_is_worded_in_both_languages() -> None:
    from botocore import exceptions as aws

    problems = [
        aws.NoRegionError(),
        aws.NoCredentialsError(),
        aws.PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"),
        aws.ProfileNotFound(profile="disnaker"),
        aws.EndpointConnectionError(endpoint_url="http://127.0.0.1:4566"),
        aws.BotoCoreError(),
        *(
            ClientError({"Error": {"Code": code, "Message": message}}, "DescribeStacks")
            for code, message in (
                ("ValidationError", "Stack with id S does not exist"),
                ("ExpiredToken", "expired"),
                ("AccessDenied", "not allowed"),
                ("InternalFailure", "oops"),
            )
        ),
    ]
    keys = set()
    for error in problems:
        problem = aws_problem(error, stack_name="S", region="ap-southeast-3")
        keys.add(problem.key)
        with speaking("id"):
            indonesian = target_message(problem)
        with speaking("en"):
            english = target_message(problem)
        assert indonesian != english, problem.key
        assert english == str(problem), problem.key  # target.py's own text is the English one
    source = Path(stack_target.__file__).read_text(encoding="utf-8")
    assert keys | {"stack_outputs_missing"} == set(re.findall(r'key="([a-z_]+)"', source))


class FakeSqs:
    pass


def _target() -> StackTarget:
    return StackTarget(
        region_code="12.09",
        bucket="b",
        records_table="r",
        deliveries_table="d",
        files_table="f",
        push=QueuePair("push", "push-dlq"),
        ingest={"jkp": QueuePair("jkp", "jkp-dlq")},
    )


@pytest.fixture
def moved(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"push-dlq": 3, "jkp-dlq": 0}
    monkeypatch.setattr(admin, "resolve_target", lambda args: _target())
    monkeypatch.setattr(StackTarget, "client", lambda self, service: FakeSqs())
    monkeypatch.setattr(
        "sikas_sync.operations.redrive.redrive",
        lambda sqs, pair, limit=None: min(counts[pair.dlq_url], limit or counts[pair.dlq_url]),
    )
    return counts


def test_redrive_says_what_it_moved_from_each_queue(
    moved: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["redrive", "--queue", "all"]) == 0
    assert capsys.readouterr().out == (
        "push: 3 pesan dipindahkan dari DLQ kembali ke antrean\n"
        "ingest-jkp: DLQ kosong, tidak ada pesan yang dipindahkan\n"
        "jumlah: 3 pesan dipindahkan dari 2 antrean\n"
    )
    assert main(["redrive", "--queue", "ingest-jkp", "--lang", "en"]) == 0
    assert capsys.readouterr().out == "ingest-jkp: its DLQ is empty, nothing moved\n"
    assert main(["redrive", "--limit", "2"]) == 0
    assert capsys.readouterr().out == (
        "push: 2 pesan dipindahkan dari DLQ kembali ke antrean\n"
        "push: batas --limit 2 tercapai; mungkin masih ada pesan di DLQ\n"
    )


def test_redrive_json(moved: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["redrive", "--queue", "all", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "moved": {"push": 3, "ingest-jkp": 0},
        "total": 3,
        "limit_reached": [],
    }
    assert main(["redrive", "--queue", "ingest-lowongan", "--json"]) == 2
    assert json.loads(capsys.readouterr().out) == {
        "error": {
            "code": "unknown_queue",
            "message": "tidak ada antrean 'ingest-lowongan'; pilih dari: all, push, ingest-jkp",
        }
    }


def test_speaking_is_undone_after_main() -> None:
    with speaking("en"):
        main(["--lang", "id", "--version"])
        assert CATALOG["error.label"][1] == "error"
        from sikas_sync.cli.messages import t

        assert t("error.label") == "error"
