"""`sikas-sync columns`: which headers an export of a domain may use.

With `--domain SLUG`: every field in model order, whether it is required, and the aliases it is
also known by (domains/columns.py, the same table validation maps headers with). Without: the
domains and their titles.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from .arguments import domain_slug, slug_list
from .messages import t


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Adds `columns` to the subcommands of `sikas-sync` (`commands` is add_subparsers' result)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "columns", help=t("cmd.columns"), description=t("cmd.columns")
    )
    parser.add_argument(
        "--domain", type=domain_slug, metavar="SLUG", help=t("help.columns.domain", slugs=slug_list())
    )
    parser.add_argument("--json", action="store_true", help=t("help.json"))
    return parser


def columns_document(slug: str) -> dict[str, Any]:
    from ..domains import get_domain
    from ..domains.columns import accepted_columns

    domain = get_domain(slug)
    return {
        "domain": domain.slug,
        "title": domain.title,
        "columns": [
            {
                "field": column.field,
                "required": column.required,
                "aliases": list(column.aliases),
                "from_place_names": column.from_place_names,
            }
            for column in accepted_columns(domain)
        ],
    }


def domains_document() -> dict[str, Any]:
    from ..domains import DOMAINS

    return {"domains": [{"slug": domain.slug, "title": domain.title} for domain in DOMAINS]}


def cmd_columns(args: argparse.Namespace) -> int:
    document = columns_document(args.domain) if args.domain else domains_document()
    if args.json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
    elif args.domain:
        print(columns_text(document))
    else:
        print(domains_text(document))
    return 0


def columns_text(document: dict[str, Any]) -> str:
    columns: list[dict[str, Any]] = document["columns"]
    width = max([len(t("columns.col.field")), *(len(column["field"]) for column in columns)])
    flag = max(len(t("columns.col.required")), len(t("columns.yes")), len(t("columns.no")))
    header = (
        f"{t('columns.col.field'):<{width}}  {t('columns.col.required'):<{flag}}  {t('columns.col.aliases')}"
    )
    lines = [t("columns.title", slug=document["domain"], title=document["title"]), "", header]
    lines.append("-" * len(header))
    for column in columns:
        required = t("columns.yes") if column["required"] else t("columns.no")
        aliases = ", ".join(column["aliases"]) or "-"
        lines.append(f"{column['field']:<{width}}  {required:<{flag}}  {aliases}")
    notes = [t("columns.place_names", field=c["field"]) for c in columns if c["from_place_names"]]
    return "\n".join([*lines, "", t("columns.note"), *notes])


def domains_text(document: dict[str, Any]) -> str:
    domains: list[dict[str, str]] = document["domains"]
    width = max(len(domain["slug"]) for domain in domains)
    lines = [t("columns.domains")]
    lines += [f"  {domain['slug']:<{width}}  {domain['title']}" for domain in domains]
    return "\n".join([*lines, "", t("columns.domains_hint")])
