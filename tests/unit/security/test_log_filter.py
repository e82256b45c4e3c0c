"""The logger's last line of defence (observability.PersonalDataFilter): whatever slips into a log
call is masked before it is written: NIK-shaped numbers anywhere, whole values under personal keys."""

from __future__ import annotations

import json
import logging

import pytest

from sikas_sync.observability import logger

NIK = "1209015001900001"
PHONE = "+6281234567890"


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]


def test_a_nik_in_the_message_or_its_arguments_is_masked(capsys: pytest.CaptureFixture[str]) -> None:
    logger.info(f"row with {NIK} failed")
    logger.info("row with %s failed", NIK)
    first, second = _lines(capsys)
    assert first["message"] == second["message"] == "row with 1209************ failed"


def test_personal_keys_lose_their_values_and_nested_niks_are_masked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logger.info(
        "details",
        extra={
            "nik": NIK,
            "nama_lengkap": "Siti Aminah",
            "no_hp": PHONE,
            "alamat": "Jl. Imam Bonjol 5",
            "email": "siti@example.id",
            "tanggal_lahir": "1990-01-10",
            "npwp": "0123456789012345",
            "context": {"row": 3, "raw": f"{NIK};Siti", "cells": [NIK], "nama": "Siti Aminah"},
            "record_id": "0f" * 16,
        },
    )
    (line,) = _lines(capsys)
    text = json.dumps(line)
    for value in (NIK, "Siti Aminah", PHONE, "Jl. Imam Bonjol", "siti@example.id", "1990-01-10"):
        assert value not in text, value
    assert line["nik"] == line["nama_lengkap"] == line["no_hp"] == line["npwp"] == "***"
    assert line["context"] == {
        "row": 3,
        "raw": "1209************;Siti",
        "cells": ["1209************"],
        "nama": "***",
    }
    assert line["record_id"] == "0f" * 16  # pseudonymous ids stay readable


def test_an_exception_message_with_a_nik_is_masked(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        raise ValueError(f"bad value {NIK}")
    except ValueError:
        logger.exception("failed")
    (line,) = _lines(capsys)
    assert NIK not in json.dumps(line)


def test_the_filter_sits_on_the_functions_logger() -> None:
    from sikas_sync.observability import PersonalDataFilter

    assert any(isinstance(f, PersonalDataFilter) for f in logger._logger.filters)
    assert logger.log_level <= logging.INFO
