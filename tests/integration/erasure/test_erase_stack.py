"""Erasure on the embedded stack: the real erase handler (and `sikas-sync erase --embedded`) against
records that went through the real ingest and push to the local ministry.

One person (NIK) has a job-seeker registration, two AK/1 cards and a JKP claim. Erasing them from
one domain removes exactly their records of that domain, here and at the ministry, and leaves an
audit entry that does not hold the NIK; nothing logged or printed holds it either.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from erase_support import delivery_keys, objects, records_by_nik, scan

from erase_embedded import invoke_erase
from exports import sample_export
from sikas_sync.cli.erase import add_parser, cmd_erase
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.embedded.dispatcher import InvocationFailed
from sikas_sync.ingest.record_ids import record_id
from sikas_sync.operations.erase import AUDIT_PREFIX

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")


@dataclasses.dataclass
class World:
    stack: EmbeddedStack
    log: io.StringIO
    nik: str  # the person who asks for erasure
    others: dict[str, list[str]]  # domain → the other people's NIKs

    def ministry_ids(self, domain: str) -> set[str]:
        assert self.stack.local_ministry is not None
        return set(self.stack.local_ministry.records(domain))

    def erase(self, domain: str, nik: str | None = None) -> Any:
        payload = {"domain": domain, "nik": nik or self.nik, "requested_by": "dpo@disnaker-asahan"}
        return invoke_erase(self.stack, payload)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    log = io.StringIO()
    with EmbeddedStack(log=log) as stack:
        seekers = sample_export(tmp_path, 5, seed=301)
        nik = seekers.cell(1, "nik")
        cards = sample_export(tmp_path, 5, seed=302, domain="kartu_ak1")
        cards.set(1, "nik", nik)
        cards.set(4, "nik", nik)
        claims = sample_export(tmp_path, 3, seed=303, domain="jkp")
        claims.set(2, "nik", nik)
        for domain, export in (("pencari_kerja", seekers), ("kartu_ak1", cards), ("jkp", claims)):
            stack.upload(export.write(tmp_path / f"{domain}.csv"), f"{domain}/{domain}.csv")
        assert stack.run_ingest(timeout_s=60)
        assert stack.run_delivery(timeout_s=60)
        others = {
            "pencari_kerja": seekers.niks()[1:],
            "kartu_ak1": [n for n in cards.niks() if n != nik],
            "jkp": [n for n in claims.niks() if n != nik],
        }
        yield World(stack, log, nik, others)


def test_erasing_a_domain_removes_exactly_that_person_s_records_there(world: World) -> None:
    before = records_by_nik(world.stack, "kartu_ak1")
    erased = set(before[world.nik])
    assert len(erased) == 2
    assert erased <= world.ministry_ids("kartu_ak1")
    kept_ids = world.ministry_ids("kartu_ak1") - erased

    result = world.erase("kartu_ak1")

    assert result["status"] == "complete"
    assert {r["record_id"] for r in result["records"]} == erased
    assert all(r["ministry"] == "erased" and r["here"] == "deleted" for r in result["records"])
    after = records_by_nik(world.stack, "kartu_ak1")
    assert world.nik not in after
    assert sorted(n for n, ids in after.items() for _ in ids) == sorted(world.others["kartu_ak1"])
    assert world.ministry_ids("kartu_ak1") == kept_ids
    assert not {f"kartu_ak1#{rid}" for rid in erased} & delivery_keys(world.stack)
    # The same person's records of other domains are other requests.
    assert world.nik in records_by_nik(world.stack, "pencari_kerja")
    assert world.nik in records_by_nik(world.stack, "jkp")


def test_the_audit_entry_exists_and_holds_no_nik_nor_does_any_log(world: World) -> None:
    result = world.erase("jkp")
    audits = objects(world.stack, AUDIT_PREFIX)
    assert list(audits) == [result["audit_key"]]
    document = json.loads(audits[result["audit_key"]])
    assert document["domain"] == "jkp"
    assert document["requested_by"] == "dpo@disnaker-asahan"
    assert document["subject"] == world.nik[:4] + "*" * 12
    (record,) = document["records"]
    assert record["ministry_request_id"]  # the X-Request-Id the ministry got
    assert world.nik not in audits[result["audit_key"]]
    assert "erasure done" in world.log.getvalue()
    assert world.nik not in world.log.getvalue()


def test_pencari_kerja_is_erased_by_its_keyed_record_id(world: World) -> None:
    assert world.stack.resources is not None
    own = record_id(_hmac_key(world.stack), "pencari_kerja", (world.nik,))
    assert records_by_nik(world.stack, "pencari_kerja")[world.nik] == [own]
    result = world.erase("pencari_kerja")
    assert [r["record_id"] for r in result["records"]] == [own]
    assert world.nik not in records_by_nik(world.stack, "pencari_kerja")
    assert own not in world.ministry_ids("pencari_kerja")
    assert len(world.ministry_ids("pencari_kerja")) == len(world.others["pencari_kerja"])


def test_an_invalid_request_fails_the_invocation_without_logging_the_nik(world: World) -> None:
    broken = world.nik[:-1]
    with pytest.raises(InvocationFailed) as failed:
        world.erase("kartu_ak1", nik=broken)
    assert broken not in str(failed.value.__cause__)
    assert broken not in world.log.getvalue()
    assert world.nik in records_by_nik(world.stack, "kartu_ak1")


def test_the_cli_erases_on_the_embedded_stack_and_prints_no_nik(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "embedded.json"
    target = dataclasses.replace(world.stack.target(), ministry_url=world.stack.ministry_url)
    state.write_text(json.dumps(target.to_state()))
    parser = argparse.ArgumentParser(prog="sikas-sync")
    add_parser(parser.add_subparsers(dest="command"))
    monkeypatch.setattr("sys.stdin", io.StringIO(world.nik + "\n"))  # --nik -: not in the shell history
    args = parser.parse_args(
        ["erase", "--domain", "kartu_ak1", "--nik", "-", "--embedded", str(state), "--json"]
    )

    assert cmd_erase(args) == 0

    out = capsys.readouterr()
    document = json.loads(out.out)
    assert document["status"] == "complete"
    assert len(document["records"]) == 2
    assert document["requested_by"]  # the operator's user name by default
    assert world.nik not in out.out + out.err
    assert world.nik not in records_by_nik(world.stack, "kartu_ak1")
    assert document["audit_key"] in objects(world.stack, AUDIT_PREFIX)


def _hmac_key(stack: EmbeddedStack) -> bytes:
    import base64

    assert stack.resources is not None
    secret = stack.clients["secretsmanager"].get_secret_value(SecretId=stack.resources.hmac_secret_name)
    return base64.b64decode(secret["SecretString"])


def test_the_deliveries_table_says_what_went_to_the_ministry_when_and_under_which_request(
    world: World,
) -> None:
    """The audit trail's second half: per record, the version delivered, the ministry's reference,
    the X-Request-Id of the request that carried it and when its state was written."""
    assert world.stack.resources is not None
    records = {item["pk"]: item for item in scan(world.stack, world.stack.resources.records_table)}
    states = {item["pk"]: item for item in scan(world.stack, world.stack.resources.deliveries_table)}
    delivered = [states[pk] for pk in records if states.get(pk, {}).get("status") == "delivered"]
    assert len(delivered) == len(records)  # the local ministry refuses nothing here
    for state in delivered:
        assert int(state["delivered_version"]) == int(records[state["pk"]]["version"])
        assert state["ministry_ref"]
        assert state["request_id"]
        assert int(state["updated_at"]) > 0
