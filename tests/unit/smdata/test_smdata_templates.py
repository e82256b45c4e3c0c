"""The SMData templates and periods: hand-computed counts of a known dataset, and the boundaries."""

from __future__ import annotations

import datetime as dt

import pytest
from smdata_support import DATASET, EXPECTED_ROWS, EXPECTED_TALLY, PERIOD

from sikas_sync.smdata.templates import TEMPLATES, Period, kbji_major_group

UTC = dt.UTC


@pytest.mark.parametrize("name", sorted(EXPECTED_ROWS))
def test_template_rows_equal_the_hand_computed_counts(name: str) -> None:
    aggregator = TEMPLATES[name](Period.parse(PERIOD))
    added = [aggregator.add(data) for data in DATASET[aggregator.domain]]

    assert aggregator.rows() == EXPECTED_ROWS[name]
    read, counted, unusable = EXPECTED_TALLY[name]
    assert (len(added), added.count("counted"), added.count("unusable")) == (read, counted, unusable)


def test_rows_hold_dimensions_and_counts_only() -> None:
    for name, rows in EXPECTED_ROWS.items():
        aggregator = TEMPLATES[name](Period.parse(PERIOD))
        for data in DATASET[aggregator.domain]:
            aggregator.add(data)
        for row in aggregator.rows():
            assert not {"nik", "nama", "id_lowongan", "id_penempatan"} & set(row)
            assert all(isinstance(v, int) for k, v in row.items() if k.startswith("jumlah"))
        assert len(aggregator.rows()) == len(rows)


def test_template_with_no_records_has_no_rows() -> None:
    assert TEMPLATES["lowongan"](Period.parse(PERIOD)).rows() == []


def test_record_with_a_bad_date_or_number_is_unusable() -> None:
    vacancies = TEMPLATES["lowongan"](Period.parse(PERIOD))
    base = {"tanggal_mulai": "2025-03-01", "tanggal_berakhir": "2025-03-31", "kbji": "2512"}

    assert vacancies.add({**base, "jumlah_kebutuhan": "3"}) == "unusable"
    assert vacancies.add({**base, "jumlah_kebutuhan": True}) == "unusable"
    assert vacancies.add({**base, "tanggal_mulai": "1 Maret", "jumlah_kebutuhan": 3}) == "unusable"
    assert vacancies.rows() == []


@pytest.mark.parametrize(
    ("kbji", "group"),
    [("2512", "2"), ("2511.01", "2"), ("0110", "0"), (None, None), ("", None), ("X1", None)],
)
def test_kbji_major_group_is_the_first_digit(kbji: str | None, group: str | None) -> None:
    assert kbji_major_group(kbji) == group


def test_period_bounds() -> None:
    assert Period.parse("2024-02").last == dt.date(2024, 2, 29)
    assert Period.parse("2025-12").first == dt.date(2025, 12, 1)
    assert str(Period.parse("2025-03")) == "2025-03"
    for bad in ("2025-3", "2025-13", "25-03", "2025-03-01"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            Period.parse(bad)


@pytest.mark.parametrize(
    ("now", "previous"),
    [
        (dt.datetime(2025, 3, 31, 17, 0, tzinfo=UTC), "2025-03"),  # already 1 April in WIB
        (dt.datetime(2025, 3, 31, 16, 59, tzinfo=UTC), "2025-02"),  # still 31 March in WIB
        (dt.datetime(2025, 1, 10, 3, 0, tzinfo=UTC), "2024-12"),
    ],
)
def test_default_period_is_the_previous_month_in_wib(now: dt.datetime, previous: str) -> None:
    assert str(Period.before(now)) == previous
