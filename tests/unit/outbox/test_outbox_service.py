"""The outbox run on in-memory fakes: status and dari_siapkerja files, results rewritten, watermarks."""

from __future__ import annotations

import json

import pytest
from outbox_fakes import NOW, T0, OutboxWorld, file_id, record
from pydantic import ValidationError

from sikas_sync.delivery.ports import DeliveryState
from sikas_sync.domains import BY_SLUG
from sikas_sync.errors import RowIssue
from sikas_sync.ministry.local import NIK_UNKNOWN
from sikas_sync.outbox.results import DecidedRow, ResultsWriter, results_key
from sikas_sync.outbox.service import WATERMARK_OVERLAP_S, OutboxRequest, write_outbox
from sikas_sync.validation import RowOutcome

D = "pencari_kerja"
DAY = "2025-03-20"  # NOW in WIB
NIKS = [f"12090155069000{n:02d}" for n in range(1, 8)]
STATUS = f"outbox/{D}/status_{DAY}.csv"
STATUS_JSONL = f"outbox/{D}/status_{DAY}.jsonl"
IMPORTS = f"outbox/{D}/dari_siapkerja_{DAY}.csv"
UPLOAD = "pencari_kerja/maret.csv"
HMAC = bytes(range(32))


def _world() -> OutboxWorld:
    """Seven records of one upload in every delivery state, and two the ministry holds alone."""
    world = OutboxWorld()
    source = file_id(UPLOAD)
    for n, nik in enumerate(NIKS[:5], start=1):
        world.records.add(record(f"r{n}", (nik,), last_file=source, version=2 if n == 5 else 1))
    deliveries = world.deliveries
    deliveries.set(
        D, DeliveryState("r1", "delivered", delivered_version=1, ministry_ref="PK-1209-000001"), T0 - 3600
    )
    deliveries.set(
        D,
        DeliveryState("r2", "rejected_by_ministry", rejected_version=1, errors=(dict(NIK_UNKNOWN),)),
        T0 - 3500,
    )
    deliveries.set(D, DeliveryState("r3", "blocked", blocked_reason="http_400"), T0 - 3400)
    # r4: no item, pending. r5: version 2 pending, version 1 delivered before.
    deliveries.set(
        D, DeliveryState("r5", "delivered", delivered_version=1, ministry_ref="PK-1209-000005"), T0 - 3300
    )
    siap = {
        "nik": NIKS[5],
        "nama": '=HYPERLINK("http://x")',
        "tanggal_lahir": "1990-06-15",
        "jenis_kelamin": "P",
        "no_hp": "+6281234567",
        "status": "TERDAFTAR",
    }
    world.records.add(
        record("SIAP-1", (NIKS[5],), data=siap, source="SIAPKERJA", last_file="ministry:SIAPKERJA")
    )
    deliveries.set(
        D, DeliveryState("SIAP-1", "delivered", delivered_version=1, ministry_ref="PK-1209-900001"), T0
    )
    world.records.add(
        record("KH-1", (), data={"nama": "Tanpa NIK"}, source="KARIRHUB", last_file="ministry:KARIRHUB")
    )
    # Another domain's record: not in this domain's files.
    world.records.add(record("k1", ("AK1-1",), domain="kartu_ak1", last_file=file_id("kartu_ak1/a.csv")))
    return world


def _request(**fields: object) -> OutboxRequest:
    return OutboxRequest.model_validate({"domains": [D], **fields})


def test_the_status_file_has_every_record_sikas_sent_in_its_delivery_state() -> None:
    world = _world()
    outcome = write_outbox(_request(), world.deps)

    assert set(outcome.domains) == {D}
    assert world.objects.header(STATUS) == [
        "nik", "record_id", "version", "delivery_status", "ministry_ref", "delivered_at",
        "ministry_codes", "ministry_messages",
    ]  # fmt: skip
    rows = {r["record_id"]: r for r in world.objects.rows(STATUS)}
    assert set(rows) == {"r1", "r2", "r3", "r4", "r5"}  # not the ministry's own, not kartu_ak1
    assert rows["r1"] == {
        "nik": NIKS[0], "record_id": "r1", "version": "1", "delivery_status": "delivered",
        "ministry_ref": "PK-1209-000001", "delivered_at": "2025-03-20T07:30:00+07:00",
        "ministry_codes": "", "ministry_messages": "",
    }  # fmt: skip
    assert (rows["r2"]["delivery_status"], rows["r2"]["ministry_codes"], rows["r2"]["ministry_messages"]) == (
        "rejected_by_ministry",
        "nik:NIK_TIDAK_DIKENAL",
        NIK_UNKNOWN["message"],
    )
    assert (rows["r3"]["delivery_status"], rows["r3"]["ministry_codes"]) == ("blocked", "*:http_400")
    assert (rows["r4"]["delivery_status"], rows["r4"]["ministry_ref"], rows["r4"]["delivered_at"]) == (
        "pending",
        "",
        "",
    )
    # Version 2 is not delivered yet; the ministry's id of the record stays known.
    assert (rows["r5"]["version"], rows["r5"]["delivery_status"], rows["r5"]["ministry_ref"]) == (
        "2",
        "pending",
        "PK-1209-000005",
    )
    assert outcome.domains[D].by_status == {
        "delivered": 1,
        "rejected_by_ministry": 1,
        "blocked": 1,
        "pending": 2,
    }


def test_the_json_lines_file_says_the_same_for_programs() -> None:
    world = _world()
    write_outbox(_request(), world.deps)
    lines = [json.loads(line) for line in world.objects.text(STATUS_JSONL).splitlines()]
    csv_rows = {r["record_id"]: r for r in world.objects.rows(STATUS)}
    assert len(lines) == len(csv_rows)
    for line in lines:
        row = csv_rows[line["record_id"]]
        assert line["natural_key"] == {"nik": row["nik"]}
        assert (str(line["version"]), line["delivery_status"]) == (row["version"], row["delivery_status"])
        assert (line["ministry_ref"] or "", line["delivered_at"] or "") == (
            row["ministry_ref"],
            row["delivered_at"],
        )
    refused = next(line for line in lines if line["record_id"] == "r2")
    assert refused["errors"] == [dict(NIK_UNKNOWN)]
    assert world.objects.types[STATUS_JSONL].startswith("application/x-ndjson")


def test_dari_siapkerja_holds_the_ministry_only_records_in_the_domains_columns() -> None:
    world = _world()
    write_outbox(_request(), world.deps)
    assert world.objects.header(IMPORTS) == [*BY_SLUG[D].fields, "record_id", "ministry_ref", "sumber"]
    rows = {r["record_id"]: r for r in world.objects.rows(IMPORTS)}
    assert set(rows) == {"SIAP-1", "KH-1"}
    siap = rows["SIAP-1"]
    assert (siap["nik"], siap["tanggal_lahir"], siap["ministry_ref"], siap["sumber"]) == (
        NIKS[5],
        "1990-06-15",
        "PK-1209-900001",
        "SIAPKERJA",
    )
    assert siap["nama"] == '\'=HYPERLINK("http://x")'  # the ministry's text, defused for Excel
    assert siap["no_hp"] == "'+6281234567"
    assert (rows["KH-1"]["nik"], rows["KH-1"]["sumber"], rows["KH-1"]["ministry_ref"]) == ("", "KARIRHUB", "")


def _results_file(world: OutboxWorld) -> None:
    """The upload's results as ingest wrote them: r1-r5 stored, a rejected row, a superseded row."""
    domain = BY_SLUG[D]
    writer = ResultsWriter(domain, HMAC)
    writer.add_rejected(
        RowOutcome(2, None, [RowIssue(2, "nik", "nik_invalid", "NIK tidak valid")], fields={"nik": "12"})
    )
    writer.start_decisions([])
    writer.decided(
        [
            DecidedRow(1, (NIKS[0],), "r1", 1, True),
            *(DecidedRow(n + 1, (NIKS[n - 1],), f"r{n}", 1, True) for n in range(2, 5)),
        ]
    )
    writer.decided([DecidedRow(6, (NIKS[4],), "r5", 1, True)])
    with writer.render() as body:
        world.objects.put(results_key(UPLOAD), body, "text/csv")
    writer.close()
    world.files.done.append((UPLOAD, T0 - 7200))


def test_the_results_file_gets_its_records_delivery_states() -> None:
    world = _world()
    _results_file(world)
    outcome = write_outbox(_request(), world.deps)

    assert outcome.domains[D].results == [results_key(UPLOAD)]
    rows = {r["row"]: r for r in world.objects.rows(results_key(UPLOAD))}
    assert list(rows) == ["1", "2", "3", "4", "5", "6"]
    assert rows["2"]["status"] == "rejected"
    assert rows["2"]["delivery_status"] == ""  # nothing stored, nothing to deliver
    states = {
        n: (r["record_id"], r["delivery_status"], r["ministry_ref"], r["ministry_codes"])
        for n, r in rows.items()
    }
    assert states["1"] == ("r1", "delivered", "PK-1209-000001", "")
    assert states["3"] == ("r2", "rejected_by_ministry", "", "nik:NIK_TIDAK_DIKENAL")
    assert states["4"] == ("r3", "blocked", "", "*:http_400")
    assert states["5"] == ("r4", "pending", "", "")
    # The row wrote version 1; a later upload's version 2 replaced it before it was sent.
    assert states["6"] == ("r5", "delivered", "PK-1209-000005", "")


def test_a_replaced_version_never_delivered_is_superseded_and_an_erased_record_loses_its_key() -> None:
    world = _world()
    _results_file(world)
    world.deliveries.items.pop((D, "r5"))
    world.records.add(record("r5", (NIKS[4],), version=2, last_file=file_id("pencari_kerja/april.csv")))
    world.records.items.pop((D, "r1"))  # erased on request
    write_outbox(_request(), world.deps)

    rows = {r["row"]: r for r in world.objects.rows(results_key(UPLOAD))}
    assert (rows["6"]["delivery_status"], rows["6"]["version"]) == ("superseded", "1")
    assert (rows["1"]["delivery_status"], rows["1"]["nik"], rows["1"]["status"]) == ("erased", "", "stored")


def test_a_results_file_replaced_meanwhile_is_left_to_the_next_run() -> None:
    world = _world()
    _results_file(world)
    newer = "\ufeffrow;nik\r\n".encode()

    def new_upload(key: str) -> None:
        world.objects.objects[key] = newer  # ingest of a new version of the upload wrote it

    world.objects.on_get = new_upload
    outcome = write_outbox(_request(), world.deps)
    assert outcome.domains[D].results == []
    assert outcome.domains[D].results_raced == 1
    assert world.objects.objects[results_key(UPLOAD)] == newer


def test_later_runs_rewrite_only_the_uploads_that_changed() -> None:
    world = _world()
    _results_file(world)
    world.files.done.append(("pencari_kerja/tanpa_hasil.csv", T0 - 7000))  # from before the outbox
    first = write_outbox(_request(), world.deps)
    assert first.domains[D].results == [results_key(UPLOAD)]
    assert first.domains[D].results_missing == 1
    assert world.files.watermarks == {D: T0}

    world.now = NOW.replace(day=21)
    world.objects.puts.clear()
    quiet = write_outbox(_request(), world.deps)
    assert quiet.domains[D].results == []  # nothing delivered, nothing processed since
    assert results_key(UPLOAD) not in world.objects.puts

    world.deliveries.set(
        D, DeliveryState("r4", "delivered", delivered_version=1, ministry_ref="PK-7"), T0 + 86400
    )
    later = write_outbox(_request(), world.deps)
    assert later.domains[D].results == [results_key(UPLOAD)]
    row = next(r for r in world.objects.rows(results_key(UPLOAD)) if r["record_id"] == "r4")
    assert (row["delivery_status"], row["ministry_ref"]) == ("delivered", "PK-7")


def test_a_delivery_a_little_before_the_watermark_still_counts() -> None:
    world = _world()
    _results_file(world)
    world.files.watermarks[D] = T0
    world.deliveries.set(
        D, DeliveryState("r4", "delivered", delivered_version=1), T0 - WATERMARK_OVERLAP_S + 1
    )
    assert write_outbox(_request(), world.deps).domains[D].results == [results_key(UPLOAD)]


def test_since_writes_separate_partial_files_and_keeps_the_watermark() -> None:
    world = _world()
    _results_file(world)
    world.files.watermarks[D] = T0 - 10
    world.records.add(
        record("r9", ("1209015506900009",), updated_at=T0 - 5 * 86400, last_file=file_id("x/y.csv"))
    )
    outcome = write_outbox(_request(since="2025-03-20"), world.deps)  # from 00:00 WIB

    partial = f"outbox/{D}/status_{DAY}_sejak_2025-03-20.csv"
    assert outcome.domains[D].status_key == partial
    assert STATUS not in world.objects.objects  # the day's full file is not replaced
    rows = {r["record_id"] for r in world.objects.rows(partial)}
    assert "r9" not in rows  # written five days before and never delivered since
    assert rows == {"r1", "r2", "r3", "r4", "r5"}
    assert world.files.watermarks == {D: T0 - 10}
    assert outcome.domains[D].imports_key == f"outbox/{D}/dari_siapkerja_{DAY}_sejak_2025-03-20.csv"


def test_every_domain_by_default_each_with_its_files() -> None:
    world = _world()
    outcome = write_outbox(OutboxRequest(), world.deps)
    assert len(outcome.domains) == 9
    assert world.records.scans == 1  # one scan for all of them
    kartu = world.objects.rows(f"outbox/kartu_ak1/status_{DAY}.csv")
    assert [(r["nomor_pendaftaran"], r["delivery_status"]) for r in kartu] == [("AK1-1", "pending")]
    assert len(outcome.keys()) == 27


@pytest.mark.parametrize("domains", [["nope"], []])
def test_a_request_names_known_domains_or_none(domains: list[str]) -> None:
    with pytest.raises(ValidationError):
        OutboxRequest.model_validate({"domains": domains})
