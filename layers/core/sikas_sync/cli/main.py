"""`sikas-sync`: the command line (docs/cli.md).

Bahasa Indonesia by default, English with `--lang en` or an `en*` locale (messages.py). This module
imports only argparse-level things: `--help`, `--version` and usage errors answer before the domain
models, pydantic or boto3 load; each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

from . import admin, columns, erase, outbox
from . import status as status_cli
from .arguments import (
    DEFAULT_REGION_CODE,
    add_region_code,
    domain_slug,
    integer,
    positive_float,
    positive_int,
    prescan,
    ratio,
    resolve_domain,
    slug_list,
)
from .errors import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    CodedTypeError,
    UsageError,
    check_readable,
    error_document,
    os_problem,
    report,
    writable_file,
)
from .messages import CATALOG, LANGUAGES, from_environment, set_language, speaking, t
from .progress import Progress

if TYPE_CHECKING:
    from ..validation import FileResult

SampleFormat = Literal["csv", "xlsx", "jsonl"]
FORMATS: tuple[SampleFormat, ...] = ("csv", "xlsx", "jsonl")
PROG = "sikas-sync"

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "UsageError", "build_parser", "main"]


class CliParser(argparse.ArgumentParser):
    """argparse whose usage errors are raised, not printed: main() answers them on stderr, or as the
    JSON error document when `--json` was given."""

    def error(self, message: str) -> NoReturn:
        problem = sys.exception()  # the ArgumentError argparse is handling, if any
        cause = problem.__context__ if isinstance(problem, argparse.ArgumentError) else None
        code = cause.code if isinstance(cause, CodedTypeError) else "usage"
        raise UsageError(code, message, parser=self)


class VersionAction(argparse.Action):
    """`--version`: `sikas-sync <version>` from the installed distribution's metadata."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(
            option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, help=help
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> NoReturn:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version(PROG)
        except PackageNotFoundError:  # run from a source tree that was never installed
            number = "unknown"
        print(f"{PROG} {number}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """Every command and option, their help in the language in use (messages.speaking)."""
    parser = CliParser(prog=PROG, description=t("prog.description"), epilog=t("prog.epilog"))
    parser.add_argument("--version", action=VersionAction, help=t("help.version"))
    parser.add_argument("--lang", choices=LANGUAGES, help=t("help.lang"))
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", title=t("prog.commands")
    )
    slugs = slug_list()

    def command(name: str, key: str) -> argparse.ArgumentParser:
        made: argparse.ArgumentParser = commands.add_parser(name, help=t(key), description=t(key))
        return made

    validate = command("validate", "cmd.validate")
    validate.add_argument("file", type=Path, metavar="FILE", help=t("help.validate.file"))
    validate.add_argument(
        "--domain", type=domain_slug, metavar="SLUG", help=t("help.domain.inferred", slugs=slugs)
    )
    validate.add_argument("--json", action="store_true", help=t("help.json"))
    add_region_code(validate)
    validate.add_argument("--rejected-out", type=Path, metavar="PATH", help=t("help.rejected_out"))

    columns.add_parser(commands)

    sample = command("sample", "cmd.sample")
    sample.add_argument(
        "--domain", required=True, type=domain_slug, metavar="SLUG", help=t("help.domain.one", slugs=slugs)
    )
    sample.add_argument("--rows", required=True, type=positive_int, metavar="N", help=t("help.sample.rows"))
    sample.add_argument("--seed", type=integer, default=0, metavar="S", help=t("help.sample.seed"))
    sample.add_argument(
        "--invalid-ratio", type=ratio, default=0.0, metavar="R", help=t("help.sample.invalid_ratio")
    )
    sample.add_argument(
        "--warn-ratio", type=ratio, default=0.0, metavar="R", help=t("help.sample.warn_ratio")
    )
    sample.add_argument("--format", choices=FORMATS, default="csv", help=t("help.sample.format"))
    sample.add_argument("--out", required=True, type=Path, metavar="PATH", help=t("help.sample.out"))
    add_region_code(sample)

    run = command("run", "cmd.run")
    run.add_argument("files", nargs="+", type=Path, metavar="FILE", help=t("help.run.files"))
    run.add_argument("--domain", type=domain_slug, metavar="SLUG", help=t("help.domain.run", slugs=slugs))
    run.add_argument("--ministry-url", metavar="URL", help=t("help.ministry_url"))
    add_region_code(run)
    run.add_argument("--json", action="store_true", help=t("help.json"))
    run.add_argument(
        "--timeout", type=positive_float, default=300.0, metavar="SECONDS", help=t("help.run.timeout")
    )
    run.add_argument("--verbose", action="store_true", help=t("help.verbose"))
    run.add_argument("--outbox-dir", type=Path, metavar="PATH", help=t("help.run.outbox_dir"))

    admin.add_parsers(commands)  # pending, redrive
    erase.add_parser(commands)
    outbox.add_parser(commands)
    status_cli.add_parsers(commands)  # status, report
    admin.add_local_stack_parser(commands)

    demo = command("demo", "cmd.demo")
    demo.add_argument("--rows", type=positive_int, default=200, metavar="N", help=t("help.demo.rows"))
    demo.add_argument("--json", action="store_true", help=t("help.json"))
    demo.add_argument("--verbose", action="store_true", help=t("help.verbose"))

    for sub in commands.choices.values():  # `sikas-sync validate … --lang en` as well as before it
        sub.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=t("help.lang"))
    return parser


# -- the commands ---------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    path: Path = args.file
    check_readable([path])
    slug = resolve_domain(path, args.domain)
    if slug is None:
        raise UsageError("domain_unknown", t("error.domain_not_inferred", name=path.name, slugs=slug_list()))
    rejected_out: Path | None = args.rejected_out
    if rejected_out is not None:
        writable_file(rejected_out)
    progress = Progress(t("progress.validating", name=path.name))
    if rejected_out is None:
        result, written = _validate(path, slug, args.region_code, progress), None
    else:
        result, written = _validate_keeping_rejected(path, slug, args.region_code, progress, rejected_out)
    progress.done()
    if args.json:
        document = result.as_json()
        if rejected_out is not None:
            document["rejected_out"] = {
                "path": str(rejected_out),
                "written": written is not None,
                "rows": written or 0,
            }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        from .output import file_result_text

        print(file_result_text(result))
        if rejected_out is not None:
            if written is None:
                print(t("out.rejected_out_none", path=rejected_out))
            else:
                print(t("out.rejected_out", rows=written, path=rejected_out))
    return EXIT_OK if result.status == "processed" and result.rejected == 0 else EXIT_FAILED


def _validate(path: Path, slug: str, region: str, progress: Progress, **hooks: Any) -> FileResult:
    from ..domains import get_domain
    from ..validation import RulesContext, validate_file

    return validate_file(
        path,
        get_domain(slug),
        name=path.name,
        context=RulesContext(region_code=region),
        on_progress=progress.update,
        **hooks,
    )


def _validate_keeping_rejected(
    path: Path, slug: str, region: str, progress: Progress, out: Path
) -> tuple[FileResult, int | None]:
    """Validate, writing every rejected row to `out` as the quarantine does; the rows written, or
    None when the file was refused as a whole (then `out` is left alone)."""
    from ..ingest.report import QuarantineWriter
    from ..validation import RowOutcome

    quarantine = QuarantineWriter()

    def on_outcome(outcome: RowOutcome) -> None:
        if outcome.record is None:
            quarantine.add(outcome)

    try:
        result = _validate(path, slug, region, progress, on_outcome=on_outcome, on_header=quarantine.header)
        if result.status == "rejected":
            return result, None
        out.parent.mkdir(parents=True, exist_ok=True)
        with quarantine.render() as body, out.open("wb") as target:
            shutil.copyfileobj(body, target)
        return result, quarantine.rows
    finally:
        quarantine.close()


def cmd_sample(args: argparse.Namespace) -> int:
    from ..sample import SampleSpec, write_sample  # Faker loads slowly; only `sample` needs it

    out: Path = args.out
    writable_file(out)
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
    progress = Progress(t("progress.writing", name=out.name))
    result = write_sample(spec, out, on_progress=progress.update)
    progress.done()
    written = t(
        "out.sample_written",
        rows=result.rows,
        broken=len(result.broken),
        warned=len(result.warned),
        path=result.path,
    )
    print(written, file=sys.stderr)
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    check_readable(args.files)
    if args.ministry_url and not re.match(r"^https?://", args.ministry_url):
        raise UsageError("usage", t("error.ministry_url"))
    outbox_dir: Path | None = args.outbox_dir
    if outbox_dir is not None and outbox_dir.exists() and not outbox_dir.is_dir():
        raise UsageError("not_a_directory", t("error.not_a_directory", path=outbox_dir))
    from .run import Upload

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
    from .output import run_summary_text
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
        print(t("out.function_logs", path=log_path), file=sys.stderr)
    return EXIT_OK if all_terminal(summary) else EXIT_FAILED


def cmd_demo(args: argparse.Namespace) -> int:
    """Sample exports of every domain (a few bad rows, one bad file), the whole pipeline, a summary."""
    from ..domains import DOMAINS
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
            uploads, args, region_code=DEFAULT_REGION_CODE, ministry_url=None, timeout_s=300, faults=faults
        )


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "validate": cmd_validate,
    "columns": columns.cmd_columns,
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


# -- the way in and out ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang, wants_json = prescan(arguments)
    with speaking(lang or from_environment()):
        parser = build_parser()
        try:
            args = parser.parse_args(arguments)
        except UsageError as problem:
            prog = problem.parser.prog if problem.parser is not None else PROG
            return report(prog, problem, as_json=wants_json)
        except SystemExit as done:  # --help, --version
            return done.code if isinstance(done.code, int) else EXIT_OK
        if getattr(args, "lang", None):
            set_language(args.lang)  # inside `speaking`: undone on the way out
        return _run_command(args, as_json=bool(getattr(args, "json", False)))


def _run_command(args: argparse.Namespace, *, as_json: bool) -> int:
    prog = f"{PROG} {args.command}"
    try:
        return HANDLERS[args.command](args)
    except BrokenPipeError:  # stdout closed early (`| head`): nobody reads an error either
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except KeyboardInterrupt:
        if as_json:
            print(error_document("interrupted", t("error.interrupted")))
        return EXIT_INTERRUPTED
    except Exception as error:
        problem = as_cli_error(error)
        if problem is None:
            if not as_json:
                raise
            traceback.print_exc()  # a bug: its details on stderr, the one JSON document on stdout
            kind = type(error).__name__
            problem = CliError("internal_error", t("error.internal", kind=kind), status=EXIT_FAILED)
        return report(prog, problem, as_json=as_json)


def as_cli_error(error: Exception) -> CliError | None:
    """A failure the operator can act on (a usage error, the stack, AWS configuration, a path) as a
    CliError; None for anything else (a bug)."""
    if isinstance(error, CliError):
        return error
    # Only loaded when a command needed them: then they may have raised.
    target = sys.modules.get("sikas_sync.operations.target")
    if target is not None:
        if isinstance(error, target.TargetError):
            return UsageError(error.code, target_message(error))
        botocore = sys.modules.get("botocore.exceptions")
        if botocore is not None and isinstance(error, botocore.BotoCoreError | botocore.ClientError):
            found = target.aws_problem(error)
            status = EXIT_FAILED if found.code == "aws_error" else EXIT_USAGE
            return CliError(found.code, target_message(found), status=status)
    if isinstance(error, OSError):
        return os_problem(error)
    return None


def target_message(error: Any) -> str:
    """A TargetError in the operator's language when it names its message, else as it is."""
    key = f"target.{getattr(error, 'key', None)}"
    return t(key, **error.details) if key in CATALOG else str(error)


if __name__ == "__main__":
    sys.exit(main())
