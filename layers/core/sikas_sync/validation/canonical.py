"""The canonical form of a valid record: the same input gives the same bytes and hash everywhere."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from pydantic import BaseModel


def record_data(model: BaseModel) -> dict[str, Any]:
    """Normalised data, JSON-ready; absent optional values are left out so adding an empty column
    to an export does not change a record's hash."""
    return {k: _plain(v) for k, v in model.__dict__.items() if v is not None}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 90.0 and 90 are the same attendance
    return value


def canonical_json(data: dict[str, Any]) -> bytes:
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()
