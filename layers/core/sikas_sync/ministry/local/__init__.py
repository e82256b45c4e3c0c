"""The local ministry: the project's own implementation of the ministry API, with switchable faults.

Used by the demo, `sikas-sync run` and the tests; `python -m sikas_sync.ministry.local` serves one
for operators.
"""

from .faults import NIK_UNKNOWN, Faults, RefusalRule
from .ministry import LocalMinistry, Reply, StoredReport
from .stats import BatchSeen, RequestSeen, ServerStats
from .transport import InProcessPool

__all__ = [
    "NIK_UNKNOWN",
    "BatchSeen",
    "Faults",
    "InProcessPool",
    "LocalMinistry",
    "RefusalRule",
    "Reply",
    "RequestSeen",
    "ServerStats",
    "StoredReport",
]
