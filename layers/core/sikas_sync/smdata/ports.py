"""What the SMData report use case needs: the stored records, the ministry and the bucket."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any, Protocol


class RecordSource(Protocol):
    def records(self, domains: Collection[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        """(domain, data) of every stored record of these domains, streamed."""
        ...


class ReportMinistry(Protocol):
    """`MinistryClient.put_report`; a 422 raises PermanentError with the answer's errors."""

    def put_report(
        self, template: str, period: str, rows: list[dict[str, Any]], generated_at: datetime
    ) -> None: ...

    @property
    def last_request_id(self) -> str | None: ...


class ReportCopies(Protocol):
    """JSON documents in the inbox bucket (`S3JsonObjects`)."""

    def put(self, key: str, document: Any) -> None: ...
