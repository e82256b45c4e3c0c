"""The canonical form of a valid record: the same input gives the same bytes and hash everywhere."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable
from json.encoder import encode_basestring
from typing import Any

from pydantic import BaseModel

_JSON_OPTIONS: dict[str, Any] = {
    "sort_keys": True,
    "separators": (",", ":"),
    "ensure_ascii": False,
    "allow_nan": False,
}


def record_data(model: BaseModel) -> dict[str, Any]:
    """Normalised data, JSON-ready; absent optional values are left out so adding an empty column
    to an export does not change a record's hash."""
    return plain_data(model.__dict__)


def plain_data(values: dict[str, Any]) -> dict[str, Any]:
    """`record_data` of a model's field values (in field order)."""
    return {k: v if type(v) is str else _plain(v) for k, v in values.items() if v is not None}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 90.0 and 90 are the same attendance
    return value


def canonical_json(data: dict[str, Any]) -> bytes:
    """`json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)`.

    Records are flat (strings, numbers, lists of strings), so they are written here with json's own
    string escaping, twice as fast as the encoder; anything else goes through json itself.
    """
    text = _flat_json(data)
    if text is None:
        text = json.dumps(data, **_JSON_OPTIONS)
    return text.encode()


def content_hash(data: dict[str, Any]) -> str:
    digest = _FRESH_SHA256.copy()  # a copy skips OpenSSL's algorithm lookup of hashlib.sha256()
    digest.update(canonical_json(data))
    return digest.hexdigest()


_FRESH_SHA256 = hashlib.sha256()


def _flat_json(data: dict[str, Any]) -> str | None:
    """The same text json.dumps writes for a dict of str keys and str/int/float/bool/None/list values;
    None when the dict holds anything else (json.dumps decides then, including its errors)."""
    parts: list[str] = []
    try:
        keys = sorted(data)
    except TypeError:
        return None
    for key in keys:
        if type(key) is not str:
            return None
        value = data[key]
        kind = type(value)
        if kind is str:
            encoded = encode_basestring(value)
        elif kind is list:
            items = _scalars(value)
            if items is None:
                return None
            encoded = "[" + ",".join(items) + "]"
        else:
            item = _scalar(value)
            if item is None:
                return None
            encoded = item
        parts.append(encode_basestring(key) + ":" + encoded)
    return "{" + ",".join(parts) + "}"


def _scalars(values: Iterable[Any]) -> list[str] | None:
    items: list[str] = []
    for value in values:
        item = encode_basestring(value) if type(value) is str else _scalar(value)
        if item is None:
            return None
        items.append(item)
    return items


def _scalar(value: Any) -> str | None:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    return None  # NaN and infinities (json refuses them), nested objects, other types
