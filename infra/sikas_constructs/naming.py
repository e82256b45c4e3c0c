"""How template resources stay recognisable: pinned logical ids and the plan-name tag."""

from __future__ import annotations

from aws_cdk import CfnResource, Stack, Tags
from constructs import IConstruct

from sikas_sync.resources import PLAN_NAME_TAG

__all__ = ["PLAN_NAME_TAG", "logical_id_of", "pin_logical_id", "tag_plan_name"]


def _cfn(construct: IConstruct) -> CfnResource:
    child = construct.node.default_child
    assert isinstance(child, CfnResource), f"{construct.node.path} has no CloudFormation resource"
    return child


def pin_logical_id(construct: IConstruct, logical_id: str) -> None:
    """Stateful resources keep their logical id when constructs move, so they are never replaced."""
    _cfn(construct).override_logical_id(logical_id)


def tag_plan_name(construct: IConstruct, name: str) -> None:
    # On the resource itself only: a function's role must not carry its function's plan name.
    Tags.of(_cfn(construct)).add(PLAN_NAME_TAG, name)


def logical_id_of(construct: IConstruct) -> str:
    """The template's logical id of a construct's resource (as cdk-nag names it in findings)."""
    logical_id: str = Stack.of(construct).resolve(_cfn(construct).logical_id)
    return logical_id
