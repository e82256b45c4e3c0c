"""Test support for the ingest service: the in-memory fakes wired into it as one world."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fakes import FakeClock, FakeFileLedger, FakeLeases, FakeObjectStore, FakePushQueue, FakeRecordStore
from sikas_sync.ingest import FileSummary, IngestDeps, IngestSettings, ObjectRef, ingest_object
from sikas_sync.ingest.record_ids import record_id
from sikas_sync.resources import QUARANTINE_PREFIX, REPORTS_PREFIX

BUCKET = "inbox"
DOMAIN = "pencari_kerja"
HMAC_KEY = bytes(range(32))
LEASE_S = 960


class World:
    """The fakes wired into the ingest service, plus the settings every test shares."""

    def __init__(self, region_code: str = "12.09") -> None:
        self.objects = FakeObjectStore()
        self.records = FakeRecordStore()
        self.ledger = FakeFileLedger()
        self.push = FakePushQueue()
        self.clock = FakeClock()
        self.leases = FakeLeases()
        self.deps = IngestDeps(
            objects=self.objects,
            records=self.records,
            ledger=self.ledger,
            push=self.push,
            hmac_key=HMAC_KEY,
            leases=self.leases,
            clock=self.clock,
        )
        self.settings = IngestSettings(
            region_code=region_code, max_file_bytes=50 * 1024 * 1024, lease_s=LEASE_S
        )

    def upload(self, key: str, body: bytes) -> ObjectRef:
        return self.objects.upload(BUCKET, key, body)

    def ingest(self, ref: ObjectRef) -> FileSummary:
        return ingest_object(ref, self.deps, self.settings)

    def put_and_ingest(self, key: str, body: bytes) -> FileSummary:
        return self.ingest(self.upload(key, body))

    def rid(self, nik: str, domain: str = DOMAIN) -> str:
        return record_id(HMAC_KEY, domain, (nik,))

    def report_bytes(self, key: str) -> bytes:
        return self.objects.body(BUCKET, REPORTS_PREFIX + key + ".json")

    def report(self, key: str) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.report_bytes(key))
        return document

    def quarantine_rows(self, key: str) -> list[list[str]]:
        text = self.objects.body(BUCKET, QUARANTINE_PREFIX + key + ".csv").decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))

    def has_quarantine(self, key: str) -> bool:
        return bool(self.objects.keys(BUCKET, QUARANTINE_PREFIX + key + ".csv"))

    def counts(self, summary: FileSummary) -> dict[str, int]:
        return {
            "rows": summary.rows,
            "valid": summary.valid,
            "rejected": summary.rejected,
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "warnings": summary.warnings,
        }
