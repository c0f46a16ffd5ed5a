"""`python -m dashboard datasets [--json] [--warm]`: the built-in datasets, as a table or as
JSON; `--warm` computes their features into the storage folder's cache."""

from __future__ import annotations

import argparse
import json

from dashboard.engine.data.builtin import DatasetInfo, list_datasets
from dashboard.settings import Settings
from dashboard.warmup import warm

JSON_FIELDS = ("id", "title", "rows", "structure_column", "structure_kind", "targets", "source")


def register(commands: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    """Add the `datasets` command."""
    parser = commands.add_parser("datasets", help="list the built-in datasets")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="compute the datasets' features into the cache (what `serve` starts by itself)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the built-in datasets, or with --warm cache their features; always succeeds."""
    if args.warm:
        warm(Settings.from_env().cache_dir)
        return 0
    infos = list_datasets()
    print(json.dumps([as_json(i) for i in infos], indent=1) if args.json else table(infos))
    return 0


def as_json(info: DatasetInfo) -> dict:
    """The fields the `--json` output promises, for one dataset."""
    return {name: getattr(info, name) for name in JSON_FIELDS}


def table(infos: list[DatasetInfo]) -> str:
    """A plain-text table with aligned columns, one dataset a line."""
    header = ("id", "rows", "structure", "targets", "title")
    lines = [
        (
            i.id,
            f"{i.rows:,}",
            f"{i.structure_column} ({i.structure_kind})",
            ", ".join(f"{t} [{i.units[t]}]" for t in i.targets),
            i.title,
        )
        for i in infos
    ]
    widths = [max(len(row[k]) for row in (header, *lines)) for k in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *lines)
    )
