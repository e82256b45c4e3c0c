"""`sikas-sync columns`: the headers a domain accepts, from the one alias table."""

from __future__ import annotations

import json

import pytest

from sikas_sync.cli.main import main
from sikas_sync.domains import DOMAINS, get_domain


def test_columns_of_a_domain_as_json_list_every_field_with_its_aliases(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["columns", "--domain", "lowongan", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)

    assert document["domain"] == "lowongan"
    assert [c["field"] for c in document["columns"]] == list(get_domain("lowongan").fields)
    by_field = {c["field"]: c for c in document["columns"]}
    assert by_field["upah_max"]["required"] is False
    assert {"gaji_maks", "gaji_max"} <= set(by_field["upah_max"]["aliases"])
    assert by_field["jabatan"]["required"] is True
    assert "nama_jabatan" in by_field["jabatan"]["aliases"]
    assert by_field["kode_wilayah_kerja"]["from_place_names"] is True
    assert by_field["jabatan"]["from_place_names"] is False


def test_columns_in_text_say_required_and_name_the_place_name_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["columns", "--domain", "pelatihan"]) == 0
    out = capsys.readouterr().out

    assert "Kolom yang diterima untuk pelatihan (Pelatihan" in out
    [line] = [line for line in out.splitlines() if line.startswith("persen_kehadiran ")]
    assert line.split()[1] == "tidak"
    assert "kehadiran" in line
    assert "Kecamatan" not in out  # pelatihan has no region code to give as names


def test_columns_without_a_domain_list_the_nine(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["columns", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [d["slug"] for d in document["domains"]] == [d.slug for d in DOMAINS]
