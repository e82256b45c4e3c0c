"""cli.md, to the letter: the real `sikas-sync` command in a subprocess, stdout parsed as JSON."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sikas_sync.ministry.local import LocalMinistry
from sikas_sync.sample import SampleResult, SampleSpec, write_sample

CLI = [sys.executable, "-m", "sikas_sync.cli.main"]
VALIDATE_KEYS = [
    "file", "domain", "status", "reason", "rows", "valid", "rejected", "warnings", "errors", "row_warnings",
]  # fmt: skip
RUN_FILE_KEYS = [
    "file", "key", "domain", "status", "reason", "rows", "valid", "rejected",
    "created", "updated", "unchanged", "warnings", "errors", "row_warnings",
]  # fmt: skip
ISSUE_KEYS = ["row", "column", "code", "message"]
DELIVERY_KEYS = ["queued", "delivered", "rejected_by_ministry", "pending", "dead_lettered", "attempts"]


def cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


def in_order(keys: list[str], contract: list[str]) -> bool:
    """The contract's keys are all there, in their order; keys added later may come between."""
    return [key for key in keys if key in contract] == contract


def validate_json(path: Path, domain: str) -> tuple[int, dict[str, Any]]:
    done = cli("validate", str(path), "--domain", domain, "--json")
    return done.returncode, json.loads(done.stdout)


def rewrite(source: Path, target: Path, encoding: str, delimiter: str) -> Path:
    """The same table in another encoding and delimiter, as Excel or SIKAS might save it."""
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"))))
    with target.open("w", encoding=encoding, newline="") as out:
        csv.writer(out, delimiter=delimiter).writerows(rows)
    return target


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1252", ";")],
)
def test_validate_json_is_the_contract_in_every_encoding_and_delimiter(
    exports: dict[str, SampleResult], tmp_path: Path, encoding: str, delimiter: str
) -> None:
    sample = exports["pencari_kerja"]  # csv
    path = rewrite(sample.path, tmp_path / f"pencari_kerja_{encoding}.csv", encoding, delimiter)
    code, result = validate_json(path, "pencari_kerja")
    assert in_order(list(result), VALIDATE_KEYS)
    assert code == 1  # some rows are broken on purpose
    assert result["status"] == "processed"
    assert result["rows"] == sample.rows
    assert result["rejected"] == len(sample.broken)
    assert {(e["row"], e["column"], e["code"]) for e in result["errors"]} == {
        (b.row, b.column, b.code) for b in sample.broken
    }
    for issue in result["errors"] + result["row_warnings"]:
        assert in_order(list(issue), ISSUE_KEYS)
    assert len(result["row_warnings"]) == min(result["warnings"], 100)


@pytest.mark.parametrize("domain", ["kartu_ak1", "lowongan"])  # xlsx and jsonl in the fixture
def test_validate_reads_xlsx_and_jsonl_with_matching_row_numbers(
    exports: dict[str, SampleResult], domain: str
) -> None:
    sample = exports[domain]
    _, result = validate_json(sample.path, domain)
    assert {(e["row"], e["code"]) for e in result["errors"]} == {(b.row, b.code) for b in sample.broken}


def test_validate_exit_codes(tmp_path: Path) -> None:
    clean = write_sample(SampleSpec(domain="wlkp", rows=20, seed=3), tmp_path / "wlkp.csv")
    assert cli("validate", str(clean.path), "--domain", "wlkp").returncode == 0
    assert cli("validate", str(clean.path), "--domain", "nope").returncode == 2
    assert cli("validate", str(tmp_path / "missing.csv"), "--domain", "wlkp").returncode == 2
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01\x02\xff" * 100)
    code, result = validate_json(junk, "wlkp")
    assert code == 1
    assert result["status"] == "rejected"
    assert result["reason"]
    assert result["rows"] == 0


def test_run_over_every_domain_matches_validate_and_delivers_everything(
    exports: dict[str, SampleResult], tmp_path: Path
) -> None:
    """`run --json --ministry-url` against another implementation of the contract, on loopback."""
    expected = {}
    for domain, sample in exports.items():
        _, result = validate_json(sample.path, domain)
        expected[domain] = result
    with LocalMinistry(region_code="12.09", clients={"sikas-asahan": "rahasia-uji"}) as ministry:
        done = cli(
            "run",
            *[str(sample.path) for sample in exports.values()],
            "--ministry-url",
            ministry.url,
            "--json",
            env={"MINISTRY_CLIENT_ID": "sikas-asahan", "MINISTRY_CLIENT_SECRET": "rahasia-uji"},
        )
        received = ministry.stats.records_received
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout)  # stdout is exactly one JSON document
    assert list(summary) == ["region_code", "files", "delivery"]
    assert summary["region_code"] == "12.09"
    assert list(summary["delivery"]) == DELIVERY_KEYS
    for entry in summary["files"]:
        assert list(entry)[: len(RUN_FILE_KEYS)] == RUN_FILE_KEYS
        want = expected[entry["domain"]]
        for key in ("rows", "valid", "rejected", "warnings", "status"):
            assert entry[key] == want[key], (entry["domain"], key)
        assert entry["errors"] == want["errors"]
        assert entry["row_warnings"] == want["row_warnings"]  # the same warnings, offline and on the stack
        assert entry["created"] == entry["valid"] - sum(  # superseded rows are valid, not stored
            1 for warning in entry["row_warnings"] if warning["code"] == "duplicate_key"
        )
        assert entry["key"] == f"{entry['domain']}/{Path(entry['file']).name}"
    valid = sum(entry["valid"] for entry in summary["files"])
    assert summary["delivery"]["delivered"] == summary["delivery"]["queued"] == valid == received
    assert summary["delivery"]["pending"] == 0


def test_run_usage_errors_exit_2(tmp_path: Path) -> None:
    assert cli("run").returncode == 2
    assert cli("run", str(tmp_path / "none.csv")).returncode == 2
    some = tmp_path / "pencari_kerja.csv"
    some.write_text("nik\n", encoding="utf-8")
    assert cli("run", str(some), "--ministry-url", "ftp://x").returncode == 2
    assert cli("run", str(some), "--region-code", "99.99").returncode == 2


INDONESIAN = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--json"],
        ["run", "{tmp}", "--json"],
        ["run", "{tmp}/none.csv", "--json", "--timeout", "5"],
        ["validate", "--json"],
        ["validate", "{tmp}/none.csv", "--json"],
        ["validate", "{tmp}", "--domain", "wlkp", "--json"],
        ["validate", "{tmp}/x.csv", "--domain", "nope", "--json"],
    ],
)
def test_usage_errors_with_json_are_one_json_document_on_stdout(tmp_path: Path, argv: list[str]) -> None:
    done = cli(*(arg.replace("{tmp}", str(tmp_path)) for arg in argv), env=INDONESIAN)
    assert done.returncode == 2
    document = json.loads(done.stdout)
    assert set(document) == {"error"}
    assert set(document["error"]) == {"code", "message"}
    assert document["error"]["code"].isascii()
    assert "Traceback" not in done.stderr


def test_the_language_follows_lang_and_the_locale(tmp_path: Path) -> None:
    missing = str(tmp_path / "none.csv")
    assert cli("validate", missing, env=INDONESIAN).stderr == (
        f"sikas-sync validate: kesalahan: {missing}: berkas tidak ditemukan\n"
    )
    assert (
        cli("validate", missing, env=ENGLISH).stderr
        == f"sikas-sync validate: error: {missing}: no such file\n"
    )
    assert cli("validate", missing, "--lang", "en", env=INDONESIAN).stderr.endswith(": no such file\n")
    assert cli("--lang", "id", "validate", missing, env=ENGLISH).stderr.endswith(": berkas tidak ditemukan\n")
    overridden = {**ENGLISH, "LC_ALL": "C.UTF-8"}  # LC_ALL wins over LANG
    assert cli("validate", missing, env=overridden).stderr.endswith(": berkas tidak ditemukan\n")
    assert cli("--help", env=INDONESIAN).stdout.startswith("penggunaan: sikas-sync")
    assert cli("--help", env=ENGLISH).stdout.startswith("usage: sikas-sync")


def test_version() -> None:
    from importlib.metadata import version

    done = cli("--version")
    assert (done.returncode, done.stdout) == (0, f"sikas-sync {version('sikas-sync')}\n")


def test_validate_finds_the_domain_as_run_does(exports: dict[str, SampleResult]) -> None:
    sample = exports["wlkp"]
    inferred = cli("validate", str(sample.path), "--json")
    assert json.loads(inferred.stdout) == validate_json(sample.path, "wlkp")[1]


def test_run_against_a_separate_faulty_ministry_process_ends_with_every_record_settled(
    exports: dict[str, SampleResult],
) -> None:
    """Issue 4's bar: `run --ministry-url` against an implementation in another process, which fails
    30% of requests, throttles 10% and expires its tokens every few seconds."""
    ministry = subprocess.Popen(
        [
            sys.executable, "-m", "sikas_sync.ministry.local", "--port", "0", "--seed", "4",
            "--failure-rate", "0.3", "--throttle-rate", "0.1", "--retry-after", "0", "--token-ttl", "3",
            "--latency", "0.2", "--client-id", "local-client", "--client-secret", "local-secret",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert ministry.stdout is not None
        banner = ministry.stdout.readline()  # "Local ministry API on http://127.0.0.1:PORT (...)"
        url = next(word for word in banner.split() if word.startswith("http://"))
        assert url.startswith("http://127.0.0.1:"), url
        files = [str(exports[d].path) for d in ("pencari_kerja", "kartu_ak1", "lowongan")]
        done = cli("run", *files, "--ministry-url", url, "--json", "--timeout", "400")
    finally:
        ministry.terminate()
        _, log = ministry.communicate(timeout=30)
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    valid = sum(entry["valid"] for entry in summary["files"])
    delivery = summary["delivery"]
    assert delivery["delivered"] + delivery["rejected_by_ministry"] == valid
    assert delivery["pending"] == 0
    assert delivery["attempts"] >= len(files)  # every failed request was tried again
    statuses = {line.split()[0] for line in log.splitlines() if line[:3].isdigit()}
    assert statuses & {"500", "503", "429"}  # the faults did happen (the ministry logs a line a request)
