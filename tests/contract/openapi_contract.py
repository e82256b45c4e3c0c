"""Checks HTTP requests and answers against `api/ministry.yaml`, and records the client's traffic.

`Contract.request_problems` and `Contract.response_problems` return what breaks the file (an empty
list when nothing does): the operation (method and path template), path, query and header
parameters, the bearer token, the body's media type, size (`x-max-body-bytes`) and schema, and for
answers the status code (exact, then `5XX`-style ranges), required headers and the body's schema.
Schemas are checked as JSON Schema 2020-12 with OpenAPI 3.1's formats (openapi-schema-validator),
except that a JSON number written with a fraction or an exponent (`1.0`, `1e0`) is no `integer`: the
file asks for integers written as such, as the local ministry does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import urllib3
import yaml
from jsonschema.validators import extend
from openapi_schema_validator import OAS31Validator, oas31_format_checker

from sikas_sync.ministry.local import InProcessPool

SPEC_PATH = Path(__file__).resolve().parents[2] / "api" / "ministry.yaml"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_INTEGER = re.compile(r"^-?\d+$")


@cache
def load_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return document


def _pointer(document: Mapping[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported: {ref}")
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def inline(document: Mapping[str, Any], node: Any) -> Any:
    """`node` with every local $ref replaced by its target (the file has no recursive schemas)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return inline(document, _pointer(document, node["$ref"]))
        return {key: inline(document, value) for key, value in node.items()}
    if isinstance(node, list):
        return [inline(document, item) for item in node]
    return node


class JsonFloat(float):
    """A JSON number written with a fraction or an exponent."""


def _is_integer(checker: Any, instance: Any) -> bool:
    return not isinstance(instance, JsonFloat) and bool(
        OAS31Validator.TYPE_CHECKER.is_type(instance, "integer")
    )


# JSON Schema counts 1.0 as an integer; Python's json (the local ministry's) reads it as a float.
_Validator = extend(OAS31Validator, type_checker=OAS31Validator.TYPE_CHECKER.redefine("integer", _is_integer))


def schema_problems(schema: Mapping[str, Any], instance: Any, where: str) -> list[str]:
    validator = _Validator(schema, format_checker=oas31_format_checker)
    return [
        f"{where}{''.join(f'[{p!r}]' for p in error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    ]


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _coerce(value: str, schema: Mapping[str, Any]) -> Any:
    """A parameter's text as its schema's type (OpenAPI's `simple`/`form` styles of scalars)."""
    if schema.get("type") == "integer" and _INTEGER.match(value):
        return int(value)
    return value


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    template: str
    operation_id: str
    spec: dict[str, Any]  # the operation object, references inlined
    parameters: dict[tuple[str, str], dict[str, Any]]  # (in, name) → parameter; header names lower-case

    def matches(self, path: str) -> dict[str, str] | None:
        """The path parameters when `path` (percent-encoded) fits this operation's template."""
        template = self.template.split("/")
        segments = path.split("/")
        if len(template) != len(segments):
            return None
        params: dict[str, str] = {}
        for expected, actual in zip(template, segments, strict=True):
            if expected.startswith("{") and expected.endswith("}"):
                params[expected[1:-1]] = unquote(actual)
            elif expected != actual:
                return None
        return params


class Contract:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.operations: list[Operation] = []
        for template, item in document["paths"].items():
            shared = item.get("parameters", [])
            for method in METHODS:
                if method not in item:
                    continue
                spec = inline(document, item[method])
                parameters: dict[tuple[str, str], dict[str, Any]] = {}
                for parameter in [*inline(document, shared), *spec.get("parameters", [])]:
                    name = parameter["name"].lower() if parameter["in"] == "header" else parameter["name"]
                    parameters[(parameter["in"], name)] = parameter  # the operation's own win
                self.operations.append(
                    Operation(method.upper(), template, spec["operationId"], spec, parameters)
                )

    def operation(self, method: str, target: str) -> tuple[Operation, dict[str, str]] | None:
        path = urlsplit(target).path
        for operation in self.operations:
            if operation.method == method.upper():
                params = operation.matches(path)
                if params is not None:
                    return operation, params
        return None

    # -- requests ------------------------------------------------------------------------------

    def request_problems(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> list[str]:
        found = self.operation(method, target)
        if found is None:
            return [f"no operation {method.upper()} {urlsplit(target).path}"]
        operation, path_params = found
        sent = {name.lower(): value for name, value in headers.items()}
        query = parse_qs(urlsplit(target).query, keep_blank_values=True)
        problems: list[str] = []
        for (where, name), parameter in operation.parameters.items():
            schema = parameter.get("schema", {})
            if where == "path":
                problems += schema_problems(schema, path_params[name], f"path {name}")
            elif where == "query" and name in query:
                values = query[name]
                if len(values) != 1:
                    problems.append(f"query {name}: sent {len(values)} times")
                problems += schema_problems(schema, _coerce(values[-1], schema), f"query {name}")
            elif where == "header" and name in sent:
                problems += schema_problems(schema, _coerce(sent[name], schema), f"header {name}")
            elif where in ("query", "header") and parameter.get("required"):
                problems.append(f"{where} {name}: required, missing")
        declared = {name for (where, name) in operation.parameters if where == "query"}
        problems += [
            f"query {name}: not a parameter of {operation.operation_id}"
            for name in query
            if name not in declared
        ]
        problems += self._security_problems(operation, sent)
        problems += self._body_problems(operation, sent, body)
        return problems

    def _security_problems(self, operation: Operation, sent: Mapping[str, str]) -> list[str]:
        requirements = operation.spec.get("security", self.document.get("security", []))
        if not requirements:
            return []
        schemes = self.document["components"]["securitySchemes"]
        bearer = re.match(r"^Bearer \S+$", sent.get("authorization", "")) is not None
        for requirement in requirements:
            # Only http bearer schemes are used by the file; any other would need its own check here.
            if (
                all(
                    (schemes[name]["type"], schemes[name].get("scheme", "").lower()) == ("http", "bearer")
                    for name in requirement
                )
                and bearer
            ):
                return []
        return ["header authorization: a bearer token is required"]

    def _body_problems(self, operation: Operation, sent: Mapping[str, str], body: bytes) -> list[str]:
        declared = operation.spec.get("requestBody")
        if declared is None:
            return [f"body: {operation.operation_id} takes none ({len(body)} bytes sent)"] if body else []
        if not body:
            return ["body: required, missing"] if declared.get("required") else []
        problems: list[str] = []
        limit = declared.get("x-max-body-bytes")
        if limit is not None and len(body) > limit:
            problems.append(f"body: {len(body)} bytes, over x-max-body-bytes {limit}")
        return problems + _body_problems(declared["content"], sent.get("content-type"), body)

    # -- answers -------------------------------------------------------------------------------

    def response_problems(
        self, method: str, target: str, status: int, headers: Mapping[str, str], body: bytes
    ) -> list[str]:
        found = self.operation(method, target)
        if found is None:
            return [f"no operation {method.upper()} {urlsplit(target).path}"]
        operation, _ = found
        response = self.response_spec(operation, status)
        if response is None:
            return [f"status {status} is not documented for {operation.operation_id}"]
        answered = {name.lower(): value for name, value in headers.items()}
        problems: list[str] = []
        for name, header in response.get("headers", {}).items():
            value = answered.get(name.lower())
            if value is None:
                if header.get("required"):
                    problems.append(f"header {name}: required, missing")
                continue
            schema = header.get("schema", {})
            problems += schema_problems(schema, _coerce(value, schema), f"header {name}")
        content = response.get("content")
        if not content:
            return problems + ([f"body: {status} has none documented, got {len(body)} bytes"] if body else [])
        return problems + _body_problems(content, answered.get("content-type"), body)

    @staticmethod
    def response_key(operation: Operation, status: int) -> str | None:
        """The key of `responses` that answers `status`: exact, then its range (5XX), then default."""
        responses = operation.spec["responses"]
        for key in (str(status), f"{status // 100}XX", "default"):
            if key in responses:
                return key
        return None

    def response_spec(self, operation: Operation, status: int) -> dict[str, Any] | None:
        key = self.response_key(operation, status)
        return None if key is None else dict(operation.spec["responses"][key])


def _parse_body(media_type: str, body: bytes) -> Any:
    if media_type == "application/json":
        return json.loads(body, parse_float=JsonFloat)
    if media_type == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
        if any(len(values) != 1 for values in form.values()):
            raise ValueError("a field is repeated")
        return {name: values[0] for name, values in form.items()}
    raise ValueError(f"no parser for {media_type}")


@cache
def contract() -> Contract:
    return Contract(load_document())


# -- the client's traffic ------------------------------------------------------------------------


@dataclass(frozen=True)
class Exchange:
    """One request the client sent and the answer it got, as they crossed the transport."""

    method: str
    target: str  # path and query
    headers: dict[str, str]
    body: bytes
    status: int
    answer_headers: dict[str, str]
    answer_body: bytes

    def request_problems(self) -> list[str]:
        return contract().request_problems(self.method, self.target, self.headers, self.body)

    def response_problems(self) -> list[str]:
        return contract().response_problems(
            self.method, self.target, self.status, self.answer_headers, self.answer_body
        )

    @property
    def operation_id(self) -> str:
        found = contract().operation(self.method, self.target)
        return found[0].operation_id if found else "?"

    @property
    def response_key(self) -> str | None:
        found = contract().operation(self.method, self.target)
        return None if found is None else Contract.response_key(found[0], self.status)


class _Recording(urllib3.PoolManager):
    """Notes every request and answer as they cross the pool (the client's transport)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exchanges: list[Exchange] = []

    def answer(self, method: str, url: str, redirect: bool, **kw: Any) -> urllib3.BaseHTTPResponse:
        """The answer to one request: the transport's, unless a subclass scripts it."""
        return super().urlopen(method, url, redirect, **kw)

    def urlopen(  # type: ignore[override]
        self, method: str, url: str, redirect: bool = True, **kw: Any
    ) -> urllib3.BaseHTTPResponse:
        response = self.answer(method, url, redirect, **kw)
        parts = urlsplit(url)
        body = kw.get("body") or b""
        self.exchanges.append(
            Exchange(
                method=method,
                target=parts.path + (f"?{parts.query}" if parts.query else ""),
                headers={str(k): str(v) for k, v in (kw.get("headers") or {}).items()},
                body=body.encode() if isinstance(body, str) else bytes(body),
                status=response.status,
                answer_headers=dict(response.headers.items()),
                answer_body=response.data,
            )
        )
        return response


class RecordingPool(_Recording, InProcessPool):
    """The unit tests' socket-free transport to a LocalMinistry, noting every request and answer."""


class RecordingHttpPool(_Recording):
    """A real HTTP connection pool (for a LocalMinistry served on loopback), noting the same."""


def _body_problems(content: Mapping[str, Any], content_type: str | None, body: bytes) -> list[str]:
    """A request's or an answer's body against the media types its operation declares."""
    media_type = _media_type(content_type)
    if media_type not in content:
        return [f"body: Content-Type {media_type or '(none)'} is not one of {sorted(content)}"]
    try:
        instance = _parse_body(media_type, body)
    except ValueError as error:
        return [f"body: not {media_type}: {error}"]
    return schema_problems(content[media_type].get("schema", {}), instance, "body")
