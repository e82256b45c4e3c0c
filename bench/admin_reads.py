"""(8) What each admin question reads as the records table grows: an upload of job-training records
waiting for the ministry, among 100,000 and then 1,000,000 delivered records. Items read (DynamoDB's
ScannedCount, and the items Get calls return) are what AWS bills and what a question waits for;
they follow what waits, not the table, so they stay put while the table grows tenfold."""

from __future__ import annotations

import time
import zlib
from pathlib import Path
from typing import Any

from bench.common import Figure, first_niks, sample_file

SECTION = "8 admin reads against table size"
SIZES = (100_000, 1_000_000)
WAITING_ROWS = 200
FILLER_DOMAIN = "pencari_kerja"


def run(quick: bool = False) -> list[Figure]:
    from sikas_sync.embedded.stack import EmbeddedStack

    sizes = (10_000, 100_000) if quick else SIZES
    path = sample_file("pelatihan", WAITING_ROWS, invalid_ratio=0.0)
    people = first_niks(path, len(SIZES))
    reads: dict[int, dict[str, tuple[int, float]]] = {}
    with Path("/dev/null").open("w") as quiet, EmbeddedStack(log=quiet) as stack:
        stack.upload(path, "pelatihan/waiting.csv")
        assert stack.run_ingest(600), "the waiting upload was not stored"  # its push messages wait
        stored = _records(stack)
        for size, nik in zip(sizes, people, strict=False):
            started = time.perf_counter()
            _add_delivered_records(stack, stored, size - stored)
            print(f"  {size:,} records in {time.perf_counter() - started:.0f} s", flush=True)
            stored = size
            reads[size] = _questions(stack, nik)
    small, large = sizes
    return [
        Figure(
            SECTION,
            f"`{name}`: items read among {large:,} records",
            reads[large][name][0],
            "items",
            reference=reads[small][name][0],
            reference_name=f"among {small:,}",
            ratio=reads[large][name][0] / max(reads[small][name][0], 1),
            target="no more than among the smaller table",
            met=reads[large][name][0] <= reads[small][name][0],
            note=f"{reads[small][name][1]:.2f} s and {reads[large][name][1]:.2f} s on the emulator"
            + ("; one waiting record fewer: the first erase removed it" if name != "erase" else ""),
        )
        for name in reads[large]
    ]


def _questions(stack: Any, nik: str) -> dict[str, tuple[int, float]]:
    """Each admin question once: (items it read, seconds)."""
    from sikas_sync.operations.erase_wiring import erase_function
    from sikas_sync.operations.pending import pending_report
    from sikas_sync.operations.status import stack_status

    target = stack.target()
    dynamodb = target.client("dynamodb")
    erase = erase_function(1).name
    questions = {
        "pending": lambda: pending_report(dynamodb, target.records_table, target.deliveries_table),
        "status": lambda: stack_status(target, days=7),
        "status --file": lambda: stack_status(target, file_key="pelatihan/waiting.csv"),
        "sweep": lambda: stack.invoke_scheduled("sweep"),
        "erase": lambda: stack.invoke(erase, {"domain": "pelatihan", "nik": nik, "requested_by": "bench"}),
    }
    measured = {}
    for name, ask in questions.items():
        with stack.dynamodb_traffic() as traffic:
            started = time.perf_counter()
            ask()
            measured[name] = (traffic.items_read, time.perf_counter() - started)
    return measured


def _records(stack: Any) -> int:
    table = stack.clients["dynamodb"].describe_table(TableName=stack.resources.records_table)["Table"]
    return int(table["ItemCount"])


def _add_delivered_records(stack: Any, start: int, count: int) -> None:
    """Delivered job-seeker records, written straight into the emulator's table (an upload of a
    million rows would take the emulator most of an hour): the attributes and index keys a delivered
    record has; the field data left out, which no admin question reads."""
    from moto.dynamodb.models import dynamodb_backends

    from sikas_sync.embedded.stack import REGION
    from sikas_sync.resources import PENDING_SHARDS

    backend = dynamodb_backends["123456789012"][REGION]
    table = stack.resources.records_table
    now = int(time.time()) - 7 * 24 * 3600
    for n in range(start, start + count):
        record_id = f"{n:012d}"
        shard = f"{FILLER_DOMAIN}#{zlib.crc32(record_id.encode()) % PENDING_SHARDS}"
        backend.put_item(
            table,
            {
                "pk": {"S": f"{FILLER_DOMAIN}#{record_id}"},
                "domain": {"S": FILLER_DOMAIN},
                "record_id": {"S": record_id},
                "version": {"N": "1"},
                "updated_at": {"N": str(now + n % 86400)},
                "domain_shard": {"S": shard},
                "last_file_key": {"S": f"{stack.bucket}/{FILLER_DOMAIN}/archive.csv"},
                "person_key": {"S": f"{FILLER_DOMAIN}#{zlib.crc32(str(n).encode()):08x}{n:08x}"},
            },
        )
