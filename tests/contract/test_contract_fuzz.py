"""Generated requests, most of them wrong, to every operation of the local ministry: whatever it is
sent, its answer is one `api/ministry.yaml` documents for that operation, in the documented shape.

Hypothesis runs derandomized and without its example database, so a run is deterministic and writes
nothing into the checkout.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openapi_contract import contract

from sikas_sync.ministry import contract as constants
from sikas_sync.ministry.local import Faults, LocalMinistry
from sikas_sync.validation.canonical import content_hash

CLIENT_ID = "sikas-asahan"
SECRET = "contract-s3cret"
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "record_id": st.one_of(st.text(max_size=12), json_values),
        "version": st.one_of(st.integers(-1, 3), json_values),
        "content_hash": st.one_of(st.just(content_hash({})), st.text(max_size=70), json_values),
        "data": st.one_of(st.dictionaries(st.text(max_size=5), json_values, max_size=3), json_values),
    },
)
bodies = st.one_of(
    st.binary(max_size=40),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries({"records": st.lists(records, max_size=4)}).map(lambda d: json.dumps(d).encode()),
    st.fixed_dictionaries(
        {},
        optional={
            "rows": st.one_of(
                st.lists(st.dictionaries(st.text(max_size=5), json_values, max_size=2)), json_values
            ),
            "generated_at": st.one_of(st.just("2025-04-01T07:00:00Z"), st.text(max_size=25), json_values),
        },
    ).map(lambda d: json.dumps(d).encode()),
)
segments = st.one_of(
    st.text(max_size=12), st.sampled_from(["lowongan", "jkp", "pegawai", "2025-03", "2025-13"])
)
domains = st.one_of(st.sampled_from(constants.DOMAINS), segments)
queries = st.dictionaries(
    st.sampled_from(["limit", "updated_since", "cursor"]),
    st.one_of(
        st.text(max_size=30),
        st.integers(-5, 600).map(str),
        st.sampled_from(["2025-01-01T00:00:00Z", "2025-01-01T00:00:00+07:00", "2025-01-01T00:00:00"]),
    ),
)
header_changes = st.dictionaries(
    st.sampled_from(["Authorization", "X-Region-Code", "X-Request-Id", "Content-Type"]),
    st.one_of(
        st.none(), st.text(max_size=10), st.sampled_from(["12.08", "12", "Bearer x", "application/json"])
    ),
    max_size=2,
)


def requests() -> st.SearchStrategy[tuple[str, str, bytes]]:
    def one(kind: str, domain: str, other: str, query: dict[str, str], body: bytes) -> tuple[str, str, bytes]:
        segment = quote(domain, safe="")
        return {
            "push": ("POST", f"/v1/records/{segment}", body),
            "pull": ("GET", f"/v1/records/{segment}?{urlencode(query)}", b""),
            "erase": ("DELETE", f"/v1/records/{segment}/{quote(other, safe='')}", b""),
            "report": ("PUT", f"/v1/reports/{quote(other, safe='')}/{segment}", body),
            "token": ("POST", constants.TOKEN_PATH, body),
        }[kind]

    return st.builds(
        one, st.sampled_from(["push", "pull", "erase", "report", "token"]), domains, segments, queries, bodies
    )


def fresh() -> tuple[LocalMinistry, str]:
    local = LocalMinistry(clients={CLIENT_ID: SECRET}, faults=Faults())
    form = urlencode({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": SECRET})
    issued = local.handle(
        "POST", constants.TOKEN_PATH, {"Content-Type": "application/x-www-form-urlencoded"}, form.encode()
    )
    return local, json.loads(issued.body)["access_token"]


@FUZZ
@given(request=requests(), changes=header_changes)
def test_any_request_gets_a_documented_answer(
    request: tuple[str, str, bytes], changes: dict[str, str | None]
) -> None:
    method, target, body = request
    local, token = fresh()
    headers: dict[str, Any] = {
        "Authorization": f"Bearer {token}",
        "X-Region-Code": "12.09",
        "X-Request-Id": "fuzz-1",
        "Content-Type": "application/x-www-form-urlencoded"
        if target == constants.TOKEN_PATH
        else "application/json",
    }
    for name, value in changes.items():
        if value is None:
            headers.pop(name, None)
        else:
            headers[name] = value
    reply = local.handle(method, target, headers, body)
    found = contract().operation(method, target)
    assert found is not None, target
    problems = contract().response_problems(method, target, reply.status, reply.headers, reply.body)
    assert problems == [], (reply.status, reply.body[:300])


@FUZZ
@given(batch=st.lists(records, min_size=1, max_size=6))
@example(batch=[{"record_id": "a", "version": 1.0, "content_hash": content_hash({}), "data": {}}])
@example(batch=[{"record_id": "a", "version": True, "content_hash": content_hash({}), "data": {}}])
@example(batch=[{"record_id": "a", "version": 1, "content_hash": content_hash({}).upper(), "data": {}}])
def test_a_batch_that_fits_the_file_is_never_refused_as_a_whole(batch: list[dict[str, Any]]) -> None:
    local, token = fresh()
    headers = {"Authorization": f"Bearer {token}", "X-Region-Code": "12.09", "X-Request-Id": "fuzz-2"}
    headers["Content-Type"] = "application/json"
    body = json.dumps({"records": batch}).encode()
    fits = contract().request_problems("POST", "/v1/records/lowongan", headers, body) == []
    reply = local.handle("POST", "/v1/records/lowongan", headers, body)
    # The file's Record schema and the local ministry's record check agree, both ways.
    assert (reply.status == 200) == fits, (reply.status, reply.body[:300])
