"""Constants of `api/ministry.yaml`, shared by the client and the local implementation.

When the ministry publishes its real specification, this module, `client.py` and their tests are
what changes.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from ..domains.slugs import SLUGS

# The `Domain` path parameter's enum: the regency's nine domains, as api/ministry.yaml lists them
# (tests/contract checks the file against this).
DOMAINS: Final = SLUGS

MAX_BATCH_RECORDS: Final = 100
MAX_BATCH_BYTES: Final = 1024 * 1024
MAX_PAGE_SIZE: Final = 500

ResultStatus = Literal["accepted", "duplicate", "stale", "rejected"]
RESULT_STATUSES: Final[frozenset[str]] = frozenset({"accepted", "duplicate", "stale", "rejected"})
# A record is delivered when its result is one of these; `rejected` waits for changed content.
DELIVERED_STATUSES: Final[frozenset[str]] = frozenset({"accepted", "duplicate", "stale"})

REGION_HEADER: Final = "X-Region-Code"
REQUEST_ID_HEADER: Final = "X-Request-Id"

REGION_CODE = re.compile(r"^\d{2}(\.\d{2})?$")
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

TOKEN_PATH: Final = "/oauth/token"  # noqa: S105 - a URL path, not a password
HEALTH_PATH: Final = "/v1/health"
RECORDS_PATH: Final = "/v1/records"
REPORTS_PATH: Final = "/v1/reports"
