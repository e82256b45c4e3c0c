"""`sikas-sync` in-process: usage errors in both languages, one JSON document with `--json` on every
way out, `--version`, help that names the domains, and the checks before anything runs."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from sikas_sync.cli.arguments import DEFAULT_REGION_CODE, DEFAULT_STATE_FILE, prescan, resolve_domain
from sikas_sync.cli.main import build_parser, main
from sikas_sync.cli.messages import speaking
from sikas_sync.domains.slugs import PERSON_SLUGS, SLUGS

SLUG_LIST = ", ".join(SLUGS)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_document(out: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(out)  # fails on anything but exactly one JSON document
    return document


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "laporan.csv"
    path.write_text("nomor_wlkp;nama\n1;x\n", encoding="utf-8")
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"sikas-sync {version('sikas-sync')}\n", "")


def test_help_speaks_indonesian_by_default_and_names_every_domain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--help")
    assert code == 0
    assert out.startswith("penggunaan: sikas-sync validate")
    assert "periksa satu berkas ekspor secara luring" in out
    assert "tampilkan bantuan ini lalu keluar" in out
    flat = " ".join(out.split())
    assert f"domain berkas, salah satu dari: {SLUG_LIST}." in flat


def test_help_in_english_with_lang_or_an_english_locale(
    capsys: pytest.CaptureFixture[str], locale: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "--lang", "en", "--help")[1].startswith("usage: sikas-sync [-h]")
    assert run(capsys, "run", "--help", "--lang", "en")[1].startswith("usage: sikas-sync run")
    locale.setenv("LANG", "en_US.UTF-8")
    out = run(capsys, "--help")[1]
    assert out.startswith("usage: sikas-sync")
    assert "SIKAS labour-data integration with the Ministry of Manpower" in out
    assert run(capsys, "--lang", "id", "--help")[1].startswith("penggunaan: sikas-sync")


def test_every_option_of_every_command_is_described_in_both_languages() -> None:
    import argparse

    for lang in ("id", "en"):
        with speaking(lang):
            parser = build_parser()
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        for name, sub in commands.choices.items():
            for action in sub._actions:
                assert action.help, (lang, name, action.dest)
            for action in commands._choices_actions:
                assert action.help, (lang, action.dest)
            domain = next((a for a in sub._actions if "--domain" in a.option_strings), None)
            if domain is not None:
                wanted = PERSON_SLUGS if name == "erase" else SLUGS
                assert all(slug in str(domain.help) for slug in wanted), (lang, name)


def test_a_missing_argument_in_both_languages(
    capsys: pytest.CaptureFixture[str], locale: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, "validate")
    assert (code, out) == (2, "")
    assert err.startswith("penggunaan: sikas-sync validate")
    assert err.endswith("sikas-sync validate: kesalahan: argumen berikut wajib diberikan: FILE\n")
    locale.setenv("LANG", "en_US.UTF-8")
    code, out, err = run(capsys, "validate")
    assert err.startswith("usage: sikas-sync validate")
    assert err.endswith("sikas-sync validate: error: the following arguments are required: FILE\n")


def test_an_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validasi")
    assert code == 2
    assert (
        "sikas-sync: kesalahan: argumen COMMAND: pilihan tidak sah: 'validasi' (pilih dari 'validate'," in err
    )


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["validate", "--json"], "usage", "argumen berikut wajib diberikan: FILE"),
        (
            ["validate", "{tmp}/x.csv", "--domain", "nope", "--json"],
            "domain_unknown",
            f"argumen --domain: domain 'nope' tidak dikenal; pilih salah satu dari: {SLUG_LIST}",
        ),
        (
            ["validate", "{tmp}/x.csv", "--region-code", "99.99", "--json"],
            "region_code_unknown",
            "argumen --region-code: '99.99' bukan kode provinsi atau kabupaten/kota Kemendagri (mis. 12.09)",
        ),
        (["validate", "{tmp}", "--json"], "is_a_directory", "{tmp} adalah folder, bukan berkas"),
        (["validate", "{tmp}/x.csv", "--json"], "file_not_found", "{tmp}/x.csv: berkas tidak ditemukan"),
        (["run", "{tmp}", "--json"], "is_a_directory", "{tmp} adalah folder, bukan berkas"),
        (
            ["run", "{tmp}/a.csv", "{tmp}/b.csv", "--json"],
            "file_not_found",
            "{tmp}/a.csv: berkas tidak ditemukan; {tmp}/b.csv: berkas tidak ditemukan",
        ),
        (
            ["run", "--json", "--timeout", "0", "x"],
            "usage",
            "argumen --timeout: '0' harus angka lebih dari 0",
        ),
        (["columns", "--domain", "lowongan_kerja", "--json"], "domain_unknown", None),
        (["erase", "--domain", "lowongan", "--nik", "-", "--json"], "domain_unknown", None),
        (["redrive", "--limit", "0", "--json"], "usage", None),
        (["status", "--days", "tujuh", "--json"], "usage", None),
        (["outbox", "--since", "1/3/2025", "--json"], "usage", None),
        (["pending", "--embedded", "{tmp}/none.json", "--json"], "no_stack", None),
        (["report", "--file", "a.csv", "--embedded", "{tmp}", "--json"], "is_a_directory", None),
        (["--json"], "usage", None),
    ],
)
def test_with_json_every_usage_error_is_one_error_document(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], code: str, message: str | None
) -> None:
    status, out, err = run(capsys, *(arg.replace("{tmp}", str(tmp_path)) for arg in argv))
    assert status == 2
    document = one_document(out)
    assert list(document) == ["error"]
    assert list(document["error"]) == ["code", "message"]
    assert document["error"]["code"] == code
    if message is not None:
        assert document["error"]["message"] == message.replace("{tmp}", str(tmp_path))
    assert "Traceback" not in err


def test_errors_speak_english_when_asked(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, out, _ = run(capsys, "validate", str(tmp_path), "--json", "--lang", "en")
    assert one_document(out)["error"] == {
        "code": "is_a_directory",
        "message": f"{tmp_path} is a folder, not a file",
    }
    _, out, err = run(capsys, "--lang", "en", "validate", str(tmp_path / "x.csv"))
    assert (out, err) == ("", f"sikas-sync validate: error: {tmp_path}/x.csv: no such file\n")
    _, _, err = run(capsys, "validate", str(tmp_path / "x.csv"))
    assert err == f"sikas-sync validate: kesalahan: {tmp_path}/x.csv: berkas tidak ditemukan\n"


def test_a_file_that_cannot_be_read_is_said_so(
    capsys: pytest.CaptureFixture[str], export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == export:
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)  # the tests may run as root, who reads anything
    status, out, _ = run(capsys, "validate", str(export), "--domain", "wlkp", "--json")
    assert status == 2
    assert one_document(out)["error"] == {
        "code": "unreadable",
        "message": f"{export}: tidak dapat dibaca (izin ditolak)",
    }


def test_no_domain_is_a_usage_error_naming_the_domains(
    capsys: pytest.CaptureFixture[str], export: Path
) -> None:
    status, out, err = run(capsys, "validate", str(export))
    assert (status, out) == (2, "")
    assert err == (
        "sikas-sync validate: kesalahan: domain laporan.csv tidak dapat ditentukan dari nama folder maupun "
        f"nama berkasnya; beri --domain SLUG (salah satu dari: {SLUG_LIST})\n"
    )
    status, out, _ = run(capsys, "validate", str(export), "--json", "--lang", "en")
    assert status == 2
    assert one_document(out)["error"] == {
        "code": "domain_unknown",
        "message": "the domain of laporan.csv cannot be told from its folder or file name; "
        f"give --domain SLUG (one of: {SLUG_LIST})",
    }


def test_other_paths_are_checked_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, export: Path
) -> None:
    status, _, err = run(capsys, "sample", "--domain", "wlkp", "--rows", "1", "--out", str(tmp_path))
    assert (status, err) == (2, f"sikas-sync sample: kesalahan: {tmp_path} adalah folder, bukan berkas\n")
    status, out, _ = run(
        capsys, "validate", str(export), "--domain", "wlkp", "--rejected-out", str(tmp_path), "--json"
    )
    assert (status, one_document(out)["error"]["code"]) == (2, "is_a_directory")
    status, out, _ = run(capsys, "run", str(export), "--outbox-dir", str(export), "--json")
    assert (status, one_document(out)["error"]["code"]) == (2, "not_a_directory")
    status, out, _ = run(capsys, "run", str(export), "--ministry-url", "ftp://x", "--json")
    assert one_document(out)["error"] == {"code": "usage", "message": "--ministry-url harus URL http(s)"}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (None, False)),
        (["validate", "x", "--json"], (None, True)),
        (["validate", "x", "--js"], (None, True)),  # argparse's abbreviation
        (["--lang", "en", "validate"], ("en", False)),
        (["validate", "--lang=en", "--json"], ("en", True)),
        (["validate", "--lan", "id"], ("id", False)),
        (["validate", "--lang", "fr"], (None, False)),  # argparse refuses it, in the locale's language
        (["validate", "--", "--json", "--lang", "en"], (None, False)),
    ],
)
def test_prescan(argv: list[str], expected: tuple[str | None, bool]) -> None:
    assert prescan(argv) == expected


@pytest.mark.parametrize(
    ("path", "explicit", "expected"),
    [
        ("exports/pencari_kerja_2025-03.csv", None, "pencari_kerja"),
        ("exports/penduduk_bekerja.xlsx", None, "penduduk_bekerja"),
        ("exports/lowongan/maret.xlsx", None, "lowongan"),
        ("exports/lowongan/pelatihan_maret.xlsx", None, "lowongan"),  # the folder first
        ("exports/lowongan/maret.xlsx", "jkp", "jkp"),  # --domain first
        ("exports/laporan.csv", None, None),
    ],
)
def test_a_file_s_domain_as_run_and_validate_find_it(
    path: str, explicit: str | None, expected: str | None
) -> None:
    assert resolve_domain(Path(path), explicit) == expected


def test_the_parser_s_constants_match_what_they_stand_for() -> None:
    from sikas_sync.cli.status import DEFAULT_DAYS
    from sikas_sync.domains import DOMAINS
    from sikas_sync.operations import status, target
    from sikas_sync.reference import wilayah

    found = wilayah.lookup(DEFAULT_REGION_CODE)
    assert found is not None
    assert found.tingkat == "kabupaten_kota"  # the region_code type does not look the default up
    assert DEFAULT_STATE_FILE == target.DEFAULT_STATE_FILE
    assert DEFAULT_DAYS == status.DEFAULT_DAYS
    assert tuple(domain.slug for domain in DOMAINS) == SLUGS
    assert tuple(domain.slug for domain in DOMAINS if "nik" in domain.fields) == PERSON_SLUGS
