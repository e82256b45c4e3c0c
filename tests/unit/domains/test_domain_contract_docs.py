"""docs/domains.md is the domain contract as implemented: it must agree with the code.

For each domain (`### <slug>`), the first table below its heading lists exactly the model's fields in
model order, says which are required, and lists every alias `accepted_columns` gives each field (no
more, no fewer); the natural key, title and personal data it names are the domain's; every code a
rule between its columns raises is named. "Reading a file as offices make it" names every totals-row
label, every kecamatan and desa/kelurahan header spelling, the file warnings and the place-name
errors. The parser is checked too: a page with one alias missing (or one too many, two rows swapped,
a required flag flipped, a wrong key) must be caught.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sikas_sync.domains import DOMAINS
from sikas_sync.domains.base import Domain
from sikas_sync.domains.columns import DESA_HEADERS, KECAMATAN_HEADERS, PLACE_CODE_FIELDS, accepted_columns
from sikas_sync.domains.office_rows import TOTAL_LABELS
from sikas_sync.parsing.table import HEADER_SEARCH_ROWS
from sikas_sync.reference import place_names
from sikas_sync.validation import run as validation_run

DOC = Path(__file__).parents[3] / "docs" / "domains.md"
TEXT = DOC.read_text(encoding="utf-8")
READING = "Reading a file as offices make it"
COLUMNS = ("field", "required", "rule", "aliases")

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SPAN = re.compile(r"`([^`]+)`")


# --------------------------------------------------------------------------------------------
# A small Markdown reader: headings, the section under one, the first table of a section.


def spans(text: str) -> list[str]:
    """The code spans of a text, in order."""
    return _SPAN.findall(text)


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line index, level, text without backticks) of every heading outside fenced code."""
    found, fenced = [], False
    for index, line in enumerate(text.splitlines()):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and (match := _HEADING.match(line)):
            found.append((index, len(match[1]), match[2].strip("`").strip()))
    return found


def heading_line(text: str, title: str) -> int | None:
    """The line index of the first heading whose text is `title` (with or without backticks)."""
    return next((index for index, _, name in headings(text) if name == title), None)


def section(text: str, title: str) -> str | None:
    """The lines under the heading whose text is `title`, up to the next heading of the same or a
    higher level; None when there is no such heading."""
    lines = text.splitlines()
    marks = headings(text)
    for position, (index, level, name) in enumerate(marks):
        if name == title:
            end = next((i for i, depth, _ in marks[position + 1 :] if depth <= level), len(lines))
            return "\n".join(lines[index + 1 : end])
    return None


def split_row(line: str) -> list[str]:
    """The cells of a Markdown table row; `|` inside a code span or escaped as `\\|` is text."""
    cells, cell, in_code, previous = [], "", False, ""
    for char in line.strip():
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code and previous != "\\":
            cells.append(cell)
            cell = ""
        else:
            cell += char
        previous = char
    cells.append(cell)
    # A row starts and ends with `|`: the outer empty pieces are no cells.
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return [c.strip() for c in cells]


def first_table(text: str) -> list[dict[str, str]] | None:
    """The first table of a text as rows keyed by its (lower-cased) column names; None if none."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("|")), None)
    if start is None:
        return None
    block = []
    for line in lines[start:]:
        if not line.lstrip().startswith("|"):
            break
        block.append(line)
    if len(block) < 2 or not re.fullmatch(r"[\s|:\-]+", block[1]):
        return None
    header = [name.lower() for name in split_row(block[0])]
    return [dict(zip(header, split_row(line), strict=False)) for line in block[2:]]


def bullet(text: str, label: str) -> str | None:
    """The text after `- **Label:**` (or `- **Label**:`) in a section."""
    pattern = re.compile(rf"^\s*[-*]\s+\*\*{re.escape(label)}:?\*\*:?\s*(.*)$", re.MULTILINE | re.IGNORECASE)
    found = pattern.search(text)
    return None if found is None else found[1].strip()


# --------------------------------------------------------------------------------------------
# What the code says.


@dataclass(frozen=True)
class Expected:
    fields: tuple[str, ...]
    required: dict[str, bool]
    aliases: dict[str, frozenset[str]]


def expected(domain: Domain) -> Expected:
    columns = accepted_columns(domain)
    info = domain.model.model_fields
    return Expected(
        fields=tuple(column.field for column in columns),
        required={name: info[name].is_required() for name in domain.fields},
        aliases={column.field: frozenset(column.aliases) for column in columns},
    )


_RULE_CODE = re.compile(r"rules\.(?:fail|warn)\(\s*\"\w+\",\s*\"(\w+)\"")


def rule_codes(domain: Domain) -> set[str]:
    """The codes the rules between the domain's columns raise (its module's `rules.fail/warn`)."""
    return set(_RULE_CODE.findall(inspect.getsource(inspect.getmodule(domain.model))))


def file_warning_codes() -> set[str]:
    return set(re.findall(r"FileWarning\(\s*\"(\w+)\"", inspect.getsource(validation_run)))


def place_name_codes() -> set[str]:
    return set(re.findall(r"Unresolved\(\s*\"(\w+)\"", inspect.getsource(place_names)))


# --------------------------------------------------------------------------------------------
# The comparison: every disagreement between a page and the code, as a sentence.


def domain_problems(text: str, domain: Domain) -> list[str]:
    slug = domain.slug
    body = section(text, slug)
    if body is None:
        return [f"{slug}: no '### {slug}' heading"]
    table = first_table(body)
    if table is None:
        return [f"{slug}: no table under '### {slug}'"]
    if not table or not set(COLUMNS) <= set(table[0]):
        return [f"{slug}: the table's columns are not {' | '.join(COLUMNS)}"]
    want = expected(domain)
    problems: list[str] = []
    documented = [next(iter(spans(row["field"])), row["field"]) for row in table]
    if tuple(documented) != want.fields:
        problems.append(f"{slug}: fields {documented} differ from the model's {list(want.fields)}")
    for row, name in zip(table, documented, strict=False):
        if name not in want.required:
            continue
        flag = row["required"].strip().lower()
        if not flag.startswith(("yes", "no")):
            problems.append(f"{slug}.{name}: required is {row['required']!r}, not yes or no")
        elif flag.startswith("yes") != want.required[name]:
            problems.append(f"{slug}.{name}: required says {row['required']!r}, the model the opposite")
        listed = spans(row["aliases"])
        if len(listed) != len(set(listed)):
            problems.append(f"{slug}.{name}: an alias is listed twice")
        missing = sorted(want.aliases[name] - set(listed))
        extra = sorted(set(listed) - want.aliases[name])
        if missing:
            problems.append(f"{slug}.{name}: aliases not in the docs: {missing}")
        if extra:
            problems.append(f"{slug}.{name}: aliases the code does not accept: {extra}")
        if name in PLACE_CODE_FIELDS and "name" not in row["rule"].lower():
            problems.append(f"{slug}.{name}: the rule does not say the code may come as names")
    key = spans(bullet(body, "Natural key") or "")
    if tuple(key) != domain.natural_key:
        problems.append(f"{slug}: natural key {key} is not {list(domain.natural_key)}")
    title = bullet(body, "Title")
    if title != domain.title:
        problems.append(f"{slug}: title {title!r} is not {domain.title!r}")
    personal = bullet(body, "Personal data")
    named, masked = set(spans(personal or "")), set(domain.model.personal_fields)
    if personal is None or named != masked:
        problems.append(f"{slug}: personal data {sorted(named)} is not {sorted(masked)}")
    unnamed = sorted(rule_codes(domain) - set(spans(body)))
    if unnamed:
        problems.append(f"{slug}: codes of its rules between columns not named: {unnamed}")
    return problems


def reading_problems(text: str) -> list[str]:
    body = section(text, READING)
    if body is None:
        return [f"no '## {READING}' section"]
    named = {span.casefold() for span in spans(body)}
    problems = []
    for what, spellings in (
        ("totals label", TOTAL_LABELS),
        ("kecamatan header", KECAMATAN_HEADERS),
        ("desa/kelurahan header", DESA_HEADERS),
        ("file warning", file_warning_codes()),
        ("place-name error", place_name_codes()),
    ):
        missing = sorted(s for s in spellings if s.casefold() not in named)
        if missing:
            problems.append(f"{READING}: no code span for the {what}s {missing}")
    if f"first {HEADER_SEARCH_ROWS} non-blank rows" not in " ".join(body.split()):
        problems.append(f"{READING}: does not say the header is sought in {HEADER_SEARCH_ROWS} rows")
    return problems


def contract_problems(text: str) -> list[str]:
    problems = reading_problems(text)
    for domain in DOMAINS:
        problems += domain_problems(text, domain)
    order = [line for domain in DOMAINS if (line := heading_line(text, domain.slug)) is not None]
    if order != sorted(order):
        problems.append("the domain sections are not in registry order")
    return problems


# --------------------------------------------------------------------------------------------
# The page agrees with the code.


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda domain: domain.slug)
def test_each_domain_section_agrees_with_the_code(domain: Domain) -> None:
    problems = domain_problems(TEXT, domain)
    assert not problems, "docs/domains.md disagrees with the code:\n" + "\n".join(problems)


def test_reading_a_file_section_names_what_the_code_does() -> None:
    problems = reading_problems(TEXT)
    assert not problems, "docs/domains.md disagrees with the code:\n" + "\n".join(problems)


def test_domains_are_documented_in_registry_order() -> None:
    assert [p for p in contract_problems(TEXT) if "registry order" in p] == []


# --------------------------------------------------------------------------------------------
# The checks can fail: each edit below makes the page wrong, and must be caught.


def _edit_row(text: str, slug: str, field: str, edit: Callable[[str], str]) -> str:
    """`text` with the table row of `field` under `### slug` replaced by `edit(row)`."""
    start = text.index(f"\n### {slug}\n")
    row_start = text.index(f"\n| `{field}` |", start) + 1
    row_end = text.index("\n", row_start)
    return text[:row_start] + edit(text[row_start:row_end]) + text[row_end:]


def _row(text: str, slug: str, field: str) -> str:
    start = text.index(f"\n### {slug}\n")
    row_start = text.index(f"\n| `{field}` |", start) + 1
    return text[row_start : text.index("\n", row_start)]


def test_the_parser_reads_this_page() -> None:
    body = section(TEXT, "lowongan")
    assert body is not None
    table = first_table(body)
    assert table is not None
    assert [spans(row["field"])[0] for row in table][:2] == ["id_lowongan", "nib_pemberi_kerja"]
    assert "nib_perusahaan" in spans(table[1]["aliases"])


def test_a_missing_alias_is_caught() -> None:
    broken = _edit_row(TEXT, "pencari_kerja", "nik", lambda row: row.replace("`no_ktp`, ", ""))
    assert broken != TEXT
    problems = contract_problems(broken)
    assert any("pencari_kerja.nik" in p and "no_ktp" in p for p in problems), problems


def test_an_alias_the_code_does_not_accept_is_caught() -> None:
    broken = _edit_row(TEXT, "jkp", "upah_terakhir", lambda row: row.replace("`upah` |", "`upah`, `gaji` |"))
    assert broken != TEXT
    assert any("jkp.upah_terakhir" in p and "gaji" in p for p in contract_problems(broken))


def test_fields_out_of_model_order_are_caught() -> None:
    first, second = _row(TEXT, "wlkp", "tk_wni_l"), _row(TEXT, "wlkp", "tk_wni_p")
    broken = TEXT.replace(first + "\n" + second, second + "\n" + first)
    assert broken != TEXT
    assert any(p.startswith("wlkp: fields") for p in contract_problems(broken))


def test_a_wrong_required_flag_is_caught() -> None:
    broken = _edit_row(TEXT, "kartu_ak1", "tanggal_terbit", lambda row: row.replace("| no |", "| yes |", 1))
    assert broken != TEXT
    assert any("kartu_ak1.tanggal_terbit: required" in p for p in contract_problems(broken))


def test_a_wrong_natural_key_is_caught() -> None:
    start = TEXT.index("\n### pelatihan\n")
    line = TEXT.index("**Natural key:**", start)
    end = TEXT.index("\n", line)
    broken = TEXT[:line] + "**Natural key:** `kode_program`, `nik`" + TEXT[end:]
    assert any(p.startswith("pelatihan: natural key") for p in contract_problems(broken))


def test_a_missing_totals_label_or_place_header_is_caught() -> None:
    broken = TEXT.replace("`grand total` ", "").replace("`nama_kecamatan` ", "")
    assert broken != TEXT
    problems = reading_problems(broken)
    assert any("grand total" in p for p in problems), problems
    assert any("nama_kecamatan" in p for p in problems), problems


def test_a_missing_domain_section_is_caught() -> None:
    broken = TEXT.replace("\n### penempatan\n", "\n### penempatan (old)\n")
    assert any("no '### penempatan' heading" in p for p in contract_problems(broken))


def test_domains_out_of_registry_order_are_caught() -> None:
    jkp = TEXT.index("\n### jkp\n")
    body = TEXT[jkp:]  # the last section: move it before the first domain
    first = TEXT.index("\n### pencari_kerja\n")
    broken = TEXT[:first] + body + TEXT[first:jkp] + "\n"
    assert any("registry order" in p for p in contract_problems(broken))
