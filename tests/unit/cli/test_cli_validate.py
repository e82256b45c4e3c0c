"""`validate` on real exports, in-process: the domain found as `run` finds it, `--rejected-out`
writing every rejected row as the quarantine does, and the human summary saying where it stopped."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from sikas_sync.cli.main import main
from sikas_sync.sample import SampleResult, SampleSpec, write_sample


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> SampleResult:
    folder = tmp_path_factory.mktemp("exports")
    spec = SampleSpec(domain="pencari_kerja", rows=200, seed=11, invalid_ratio=0.4)
    return write_sample(spec, folder / "pencari_kerja_2025-03.csv")


def validate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["validate", *argv])
    return code, capsys.readouterr().out


def as_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code, out = validate(capsys, *argv, "--json")
    document: dict[str, Any] = json.loads(out)
    return code, document


def test_the_domain_comes_from_the_file_name_or_its_folder(
    capsys: pytest.CaptureFixture[str], export: SampleResult, tmp_path: Path
) -> None:
    code, named = as_json(capsys, str(export.path), "--domain", "pencari_kerja")
    assert (code, named["domain"], named["rejected"]) == (1, "pencari_kerja", len(export.broken))
    assert as_json(capsys, str(export.path)) == (code, named)
    folder = tmp_path / "pencari_kerja"
    folder.mkdir()
    moved = folder / "maret.csv"
    moved.write_bytes(export.path.read_bytes())
    code, found = as_json(capsys, str(moved))
    assert found["domain"] == "pencari_kerja"
    assert found["errors"] == named["errors"]


def test_rejected_out_writes_every_rejected_row(
    capsys: pytest.CaptureFixture[str], export: SampleResult, tmp_path: Path
) -> None:
    out = tmp_path / "hasil" / "ditolak.csv"
    code, text = validate(capsys, str(export.path), "--rejected-out", str(out))
    assert code == 1
    rejected = len(export.broken)
    assert text.endswith(f"{rejected} baris yang ditolak ditulis ke {out}\n")
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header = next(csv.reader(io.StringIO(export.path.read_text(encoding="utf-8"))))
    assert rows[0][: len(header)] == header
    assert len(rows) - 1 == rejected
    code, document = as_json(capsys, str(export.path), "--rejected-out", str(out))
    assert document["rejected_out"] == {"path": str(out), "written": True, "rows": rejected}


def test_the_summary_says_how_many_rejected_rows_it_did_not_show(
    capsys: pytest.CaptureFixture[str], export: SampleResult
) -> None:
    _, document = as_json(capsys, str(export.path))
    shown = {issue["row"] for issue in document["errors"][:20]}
    _, text = validate(capsys, str(export.path))
    hidden = document["rejected"] - len(shown)
    assert hidden > 0
    assert (
        f"  … dan {hidden} baris ditolak lain tidak ditampilkan; gunakan --rejected-out BERKAS untuk "
        "menyimpan semuanya"
    ) in text
    first = document["errors"][0]
    assert f"  baris {first.get('line') or first['row']:>7}  {first['column']}" in text


def test_a_file_rejected_whole_writes_no_rows(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    export = tmp_path / "lowongan_rusak.csv"
    export.write_text("id_lowongan;jabatan\nL-1;Operator\n", encoding="utf-8")  # required columns missing
    out = tmp_path / "ditolak.csv"
    code, text = validate(capsys, str(export), "--rejected-out", str(out))
    assert code == 1
    assert text.startswith("lowongan_rusak.csv [lowongan]: ditolak\n  alasan: ")
    assert text.endswith(f"berkas ditolak seluruhnya; tidak ada baris yang ditulis ke {out}\n")
    assert not out.exists()
    _, document = as_json(capsys, str(export), "--rejected-out", str(out), "--lang", "en")
    assert document["rejected_out"] == {"path": str(out), "written": False, "rows": 0}
