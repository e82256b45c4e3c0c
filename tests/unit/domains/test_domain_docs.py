"""docs/domains.md lists what the vocabularies accept: every spelling of every table, in a code span."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sikas_sync.domains import vocabulary

DOC = Path(__file__).parents[3] / "docs" / "domains.md"
SPANS = set(re.findall(r"`([^`]+)`", DOC.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("name", "spellings"),
    [
        ("pendidikan", [*vocabulary.PENDIDIKAN, *vocabulary.PENDIDIKAN_CODES]),
        ("jenis_kelamin", list(vocabulary.JENIS_KELAMIN)),
        ("jenis_penempatan", [*vocabulary.JENIS_PENEMPATAN, *vocabulary.JENIS_PENEMPATAN_CODES]),
        ("months", list(vocabulary.MONTHS)),
        ("placeholders", list(vocabulary.PLACEHOLDERS)),
    ],
)
def test_every_spelling_is_in_the_docs(name: str, spellings: list[str]) -> None:
    missing = [spelling for spelling in spellings if spelling not in SPANS]
    assert not missing, f"docs/domains.md does not list these {name} spellings: {missing}"


def test_each_education_row_of_the_docs_names_the_code_the_table_gives() -> None:
    rows = re.findall(r"^\| `(\w+)` \| (.+) \|$", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    documented = {spelling: code for code, cells in rows for spelling in re.findall(r"`([^`]+)`", cells)}
    for spelling, code in vocabulary.PENDIDIKAN.items():
        assert documented.get(spelling) == code, spelling
    for spelling, code in vocabulary.JENIS_KELAMIN.items():
        assert documented.get(spelling) == code, spelling
