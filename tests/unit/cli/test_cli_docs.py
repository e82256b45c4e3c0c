"""docs/cli.md and the parser hold each other: every command and option the parser has is
documented in its command's section, and every one documented exists."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from sikas_sync.cli.main import build_parser

DOC = Path(__file__).resolve().parents[3] / "docs" / "cli.md"
COMMON = "Options of every command"
PROGRAM = "Options of the program"
_HEADING = re.compile(r"^(#{2,3}) (.+)$", re.MULTILINE)
_OPTION = re.compile(r"`(--?[a-z][a-z-]*)")
_POSITIONAL = re.compile(r"^`([A-Z]+)(?:\.\.\.)?`")


def sections(text: str) -> dict[str, str]:
    """Each `##`/`###` heading's text up to the next heading."""
    found = list(_HEADING.finditer(text))
    return {
        match.group(2).strip(): text[match.end() : found[i + 1].start() if i + 1 < len(found) else len(text)]
        for i, match in enumerate(found)
    }


def documented(section: str) -> set[str]:
    """The options and positionals a section's tables document: the first cell of each row."""
    names: set[str] = set()
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split("|")[1].strip()
        names.update(_OPTION.findall(first))
        positional = _POSITIONAL.match(first)
        if positional and not first.startswith("`-"):
            names.add(positional.group(1))
    return names


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def accepted(parser: argparse.ArgumentParser) -> set[str]:
    """Every option string and positional metavar of a parser (the subcommand choice excluded)."""
    names: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        if action.option_strings:
            names.update(action.option_strings)
        else:
            names.add(str(action.metavar or action.dest))
    return names


@pytest.fixture(scope="module")
def doc() -> dict[str, str]:
    return sections(DOC.read_text(encoding="utf-8"))


def test_every_command_has_a_section_and_every_section_names_a_command(doc: dict[str, str]) -> None:
    commands = set(subcommands(build_parser()))
    command_sections = {name for name in doc if re.fullmatch(r"[a-z-]+", name)}
    assert command_sections == commands


def test_every_option_of_every_command_is_documented_in_its_section_and_nothing_else(
    doc: dict[str, str],
) -> None:
    common = documented(doc[COMMON])
    assert common == {"-h", "--help", "--lang"}
    for name, parser in subcommands(build_parser()).items():
        assert documented(doc[name]) == accepted(parser) - common, name


def test_the_program_s_own_options_are_documented(doc: dict[str, str]) -> None:
    assert documented(doc[PROGRAM]) == accepted(build_parser())


def test_every_option_named_anywhere_on_the_page_exists() -> None:
    parser = build_parser()
    known = accepted(parser).union(*(accepted(sub) for sub in subcommands(parser).values()))
    text = DOC.read_text(encoding="utf-8")
    named = set(_OPTION.findall(text)) - {"-", "--"}
    assert named <= known, named - known


def test_the_checker_sees_a_missing_and_an_invented_option() -> None:
    section = "| `--domain SLUG` | | x |\n| `FILE...` | | x |\n| `--rejected-output PATH` | | x |\n"
    assert documented(section) == {"--domain", "FILE", "--rejected-output"}
    parser = build_parser()
    validate = subcommands(parser)["validate"]
    assert documented(section) != accepted(validate) - {"-h", "--help", "--lang"}
