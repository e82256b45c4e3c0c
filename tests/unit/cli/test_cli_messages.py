"""The message catalog: the language chosen from the locale, both languages complete, every key the
command line uses present, and argparse's own texts in Bahasa Indonesia."""

from __future__ import annotations

import argparse
import inspect
import re
import string
from pathlib import Path

import pytest

from sikas_sync.cli import messages
from sikas_sync.cli.messages import ARGPARSE_ID, CATALOG, from_environment, number, speaking, t

CLI_DIR = Path(messages.__file__).parent
# Keys built at run time: t(f"status.{status}"), t(f"erase.status.{status}"), t(f"progress.{unit}"),
# and the TargetError keys main.target_message looks up as f"target.{key}".
DYNAMIC_PREFIXES = ("status.", "erase.status.", "progress.", "target.")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "id"),
        ({"LANG": "C"}, "id"),
        ({"LANG": "C.UTF-8"}, "id"),
        ({"LANG": "POSIX"}, "id"),
        ({"LANG": "id_ID.UTF-8"}, "id"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en"}, "en"),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "id_ID.UTF-8"}, "en"),
        ({"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"}, "id"),  # LC_ALL overrides, as POSIX says
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "id_ID"}, "en"),
        ({"LC_ALL": "", "LANG": "en_US.UTF-8"}, "en"),  # set but empty counts as unset
    ],
)
def test_the_language_follows_the_locale(environ: dict[str, str], expected: str) -> None:
    assert from_environment(environ) == expected


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_message_exists_in_both_languages_with_the_same_fields() -> None:
    for key, (indonesian, english) in CATALOG.items():
        assert indonesian.strip(), key
        assert english.strip(), key
        assert _fields(indonesian) == _fields(english), key


def test_help_texts_survive_argparse_s_percent_formatting() -> None:
    for key, texts in CATALOG.items():
        if key.startswith(("help.", "cmd.", "prog.")):
            for text in texts:
                assert "%" not in text.replace("%(default)s", ""), key


def _sources() -> str:
    return "\n".join(path.read_text() for path in CLI_DIR.glob("*.py") if path.name != "messages.py")


def test_every_key_the_command_line_uses_is_in_the_catalog_and_none_is_left_over() -> None:
    sources = _sources()
    looked_up = set(re.findall(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""", sources))
    assert looked_up, "the scan found no t(...) calls"
    assert looked_up - set(CATALOG) == set()
    literals = set(re.findall(r"""["']([a-z_]+(?:\.[a-z_]+)+)["']""", sources))
    unused = {key for key in set(CATALOG) - literals if not key.startswith(DYNAMIC_PREFIXES)}
    assert unused == set()


def test_the_argparse_table_translates_texts_argparse_really_uses() -> None:
    source = inspect.getsource(argparse)
    for msgid in ARGPARSE_ID:
        assert msgid.replace("\n", "\\n") in source, msgid


def test_argparse_speaks_indonesian_inside_speaking_and_english_again_after() -> None:
    with speaking("id"):
        parser = argparse.ArgumentParser(prog="sikas-sync")
        parser.add_argument("file")
        parser.add_argument("--rows", type=int)
        text = parser.format_help()
        with pytest.raises(SystemExit):
            parser.parse_args(["--rows", "x"])
    assert text.startswith("penggunaan: sikas-sync")
    assert "argumen posisi:" in text
    assert "opsi:" in text
    assert "tampilkan bantuan ini lalu keluar" in text
    after = argparse.ArgumentParser(prog="sikas-sync")
    assert after.format_help().startswith("usage: sikas-sync")
    assert "show this help message and exit" in after.format_help()


def test_argparse_error_texts_in_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    with speaking("id"):
        parser = argparse.ArgumentParser(prog="sikas-sync")
        parser.add_argument("file")
        parser.add_argument("--format", choices=["csv", "xlsx"])
        with pytest.raises(SystemExit):
            parser.parse_args([])
        with pytest.raises(SystemExit):
            parser.parse_args(["a", "--format", "pdf"])
        with pytest.raises(SystemExit):
            parser.parse_args(["a", "b"])
        with pytest.raises(SystemExit):
            parser.parse_args(["a", "--format"])
    err = capsys.readouterr().err
    assert "sikas-sync: kesalahan: argumen berikut wajib diberikan: file" in err
    assert "argumen --format: pilihan tidak sah: 'pdf' (pilih dari 'csv', 'xlsx')" in err
    assert "argumen tidak dikenal: b" in err
    assert "argumen --format: memerlukan satu nilai" in err


def test_speaking_restores_the_language_before_it() -> None:
    with speaking("en"):
        assert t("error.label") == "error"
        with speaking("id"):
            assert t("error.label") == "kesalahan"
        assert t("error.label") == "error"


def test_numbers_are_written_as_the_reader_writes_them() -> None:
    with speaking("id"):
        assert number(3900) == "3.900"
        assert number(1234567) == "1.234.567"
    with speaking("en"):
        assert number(3900) == "3,900"
