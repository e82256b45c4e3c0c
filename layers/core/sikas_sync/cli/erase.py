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
from typing import TYPE_CHECKING, Any

from ..domains.slugs import PERSON_SLUGS
from . import admin
from .arguments import person_domain_slug, slug_list
from .errors import EXIT_FAILED, EXIT_OK, CliError, UsageError
from .errors import report as report_error
from .messages import t

if TYPE_CHECKING:
    from ..operations.erase import ErasureRequest
    from ..operations.target import StackTarget

PERSON_DOMAINS = list(PERSON_SLUGS)


class ErasureFailed(RuntimeError):
    """The erase function failed; its message (never holding the NIK) says why."""


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """`commands` is the `add_subparsers()` object of `sikas-sync`."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "erase", help=t("cmd.erase"), description=t("cmd.erase")
    )
    parser.add_argument(
        "--domain",
        required=True,
        type=person_domain_slug,
        metavar="SLUG",
        help=t("help.erase.domain", slugs=slug_list(PERSON_SLUGS)),
    )
    parser.add_argument("--nik", required=True, metavar="NIK", help=t("help.erase.nik"))
    parser.add_argument("--requested-by", metavar="WHO", help=t("help.erase.requested_by"))
    parser.add_argument("--ministry-url", metavar="URL", help=t("help.erase.ministry_url"))
    admin.add_target_arguments(parser)
    return parser


def cmd_erase(args: argparse.Namespace) -> int:
    from ..operations.erase import ErasureRefused, ErasureRequest, checked

    target = admin.resolve_target(args)
    nik = sys.stdin.readline().strip() if args.nik == "-" else args.nik
    request = ErasureRequest(
        domain=args.domain, nik=nik, requested_by=args.requested_by or _requester(target)
    )
    try:
        refusal = _refusal(request)
        if refusal is None:
            checked(request)  # refused here, before anything is called
    except ErasureRefused as refused:
        refusal = str(refused)  # never holds the NIK
    if refusal is not None:
        return report_error("sikas-sync erase", UsageError("erasure_refused", refusal), as_json=args.json)
    try:
        document = _erase(target, request, args.ministry_url)
    except ErasureFailed as failed:
        problem = CliError("erasure_failed", str(failed), status=EXIT_FAILED)
        return report_error("sikas-sync erase", problem, as_json=args.json)
    if args.json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print(summary_text(document))
    return EXIT_OK if document.get("status") == "complete" else EXIT_FAILED


def _refusal(request: ErasureRequest) -> str | None:
    """Why the request is refused, in the operator's language (the use case words it in English);
    None when it may go ahead. Never repeats the NIK."""
    from pydantic_core import PydanticCustomError

    from ..domains.values import nik as normalise_nik
    from ..operations.erase import _PRINTABLE, MAX_REQUESTER_CHARS

    try:
        normalise_nik(request.nik)
    except PydanticCustomError as problem:
        return t("erase.nik_invalid", reason=problem.message())
    requester = request.requested_by.strip()
    if not requester or len(requester) > MAX_REQUESTER_CHARS or not _PRINTABLE.match(requester):
        return t("erase.requester_invalid", limit=MAX_REQUESTER_CHARS)
    return None


def _erase(target: StackTarget, request: ErasureRequest, ministry_url: str | None) -> dict[str, Any]:
    from ..operations.target import TargetError

    if target.endpoint_url is None:
        if not target.erase_function:
            raise TargetError(t("target.no_erase_function"), code="stack_outputs_missing")
        return invoke_erase_function(target.client("lambda"), target.erase_function, request)
    from ..operations.erase_wiring import erase_on_target

    url = ministry_url or target.ministry_url
    if not url:
        raise TargetError(t("target.no_ministry"), code="no_ministry")
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
        raise ErasureFailed(t("erase.failed", message=message or t("erase.no_message")))
    return document


def _requester(target: StackTarget) -> str:
    if target.endpoint_url is None:
        arn: str = target.client("sts").get_caller_identity()["Arn"]
        return arn
    return f"{getpass.getuser()}@{socket.gethostname()}"


def _status(status: object) -> str:
    return t(f"erase.status.{status}") if status in ("complete", "incomplete") else str(status)


def summary_text(document: dict[str, Any]) -> str:
    records = document.get("records", [])
    lines = [
        t(
            "erase.head",
            erasure_id=document.get("erasure_id"),
            status=_status(document.get("status")),
            domain=document.get("domain"),
            subject=document.get("subject"),
        ),
        t(
            "erase.counts",
            deleted=sum(r.get("here") == "deleted" for r in records),
            records=len(records),
            erased=sum(r.get("ministry") == "erased" for r in records),
        ),
    ]
    lines += [
        t(
            "erase.record",
            record_id=r["record_id"],
            ministry=r["ministry"],
            request=r.get("ministry_request_id") or "-",
            here=r["here"],
        )
        for r in records
    ]
    if document.get("error"):
        lines.append(t("erase.stopped", message=document["error"].get("message")))
    lines.append(t("erase.audit", key=document.get("audit_key")))
    return "\n".join(lines)
