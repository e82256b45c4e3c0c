"""How the command line fails: a stable English code, a message in the operator's language, an exit
status, and no traceback. With `--json` the failure is the one JSON document on stdout:
`{"error": {"code": "...", "message": "..."}}`; without, a line on stderr.

Standard library only, like messages.py: usage errors must answer before anything heavy loads.
"""

from __future__ import annotations

import argparse
import errno
import json
import sys
from pathlib import Path

from .messages import t

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A failure to report as `code` + `message`, ending the command with `status`."""

    def __init__(self, code: str, message: str, *, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class UsageError(CliError):
    """The command line itself is wrong (exit 2); `parser`, when argparse found it, for its usage line."""

    def __init__(self, code: str, message: str, *, parser: argparse.ArgumentParser | None = None) -> None:
        super().__init__(code, message, status=EXIT_USAGE)
        self.parser = parser


class CodedTypeError(argparse.ArgumentTypeError):
    """A value an option's type refuses, with the error code `--json` reports (else `usage`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def error_document(code: str, message: str) -> str:
    return json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False, indent=2)


def report(prog: str, problem: CliError, *, as_json: bool) -> int:
    """Print `problem` as the JSON error document (stdout) or, after `prog` (`sikas-sync validate`),
    as a line on stderr, with the usage line when argparse found it; its exit status."""
    if as_json:
        print(error_document(problem.code, problem.message))
    else:
        if isinstance(problem, UsageError) and problem.parser is not None:
            problem.parser.print_usage(sys.stderr)
        print(f"{prog}: {t('error.label')}: {problem.message}", file=sys.stderr)
    return problem.status


# -- paths ------------------------------------------------------------------------------------------


def readable_file(path: Path) -> CliError | None:
    """Why `path` cannot be read as an export (no such file, a folder, no permission), or None."""
    if path.is_dir():
        return UsageError("is_a_directory", t("error.is_a_directory", path=path))
    if not path.exists():
        return UsageError("file_not_found", t("error.file_not_found", path=path))
    if not path.is_file():
        return UsageError("not_a_file", t("error.not_a_file", path=path))
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except PermissionError:
        return UsageError("unreadable", t("error.unreadable", path=path))
    except OSError as problem:
        return os_problem(problem, path)
    return None


def check_readable(paths: list[Path]) -> None:
    """UsageError naming every path that cannot be read; the code is the first one's."""
    problems = [found for found in map(readable_file, paths) if found is not None]
    if problems:
        raise UsageError(problems[0].code, "; ".join(problem.message for problem in problems))


def writable_file(path: Path) -> None:
    """UsageError when `path` is a folder (a file is to be written there)."""
    if path.is_dir():
        raise UsageError("is_a_directory", t("error.is_a_directory", path=path))


def os_problem(problem: OSError, path: object = None) -> CliError:
    """An OSError (unreadable path, full disk) as a usage error that says what and where."""
    where = path if path is not None else problem.filename
    if problem.errno in (errno.EACCES, errno.EPERM):
        return UsageError("permission_denied", t("error.permission_denied", path=where or "-"))
    known = {
        errno.ENOENT: ("file_not_found", "error.file_not_found"),
        errno.EISDIR: ("is_a_directory", "error.is_a_directory"),
        errno.ENOTDIR: ("not_a_directory", "error.not_a_directory"),
    }
    if problem.errno in known and where is not None:
        code, key = known[problem.errno]
        return UsageError(code, t(key, path=where))
    return UsageError("os_error", t("error.os", path=where or "-", reason=_reason(problem)))


def _reason(problem: OSError) -> str:
    return problem.strerror or type(problem).__name__
