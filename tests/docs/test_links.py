"""The repository's documents stand on their own: every link lands inside the repository.

Users clone this repository alone. So every Markdown file of it (README.md, SECURITY.md, docs/, and
any other outside generated folders) must:

- link relatively (`[text](path)`, `[text](path#anchor)`, `[label]: path`) only to files or folders
  that exist inside the repository root, never to an absolute path or outside the root;
- link to `#anchor`s of Markdown files only where that heading exists (GitHub's slugs: lowercase,
  spaces to `-`, punctuation other than `-` and `_` dropped, `-1`, `-2` for repeated headings);
- never name the team's working notes beside the repository (see OUTSIDE_NOTES).

External `http(s)://` and `mailto:` links are allowed; links inside code blocks and code spans are
not links. The Python sources are held to the same rule for the notes they may name.

The checker is tested on a small tree of its own, with one link of each kind that must fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Generated or installed folders: not part of what a user reads in a clone (see .gitignore).
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".venv",
        "node_modules",
        "cdk.out",
        "build",
        "bench-results",
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".hypothesis",
        ".sikas-sync",  # the state file of `sikas-sync local-stack`
    }
)
SKIPPED_SUFFIXES = (".egg-info",)
# The team's notes beside the repository. Spelled in parts, so that this file does not name them.
SHARED = "shared"
OUTSIDE_NOTES = (f"../{SHARED}", f"{SHARED}/contracts", f"{SHARED}/ARCHITECTURE")
OUTSIDE_NOTES_IN_CODE = (f"{SHARED}/contracts", f"../{SHARED}", f"{SHARED}/reference")
CODE_DIRS = ("layers", "functions", "infra", "tests", "bench")
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the scanned root, with `/`
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


# -- finding the files ----------------------------------------------------------------------------


def _walk(root: Path, suffix: str, under: Iterable[str] | None = None) -> list[Path]:
    starts = [root / name for name in under] if under is not None else [root]
    found = []
    for start in starts:
        if not start.is_dir():
            continue
        for folder, dirs, files in os.walk(start):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(SKIPPED_SUFFIXES))
            found += [Path(folder) / name for name in sorted(files) if name.endswith(suffix)]
    return found


def markdown_files(root: Path) -> list[Path]:
    return _walk(root, ".md")


def python_files(root: Path) -> list[Path]:
    return _walk(root, ".py", CODE_DIRS)


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


# -- reading Markdown -----------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A code span: a run of backticks to the next run as long, within one paragraph.
_CODE_SPAN = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)*?(?<!`)\1(?!`)", re.DOTALL)
# `[text](target)` and `![alt](target)`, the text with one level of nested brackets, an optional title.
_INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]"
    r"\(\s*(?P<target><[^>\n]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*(?P<target><[^>\n]*>|\S+)", re.MULTILINE)
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HTML_ANCHOR = re.compile(r"<a\s[^>]*\b(?:name|id)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def without_fences(text: str) -> str:
    """The text with fenced code blocks blanked; lines stay put."""
    lines, fence = [], None
    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)
            lines.append("")
        elif fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            lines.append("")
        else:
            lines.append(line)
    return "\n".join(lines)


def without_code(text: str) -> str:
    """The text without fenced code blocks, and code spans replaced by `x`; lines stay put."""
    return _CODE_SPAN.sub(lambda m: "x" + "\n" * m.group(0).count("\n"), without_fences(text))


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading (before `-1`, `-2` for repeats)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())  # \w: letters and digits of any script, `_`
    return text.replace(" ", "-")


def headings(text: str) -> list[str]:
    found, previous = [], ""
    for line in without_fences(text).split("\n"):  # a heading's code spans count for its slug
        atx = _ATX.match(line)
        if atx:
            found.append(atx.group("text"))
        elif _SETEXT.match(line) and previous.strip() and not previous.lstrip().startswith(("#", "|")):
            found.append(previous.strip())
        previous = line
    return found


def anchors(text: str) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    for heading in headings(text):
        slug = github_slug(heading)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    found.update(match.group(1) for match in _HTML_ANCHOR.finditer(text))
    return found


@cache
def _anchors_of(path: Path) -> frozenset[str]:
    return frozenset(anchors(path.read_text(encoding="utf-8")))


def links(text: str) -> Iterator[tuple[int, str]]:
    """(line, target) of every inline link, image and reference definition outside code."""
    prose = without_code(text)
    for pattern in (_INLINE_LINK, _REFERENCE):
        for match in pattern.finditer(prose):
            target = match.group("target")
            if target.startswith("<") and target.endswith(">"):
                target = target[1:-1]
            yield prose.count("\n", 0, match.start("target")) + 1, target


# -- the checks ------------------------------------------------------------------------------------


def link_problems(path: Path, root: Path) -> list[Problem]:
    """Every relative link of one Markdown file that leaves `root`, misses its file or its heading."""
    root = root.resolve()
    name = _relative(path, root) if path.resolve().is_relative_to(root) else str(path)
    problems = []
    for line, target in links(path.read_text(encoding="utf-8")):
        scheme = _SCHEME.match(target)
        if scheme:
            if scheme.group(0)[:-1].lower() not in ALLOWED_SCHEMES:
                problems.append(Problem(name, line, f"{target}: only http(s) and mailto links may leave"))
            continue
        file_part, _, anchor = target.partition("#")
        file_part = unquote(file_part.partition("?")[0])
        if file_part.startswith("/"):
            problems.append(Problem(name, line, f"{target}: an absolute path; link relative to this file"))
            continue
        linked = (path.parent / file_part).resolve() if file_part else path.resolve()
        if not linked.is_relative_to(root):
            problems.append(Problem(name, line, f"{target}: points outside the repository"))
            continue
        if not linked.exists():
            problems.append(Problem(name, line, f"{target}: no such file in the repository"))
            continue
        markdown = linked.is_file() and linked.suffix.lower() == ".md"
        if anchor and markdown and unquote(anchor) not in _anchors_of(linked):
            where = _relative(linked, root)
            problems.append(Problem(name, line, f"{target}: no heading with anchor #{anchor} in {where}"))
    return problems


def mention_problems(path: Path, root: Path, forbidden: Iterable[str]) -> list[Problem]:
    """Every line of a file that names any of `forbidden` (case-sensitive, code blocks included)."""
    problems = []
    name = _relative(path, root)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        named = [text for text in forbidden if text in line]
        if named:
            problems.append(Problem(name, number, f"names {', '.join(named)}: {line.strip()[:120]}"))
    return problems


def _report(problems: list[Problem]) -> str:
    return "\n".join(str(problem) for problem in sorted(problems))


# -- the repository --------------------------------------------------------------------------------

MARKDOWN = markdown_files(ROOT)
MARKDOWN_IDS = [_relative(path, ROOT) for path in MARKDOWN]


def test_the_documents_of_the_repository_are_scanned() -> None:
    assert {"README.md", "SECURITY.md", "docs/OPERATIONS.md", "docs/architecture.md"} <= set(MARKDOWN_IDS)
    assert not [name for name in MARKDOWN_IDS if name.split("/")[0] in SKIPPED_DIRS]


@pytest.mark.parametrize("path", MARKDOWN, ids=MARKDOWN_IDS)
def test_relative_links_land_inside_the_repository(path: Path) -> None:
    problems = link_problems(path, ROOT)
    assert not problems, "broken or outside links:\n" + _report(problems)


@pytest.mark.parametrize("path", MARKDOWN, ids=MARKDOWN_IDS)
def test_documents_do_not_name_the_notes_outside_the_repository(path: Path) -> None:
    problems = mention_problems(path, ROOT, OUTSIDE_NOTES)
    assert not problems, "notes outside the repository named:\n" + _report(problems)


def test_python_sources_do_not_name_the_notes_outside_the_repository() -> None:
    sources = python_files(ROOT)
    assert any(path.name == "handler.py" for path in sources)  # the walk found the code
    problems = [p for path in sources for p in mention_problems(path, ROOT, OUTSIDE_NOTES_IN_CODE)]
    assert not problems, "notes outside the repository named:\n" + _report(problems)


# -- the checker itself ----------------------------------------------------------------------------

GUIDE = """\
# Guide

## Step 2: run it!

Text.

## Step 2: run it!

Setext heading
--------------

## The `policy` (`PolicyArn`)

<a name="custom-place"></a>
"""

README = f"""\
# Overview

See [guide](docs/guide.md), [step two](docs/guide.md#step-2-run-it), [again](docs/guide.md#step-2-run-it-1),
[s](docs/guide.md#setext-heading), [c](docs/guide.md#custom-place), [x](docs/guide.md#the-policy-policyarn),
[a folder](docs), [this page](#overview), [brackets](<docs/guide.md>) and [`code`](docs/guide.md "title").
A link [split
over lines](docs/missing-split.md).

[Missing](docs/missing.md) and [outside](../outside.md) and [escaping](docs/../../outside.md).
[Bad anchor](docs/guide.md#nowhere) and [bad own anchor](#nope) and [absolute](/etc/hostname).
[External](https://example.com/x.md) [mail](mailto:someone@example.com) [file](file:///etc/hostname)

```sh
[not a link](in-a-code-block.md)
```

Inline `[not a link](in-a-code-span.md)` either.

[ref]: docs/gone.md

The design is in {OUTSIDE_NOTES[0]}/ARCHITECTURE.md.
"""


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "outside.md").write_text("# Outside\n", encoding="utf-8")
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "guide.md").write_text(GUIDE, encoding="utf-8")
    (root / "README.md").write_text(README, encoding="utf-8")
    for skipped in (".venv/lib", "node_modules/x", "cdk.out", "sikas_sync.egg-info", ".git"):
        (root / skipped).mkdir(parents=True)
        (root / skipped / "NOTES.md").write_text("[broken](nowhere.md)\n", encoding="utf-8")
    (root / "layers" / "pkg").mkdir(parents=True)
    (root / "layers" / "pkg" / "mod.py").write_text(
        f'"""Copied from `{OUTSIDE_NOTES_IN_CODE[2]}/x.csv`."""\nX = 1\n', encoding="utf-8"
    )
    (root / "layers" / "pkg" / "clean.py").write_text("Y = 2\n", encoding="utf-8")
    return root


def test_the_checker_fails_on_every_kind_of_bad_link(tmp_path: Path) -> None:
    root = _tree(tmp_path)

    assert [_relative(path, root) for path in markdown_files(root)] == ["README.md", "docs/guide.md"]
    found = {(p.line, p.message.split(":")[0]) for p in link_problems(root / "README.md", root)}
    assert found == {
        (7, "docs/missing-split.md"),
        (9, "docs/missing.md"),
        (9, "../outside.md"),
        (9, "docs/../../outside.md"),
        (10, "docs/guide.md#nowhere"),
        (10, "#nope"),
        (10, "/etc/hostname"),
        (11, "file"),
        (19, "docs/gone.md"),
    }
    messages = {p.message for p in link_problems(root / "README.md", root)}
    assert "../outside.md: points outside the repository" in messages
    assert "docs/missing.md: no such file in the repository" in messages
    assert "docs/guide.md#nowhere: no heading with anchor #nowhere in docs/guide.md" in messages
    assert link_problems(root / "docs" / "guide.md", root) == []


def test_the_checker_finds_the_notes_named(tmp_path: Path) -> None:
    root = _tree(tmp_path)

    assert [(p.path, p.line) for p in mention_problems(root / "README.md", root, OUTSIDE_NOTES)] == [
        ("README.md", 21)
    ]
    code = [p for path in python_files(root) for p in mention_problems(path, root, OUTSIDE_NOTES_IN_CODE)]
    assert [(p.path, p.line) for p in code] == [("layers/pkg/mod.py", 1)]


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Ringkasan untuk operator SIKAS", "ringkasan-untuk-operator-sikas"),
        ("1. How SIKAS uploads", "1-how-sikas-uploads"),
        ("Option A: the policy, for its folders", "option-a-the-policy-for-its-folders"),
        ("Education (`pendidikan`, `pendidikan_minimal`)", "education-pendidikan-pendidikan_minimal"),
        ("What's new — v2", "whats-new--v2"),
        ("See [the guide](docs/guide.md) now", "see-the-guide-now"),
        ("Ekspor & unggah ulang", "ekspor--unggah-ulang"),
    ],
)
def test_github_slugs(heading: str, slug: str) -> None:
    assert github_slug(heading) == slug
