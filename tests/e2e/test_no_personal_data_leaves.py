"""UU 27/2022: NIKs, names and phone numbers of the input never reach logs, metrics, summaries or
reports. The whole pipeline runs over every domain, with rejected rows and ministry refusals."""

from __future__ import annotations

import io
import json
import re
from typing import Any

from sikas_sync.cli.run import Upload, run_pipeline
from sikas_sync.domains.values import is_placeholder
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.ministry.local import Faults
from sikas_sync.parsing import open_table
from sikas_sync.resources import OUTBOX_PREFIX, QUARANTINE_PREFIX
from sikas_sync.sample import SampleResult

PERSONAL_COLUMNS = ("nik", "nama", "no_hp", "tanggal_lahir", "alamat", "email")


def personal_values(exports: dict[str, SampleResult]) -> set[str]:
    """Every NIK, name, phone (as written and normalised), address and email of the input files."""
    found: set[str] = set()
    for sample in exports.values():
        with open_table(sample.path, name=sample.path.name) as table:
            wanted = [i for i, name in enumerate(table.header) if name in PERSONAL_COLUMNS]
            for row in table.rows:
                for index in wanted:
                    value = row.values[index] if row.values else None
                    text = str(value).strip() if value is not None else ""
                    if text and is_placeholder(text):
                        continue  # "- tidak ada -" says there is no address: it is nobody's data
                    if len(text) >= 8:  # short fragments (a two-letter name) would match by chance
                        found.add(text)
                        digits = re.sub(r"\D", "", text)
                        if len(digits) >= 10:
                            found.add(digits)
                            found.add("+62" + digits.lstrip("0"))
    return found


def test_no_input_nik_name_or_phone_appears_in_logs_summaries_or_reports(
    exports: dict[str, SampleResult],
) -> None:
    log = io.StringIO()
    stored: dict[str, str] = {}

    def collect(stack: EmbeddedStack) -> None:
        s3 = stack.clients["s3"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=stack.bucket):
            for obj in page.get("Contents", []):
                key = obj["Key"]
                is_upload = key.split("/", 1)[0] in exports
                # Uploads, quarantine and the outbox hold personal data on purpose: encrypted, for
                # SIKAS operators (the outbox: natural keys to match the ministry's IDs to their rows).
                if not is_upload and not key.startswith((QUARANTINE_PREFIX, OUTBOX_PREFIX)):
                    stored[key] = s3.get_object(Bucket=stack.bucket, Key=key)["Body"].read().decode()
        ledger = stack.clients["dynamodb"].scan(TableName=stack.target().files_table)["Items"]
        stored["files-ledger"] = json.dumps(ledger)

    summary: dict[str, Any] = run_pipeline(
        [Upload(sample.path, domain) for domain, sample in exports.items()],
        region_code="12.09",
        ministry_url=None,
        credentials=("local-client", "local-secret"),
        timeout_s=300,
        log=log,
        faults=Faults(refuse_rate=0.1),
        stack_hook=collect,
    )
    assert summary["delivery"]["rejected_by_ministry"] > 0
    assert any(entry["rejected"] for entry in summary["files"])
    assert any(key.startswith("reports/") for key in stored)

    values = personal_values(exports)
    assert len(values) > 500  # the check below has something to find
    haystacks = {
        "function logs": log.getvalue(),
        "run summary": json.dumps(summary, ensure_ascii=False),
        **stored,
    }
    assert "file processed" in haystacks["function logs"]
    for where, text in haystacks.items():
        leaked = sorted(value for value in values if value in text)
        assert not leaked, f"{where} holds personal data, e.g. {leaked[0][:4]}…"
        assert not re.search(r"(?<!\d)\d{16}(?!\d)", text), f"{where} holds a 16-digit number"
