"""The per-file report (`reports/<key>.json`) and the quarantine of rejected rows (`quarantine/<key>.csv`).

Reports are read by operators outside the encrypted record store: values in them are masked, no whole
NIK and no name may appear. Quarantine files keep the rejected rows' originals so SIKAS can fix them.
"""

from __future__ import annotations

import json

import pytest
from ingest_support import BUCKET, World

from exports import WHOLE_NIK, Export, sample_export
from sikas_sync.domains.values import is_placeholder
from sikas_sync.resources import QUARANTINE_PREFIX, REPORTS_PREFIX

KEY = "pencari_kerja/laporan.csv"
FORMULA = '=HYPERLINK("http://x","klik")'
PERSONAL = ("nik", "nama", "tempat_lahir", "tanggal_lahir", "alamat", "no_hp", "email")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    return sample_export(tmp_path_factory.mktemp("report"), 40, seed=41)


@pytest.fixture
def broken(export: Export) -> Export:
    """Rows 3, 8, 15, 22 rejected for one known reason each; row 30 repeats row 1's NIK (a warning)."""
    edited = export.copy()
    edited.set(3, "nik", edited.cell(3, "nik")[:15])  # nik_invalid: 15 digits
    edited.set(8, "nama", FORMULA)  # text_formula
    edited.set(15, "jenis_kelamin", "X")  # jenis_kelamin_invalid, not personal: shown
    edited.set(22, "email", "budi@gmail")  # email_invalid, personal: masked
    edited.rows[29] = list(edited.rows[0])
    return edited


def _names(export: Export) -> list[str]:
    """Names long enough not to occur by chance in report text (short ones like "Ani" could)."""
    names = (export.cell(n, "nama") for n in range(1, len(export.rows) + 1))
    return [name for name in names if len(name) >= 6]


def test_the_report_carries_the_counts_and_every_issue(world: World, broken: Export) -> None:
    ref = world.upload(KEY, broken.to_csv())
    summary = world.ingest(ref)

    assert world.objects.keys(BUCKET, REPORTS_PREFIX) == [REPORTS_PREFIX + KEY + ".json"]
    report = world.report(KEY)
    assert {k: report[k] for k in ("file", "key", "domain", "status", "reason", "version_id")} == {
        "file": "laporan.csv", "key": KEY, "domain": "pencari_kerja", "status": "processed",
        "reason": None, "version_id": ref.version_id,
    }  # fmt: skip
    assert {k: report[k] for k in ("rows", "valid", "rejected", "created", "updated", "unchanged")} == {
        "rows": 40, "valid": 36, "rejected": 4, "created": 35, "updated": 0, "unchanged": 0,
    }  # fmt: skip
    assert report["warnings"] == summary.warnings == 1
    issues = [(i["row"], i["column"], i["code"], i["severity"]) for i in report["issues"]]
    assert sorted(issues) == [
        (1, "nik", "duplicate_key", "warning"),
        (3, "nik", "nik_invalid", "error"),
        (8, "nama", "text_formula", "error"),
        (15, "jenis_kelamin", "jenis_kelamin_invalid", "error"),
        (22, "email", "email_invalid", "error"),
    ]
    assert all(i["message"] for i in report["issues"])


def test_the_report_lists_the_warnings_of_stored_rows(world: World, export: Export) -> None:
    warned = export.without_warnings()
    warned.set(5, "kode_wilayah", "12.71.01.1001")  # Medan: stored, warned
    warned.set(9, "jenis_kelamin", "P" if warned.cell(9, "jenis_kelamin") == "L" else "L")
    summary = world.put_and_ingest(KEY, warned.to_csv())

    assert (summary.valid, summary.created, summary.warnings) == (40, 40, 2)
    raw = world.report_bytes(KEY)
    report = json.loads(raw)
    assert report["warnings"] == 2
    assert "row_warnings" not in report  # `issues` lists them all, once
    assert [(i["row"], i["column"], i["code"], i["severity"]) for i in report["issues"]] == [
        (5, "kode_wilayah", "kode_wilayah_outside_region", "warning"),
        (9, "jenis_kelamin", "nik_sex_mismatch", "warning"),
    ]
    assert all(i["message"] and "value" not in i for i in report["issues"])
    assert not WHOLE_NIK.search(raw)


def test_report_values_are_masked(world: World, broken: Export) -> None:
    world.put_and_ingest(KEY, broken.to_csv())

    values = {i["code"]: i.get("value") for i in world.report(KEY)["issues"]}
    nik = broken.cell(3, "nik")
    assert values["nik_invalid"] == nik[:4] + "*" * 11
    assert values["text_formula"] == "*" * 8
    assert values["email_invalid"] == "*" * 8
    assert values["jenis_kelamin_invalid"] == "X"
    assert values["duplicate_key"] is None  # warnings carry no value at all


def test_the_report_never_holds_a_whole_nik_or_a_name(world: World, broken: Export) -> None:
    world.put_and_ingest(KEY, broken.to_csv())

    raw = world.report_bytes(KEY)
    assert not WHOLE_NIK.search(raw)
    text = raw.decode()
    for name in _names(broken):
        assert name not in text
    for row in (3, 8, 15, 22):  # nothing personal of a rejected row, whichever column failed
        for column in PERSONAL:
            cell = broken.cell(row, column)
            assert len(cell) < 6 or cell not in text, (row, column)


def test_the_ledger_summary_holds_no_personal_data_either(world: World, broken: Export) -> None:
    world.put_and_ingest(KEY, broken.to_csv())

    (entry,) = world.ledger.entries()
    stored = json.dumps(entry, ensure_ascii=False)
    assert not WHOLE_NIK.search(stored.encode())
    assert not any(name in stored for name in _names(broken))


def test_a_nik_in_a_non_personal_column_is_masked_too(world: World, export: Export) -> None:
    shifted = export.copy()
    shifted.set(4, "kode_wilayah", shifted.cell(4, "nik"))  # the NIK pasted one column too far

    summary = world.put_and_ingest(KEY, shifted.to_csv())

    assert summary.rejected == 1
    assert not WHOLE_NIK.search(world.report_bytes(KEY))


def test_a_clean_file_gets_a_report_with_no_issues_and_no_quarantine(world: World, export: Export) -> None:
    world.put_and_ingest(KEY, export.to_csv())

    report = world.report(KEY)
    assert (report["status"], report["rejected"], report["issues"]) == ("processed", 0, [])
    assert not world.has_quarantine(KEY)


def test_quarantine_holds_the_original_rejected_rows(world: World, broken: Export) -> None:
    world.put_and_ingest(KEY, broken.to_csv())

    assert world.objects.keys(BUCKET, QUARANTINE_PREFIX) == [QUARANTINE_PREFIX + KEY + ".csv"]
    raw = world.objects.body(BUCKET, QUARANTINE_PREFIX + KEY + ".csv")
    assert raw.startswith("\ufeff".encode())  # Excel opens UTF-8 with a BOM
    header, *rows = world.quarantine_rows(KEY)
    assert header == [*broken.header, "_baris", "_kesalahan"]
    # `_baris` is the line Excel shows (data row + 1 for the header); `_kesalahan` says what is wrong.
    assert [row[:-2] for row in rows] == [excel_safe(broken.rows[n - 1]) for n in (3, 8, 15, 22)]
    assert [row[-2] for row in rows] == ["4", "9", "16", "23"]
    assert [row[-1] for row in rows] == [
        "nik: NIK harus berupa 16 digit angka [nik_invalid]",
        "nama: Teks tidak boleh diawali =, +, - atau @ (rumus spreadsheet) [text_formula]",
        "jenis_kelamin: Jenis kelamin harus L atau P (Laki-laki/Lk/Pria atau Perempuan/Pr/Wanita)"
        " [jenis_kelamin_invalid]",
        "email: Alamat email tidak valid [email_invalid]",
    ]


def test_placeholders_in_quarantine_stay_placeholders_when_uploaded_again(
    world: World, export: Export
) -> None:
    edited = export.copy()
    edited.set(5, "jenis_kelamin", "X")
    edited.set(5, "alamat", "- tidak ada -")
    edited.set(5, "email", "-")
    edited.set(5, "no_hp", "+62 (0)812-3456-7890")
    world.put_and_ingest(KEY, edited.to_csv())

    header, row = world.quarantine_rows(KEY)
    fixed = Export(header, [list(row)])
    assert fixed.cell(1, "alamat") == "- tidak ada -"  # no formula: written as it was
    assert fixed.cell(1, "email") == "-"
    assert fixed.cell(1, "no_hp") == "'+62 (0)812-3456-7890"  # Excel would read +62… as a number
    fixed.set(1, "jenis_kelamin", export.cell(5, "jenis_kelamin"))
    summary = world.put_and_ingest("pencari_kerja/perbaikan.csv", fixed.to_csv())

    assert (summary.valid, summary.rejected) == (1, 0)
    stored = world.records.by_key("pencari_kerja")[(export.cell(5, "nik"),)].data
    assert (stored.get("alamat"), stored.get("email"), stored["no_hp"]) == (None, None, "+6281234567890")


def test_quarantine_lists_every_error_of_a_row(world: World, export: Export) -> None:
    edited = export.copy()
    edited.set(5, "jenis_kelamin", "X")
    edited.set(5, "pendidikan", "SEDERAJAT")  # not a level on its own (domains.md v2)

    world.put_and_ingest(KEY, edited.to_csv())

    (_, row) = world.quarantine_rows(KEY)
    assert row[-2] == "6"  # data row 5 is line 6 below the header
    assert [part.rsplit(" [", 1)[1] for part in row[-1].split(" | ")] == [
        "jenis_kelamin_invalid]",
        "pendidikan_invalid]",
    ]
    assert row[-1].startswith("jenis_kelamin: Jenis kelamin harus L atau P")


def test_quarantine_of_a_semicolon_export_keeps_the_cells(world: World, broken: Export) -> None:
    world.put_and_ingest(KEY, broken.to_csv(delimiter=";"))

    header, *rows = world.quarantine_rows(KEY)
    assert header[:-2] == broken.header
    assert [row[:-2] for row in rows] == [excel_safe(broken.rows[n - 1]) for n in (3, 8, 15, 22)]


def test_quarantine_rows_can_be_fixed_and_uploaded_again(
    world: World, export: Export, broken: Export
) -> None:
    world.put_and_ingest(KEY, broken.to_csv())
    header, *rows = world.quarantine_rows(KEY)
    fixed = Export(header, [list(r) for r in rows])
    # The operator corrects each cell the report named (back to the sample's valid values).
    for quarantined, (row, column) in enumerate(
        ((3, "nik"), (8, "nama"), (15, "jenis_kelamin"), (22, "email")), start=1
    ):
        fixed.set(quarantined, column, export.cell(row, column))

    summary = world.put_and_ingest("pencari_kerja/perbaikan.csv", fixed.to_csv(delimiter=";"))

    assert summary.status == "processed", summary.reason
    assert (summary.rows, summary.valid, summary.created) == (4, 4, 4)  # _baris/_kesalahan ignored
    assert len(world.records.items) == 39  # 40 rows, one NIK twice


def test_an_unreadable_row_is_quarantined_aligned_with_its_original(world: World, export: Export) -> None:
    edited = export.copy()
    edited.rows[5].append("sel tambahan")  # row 6 has one cell more than the header

    world.put_and_ingest(KEY, edited.to_csv())

    header, row = world.quarantine_rows(KEY)
    assert row[header.index("_baris")] == "7"  # data row 6, below the header: line 7 in Excel
    assert row[header.index("_kesalahan")] == (
        "baris: Baris berisi data di kolom ke-15, sedangkan baris judul hanya memiliki 14 kolom"
        " [row_too_many_columns]"
    )
    assert row[: len(export.header)] == edited.rows[5][: len(export.header)]


def test_quarantine_does_not_hand_a_live_formula_to_excel(world: World, broken: Export) -> None:
    world.put_and_ingest(KEY, broken.to_csv())

    _, *rows = world.quarantine_rows(KEY)
    assert not any(cell.startswith(("=", "@")) for row in rows for cell in row)


def excel_safe(cells: list[str]) -> list[str]:
    """What quarantine shows of an original row: cells that start like a formula get a leading ',
    placeholders for none (`-`, `- tidak ada -`) excepted."""
    return [
        "'" + cell if cell.startswith(("=", "+", "-", "@")) and not is_placeholder(cell) else cell
        for cell in cells
    ]
