"""Each function's own role, read from the synthesized CloudFormation template, for the emulator.

On AWS every function runs with its execution role and nothing else; a permission the CDK app
forgot fails there, at the first upload. The embedded stack can run the same way: it creates, in
moto, one role per function with the identity policies the template gives that function's role
(references to the template's resources resolved to the emulator's), and runs each function with
that role's credentials while moto checks every request (IAM authentication on).

What moto cannot check (docs/EMULATOR.md lists it, with the template tests that cover each):
- Condition blocks. moto evaluates none of the context keys our policies use (kms:ViaService,
  dynamodb:LeadingKeys, s3:prefix, aws:SourceAccount) and treats a statement whose condition it
  cannot read as a denial. An Allow keeps its actions and resources without the condition (wider
  than on AWS); a Deny with a condition is left out (moto would deny always). The conditions are
  asserted on the template instead (tests/infra).
- Resource policies (bucket, queue and key policies) and KMS: the emulated stores are not encrypted.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..resources import INBOX_BUCKET_LOGICAL_ID, PLAN_NAME_TAG

ACCOUNT_ID = "123456789012"  # moto's default account
OPERATOR = "embedded-operator"
LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


class TemplateError(ValueError):
    """The template does not describe the functions as the embedded stack expects."""


def plan_name(resource: Mapping[str, Any]) -> str | None:
    for tag in resource.get("Properties", {}).get("Tags", []):
        if isinstance(tag, dict) and tag.get("Key") == PLAN_NAME_TAG:
            return str(tag["Value"])
    return None


def role_statements(template: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The identity policy statements of each function's role, by the function's plan name, as the
    template writes them (references unresolved)."""
    resources: Mapping[str, Any] = template["Resources"]
    role_of: dict[str, str] = {}
    for resource in resources.values():
        name = plan_name(resource)
        if resource["Type"] == "AWS::Lambda::Function" and name is not None:
            role_of[name] = _logical_id(resource["Properties"]["Role"])
    if not role_of:
        raise TemplateError("the template has no function tagged with its plan name")
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in role_of}
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::IAM::Policy":
            roles = {_logical_id(role) for role in resource["Properties"].get("Roles", [])}
            documents = [resource["Properties"]["PolicyDocument"]]
        elif resource["Type"] == "AWS::IAM::Role" and logical_id in role_of.values():
            roles = {logical_id}
            documents = [policy["PolicyDocument"] for policy in resource["Properties"].get("Policies", [])]
            if resource["Properties"].get("ManagedPolicyArns"):
                raise TemplateError(f"role {logical_id} has managed policies, which the emulator cannot read")
        else:
            continue
        for name, role in role_of.items():
            if role in roles:
                for document in documents:
                    found[name].extend(_statements(document))
    return found


class Resolver:
    """Turns the template's references into the emulator's names and ARNs."""

    def __init__(self, region: str, refs: Mapping[str, str], arns: Mapping[str, str]) -> None:
        self._region = region
        self._refs = refs  # logical id → what `Ref` gives
        self._arns = arns  # logical id → what `Fn::GetAtt [id, Arn]` gives

    def __call__(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self(item) for item in value]
        if not isinstance(value, dict):
            return value
        if "Ref" in value:
            return self._ref(value["Ref"])
        if "Fn::GetAtt" in value:
            return self._get_att(*value["Fn::GetAtt"])
        if "Fn::Join" in value:
            separator, parts = value["Fn::Join"]
            return separator.join(str(self(part)) for part in parts)
        return {key: self(item) for key, item in value.items()}

    def _get_att(self, logical_id: str, attribute: str) -> str:
        if attribute == "Arn":
            return self._arns.get(logical_id, _unknown(logical_id))
        return _unknown(f"{logical_id}.{attribute}")

    def _ref(self, name: str) -> str:
        pseudo = {
            "AWS::Region": self._region,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }
        return pseudo.get(name) or self._refs.get(name) or _unknown(name)


def emulator_resolver(
    template: Mapping[str, Any], region: str, clients: Mapping[str, Any], bucket: str
) -> Resolver:
    """The template's planned queues, tables, secrets and functions by their plan names, which the
    embedded stack gives its own resources, and the inbox bucket."""
    refs: dict[str, str] = {INBOX_BUCKET_LOGICAL_ID: bucket}
    arns: dict[str, str] = {INBOX_BUCKET_LOGICAL_ID: f"arn:aws:s3:::{bucket}"}
    for logical_id, resource in template["Resources"].items():
        name, kind = plan_name(resource), resource["Type"]
        if name is None:
            continue
        if kind == "AWS::SQS::Queue":
            refs[logical_id] = clients["sqs"].get_queue_url(QueueName=name)["QueueUrl"]
            arns[logical_id] = f"arn:aws:sqs:{region}:{ACCOUNT_ID}:{name}"
        elif kind == "AWS::DynamoDB::Table":
            refs[logical_id], arns[logical_id] = name, f"arn:aws:dynamodb:{region}:{ACCOUNT_ID}:table/{name}"
        elif kind == "AWS::SecretsManager::Secret":
            refs[logical_id] = arns[logical_id] = clients["secretsmanager"].describe_secret(SecretId=name)[
                "ARN"
            ]
        elif kind == "AWS::Lambda::Function":
            refs[logical_id], arns[logical_id] = name, f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{name}"
    return Resolver(region, refs, arns)


def create_roles(iam: Any, sts: Any, policies: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """One role per function with its policy; the credentials of a session of each, as Lambda puts
    them into the function's environment."""
    environments: dict[str, dict[str, str]] = {}
    for function, document in policies.items():
        role = iam.create_role(RoleName=function, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]
        iam.put_role_policy(
            RoleName=function, PolicyName="from-template", PolicyDocument=json.dumps(document)
        )
        credentials = sts.assume_role(RoleArn=role["Arn"], RoleSessionName=function)["Credentials"]
        environments[function] = {
            "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
            "AWS_SESSION_TOKEN": credentials["SessionToken"],
        }
    return environments


def create_operator(iam: Any) -> tuple[str, str]:
    """The admin of the emulated account (the stack itself, admin commands, tests): allowed everything."""
    iam.create_user(UserName=OPERATOR)
    iam.put_user_policy(
        UserName=OPERATOR,
        PolicyName="administrator",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )
    key = iam.create_access_key(UserName=OPERATOR)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def _unknown(what: str) -> str:
    # Resources the emulator has no counterpart for (log groups, the key, the trail): an ARN that
    # names nothing, so a statement on them grants nothing here.
    return f"arn:aws:unresolved:::{what}"


def emulator_policies(
    template: Mapping[str, Any], resolve: Callable[[Any], Any]
) -> dict[str, dict[str, Any]]:
    """Each function's policy document for moto: references resolved, conditions as moto can take them."""
    policies: dict[str, dict[str, Any]] = {}
    for function, statements in role_statements(template).items():
        usable = [_for_moto(resolve(copy.deepcopy(statement))) for statement in statements]
        policies[function] = {
            "Version": "2012-10-17",
            "Statement": [statement for statement in usable if statement is not None],
        }
    return policies


def _for_moto(statement: dict[str, Any]) -> dict[str, Any] | None:
    if "Condition" not in statement:
        return statement
    if statement.get("Effect") == "Deny":
        return None  # moto would deny always; AWS denies only when the condition holds
    return {key: value for key, value in statement.items() if key != "Condition"}


def _statements(document: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    statement = document["Statement"]
    yield from statement if isinstance(statement, list) else [statement]


def _logical_id(reference: Any) -> str:
    if isinstance(reference, dict) and "Ref" in reference:
        return str(reference["Ref"])
    if isinstance(reference, dict) and "Fn::GetAtt" in reference:
        return str(reference["Fn::GetAtt"][0])
    raise TemplateError(f"not a reference to a resource: {json.dumps(reference)[:80]}")
