"""The project's own implementation of `api/ministry.yaml`, with switchable faults.

`LocalMinistry.handle` is the whole server as one function of (method, target, headers, body); the
HTTP server (`start`/`stop`) and the socket-free `InProcessPool` both call it. State lives in
memory and one lock serialises the handling, which is plenty for a test double.

Choices the contract leaves open:
- an unknown domain is answered 400 (code UNKNOWN_DOMAIN), not 404;
- a missing or malformed X-Request-Id or X-Region-Code is 400; a well-formed region code of
  another region is 403 (checked after the token, so an unauthenticated caller learns nothing);
- the same record_id and content_hash is `duplicate` whatever the version; a lower version with
  other content is `stale`; the same version with other content is `accepted` (last write wins);
- `updated_since` is inclusive; pages are ordered by (updated_at, record_id) and the cursor is a
  keyset position, so records written between pages are neither repeated nor skipped;
- a report's bad period, a body that is not an object, rows that are not a list of objects and a
  bad generated_at are all 422 with an `errors` list; a body that is not JSON is 400.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hmac
import json
import math
import random
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from .. import contract
from .faults import NIK_UNKNOWN, Faults
from .stats import BatchSeen, RequestSeen, ServerStats

if TYPE_CHECKING:
    from .transport import HttpServer

JOB_SEEKER_DOMAINS = frozenset({"pencari_kerja", "kartu_ak1"})
_CONTENT_HASH = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredReport:
    rows: list[dict[str, Any]]
    generated_at: str | None
    received_at: datetime
    request_id: str


@dataclass
class _Request:
    method: str
    route: str
    params: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    records: int | None = None  # records in a POST body, when it has a records list (for the stats)


_RECORDS = "/v1/records/{domain}"
# route → method → the LocalMinistry method answering it.
_ROUTES: dict[str, dict[str, str]] = {
    contract.TOKEN_PATH: {"POST": "_issue_token"},
    contract.HEALTH_PATH: {"GET": "_health"},
    _RECORDS: {"GET": "_get_records", "POST": "_post_records"},
    "/v1/records/{domain}/{record_id}": {"DELETE": "_delete_record"},
    "/v1/reports/{template}/{period}": {"PUT": "_put_report"},
}
_PUBLIC = frozenset({contract.TOKEN_PATH, contract.HEALTH_PATH})  # no bearer token, no faults but latency


def _json(status: int, document: Any, headers: Mapping[str, str] | None = None) -> Reply:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    return Reply(status, body, {"Content-Type": "application/json", **(headers or {})})


def _error(
    status: int, code: str, message: str, errors: list[dict[str, str]] | None = None, **headers: str
) -> Reply:
    document: dict[str, Any] = {"error": code, "message": message}
    if errors is not None:
        document["errors"] = errors
    return _json(status, document, {name.replace("_", "-"): value for name, value in headers.items()})


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _parse_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _hash_of(data: dict[str, Any]) -> str:
    from sikas_sync.validation.canonical import content_hash

    return content_hash(data)


class LocalMinistry:
    def __init__(
        self,
        region_code: str = "12.09",
        clients: Mapping[str, str] | None = None,
        faults: Faults | None = None,
        seed: int = 0,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_request: Callable[[RequestSeen], None] | None = None,
    ) -> None:
        if not contract.REGION_CODE.match(region_code):
            raise ValueError("region_code must look like 12 or 12.09")
        self.region_code = region_code
        # client id → secret; change it at runtime to simulate a rotated secret.
        self.clients: dict[str, str] = dict(
            clients if clients is not None else {"local-client": "local-secret"}
        )
        self.faults = faults if faults is not None else Faults()
        self._random = random.Random(seed)  # noqa: S311 - reproducible faults, not security
        self._host = host
        self._port = port
        self._clock = clock
        self._wall_clock = wall_clock
        self._on_request = on_request
        self._lock = threading.RLock()
        self._records: dict[str, dict[str, dict[str, Any]]] = {domain: {} for domain in contract.DOMAINS}
        self._reports: dict[tuple[str, str], StoredReport] = {}
        self._tokens: dict[str, float] = {}  # token → expiry on `clock`
        self._ref_counters: dict[str, int] = {}
        self._bucket: tuple[float, float] | None = None  # (tokens, at) for the rate limit
        self._stats = ServerStats()
        self._server: HttpServer | None = None  # while started

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> str:
        """Serve on host:port (port 0: a free one) in a daemon thread; returns the base URL."""
        from .transport import serve

        if self._server is None:
            self._server = serve(self, self._host, self._port)
        return self.url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("LocalMinistry is not started")
        return f"http://{self._server.server_name}:{self._server.server_port}"

    def __enter__(self) -> LocalMinistry:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- inspection and set-up -----------------------------------------------------------------

    def records(self, domain: str) -> dict[str, dict[str, Any]]:
        """A copy of what the ministry holds for one domain: record_id → {version, content_hash,
        data, ministry_ref, updated_at, source}."""
        with self._lock:
            return copy.deepcopy(self._records[domain])

    @property
    def reports(self) -> dict[tuple[str, str], StoredReport]:
        with self._lock:
            return dict(self._reports)

    @property
    def stats(self) -> ServerStats:
        """A snapshot of what the ministry saw since the start or the last `reset_stats`."""
        with self._lock:
            return self._stats.copy()

    def reset_stats(self) -> None:
        with self._lock:
            self._stats = ServerStats()

    def revoke_tokens(self) -> None:
        """Forget every issued token: the next API request with one is answered 401."""
        with self._lock:
            self._tokens.clear()

    def seed_records(self, domain: str, records: list[dict[str, Any]], source: str = "SIAPKERJA") -> None:
        """Pre-load records the ministry got elsewhere (e.g. registered directly in SIAPkerja).

        Each needs record_id and data; version (default 1), content_hash (default: computed),
        ministry_ref (default: issued) and updated_at (datetime, default: now) are optional.
        """
        if domain not in contract.DOMAINS:
            raise ValueError(f"unknown domain {domain!r}")
        with self._lock:
            for record in records:
                data = dict(record["data"])
                updated_at = record.get("updated_at") or self._wall_clock()
                if not isinstance(updated_at, datetime) or updated_at.tzinfo is None:
                    raise ValueError("updated_at must be a timezone-aware datetime")
                self._records[domain][str(record["record_id"])] = {
                    "version": int(record.get("version", 1)),
                    "content_hash": record.get("content_hash") or _hash_of(data),
                    "data": data,
                    "ministry_ref": record.get("ministry_ref") or self._new_ref(domain),
                    "updated_at": updated_at,
                    "source": source,
                }

    # -- the server as a function --------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one HTTP request (`target` is the path with its query string)."""
        latency = self.faults.latency_s
        if latency > 0:
            time.sleep(latency)
        parts = urlsplit(target)
        route, params = _route([unquote(segment) for segment in parts.path.split("/")[1:]])
        request = _Request(
            method=method.upper(),
            route=route,
            params=params,
            query={
                name: values[-1] for name, values in parse_qs(parts.query, keep_blank_values=True).items()
            },
            headers={name.lower(): value for name, value in headers.items()},
            body=body,
        )
        if (route, request.method) == (_RECORDS, "POST"):
            request.records = _count_records(body)
        with self._lock:
            reply = self._dispatch(request)
            seen = RequestSeen(
                method=request.method,
                route=route,
                path=parts.path,
                status=reply.status,
                request_id=request.headers.get("x-request-id"),
                region_code=request.headers.get("x-region-code"),
                bearer=request.headers.get("authorization", "").startswith("Bearer "),
            )
            self._stats.log.append(seen)
            if (route, request.method) == (_RECORDS, "POST"):
                self._stats.batches.append(
                    BatchSeen(params["domain"], request.records, len(body), reply.status, seen.request_id)
                )
        if self._on_request is not None:
            self._on_request(seen)
        return reply

    def _dispatch(self, request: _Request) -> Reply:
        methods = _ROUTES.get(request.route)
        if methods is None:
            return _error(404, "NOT_FOUND", "no such resource")
        if request.method not in methods:
            allowed = ", ".join(methods)
            return _error(405, "METHOD_NOT_ALLOWED", f"use {allowed}", Allow=allowed)
        handler: Callable[[_Request], Reply] = getattr(self, methods[request.method])
        if request.route not in _PUBLIC:
            refused = self._authorise(request) or self._injected_fault() or self._reject_early(request)
            if refused is not None:
                return refused
        return handler(request)

    def _reject_early(self, request: _Request) -> Reply | None:
        domain = request.params.get("domain")
        if domain is not None and domain not in contract.DOMAINS:
            return _error(400, "UNKNOWN_DOMAIN", "domain is not one of the contract's domains")
        if len(request.body) > self.faults.max_body_bytes:
            return _error(413, "PAYLOAD_TOO_LARGE", f"request body over {self.faults.max_body_bytes} bytes")
        return None

    def _health(self, request: _Request) -> Reply:
        return _json(200, {"status": "ok"})

    # -- authentication and the request-level faults -------------------------------------------

    def _issue_token(self, request: _Request) -> Reply:
        if (
            request.headers.get("content-type", "").split(";")[0].strip()
            != "application/x-www-form-urlencoded"
        ):
            return _json(400, {"error": "invalid_request"})
        try:
            form = {
                k: v[-1] for k, v in parse_qs(request.body.decode("utf-8"), keep_blank_values=True).items()
            }
        except UnicodeDecodeError:
            return _json(400, {"error": "invalid_request"})
        if form.get("grant_type") != "client_credentials":
            return _json(400, {"error": "unsupported_grant_type"})
        expected = self.clients.get(form.get("client_id", ""))
        given = form.get("client_secret", "")
        if expected is None or not hmac.compare_digest(expected.encode(), given.encode()):
            return _json(401, {"error": "invalid_client"}, {"WWW-Authenticate": 'Basic realm="token"'})
        token = secrets.token_urlsafe(24)
        ttl = max(0.0, float(self.faults.token_ttl_s))
        self._tokens[token] = self._clock() + ttl
        self._stats.tokens_issued += 1
        return _json(200, {"access_token": token, "token_type": "Bearer", "expires_in": int(ttl)})

    def _authorise(self, request: _Request) -> Reply | None:
        """The contract's headers, a live token, then the region (so strangers learn nothing)."""
        headers = request.headers
        if not headers.get("x-request-id"):
            return _error(400, "REQUEST_ID_MISSING", "X-Request-Id is required")
        region = headers.get("x-region-code")
        if not region or not contract.REGION_CODE.match(region):
            return _error(400, "REGION_CODE_INVALID", "X-Region-Code is required, e.g. 12.09")
        authorization = headers.get("authorization", "")
        token = authorization[len("Bearer ") :] if authorization.startswith("Bearer ") else ""
        expiry = self._tokens.get(token)
        if expiry is None or self._clock() >= expiry:
            self._tokens.pop(token, None)
            return _error(
                401, "TOKEN_INVALID", "token missing, invalid or expired", WWW_Authenticate="Bearer"
            )
        if region != self.region_code:
            return _error(403, "REGION_FORBIDDEN", "this client may not act for that region")
        return None

    def _injected_fault(self) -> Reply | None:
        """The rate limit, then random throttling and failures, in place of the real handling."""
        faults = self.faults
        wait = self._take_rate_token(faults.rate_limit_per_s, faults.rate_limit_burst)
        if wait is not None:
            return _error(429, "RATE_LIMITED", "too many requests", Retry_After=str(max(1, math.ceil(wait))))
        if faults.throttle_rate > 0 and self._random.random() < faults.throttle_rate:
            return _error(429, "THROTTLED", "too many requests", Retry_After=str(faults.retry_after_s))
        if (
            faults.failure_rate > 0
            and faults.failure_statuses
            and self._random.random() < faults.failure_rate
        ):
            return self._failure(self._random.choice(faults.failure_statuses))
        return None

    def _failure(self, status: int) -> Reply:
        if status == 503:
            return _error(
                503, "UNAVAILABLE", "service unavailable", Retry_After=str(self._random.choice((0, 1)))
            )
        return _error(status, "SERVER_ERROR", "internal error")

    def _take_rate_token(self, rate: float | None, burst: int | None) -> float | None:
        """None when the request may pass; else the seconds until it could."""
        if not rate:
            self._bucket = None
            return None
        capacity = float(burst) if burst else max(1.0, rate)
        now = self._clock()
        tokens, at = self._bucket if self._bucket is not None else (capacity, now)
        tokens = min(capacity, tokens + (now - at) * rate)
        if tokens >= 1.0:
            self._bucket = (tokens - 1.0, now)
            return None
        self._bucket = (tokens, now)
        return (1.0 - tokens) / rate

    # -- records -------------------------------------------------------------------------------

    def _post_records(self, request: _Request) -> Reply:
        domain = request.params["domain"]
        try:
            document = json.loads(request.body)
        except ValueError:
            return _error(400, "BODY_NOT_JSON", "body is not JSON")
        records = document.get("records") if isinstance(document, dict) else None
        if not isinstance(records, list) or not records:
            return _error(400, "RECORDS_MISSING", "body must be an object with a non-empty records list")
        if len(records) > self.faults.max_batch_records:
            return _error(
                413, "TOO_MANY_RECORDS", f"at most {self.faults.max_batch_records} records per request"
            )
        problems = [
            problem for index, record in enumerate(records) for problem in _record_problems(index, record)
        ]
        if problems:
            return _error(400, "RECORD_INVALID", "records do not follow the contract", problems)
        self._stats.records_received += len(records)
        results = [self._upsert(domain, record) for record in records]
        self._stats.results.update(result["status"] for result in results)
        rate = self.faults.fail_after_accept_rate
        if rate > 0 and self._random.random() < rate:
            return self._failure(503)
        return _json(200, {"results": results})

    def _upsert(self, domain: str, record: dict[str, Any]) -> dict[str, Any]:
        record_id = record["record_id"]
        stored = self._records[domain].get(record_id)
        if stored is not None and stored["content_hash"] == record["content_hash"]:
            return {"record_id": record_id, "status": "duplicate", "ministry_ref": stored["ministry_ref"]}
        if stored is not None and stored["version"] > record["version"]:
            return {"record_id": record_id, "status": "stale", "ministry_ref": stored["ministry_ref"]}
        errors = self._refusal(domain, record)
        if errors:
            return {"record_id": record_id, "status": "rejected", "errors": errors}
        ministry_ref = stored["ministry_ref"] if stored is not None else self._new_ref(domain)
        self._records[domain][record_id] = {
            "version": record["version"],
            "content_hash": record["content_hash"],
            "data": copy.deepcopy(record["data"]),
            "ministry_ref": ministry_ref,
            "updated_at": self._wall_clock(),
            "source": "SIKAS",
        }
        return {"record_id": record_id, "status": "accepted", "ministry_ref": ministry_ref}

    def _refusal(self, domain: str, record: dict[str, Any]) -> list[dict[str, str]]:
        rule = self.faults.refuse_when
        if rule is not None:
            errors = rule(domain, copy.deepcopy(record))
            if errors:
                return [{str(k): str(v) for k, v in error.items()} for error in errors]
        if self.faults.refuse_rate > 0 and self._random.random() < self.faults.refuse_rate:
            return [dict(NIK_UNKNOWN)]
        return []

    def _new_ref(self, domain: str) -> str:
        series = "PK" if domain in JOB_SEEKER_DOMAINS else domain.upper()
        number = self._ref_counters.get(series, 0) + 1
        self._ref_counters[series] = number
        if series == "PK":
            return f"PK-{self.region_code.replace('.', '')}-{number:06d}"
        return f"{series}-{number:06d}"

    def _get_records(self, request: _Request) -> Reply:
        domain, query = request.params["domain"], request.query
        try:
            limit = int(query.get("limit", str(contract.MAX_PAGE_SIZE)))
        except ValueError:
            limit = 0
        if not 1 <= limit <= contract.MAX_PAGE_SIZE:
            return _error(400, "LIMIT_INVALID", f"limit must be between 1 and {contract.MAX_PAGE_SIZE}")
        since: datetime | None = None
        if "updated_since" in query:
            since = _parse_time(query["updated_since"])
            if since is None:
                return _error(
                    400, "UPDATED_SINCE_INVALID", "updated_since must be a date-time with an offset"
                )
        after: tuple[datetime, str] | None = None
        if "cursor" in query:
            after = _decode_cursor(query["cursor"])
            if after is None:
                return _error(400, "CURSOR_INVALID", "unknown cursor")
        rows = sorted(
            (
                (stored["updated_at"], record_id, stored)
                for record_id, stored in self._records[domain].items()
                if since is None or stored["updated_at"] >= since
            ),
            key=lambda row: (row[0], row[1]),
        )
        if after is not None:
            rows = [row for row in rows if (row[0], row[1]) > after]
        page = rows[:limit]
        next_cursor = _encode_cursor(page[-1][0], page[-1][1]) if len(rows) > limit else None
        records = [
            {
                "record_id": record_id,
                "version": stored["version"],
                "content_hash": stored["content_hash"],
                "data": stored["data"],
                "ministry_ref": stored["ministry_ref"],
                "updated_at": _iso(updated_at),
                "source": stored["source"],
            }
            for updated_at, record_id, stored in page
        ]
        return _json(200, {"records": records, "next_cursor": next_cursor})

    # -- reports -------------------------------------------------------------------------------

    def _delete_record(self, request: _Request) -> Reply:
        self._records[request.params["domain"]].pop(request.params["record_id"], None)
        return Reply(204)

    def _put_report(self, request: _Request) -> Reply:
        template, period = request.params["template"], request.params["period"]
        try:
            document = json.loads(request.body)
        except ValueError:
            return _error(400, "BODY_NOT_JSON", "body is not JSON")
        errors: list[dict[str, str]] = []
        if not template:
            errors.append(
                {"field": "template", "code": "TEMPLATE_MISSING", "message": "template is required"}
            )
        if not contract.PERIOD.match(period):
            errors.append({"field": "period", "code": "PERIOD_INVALID", "message": "period must be YYYY-MM"})
        rows: Any = None
        generated_at: Any = None
        if not isinstance(document, dict):
            errors.append({"field": "body", "code": "BODY_NOT_OBJECT", "message": "body must be an object"})
        else:
            rows = document.get("rows")
            generated_at = document.get("generated_at")
            if not isinstance(rows, list):
                errors.append({"field": "rows", "code": "ROWS_NOT_LIST", "message": "rows must be a list"})
            else:
                errors.extend(
                    {
                        "field": f"rows[{index}]",
                        "code": "ROW_NOT_OBJECT",
                        "message": "each row must be an object",
                    }
                    for index, row in enumerate(rows)
                    if not isinstance(row, dict)
                )
            if generated_at is not None and (
                not isinstance(generated_at, str) or _parse_time(generated_at) is None
            ):
                errors.append(
                    {
                        "field": "generated_at",
                        "code": "GENERATED_AT_INVALID",
                        "message": "generated_at must be a date-time",
                    }
                )
        if errors:
            return _error(422, "REPORT_REJECTED", "report rejected", errors)
        self._reports[(template, period)] = StoredReport(
            rows=copy.deepcopy(rows),
            generated_at=generated_at,
            received_at=self._wall_clock(),
            request_id=request.headers.get("x-request-id", ""),
        )
        return _json(200, {"status": "accepted", "rows": len(rows)})


def _route(segments: list[str]) -> tuple[str, dict[str, str]]:
    """The contract's path template for a path, and its parameters."""
    match segments:
        case ["oauth", "token"]:
            return contract.TOKEN_PATH, {}
        case ["v1", "health"]:
            return contract.HEALTH_PATH, {}
        case ["v1", "records", domain]:
            return _RECORDS, {"domain": domain}
        case ["v1", "records", domain, record_id] if record_id:
            return "/v1/records/{domain}/{record_id}", {"domain": domain, "record_id": record_id}
        case ["v1", "reports", template, period]:
            return "/v1/reports/{template}/{period}", {"template": template, "period": period}
    return "/" + "/".join(segments), {}


def _record_problems(index: int, record: Any) -> list[dict[str, str]]:
    where = f"records[{index}]"
    if not isinstance(record, dict):
        return [{"field": where, "code": "NOT_OBJECT", "message": "a record must be an object"}]
    problems = []
    record_id = record.get("record_id")
    version = record.get("version")
    if not isinstance(record_id, str) or not record_id:
        problems.append({"field": f"{where}.record_id", "code": "REQUIRED", "message": "a non-empty string"})
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(
            {"field": f"{where}.version", "code": "INVALID", "message": "an integer of at least 1"}
        )
    if not isinstance(record.get("content_hash"), str) or not _CONTENT_HASH.match(record["content_hash"]):
        problems.append({"field": f"{where}.content_hash", "code": "INVALID", "message": "sha256 hex"})
    if not isinstance(record.get("data"), dict):
        problems.append({"field": f"{where}.data", "code": "INVALID", "message": "an object"})
    return problems


def _count_records(body: bytes) -> int | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    records = document.get("records") if isinstance(document, dict) else None
    return len(records) if isinstance(records, list) else None


def _encode_cursor(updated_at: datetime, record_id: str) -> str:
    raw = json.dumps([_iso(updated_at), record_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        updated_at, record_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        return None
    moment = _parse_time(updated_at) if isinstance(updated_at, str) else None
    if moment is None or not isinstance(record_id, str):
        return None
    return moment, record_id
