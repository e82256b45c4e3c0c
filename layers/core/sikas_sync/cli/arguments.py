"""The values options take (checked while parsing, in the operator's language), what is read of
the command line before it is parsed (`--lang`, `--json`), and a file's domain as `run` and
`validate` infer it. Nothing here loads a domain model, pydantic or boto3.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from ..domains.slugs import PERSON_SLUGS, SLUGS, slug_for_name
from .errors import CodedTypeError
from .messages import LANGUAGES, Language, t

DEFAULT_REGION_CODE = "12.09"  # Kabupaten Asahan
# `sikas-sync local-stack`'s state file; equal to operations.target.DEFAULT_STATE_FILE (a test
# checks), declared here so that building the parser does not import boto3.
DEFAULT_STATE_FILE = Path(".sikas-sync/embedded.json")


def slug_list(slugs: Sequence[str] = SLUGS) -> str:
    return ", ".join(slugs)


def domain_slug(value: str) -> str:
    if value not in SLUGS:
        raise CodedTypeError("domain_unknown", t("arg.domain_unknown", value=value, slugs=slug_list()))
    return value


def person_domain_slug(value: str) -> str:
    if value not in PERSON_SLUGS:
        slugs = slug_list(PERSON_SLUGS)
        raise CodedTypeError("domain_unknown", t("arg.domain_unknown", value=value, slugs=slugs))
    return value


def region_code(value: str) -> str:
    """A kabupaten/kota (or province) code that exists in the Kemendagri table."""
    code = value.strip()
    if not re.fullmatch(r"\d{2}(\.\d{2})?", code):
        raise CodedTypeError("region_code_unknown", t("arg.region_code", value=value))
    # argparse converts the string default on every parse; the table takes 0.1 s to load, and the
    # default is in it (a test checks), so only other codes are looked up.
    if code != DEFAULT_REGION_CODE:
        from ..reference import wilayah

        found = wilayah.lookup(code)
        if found is None or found.tingkat not in ("provinsi", "kabupaten_kota"):
            raise CodedTypeError("region_code_unknown", t("arg.region_code", value=value))
    return code


def add_region_code(parser: argparse.ArgumentParser) -> None:
    """`--region-code CODE`, as every command that works for one kabupaten/kota takes it."""
    parser.add_argument(
        "--region-code",
        type=region_code,
        default=DEFAULT_REGION_CODE,
        metavar="CODE",
        help=t("help.region_code"),
    )


def ratio(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(t("arg.ratio", value=value))
    return number


def positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0:  # NaN too
        raise argparse.ArgumentTypeError(t("arg.positive_float", value=value))
    return number


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(t("arg.positive_int", value=value))
    return number


def integer(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("arg.integer", value=value)) from None


def day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("arg.date", value=value)) from None


# -- before parsing ---------------------------------------------------------------------------------


def prescan(argv: Sequence[str]) -> tuple[Language | None, bool]:
    """`--lang` and whether `--json` was asked for, read before parsing: argparse words its help and
    errors while it parses, and a usage error must already know how to answer."""
    lang: Language | None = None
    wants_json = False
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        name, _, inline = arg.partition("=")
        if len(name) >= 4 and "--lang".startswith(name):  # argparse accepts --la, --lan
            value = inline if inline else (argv[index + 1] if index + 1 < len(argv) else "")
            lang = next((known for known in LANGUAGES if known == value), lang)
        elif len(name) >= 3 and "--json".startswith(name):
            wants_json = True
    return lang, wants_json


# -- a file's domain --------------------------------------------------------------------------------


def resolve_domain(path: Path, explicit: str | None) -> str | None:
    """cli.md: --domain, else the parent folder when it is a slug, else the longest slug prefix."""
    if explicit:
        return explicit
    if path.parent.name in SLUGS:
        return path.parent.name
    return slug_for_name(path.name)
