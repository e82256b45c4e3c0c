"""`sikas-sync erase`: a data subject's erasure request for one domain (UU 27/2022).

On a deployed stack (`--stack NAME`) the erase function does the work (its role holds the
permissions, CloudTrail records who invoked it); on the embedded stack (`--embedded [STATE]`) the
same use case runs here against the emulator and the embedded ministry. `--nik -` reads the NIK
from standard input, so it stays out of the shell history and the process list. Nothing printed
holds the NIK: the result names it masked.

Exit status: 0 erased, 1 not (completely) erased, 2 a usage error or a refused request.
"""

from __future__ import annotations

import argparse
import getpass
import json
import socket
import sys
from typing import Any

from ..domains import DOMAINS
from ..operations.erase import NIK_FIELD, ErasureRefused, ErasureRequest, checked
from ..operations.target import StackTarget, TargetError
from . import admin

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
PERSON_DOMAINS = [domain.slug for domain in DOMAINS if NIK_FIELD in domain.fields]


class ErasureFailed(RuntimeError):
    """The erase function failed; its message (never holding the NIK) says why."""


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """`commands` is the `add_subparsers()` object of `sikas-sync`."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "erase",
        help="erase a person's records of one domain here and at the ministry (UU 27/2022), audited",
    )
    parser.add_argument("--domain", required=True, choices=PERSON_DOMAINS, metavar="SLUG")
    parser.add_argument("--nik", required=True, metavar="NIK", help="the person's NIK; - reads it from stdin")
    parser.add_argument(
        "--requested-by",
        metavar="WHO",
        help="who asked, for the audit entry (default: your AWS identity, or your user name on the "
        "embedded stack)",
    )
    parser.add_argument(
        "--ministry-url", metavar="URL", help="embedded stack only: the ministry (default: its own)"
    )
    admin.add_target_arguments(parser)
    return parser


def cmd_erase(args: argparse.Namespace) -> int:
    target = admin.resolve_target(args)
    nik = sys.stdin.readline().strip() if args.nik == "-" else args.nik
    request = ErasureRequest(
        domain=args.domain, nik=nik, requested_by=args.requested_by or _requester(target)
    )
    try:
        checked(request)  # refused here, before anything is called
    except ErasureRefused as refused:
        print(f"sikas-sync erase: error: {refused}", file=sys.stderr)
        return EXIT_USAGE
    try:
        document = _erase(target, request, args.ministry_url)
    except ErasureFailed as failed:
        print(f"sikas-sync erase: {failed}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print(summary_text(document))
    return EXIT_OK if document.get("status") == "complete" else EXIT_FAILED


def _erase(target: StackTarget, request: ErasureRequest, ministry_url: str | None) -> dict[str, Any]:
    if target.endpoint_url is None:
        if not target.erase_function:
            raise TargetError("the stack has no EraseFunctionName output; deploy the current version")
        return invoke_erase_function(target.client("lambda"), target.erase_function, request)
    from ..operations.erase_wiring import erase_on_target

    url = ministry_url or target.ministry_url
    if not url:
        raise TargetError("the state file names no ministry; give --ministry-url")
    return erase_on_target(target, request, url).as_json()


def invoke_erase_function(lambda_client: Any, function_name: str, request: ErasureRequest) -> dict[str, Any]:
    """Invoke the erase function synchronously; its result, or ErasureFailed with its error."""
    payload = {"domain": request.domain, "nik": request.nik, "requested_by": request.requested_by}
    response = lambda_client.invoke(
        FunctionName=function_name,
        InvocationType="RequestResponse",
        Payload=json.dumps(payload).encode(),
    )
    body = response["Payload"].read()
    try:
        document = json.loads(body) if body else {}
    except ValueError:
        document = {}
    if response.get("FunctionError") or not isinstance(document, dict):
        message = document.get("errorMessage") if isinstance(document, dict) else None
        raise ErasureFailed(f"the erase function failed: {message or 'no error message'}")
    return document


def _requester(target: StackTarget) -> str:
    if target.endpoint_url is None:
        arn: str = target.client("sts").get_caller_identity()["Arn"]
        return arn
    return f"{getpass.getuser()}@{socket.gethostname()}"


def summary_text(document: dict[str, Any]) -> str:
    records = document.get("records", [])
    lines = [
        f"erasure {document.get('erasure_id')}: {document.get('status')} in {document.get('domain')}"
        f" for {document.get('subject')}",
        f"{sum(r.get('here') == 'deleted' for r in records)} of {len(records)} records deleted here,"
        f" {sum(r.get('ministry') == 'erased' for r in records)} erased at the ministry",
    ]
    lines += [
        f"  {r['record_id']}  ministry {r['ministry']} (request {r.get('ministry_request_id') or '-'})"
        f"  here {r['here']}"
        for r in records
    ]
    if document.get("error"):
        lines.append(f"stopped: {document['error'].get('message')}; run the same command again")
    lines.append(f"audit: {document.get('audit_key')}")
    return "\n".join(lines)
