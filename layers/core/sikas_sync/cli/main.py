"""`sikas-sync`: the command-line contract of shared/contracts/cli.md."""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from ..domains import DOMAINS, get_domain
from ..operations.target import DEFAULT_STATE_FILE, TargetError
from ..reference import wilayah
from ..validation import RulesContext, validate_file
from . import admin, erase, outbox
from . import status as status_cli
from .output import file_result_text, run_summary_text
from .progress import Progress

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SampleFormat = Literal["csv", "xlsx", "jsonl"]
FORMATS: tuple[SampleFormat, ...] = ("csv", "xlsx", "jsonl")
DOMAIN_SLUGS = [domain.slug for domain in DOMAINS]


class UsageError(Exception):
    pass


def region_code(value: str) -> str:
    """A kabupaten/kota (or province) code that exists in the Kemendagri table."""
    code = value.strip()
    found = wilayah.lookup(code) if re.fullmatch(r"\d{2}(\.\d{2})?", code) else None
    if found is None or found.tingkat not in ("provinsi", "kabupaten_kota"):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a Kemendagri province or kabupaten/kota code (e.g. 12.09)"
        )
    return code


def ratio(value: str) -> float:
    number = float(value)
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return number


def positive_float(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sikas-sync", description="SIKAS labour-data integration with the Ministry of Manpower."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check one export offline, before it is uploaded")
    validate.add_argument("file", type=Path, metavar="FILE")
    validate.add_argument("--domain", required=True, choices=DOMAIN_SLUGS, metavar="SLUG")
    validate.add_argument("--json", action="store_true", help="one JSON document on stdout")
    validate.add_argument("--region-code", type=region_code, default="12.09", metavar="CODE")

    sample = commands.add_parser("sample", help="write a realistic synthetic SIKAS export")
    sample.add_argument("--domain", required=True, choices=DOMAIN_SLUGS, metavar="SLUG")
    sample.add_argument("--rows", required=True, type=positive_int, metavar="N")
    sample.add_argument("--seed", type=int, default=0, metavar="S")
    sample.add_argument("--invalid-ratio", type=ratio, default=0.0, metavar="R")
    sample.add_argument(
        "--warn-ratio", type=ratio, default=0.0, metavar="R", help="rows kept valid with one known warning"
    )
    sample.add_argument("--format", choices=FORMATS, default="csv")
    sample.add_argument("--out", required=True, type=Path, metavar="PATH")
    sample.add_argument("--region-code", type=region_code, default="12.09", metavar="CODE")

    run = commands.add_parser("run", help="the whole pipeline on a fresh embedded stack, for the given files")
    run.add_argument("files", nargs="+", type=Path, metavar="FILE")
    run.add_argument("--domain", choices=DOMAIN_SLUGS, metavar="SLUG")
    run.add_argument("--ministry-url", metavar="URL", help="another implementation of ministry-api.yaml")
    run.add_argument("--region-code", type=region_code, default="12.09", metavar="CODE")
    run.add_argument("--json", action="store_true", help="exactly one JSON document on stdout")
    run.add_argument("--timeout", type=positive_float, default=300.0, metavar="SECONDS")
    run.add_argument("--verbose", action="store_true", help="function logs on stderr instead of a log file")
    run.add_argument(
        "--outbox-dir",
        type=Path,
        metavar="PATH",
        help="copy the outbox files for SIKAS (status, dari_siapkerja, results) out of the emulated bucket",
    )

    pending = commands.add_parser("pending", help="undelivered records by domain and age, and DLQ depths")
    admin.add_target_arguments(pending)

    redrive = commands.add_parser("redrive", help="move dead-lettered messages back to their queue")
    admin.add_target_arguments(redrive)
    redrive.add_argument(
        "--queue", default="push", metavar="NAME", help="push (default), ingest-<domain> or all"
    )
    redrive.add_argument("--limit", type=positive_int, metavar="N", help="at most N messages")

    erase.add_parser(commands)
    outbox.add_parser(commands)
    status_cli.add_parsers(commands)

    local = commands.add_parser(
        "local-stack", help="keep an embedded stack running for admin commands, until Ctrl-C"
    )
    local.add_argument("--state", type=Path, default=DEFAULT_STATE_FILE, metavar="FILE")
    local.add_argument("--region-code", type=region_code, default="12.09", metavar="CODE")
    local.add_argument("--ministry-url", metavar="URL")
    local.add_argument("--verbose", action="store_true")

    demo = commands.add_parser("demo", help="the main job on the embedded stack, with sample data")
    demo.add_argument("--rows", type=positive_int, default=200, metavar="N", help="rows per domain")
    demo.add_argument("--json", action="store_true")
    demo.add_argument("--verbose", action="store_true")
    return parser


def cmd_validate(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    domain = get_domain(args.domain)
    progress = Progress(f"validating {path.name}")
    result = validate_file(
        path,
        domain,
        name=path.name,
        context=RulesContext(region_code=args.region_code),
        on_progress=progress.update,
    )
    progress.done()
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print(file_result_text(result))
    return EXIT_OK if result.status == "processed" and result.rejected == 0 else EXIT_FAILED


def cmd_sample(args: argparse.Namespace) -> int:
    from ..sample import SampleSpec, write_sample  # Faker loads slowly; only `sample` needs it

    out: Path = args.out
    if out.exists() and out.is_dir():
        raise UsageError(f"{out} is a directory; give a file path")
    out.parent.mkdir(parents=True, exist_ok=True)
    spec = SampleSpec(
        domain=args.domain,
        rows=args.rows,
        seed=args.seed,
        invalid_ratio=args.invalid_ratio,
        warn_ratio=args.warn_ratio,
        format=args.format,
        region_code=args.region_code,
    )
    progress = Progress(f"writing {out.name}")
    result = write_sample(spec, out, on_progress=progress.update)
    progress.done()
    print(
        f"wrote {result.rows} rows ({len(result.broken)} broken, {len(result.warned)} warned on purpose) "
        f"to {result.path}",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from .run import Upload, resolve_domain

    missing = [str(path) for path in args.files if not path.is_file()]
    if missing:
        raise UsageError("no such file: " + ", ".join(missing))
    if args.ministry_url and not re.match(r"^https?://", args.ministry_url):
        raise UsageError("--ministry-url must be an http(s) URL")
    uploads = [Upload(path, resolve_domain(path, args.domain)) for path in args.files]
    return _run_and_print(
        uploads, args, region_code=args.region_code, ministry_url=args.ministry_url, timeout_s=args.timeout
    )


def _run_and_print(
    uploads: list[Any],
    args: argparse.Namespace,
    *,
    region_code: str,
    ministry_url: str | None,
    timeout_s: float,
    faults: Any = None,
) -> int:
    """The pipeline on a fresh embedded stack, its summary on stdout, cli.md's exit status."""
    from .run import all_terminal, credentials_from_env, log_sink, run_pipeline

    log, log_path = log_sink(args.verbose)
    try:
        summary = run_pipeline(
            uploads,
            region_code=region_code,
            ministry_url=ministry_url,
            credentials=credentials_from_env(),
            timeout_s=timeout_s,
            log=log,
            faults=faults,
            outbox_dir=getattr(args, "outbox_dir", None),
        )
    finally:
        if log_path:
            log.close()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(run_summary_text(summary))
    if log_path:
        print(f"function logs: {log_path}", file=sys.stderr)
    return EXIT_OK if all_terminal(summary) else EXIT_FAILED


def cmd_demo(args: argparse.Namespace) -> int:
    """Sample exports of every domain (a few bad rows, one bad file), the whole pipeline, a summary."""
    from ..ministry.local import Faults
    from ..sample import SampleSpec, write_sample
    from .run import Upload

    with tempfile.TemporaryDirectory(prefix="sikas-demo-") as folder:
        uploads = []
        for index, domain in enumerate(DOMAINS):
            fmt: SampleFormat = FORMATS[index % len(FORMATS)]
            path = Path(folder) / f"{domain.slug}_demo.{fmt}"
            spec = SampleSpec(
                domain=domain.slug,
                rows=args.rows,
                seed=index,
                invalid_ratio=0.03,
                warn_ratio=0.02,
                format=fmt,
            )
            write_sample(spec, path)
            uploads.append(Upload(path, domain.slug))
        bad = Path(folder) / "lowongan_rusak.csv"
        bad.write_text("id_lowongan;jabatan\nL-1;Operator\n", encoding="utf-8")  # required columns missing
        uploads.append(Upload(bad, "lowongan"))
        # A ministry as it really is: now and then down, tokens expiring, a few records refused.
        faults = Faults(
            failure_rate=0.1, throttle_rate=0.05, retry_after_s=0, token_ttl_s=5, refuse_rate=0.01
        )
        return _run_and_print(
            uploads, args, region_code="12.09", ministry_url=None, timeout_s=300, faults=faults
        )


HANDLERS = {
    "validate": cmd_validate,
    "sample": cmd_sample,
    "run": cmd_run,
    "demo": cmd_demo,
    "pending": admin.cmd_pending,
    "redrive": admin.cmd_redrive,
    "local-stack": admin.cmd_local_stack,
    "erase": erase.cmd_erase,
    "outbox": outbox.cmd_outbox,
    **status_cli.HANDLERS,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return HANDLERS[args.command](args)
    except (UsageError, TargetError) as problem:
        parser.exit(EXIT_USAGE, f"sikas-sync {args.command}: error: {problem}\n")
    except OSError as problem:  # unreadable path, full disk: say what, not a traceback
        parser.exit(
            EXIT_USAGE,
            f"sikas-sync {args.command}: error: {problem.strerror or problem}: {problem.filename}\n",
        )
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
