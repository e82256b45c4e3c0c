"""Concurrency the AWS way: no reserved concurrency anywhere, the SQS consumers capped by their
event source mapping's MaximumConcurrency, and single-flight work from leases each function may
take only for itself (its own item of the locks table)."""

from __future__ import annotations

import pytest
from infra_support import Synthesized, as_list, logical_id, role_statements

from sikas_sync.leases import function_lease_name, ingest_lease_name
from sikas_sync.operations.erase_wiring import ERASE_FUNCTION
from sikas_sync.resources import resource_plan

PLAN = resource_plan()
LOCKS_ARN = {"Fn::GetAtt": ["LocksTable", "Arn"]}
SINGLE_FLIGHT = {
    **{plan.function.name: ingest_lease_name(plan.domain) for plan in PLAN.ingest},
    **{plan.function.name: function_lease_name(plan.function.name) for plan in PLAN.scheduled},
    ERASE_FUNCTION.name: function_lease_name(ERASE_FUNCTION.name),
}


def test_no_function_reserves_concurrency(synthesized: Synthesized) -> None:
    # A new account's quota can be 10; AWS keeps 100 unreserved, so any reserved unit fails the deploy.
    functions = synthesized.of_type("AWS::Lambda::Function")
    assert functions
    assert [fid for fid, f in functions.items() if "ReservedConcurrentExecutions" in f["Properties"]] == []


def test_every_sqs_consumer_is_capped_by_its_mapping(synthesized: Synthesized) -> None:
    functions = {fid: name for name, (fid, _) in synthesized.by_plan_name("AWS::Lambda::Function").items()}
    caps = {
        functions[logical_id(mapping["Properties"]["FunctionName"])]: mapping["Properties"]["ScalingConfig"]
        for mapping in synthesized.of_type("AWS::Lambda::EventSourceMapping").values()
    }
    expected = {plan.function.name: {"MaximumConcurrency": 2} for plan in PLAN.ingest}
    expected[PLAN.delivery.function.name] = {"MaximumConcurrency": PLAN.delivery.function.max_concurrency}
    assert caps == expected


@pytest.mark.parametrize("function", sorted(SINGLE_FLIGHT))
def test_each_single_flight_function_may_take_only_its_own_lease(
    synthesized: Synthesized, function: str
) -> None:
    on_locks = [s for s in role_statements(synthesized, function) if LOCKS_ARN in as_list(s["Resource"])]
    assert len(on_locks) == 1
    (statement,) = on_locks
    assert as_list(statement["Action"]) == ["dynamodb:UpdateItem"]  # a refusal returns the holder's item
    assert statement["Condition"] == {
        "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [SINGLE_FLIGHT[function]]}
    }


def test_the_push_function_needs_no_lease(synthesized: Synthesized) -> None:
    statements = role_statements(synthesized, PLAN.delivery.function.name)
    assert not [s for s in statements if LOCKS_ARN in as_list(s["Resource"])]


@pytest.mark.parametrize("domain", [plan.domain for plan in PLAN.ingest])
def test_a_waiting_file_may_go_back_to_its_own_queue_only(synthesized: Synthesized, domain: str) -> None:
    plan = PLAN.ingest_for(domain)
    queue_id, _ = synthesized.by_plan_name("AWS::SQS::Queue")[plan.queue.name]
    sends = [
        s
        for s in role_statements(synthesized, plan.function.name)
        if "sqs:SendMessage" in as_list(s["Action"])
    ]
    targets = sorted(logical_id(resource) for s in sends for resource in as_list(s["Resource"]))
    push_id, _ = synthesized.by_plan_name("AWS::SQS::Queue")[PLAN.push_queue.name]
    assert targets == sorted([queue_id, push_id])
