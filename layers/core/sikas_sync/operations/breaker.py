"""Where the ministry circuit breaker stands, read from its item in the deliveries table.

The push function's breaker is Powertools' circuit breaker with DynamoDB persistence: one item,
key `pk` = BREAKER_NAME, with `state` (CLOSED, OPEN or HALF_OPEN), `opened_at` (Unix seconds) and
`failure_count`. No item means the breaker never opened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..delivery.ports import BREAKER_NAME

CLOSED = "CLOSED"
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
# Projection (with these names) that brings the breaker's attributes along in a deliveries scan.
PROJECTION = "#breaker_state, opened_at, failure_count"
NAMES = {"#breaker_state": "state"}  # `state` is a DynamoDB reserved word


@dataclass(frozen=True)
class BreakerStatus:
    state: str = CLOSED
    opened_at: int | None = None
    failure_count: int = 0

    @property
    def is_open(self) -> bool:
        """OPEN, or HALF_OPEN while a probe decides: either way deliveries are held back."""
        return self.state != CLOSED

    def open_for_s(self, now: float) -> int:
        return max(0, int(now - self.opened_at)) if self.is_open and self.opened_at else 0

    def as_json(self, now: float) -> dict[str, Any]:
        return {
            "state": self.state,
            "open": self.is_open,
            "opened_at": wib_iso(self.opened_at) if self.is_open else None,
            "open_for_s": self.open_for_s(now),
            "failure_count": self.failure_count,
        }


def breaker_from_item(item: dict[str, Any] | None) -> BreakerStatus:
    if not item or "state" not in item:
        return BreakerStatus()
    opened = item.get("opened_at", {}).get("N")
    return BreakerStatus(
        state=item["state"]["S"],
        opened_at=int(float(opened)) if opened else None,
        failure_count=int(item.get("failure_count", {}).get("N", "0")),
    )


def read_breaker(dynamodb: Any, deliveries_table: str) -> BreakerStatus:
    item = dynamodb.get_item(
        TableName=deliveries_table,
        Key={"pk": {"S": BREAKER_NAME}},
        ProjectionExpression=PROJECTION,
        ExpressionAttributeNames=NAMES,
        ConsistentRead=True,
    ).get("Item")
    return breaker_from_item(item)


def wib_iso(timestamp: float | None) -> str | None:
    """Times in WIB, the regency's clock, with the offset written out."""
    return dt.datetime.fromtimestamp(timestamp, WIB).isoformat(timespec="seconds") if timestamp else None
