"""The one adapter for `api/ministry.yaml`: every call to the ministry goes through here.

The client authenticates (OAuth2 client credentials, token cached), splits pushes into batches the
contract allows, and turns every answer into a result or one of two errors: `TransientError` (try
again later, with backoff — the caller's job, e.g. the push queue's visibility timeout) or
`PermanentError` (do not repeat that request). It never sleeps to retry; it only waits before
sending when a request-rate limit is configured.

Exception messages and log lines carry status codes, request ids, counts and domain slugs only:
never the client secret, a token or record data.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import logging
import math
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast
from urllib.parse import quote, urlencode

import urllib3

from . import contract
from .contract import ResultStatus

log = logging.getLogger(__name__)

USER_AGENT = "sikas-sync"
# The token is dropped this long before the ministry says it expires: 10% of its life, at most 30 s.
TOKEN_MARGIN_MAX_S = 30.0
TOKEN_MARGIN_FRACTION = 0.1
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Network jitter allowed when answers are slow: 5 % of the interval (50 ms at 1/s), at most 5 % of the rate.
RATE_LIMIT_JITTER_SHARE = 0.05

_BATCH_HEAD = b'{"records":['
_BATCH_TAIL = b"]}"


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)


# Called with refresh=False for every token request; with refresh=True once after the token
# endpoint answered 401, so that the caller re-reads Secrets Manager (a rotated secret).
CredentialsSource = Callable[[bool], Credentials]


@dataclass(frozen=True)
class RecordResult:
    record_id: str
    status: ResultStatus
    ministry_ref: str | None = None
    errors: tuple[dict[str, str], ...] = ()
    # The X-Request-Id of the request that carried the record (for audit); not part of equality.
    request_id: str | None = field(default=None, compare=False)

    @property
    def delivered(self) -> bool:
        """accepted, duplicate and stale all mean the ministry holds this version or a newer one."""
        return self.status in contract.DELIVERED_STATUSES


class MinistryError(Exception):
    """Base of the client's errors.

    `partial`: results of the records of a `push` that were answered before the failure (input
    order, a prefix of the input); `record_ids`: the records of the request that failed (empty for
    requests that carry no records).
    """

    status: int | None

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        request_id: str | None = None,
        errors: Sequence[dict[str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.request_id = request_id
        self.errors: tuple[dict[str, str], ...] = tuple(errors)
        self.partial: list[RecordResult] = []
        self.record_ids: tuple[str, ...] = ()


class TransientError(MinistryError):
    """429, 408, 5xx, connection errors, timeouts, malformed answers: retry later with backoff.

    `retry_after` is the ministry's `Retry-After` in seconds when it sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status=status, request_id=request_id)
        self.retry_after = retry_after


class PermanentError(MinistryError):
    """400, 403, 413 for a single record, 422 and other 4xx: repeating the request will not help.

    `errors` holds the error list of the answer's body when it had one (e.g. a report's 422).
    """

    status: int

    def __init__(
        self,
        message: str,
        *,
        status: int,
        request_id: str | None = None,
        errors: Sequence[dict[str, str]] = (),
    ) -> None:
        super().__init__(message, status=status, request_id=request_id, errors=errors)


class AuthenticationError(PermanentError):
    """The ministry refused the client credentials (also after re-reading them), or a fresh token."""


@dataclass
class ClientStats:
    requests: int = 0  # every HTTP request sent, token requests and health checks included
    token_requests: int = 0
    retries_401: int = 0  # API requests repeated with a new token after a 401
    splits_413: int = 0  # batches split in halves after a 413
    throttled: int = 0  # 429 answers
    transient_failures: int = 0  # 408/5xx answers, connection errors, timeouts, malformed answers
    rate_limit_waits: int = 0  # requests held back by the client's own rate limit
    rate_limit_wait_s: float = 0.0


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    request_id: str


class _RateLimiter:
    """Keeps the requests' arrivals at the ministry at least 1/rate apart, even for a one-token bucket.

    The ministry counts a request when it arrives, which is after it left and before its answer came
    back. So the next request may leave one interval after the previous one's answer; while that
    answer is outstanding (or when it came late), one interval after the previous departure plus an
    allowance for the network's jitter (`RATE_LIMIT_JITTER_SHARE` of the interval).

    Each caller reserves its departure under the lock, then sleeps outside it; the reservation does
    not depend on the sleep advancing the clock, so a fake sleep in tests keeps the same schedule.
    """

    def __init__(self, rate_per_s: float, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        if not rate_per_s > 0:
            raise ValueError("rate_limit_per_s must be positive")
        self._interval = 1.0 / rate_per_s
        self._allowance = RATE_LIMIT_JITTER_SHARE * self._interval
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None
        self._ticket = 0  # the latest reservation
        self._departure = 0.0  # of the latest reservation
        self._lock = threading.Lock()

    def wait(self) -> tuple[int, float]:
        """Sleep until this request may leave; its ticket (for `answered`) and the seconds slept."""
        with self._lock:
            now = self._clock()
            start = now if self._next is None else max(now, self._next)
            self._next = start + self._allowance + self._interval
            self._ticket += 1
            self._departure = start
            ticket = self._ticket
        delay = start - now
        if delay > 0:
            self._sleep(delay)
        return ticket, delay

    def answered(self, ticket: int) -> None:
        """The request of `ticket` got an answer: the ministry has counted it by now."""
        with self._lock:
            # Only the latest reservation decides the next departure; later ones are already booked.
            if ticket == self._ticket and self._next is not None:
                answered_at = max(self._clock(), self._departure)  # a fake sleep may leave the clock behind
                self._next = min(self._next, answered_at + self._interval)


def plan_batches(sizes: Sequence[int], max_records: int, max_bytes: int) -> list[tuple[int, int]]:
    """Split records of the given encoded sizes into [start, end) runs that fit one request each.

    Greedy and order-preserving. A record too large on its own still gets a run of its own (the
    caller refuses it).
    """
    runs: list[tuple[int, int]] = []
    start = 0
    body = len(_BATCH_HEAD) + len(_BATCH_TAIL)
    for index, size in enumerate(sizes):
        count = index - start
        grown = body + size + (1 if count else 0)
        if count and (count >= max_records or grown > max_bytes):
            runs.append((start, index))
            start = index
            grown = len(_BATCH_HEAD) + len(_BATCH_TAIL) + size
        body = grown
    if start < len(sizes):
        runs.append((start, len(sizes)))
    return runs


def batch_body_size(sizes: Sequence[int]) -> int:
    return len(_BATCH_HEAD) + len(_BATCH_TAIL) + sum(sizes) + max(len(sizes) - 1, 0)


class MinistryClient:
    def __init__(
        self,
        base_url: str,
        region_code: str,
        credentials: CredentialsSource,
        *,
        timeout_s: float = 10.0,
        rate_limit_per_s: float | None = None,
        max_batch_records: int = contract.MAX_BATCH_RECORDS,
        max_batch_bytes: int = contract.MAX_BATCH_BYTES,
        pool: urllib3.PoolManager | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        request_ids: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        if not contract.REGION_CODE.match(region_code):
            raise ValueError("region_code must look like 12 or 12.09")
        if not 1 <= max_batch_records <= contract.MAX_BATCH_RECORDS:
            raise ValueError(f"max_batch_records must be between 1 and {contract.MAX_BATCH_RECORDS}")
        if not 1 <= max_batch_bytes <= contract.MAX_BATCH_BYTES:
            raise ValueError(f"max_batch_bytes must be between 1 and {contract.MAX_BATCH_BYTES}")
        if not timeout_s > 0:
            raise ValueError("timeout_s must be positive")
        self._base_url = base_url.rstrip("/")
        self._region_code = region_code
        self._credentials = credentials
        self._timeout = urllib3.Timeout(connect=timeout_s, read=timeout_s)
        self._limiter = _RateLimiter(rate_limit_per_s, clock, sleep) if rate_limit_per_s else None
        self._max_batch_records = max_batch_records
        self._max_batch_bytes = max_batch_bytes
        self._pool = pool if pool is not None else urllib3.PoolManager(maxsize=10)
        self._clock = clock
        self._request_ids = request_ids
        self._token: str | None = None
        self._token_valid_until = 0.0
        self._token_lock = threading.Lock()
        self._last_request_id: str | None = None
        self.stats = ClientStats()

    @property
    def last_request_id(self) -> str | None:
        """The X-Request-Id of the last request sent (token requests included), for audit logs."""
        return self._last_request_id

    @property
    def region_code(self) -> str:
        return self._region_code

    def close(self) -> None:
        self._pool.clear()

    # -- the contract's operations -------------------------------------------------------------

    def push(self, domain: str, records: list[dict[str, Any]]) -> list[RecordResult]:
        """Upsert records ({record_id, version, content_hash, data}) of one domain.

        Returns one result per record, in input order. Batches hold at most `max_batch_records`
        records and `max_batch_bytes` of JSON; a batch answered 413 is split in halves. Batches go
        out one after the other; the first failure stops the push and is raised with the results
        obtained so far in `partial` and the failed request's records in `record_ids` (records after
        those were not sent).
        """
        _check_domain(domain)
        if not records:
            return []
        items = [
            (_record_id(index, record), _encode_record(index, record)) for index, record in enumerate(records)
        ]
        results: list[RecordResult] = []
        runs = plan_batches([len(body) for _, body in items], self._max_batch_records, self._max_batch_bytes)
        try:
            for start, end in runs:
                self._post_batch(domain, items[start:end], results)
        except MinistryError as exc:
            exc.partial = list(results)
            raise
        return results

    def pull(
        self, domain: str, *, updated_since: datetime | None = None, page_size: int = contract.MAX_PAGE_SIZE
    ) -> Iterator[dict[str, Any]]:
        """The ministry's records of one domain for the region, page by page (lazily)."""
        _check_domain(domain)
        if not 1 <= page_size <= contract.MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {contract.MAX_PAGE_SIZE}")
        query: dict[str, str] = {"limit": str(page_size)}
        if updated_since is not None:
            query["updated_since"] = _iso(updated_since, "updated_since")
        return self._pages(domain, query)

    def delete(self, domain: str, record_id: str) -> None:
        """Erase one record at the ministry (204 whether or not it was there)."""
        _check_domain(domain)
        if not record_id:
            raise ValueError("record_id must not be empty")
        path = f"{contract.RECORDS_PATH}/{_segment(domain)}/{_segment(record_id)}"
        answer = self._api("DELETE", path, what=f"erase in {domain}")
        self._expect_success(answer, f"erase in {domain}")

    def put_report(
        self, template: str, period: str, rows: list[dict[str, Any]], generated_at: datetime
    ) -> None:
        """Submit (replace) an SMData aggregate report; a 422 raises PermanentError with its errors."""
        if not template:
            raise ValueError("template must not be empty")
        what = f"report {template} {period}"
        try:
            body = _dumps({"generated_at": _iso(generated_at, "generated_at"), "rows": rows})
        except (TypeError, ValueError):
            raise ValueError("report rows are not JSON-serialisable") from None
        path = f"{contract.REPORTS_PATH}/{_segment(template)}/{_segment(period)}"
        answer = self._api("PUT", path, body=body, what=what)
        self._expect_success(answer, what)

    def health(self) -> bool:
        """True when the ministry answers its liveness check with 200; never raises for the network."""
        try:
            answer = self._send("GET", contract.HEALTH_PATH, what="health")
        except TransientError:
            return False
        return answer.status == 200

    # -- pushing -------------------------------------------------------------------------------

    def _post_batch(self, domain: str, items: list[tuple[str, bytes]], out: list[RecordResult]) -> None:
        what = f"push {len(items)} records to {domain}"
        ids = tuple(record_id for record_id, _ in items)
        try:
            if len(items) == 1 and batch_body_size([len(items[0][1])]) > self._max_batch_bytes:
                raise PermanentError(f"{what}: one record is larger than a batch may be", status=413)
            body = _BATCH_HEAD + b",".join(encoded for _, encoded in items) + _BATCH_TAIL
            answer = self._api("POST", f"{contract.RECORDS_PATH}/{_segment(domain)}", body=body, what=what)
            if answer.status == 413 and len(items) > 1:
                self.stats.splits_413 += 1
                log.warning(
                    "ministry answered 413 to %d records (request %s); splitting",
                    len(items),
                    answer.request_id,
                )
            elif answer.status == 413:
                raise PermanentError(
                    f"{what}: the ministry answered 413 to a single record (request {answer.request_id})",
                    status=413,
                    request_id=answer.request_id,
                )
            else:
                self._expect_success(answer, what)
                out.extend(_parse_results(answer, ids, self.stats))
                return
        except MinistryError as exc:
            exc.record_ids = ids
            raise
        middle = len(items) // 2
        self._post_batch(domain, items[:middle], out)
        self._post_batch(domain, items[middle:], out)

    # -- pulling -------------------------------------------------------------------------------

    def _pages(self, domain: str, query: dict[str, str]) -> Iterator[dict[str, Any]]:
        path = f"{contract.RECORDS_PATH}/{_segment(domain)}"
        what = f"pull {domain}"
        cursors: set[str] = set()
        cursor: str | None = None
        while True:
            page_query = dict(query, cursor=cursor) if cursor is not None else query
            answer = self._api("GET", f"{path}?{urlencode(page_query)}", what=what)
            self._expect_success(answer, what)
            document = _json_object(answer, what, self.stats)
            records = document.get("records")
            cursor = document.get("next_cursor")
            if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
                raise self._malformed(answer, what)
            if cursor is not None and (not isinstance(cursor, str) or cursor in cursors):
                raise self._malformed(answer, what)
            yield from cast(list[dict[str, Any]], records)
            if cursor is None:
                return
            cursors.add(cursor)

    # -- transport -----------------------------------------------------------------------------

    def _api(self, method: str, path: str, *, what: str, body: bytes | None = None) -> _Answer:
        """An authenticated request; on 401 a new token is fetched and the request sent once more."""
        for attempt in range(2):
            # Not the token request: the contract gives /oauth/token no 429, the limit counts API calls.
            token = self._bearer()
            headers = {"Authorization": f"Bearer {token}"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            if self._limiter is None:
                answer = self._send(method, path, what=what, body=body, headers=headers)
            else:
                ticket, waited = self._limiter.wait()
                if waited > 0:
                    self.stats.rate_limit_waits += 1
                    self.stats.rate_limit_wait_s += waited
                answer = self._send(method, path, what=what, body=body, headers=headers)
                self._limiter.answered(ticket)
            if answer.status != 401:
                return answer
            if attempt == 0:
                self.stats.retries_401 += 1
                log.warning("ministry answered 401 (request %s); fetching a new token", answer.request_id)
                self._drop_token(token)
        raise AuthenticationError(
            f"{what}: the ministry answered 401 to a freshly issued token (request {answer.request_id})",
            status=401,
            request_id=answer.request_id,
        )

    def _send(
        self,
        method: str,
        path: str,
        *,
        what: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> _Answer:
        request_id = self._request_ids()
        all_headers = {
            contract.REGION_HEADER: self._region_code,
            contract.REQUEST_ID_HEADER: request_id,
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            **(headers or {}),
        }
        self.stats.requests += 1
        self._last_request_id = request_id
        try:
            response = self._pool.request(
                method,
                self._base_url + path,
                body=body,
                headers=all_headers,
                timeout=self._timeout,
                retries=False,
                redirect=False,
            )
        except (urllib3.exceptions.HTTPError, OSError, http.client.HTTPException) as exc:
            # Only the exception's type: its text could quote the URL, never more, but stay terse.
            self.stats.transient_failures += 1
            raise TransientError(
                f"{what}: {type(exc).__name__} (request {request_id})", request_id=request_id
            ) from exc
        return _Answer(
            status=response.status,
            headers={name.lower(): value for name, value in response.headers.items()},
            body=response.data or b"",  # urllib3 gives None for an empty body
            request_id=request_id,
        )

    # -- tokens --------------------------------------------------------------------------------

    def _bearer(self) -> str:
        with self._token_lock:
            if self._token is not None and self._clock() < self._token_valid_until:
                return self._token
            self._token = None
            requested_at = self._clock()
            token, expires_in = self._fetch_token()
            margin = min(TOKEN_MARGIN_MAX_S, expires_in * TOKEN_MARGIN_FRACTION)
            self._token = token
            self._token_valid_until = requested_at + expires_in - margin
            return token

    def _drop_token(self, token: str) -> None:
        with self._token_lock:
            if self._token == token:
                self._token = None

    def _fetch_token(self) -> tuple[str, float]:
        what = "token request"
        answer = self._token_request(self._credentials(False))
        if answer.status == 401:
            log.warning(
                "token endpoint answered 401 (request %s); re-reading the credentials", answer.request_id
            )
            answer = self._token_request(self._credentials(True))
            if answer.status == 401:
                raise AuthenticationError(
                    f"{what}: the ministry refused the client credentials (401, request {answer.request_id}),"
                    " also after re-reading them: unknown client id or wrong secret",
                    status=401,
                    request_id=answer.request_id,
                )
        if answer.status != 200:
            self._raise_for(answer, what)
        document = _json_object(answer, what, self.stats)
        token = document.get("access_token")
        token_type = document.get("token_type")
        expires_in = document.get("expires_in")
        if (
            not isinstance(token, str)
            or not token
            or not isinstance(token_type, str)
            or token_type.lower() != "bearer"
            or isinstance(expires_in, bool)
            or not isinstance(expires_in, int | float)
            or expires_in < 0
        ):
            raise self._malformed(answer, what)
        return token, float(expires_in)

    def _token_request(self, credentials: Credentials) -> _Answer:
        self.stats.token_requests += 1
        form = urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": credentials.client_id,
                "client_secret": credentials.client_secret,
            }
        ).encode()
        return self._send(
            "POST",
            contract.TOKEN_PATH,
            what="token request",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    # -- answers -------------------------------------------------------------------------------

    def _expect_success(self, answer: _Answer, what: str) -> None:
        if not 200 <= answer.status < 300:
            self._raise_for(answer, what)

    def _raise_for(self, answer: _Answer, what: str) -> None:
        status, request_id = answer.status, answer.request_id
        if status in TRANSIENT_STATUSES or status >= 500:
            retry_after = _retry_after(answer.headers.get("retry-after"))
            if status == 429:
                self.stats.throttled += 1
            else:
                self.stats.transient_failures += 1
            wait = "" if retry_after is None else f", retry after {retry_after:g} s"
            raise TransientError(
                f"{what}: the ministry answered {status} (request {request_id}{wait})",
                status=status,
                request_id=request_id,
                retry_after=retry_after,
            )
        raise PermanentError(
            f"{what}: the ministry answered {status} (request {request_id}); not retrying this request",
            status=status,
            request_id=request_id,
            errors=_body_errors(answer.body),
        )

    def _malformed(self, answer: _Answer, what: str) -> TransientError:
        return _malformed(answer, what, self.stats)


# -- helpers -----------------------------------------------------------------------------------


def _check_domain(domain: str) -> None:
    if domain not in contract.DOMAINS:
        raise ValueError(f"unknown domain {domain!r}")


def _segment(value: str) -> str:
    return quote(value, safe="")


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _record_id(index: int, record: dict[str, Any]) -> str:
    record_id = record.get("record_id") if isinstance(record, dict) else None
    if not isinstance(record_id, str) or not record_id:
        raise ValueError(f"record {index} has no record_id")
    return record_id


def _encode_record(index: int, record: dict[str, Any]) -> bytes:
    """Only the contract's four fields go out, whatever else the caller's dict holds."""
    try:
        body = {key: record[key] for key in ("record_id", "version", "content_hash", "data")}
    except KeyError as missing:
        raise ValueError(f"record {index} lacks {missing.args[0]}") from None
    try:
        return _dumps(body)
    except (TypeError, ValueError):
        raise ValueError(f"record {index} is not JSON-serialisable") from None


def _iso(value: datetime, name: str) -> str:
    if value.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds, or an HTTP date as a courtesy)."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)


def _body_errors(body: bytes) -> list[dict[str, str]]:
    """The `errors` list of an error answer, as strings; anything else is ignored."""
    try:
        document = json.loads(body)
    except ValueError:
        return []
    errors = document.get("errors") if isinstance(document, dict) else None
    if not isinstance(errors, list):
        return []
    return [{str(k): str(v) for k, v in error.items()} for error in errors if isinstance(error, dict)]


def _json_object(answer: _Answer, what: str, stats: ClientStats) -> dict[str, Any]:
    try:
        document = json.loads(answer.body)
    except ValueError:
        raise _malformed(answer, what, stats) from None
    if not isinstance(document, dict):
        raise _malformed(answer, what, stats)
    return document


def _malformed(answer: _Answer, what: str, stats: ClientStats) -> TransientError:
    stats.transient_failures += 1
    return TransientError(
        f"{what}: malformed answer ({answer.status}, request {answer.request_id})",
        status=answer.status,
        request_id=answer.request_id,
    )


def _parse_results(answer: _Answer, ids: tuple[str, ...], stats: ClientStats) -> list[RecordResult]:
    what = f"push {len(ids)} records"
    results = _json_object(answer, what, stats).get("results")
    if not isinstance(results, list) or len(results) != len(ids):
        raise _malformed(answer, what, stats)
    parsed: list[RecordResult] = []
    for record_id, result in zip(ids, results, strict=True):
        if not isinstance(result, dict) or result.get("record_id") != record_id:
            raise _malformed(answer, what, stats)
        status = result.get("status")
        ministry_ref = result.get("ministry_ref")
        errors = result.get("errors") or []
        if (
            status not in contract.RESULT_STATUSES
            or not (ministry_ref is None or isinstance(ministry_ref, str))
            or not isinstance(errors, list)
            or not all(isinstance(error, dict) for error in errors)
        ):
            raise _malformed(answer, what, stats)
        parsed.append(
            RecordResult(
                record_id=record_id,
                status=cast(ResultStatus, status),
                ministry_ref=ministry_ref,
                errors=tuple({str(k): str(v) for k, v in error.items()} for error in errors),
                request_id=answer.request_id,
            )
        )
    return parsed
