"""(2) Peak RSS of `sikas-sync validate` on 100,000 and 1,000,000-row exports: CSV, XLSX with inline
strings (what `sikas-sync sample` writes) and XLSX with a shared-string table (what Excel writes)."""

from __future__ import annotations

import re
import sys
import time
import zipfile
from pathlib import Path

from bench.common import CLI, DATA, ChildRun, Figure, run_child, sample_file

SECTION = "2 memory"
LIMIT_MIB = 256
DOMAIN = "pencari_kerja"

SHEET_PART = "xl/worksheets/sheet1.xml"
STRINGS_PART = "xl/sharedStrings.xml"
RELS_PART = "xl/_rels/workbook.xml.rels"
TYPES_PART = "[Content_Types].xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
CHUNK = 4 * 1024 * 1024
# An inline-string cell as openpyxl writes it; group 3 is the text, still XML-escaped (None for <t/>).
INLINE_CELL = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?:\s[^>]*)?(?:/>|>([^<]*)</t>)</is></c>')
SST_COUNTS = re.compile(rb'<sst [^>]*\bcount="(\d+)" uniqueCount="(\d+)"')


def shared_strings_file(rows: int) -> Path:
    """The inline-string sample of `rows` rows rewritten with a shared-string table, made once."""
    source = sample_file(DOMAIN, rows, "xlsx")
    path = DATA / f"{source.stem}_sst.xlsx"
    if not path.exists():
        partial = path.with_suffix(".partial.xlsx")
        started = time.perf_counter()
        _convert(source, partial)
        partial.rename(path)
        print(f"  converted {path.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def _convert(source: Path, target: Path) -> None:
    """Copy the package, the sheet rewritten to shared strings and the new part linked in."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        names = src.namelist()
        if STRINGS_PART in names or SHEET_PART not in names:
            raise ValueError(f"{source.name}: expected one inline-string sheet and no {STRINGS_PART}")
        strings: dict[bytes, bytes] = {}
        references = 0
        for info in src.infolist():
            if info.filename == SHEET_PART:
                references = _rewrite_sheet(src, info, out, strings)
            elif info.filename == RELS_PART:
                rels = src.read(info).decode()
                free_id = max(int(n) for n in re.findall(r'Id="rId(\d+)"', rels)) + 1
                link = f'<Relationship Type="{STRINGS_REL}" Target="sharedStrings.xml" Id="rId{free_id}" />'
                out.writestr(_copy_info(info), _insert_before(rels, "</Relationships>", link))
            elif info.filename == TYPES_PART:
                types = src.read(info).decode()
                override = f'<Override PartName="/{STRINGS_PART}" ContentType="{STRINGS_TYPE}" />'
                out.writestr(_copy_info(info), _insert_before(types, "</Types>", override))
            else:
                out.writestr(_copy_info(info), src.read(info))
        part = zipfile.ZipInfo(STRINGS_PART, src.getinfo(SHEET_PART).date_time)
        part.compress_type = zipfile.ZIP_DEFLATED
        with out.open(part, "w") as writer:
            writer.write(
                f'<sst xmlns="{MAIN_NS}" count="{references}" uniqueCount="{len(strings)}">'.encode()
            )
            batch: list[bytes] = []
            for text in strings:  # dicts keep insertion order: the order of first appearance
                batch.append(b'<si><t xml:space="preserve">' + text + b"</t></si>")
                if len(batch) >= 10_000:
                    writer.write(b"".join(batch))
                    batch.clear()
            writer.write(b"".join(batch) + b"</sst>")


def _rewrite_sheet(
    src: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile, strings: dict[bytes, bytes]
) -> int:
    """Stream the sheet through in chunks, numbering distinct texts in order of first appearance as
    Excel does; `strings` maps each escaped text to its index as decimal bytes. Returns the cells
    rewritten."""
    references = 0

    def shared(match: re.Match[bytes]) -> bytes:
        nonlocal references
        references += 1
        text = match.group(3) or b""
        number = strings.get(text)
        if number is None:
            number = strings[text] = b"%d" % len(strings)
        return b"<c " + match.group(1) + b't="s"' + match.group(2) + b"><v>" + number + b"</v></c>"

    inline = 0  # <is> elements seen; a value-less <c t="inlineStr"/> has none and stays as it is
    with src.open(info) as reader, out.open(_copy_info(info), "w") as writer:
        carry = b""
        while chunk := reader.read(CHUNK):
            carry += chunk
            cut = carry.rfind(b"</c>") + 4  # only whole cells are rewritten; the rest waits for more
            if cut >= 4:
                inline += carry.count(b"<is>", 0, cut)
                writer.write(INLINE_CELL.sub(shared, carry[:cut]))
                carry = carry[cut:]
        inline += carry.count(b"<is>")
        writer.write(INLINE_CELL.sub(shared, carry))
    if inline != references:  # an <is> the pattern missed (rich text, say) would stay inline
        raise ValueError(f"{info.filename}: {inline} inline strings, {references} converted")
    return references


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    copy.compress_type = zipfile.ZIP_DEFLATED
    return copy


def _insert_before(document: str, closing: str, element: str) -> str:
    if document.count(closing) != 1:
        raise ValueError(f"expected one {closing} in {document[:80]!r}")
    return document.replace(closing, element + closing)


def table_counts(path: Path) -> tuple[int, int]:
    """(string cells, distinct strings) from the sharedStrings.xml header of a converted file."""
    with zipfile.ZipFile(path) as archive, archive.open(STRINGS_PART) as part:
        found = SST_COUNTS.search(part.read(512))
    if found is None:
        raise ValueError(f"{path.name}: no <sst count uniqueCount> header")
    return int(found.group(1)), int(found.group(2))


def _without_file_name(child: ChildRun) -> str:
    """The --json output minus its leading "file" field (the converted file has another name)."""
    return re.sub(r'\A\{\n  "file": [^\n]*\n', "{\n", child.stdout, count=1)


def run(quick: bool = False) -> list[Figure]:
    small, large = (10_000, 100_000) if quick else (100_000, 1_000_000)
    shapes = {
        "CSV": lambda rows: sample_file(DOMAIN, rows, "csv"),
        "XLSX": lambda rows: sample_file(DOMAIN, rows, "xlsx"),
        "XLSX shared strings": shared_strings_file,
    }
    figures: list[Figure] = []
    runs: dict[tuple[str, int], ChildRun] = {}
    for shape, make in shapes.items():
        peaks: dict[int, float] = {}
        for rows in (small, large):
            path = make(rows)
            child = run_child([CLI, "validate", str(path), "--domain", DOMAIN, "--json"])
            runs[shape, rows] = child
            peaks[rows] = child.max_rss_kib / 1024
            details = {"wall_s": child.wall_s, "exit": child.returncode, "bytes": path.stat().st_size}
            note = f"{rows / child.wall_s:,.0f} rows/s ({child.wall_s:.1f} s, start-up included)"
            met = peaks[rows] < LIMIT_MIB
            check: Figure | None = None
            if shape == "XLSX shared strings":
                cells, strings = table_counts(path)
                inline = runs["XLSX", rows]
                # The inline source's exact verdicts, or the conversion broke and the peak means nothing.
                same = _without_file_name(child) == _without_file_name(inline) and (
                    child.returncode == inline.returncode
                )
                details.update(shared_strings=strings, string_cells=cells, same_output_as_inline=same)
                note += f"; {strings:,} shared strings"
                met = met and same
                check = Figure(
                    SECTION,
                    f"validate XLSX shared strings {rows:,} rows: --json as inline XLSX",
                    1.0 if same else 0.0,
                    "same",
                    target="1 (identical)",
                    met=same,
                    note="output byte-identical but the file name" if same else "OUTPUT DIFFERS",
                    details={"json_bytes": len(child.stdout), "exit": child.returncode},
                )
            figures.append(
                Figure(
                    SECTION,
                    f"validate {shape} {rows:,} rows: peak RSS",
                    peaks[rows],
                    "MiB",
                    reference=LIMIT_MIB,
                    reference_name="256 MiB",
                    ratio=peaks[rows] / LIMIT_MIB,
                    target="< 1",
                    met=met,
                    note=note,
                    details=details,
                )
            )
            if check is not None:
                figures.append(check)
        growth = peaks[large] / peaks[small]
        figures.append(
            Figure(
                SECTION,
                f"{shape} peak RSS, {large:,} vs {small:,} rows",
                peaks[large],
                "MiB",
                reference=peaks[small],
                reference_name=f"{small:,} rows",
                ratio=growth,
                target="~1 (flat)",
                met=growth < 1.5,
                note="10x the rows",
            )
        )
    return figures
