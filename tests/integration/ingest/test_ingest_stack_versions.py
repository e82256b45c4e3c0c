"""Versions, pushes, reports, quarantine and the ledger, through the real handler on the embedded stack."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from stack_support import PushLog, keys, ledger, quarantine, records, report, run, summaries_for

from exports import WHOLE_NIK, Export, sample_export
from sikas_sync.domains.values import is_placeholder
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.resources import QUARANTINE_PREFIX, REPORTS_PREFIX

# Invocations that only see S3 test events publish no metric; Powertools warns about that.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    return sample_export(tmp_path_factory.mktemp("versions"), 50, seed=71)


def _redeliver(stack: EmbeddedStack, encoded_key: str, version_id: str | None) -> None:
    """Put an S3 notification on the domain's ingest queue, as S3 would send it again."""
    assert stack.resources is not None
    obj: dict[str, object] = {"key": encoded_key, "size": 1, "eTag": "0" * 32, "sequencer": "01"}
    if version_id is not None:
        obj["versionId"] = version_id
    body = {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Put",
                "s3": {"bucket": {"name": stack.bucket}, "object": obj},
            }
        ]
    }
    stack.clients["sqs"].send_message(
        QueueUrl=stack.resources.ingest_queues["pencari_kerja"].url, MessageBody=json.dumps(body)
    )


def test_a_changed_row_uploaded_again_gets_version_2_and_one_push(
    stack: EmbeddedStack, export: Export, tmp_path: Path
) -> None:
    pushes = PushLog(stack)
    stack.upload(export.write(tmp_path / "a.csv"), "pencari_kerja/ekspor.csv")
    run(stack)
    before = records(stack)
    assert len(pushes.drain()) == 50
    changed = export.copy()
    nik = changed.cell(17, "nik")
    changed.set(17, "alamat", "Jalan Imam Bonjol No. 5, Kel. Kisaran Baru")

    version = stack.upload(changed.write(tmp_path / "b.csv"), "pencari_kerja/ekspor.csv")
    run(stack)

    summary = next(s for s in summaries_for(stack, "pencari_kerja/ekspor.csv") if s["version_id"] == version)
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 1, 49)
    after = records(stack)
    assert int(after[nik]["version"]) == 2
    assert json.loads(after[nik]["data"])["alamat"] == "Jalan Imam Bonjol No. 5, Kel. Kisaran Baru"
    assert after[nik]["last_file"] == f"{stack.bucket}/pencari_kerja/ekspor.csv#{version}"
    assert {k: v for k, v in after.items() if k != nik} == {k: v for k, v in before.items() if k != nik}
    assert pushes.drain() == [{"domain": "pencari_kerja", "record_id": after[nik]["record_id"], "version": 2}]


def test_report_and_quarantine_objects(stack: EmbeddedStack, tmp_path: Path) -> None:
    export = sample_export(tmp_path, 120, seed=72, invalid_ratio=0.1)
    key = "pencari_kerja/dengan-kesalahan.csv"
    stack.upload(export.write(tmp_path / "x.csv"), key)

    run(stack)

    (summary,) = summaries_for(stack, key)
    document = report(stack, key)
    for name in ("status", "rows", "valid", "rejected", "created", "updated", "unchanged", "warnings"):
        assert document[name] == summary[name], name
    assert (document["rows"], document["rejected"], document["created"]) == (120, 12, 108)
    errors = [i for i in document["issues"] if i["severity"] == "error"]
    assert [(i["row"], i["column"], i["code"]) for i in errors] == [
        (b.row, b.column, b.code) for b in export.broken
    ]
    # The sample's warned rows are stored: listed as warnings, none of them among the rejected.
    warned = {i["row"] for i in document["issues"] if i["severity"] == "warning"}
    assert len(warned) <= document["warnings"]
    assert not warned & {b.row for b in export.broken}
    assert not WHOLE_NIK.search(json.dumps(document).encode())
    header, *rows = quarantine(stack, key)
    assert header == [*export.header, "_baris", "_kesalahan"]
    # Cells that start like a formula come back as text (a leading '), the rest (placeholders for
    # none among them) as uploaded.
    assert [row[:-2] for row in rows] == [
        [
            "'" + c if c.startswith(("=", "+", "-", "@")) and not is_placeholder(c) else c
            for c in export.rows[b.row - 1]
        ]
        for b in export.broken
    ]
    # `_baris`: the line Excel shows (the header is line 1); `_kesalahan`: `kolom: pesan [code]`.
    assert [row[-2] for row in rows] == [str(b.row + 1) for b in export.broken]
    assert [re.fullmatch(r"(\w+): .+ \[(\w+)\]", row[-1]).groups() for row in rows] == [  # type: ignore[union-attr]
        (b.column, b.code) for b in export.broken
    ]
    assert keys(stack, REPORTS_PREFIX) == [REPORTS_PREFIX + key + ".json"]
    assert keys(stack, QUARANTINE_PREFIX) == [QUARANTINE_PREFIX + key + ".csv"]
    assert len(records(stack)) == 108


def test_the_ledger_has_one_entry_per_key_and_version_and_redelivery_is_a_no_op(
    stack: EmbeddedStack, export: Export, tmp_path: Path
) -> None:
    key = "pencari_kerja/ekspor bulanan é.csv"
    pushes = PushLog(stack)
    first = stack.upload(export.write(tmp_path / "a.csv"), key)
    run(stack)
    changed = export.copy()
    changed.set(3, "alamat", "Jalan Cokroaminoto No. 8, Kel. Mutiara")
    second = stack.upload(changed.write(tmp_path / "b.csv"), key)
    run(stack)
    stored, pushed = records(stack), len(pushes.drain())
    assert pushed == 51

    _redeliver(stack, quote_plus(key), first)  # S3 delivers events at least once
    _redeliver(stack, quote_plus(key), second)
    _redeliver(stack, quote_plus(key), None)
    run(stack)

    entries = ledger(stack)
    assert sorted(e["file_id"] for e in entries) == sorted(
        f"{stack.bucket}/{key}#{v}" for v in (first, second)
    )
    assert {e["status"] for e in entries} == {"done"}
    assert {e["object_key"] for e in entries} == {key}
    assert {int(e["attempt"]) for e in entries} == {1}
    assert records(stack) == stored
    assert pushes.drain() == []


def test_an_aws_encoded_key_in_a_hand_built_event_names_the_uploaded_object(
    stack: EmbeddedStack, export: Export, tmp_path: Path
) -> None:
    key = "pencari_kerja/a b é.csv"
    version = stack.upload(export.write(tmp_path / "a.csv"), key)
    run(stack)
    stored = records(stack)

    _redeliver(stack, "pencari_kerja/a+b+%C3%A9.csv", version)  # S3's own encoding of the key
    _redeliver(stack, "pencari_kerja/tidak+ada%C3%A9.csv", None)
    run(stack)

    assert [s["created"] for s in summaries_for(stack, key)] == [50]
    assert records(stack) == stored
    (missing,) = summaries_for(stack, "pencari_kerja/tidak adaé.csv")
    assert missing["reason_code"] == "file_missing"
    assert stack.dispatcher is not None
    assert stack.dispatcher.stats["ingest-pencari_kerja"].failed_messages == 0
