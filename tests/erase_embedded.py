"""The erase function on an embedded stack, for the tests, until `EmbeddedStack` registers it itself.

`erase_spec` returns the stack's own registration when it has one (`EmbeddedStack.invoked`);
otherwise it builds the same FunctionSpec the stack would: the real handler, the CDK app's
environment (the function settings and the ministry's URL and secret).
"""

from __future__ import annotations

from typing import Any

from sikas_sync.embedded import EmbeddedStack
from sikas_sync.embedded.dispatcher import FunctionSpec
from sikas_sync.embedded.functions import load_handler
from sikas_sync.embedded.stack import TIME_SCALE
from sikas_sync.operations.erase_wiring import erase_function


def erase_spec(stack: EmbeddedStack) -> FunctionSpec:
    plan = erase_function(TIME_SCALE)
    registered: dict[str, FunctionSpec] = getattr(stack, "invoked", {})
    if plan.name in registered:
        return registered[plan.name]
    return FunctionSpec(
        function_name=plan.name,
        handler=load_handler(plan.handler_dir),
        timeout_s=plan.timeout_s,
        memory_mb=plan.memory_mb,
        environment={
            **stack.function_environment(),
            **stack.delivery_environment(),
            "POWERTOOLS_SERVICE_NAME": plan.name,
        },
    )


def invoke_erase(stack: EmbeddedStack, payload: dict[str, Any]) -> Any:
    """What `aws lambda invoke --function-name erase` does: one synchronous invocation."""
    assert stack.dispatcher is not None
    return stack.dispatcher.invoke(erase_spec(stack), payload)
